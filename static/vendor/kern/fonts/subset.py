"""Make the web fonts this site serves: Fira Sans from @kern-ux/native, cut to Latin.

The full cuts weigh about 130 KB each (Cyrillic, Greek, Vietnamese, ...); the Latin subset
about 22 KB, which keeps a first page load under the 150 KB budget. Fira's licence reserves
the name "Fira" for the original, so the subset is renamed "Mitmachen Sans" (SIL OFL 1.1,
section 3). Run from the repository root after `npm ci`, with fonttools and brotli:

    .venv/bin/pip install fonttools brotli
    .venv/bin/python static/vendor/kern/fonts/subset.py
"""

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

SOURCE = Path("node_modules/@kern-ux/native/dist/fonts/fira-sans")
TARGET = Path(__file__).relative_to(Path.cwd(), walk_up=True).parent / "mitmachen-sans"
# KERN sets 400, 500 and 600; bold text (700) falls back to SemiBold, one download less.
CUTS = ("Regular", "Italic", "SemiBold")
FAMILY = "Mitmachen Sans"
# Basic Latin, Latin-1, Latin Extended-A, general punctuation (dashes, German quotes),
# the euro sign and a few symbols; must match unicode-range in mitmachen-sans.css.
UNICODES = "U+0000-017F,U+02C6,U+02DA,U+02DC,U+2000-206F,U+20AC,U+2122,U+2190-2193,U+2212"
FEATURES = ["kern", "liga", "calt", "ccmp", "locl", "mark", "mkmk", "tnum", "lnum"]


def rename(font: TTFont, style: str) -> None:
    values = {
        1: FAMILY,
        16: FAMILY,
        3: f"{FAMILY} {style} (subset of Fira Sans)",
        4: f"{FAMILY} {style}",
        6: f"MitmachenSans-{style}",
    }
    for record in list(font["name"].names):
        if record.nameID in values:
            record.string = values[record.nameID]


def main() -> None:
    TARGET.mkdir(exist_ok=True)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = FEATURES
    options.name_IDs = ["*"]
    for style in CUTS:
        font = TTFont(SOURCE / f"FiraSans-{style}.woff2")
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
        subsetter.subset(font)
        rename(font, style)
        target = TARGET / f"MitmachenSans-{style}.woff2"
        font.flavor = "woff2"
        font.save(target)
        print(f"{target}: {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
