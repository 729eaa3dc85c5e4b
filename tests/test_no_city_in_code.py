"""Nothing city-specific in the code: Halle lives in its folder (cities/halle/).

Checked: Python, templates (pages and mails), static files, settings, deployment files. Exempt,
on purpose: cities/halle/ itself; the demo app (Halle's demo ideas and participation process);
the tests; the documentation and changelog (they tell Halle's story); the translation catalogues
(generated from the code); the benchmarks (they recombine Halle's demo ideas); and the
migrations, which are history: a data migration replays what an existing install once had,
and changing it would change nothing for them (docs/neue-stadt.md, "Halle im Code").
"""

import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITY = re.compile(r"Halle|halle\.(?:de|example)")
EXEMPT = ("cities/halle/", "demo/", "tests/", "docs/", "locale/", "benchmarks/", "static/vendor/")
CHECKED_SUFFIXES = {
    ".py",
    ".html",
    ".txt",
    ".js",
    ".css",
    ".json",
    ".yaml",
    ".yml",
    ".toml",
    ".sh",
    ".svg",
    ".caddy",
    ".conf",
    ".cfg",
    ".ini",
    ".env",
    ".example",
}
CHECKED_NAMES = {"dev", "Dockerfile", "Caddyfile", "manage.py"}


def checked_files() -> list[str]:
    listed = subprocess.run(
        [shutil.which("git"), "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return [
        name
        for name in listed
        if not name.startswith(EXEMPT)
        and "/migrations/" not in name
        and (Path(name).suffix in CHECKED_SUFFIXES or Path(name).name in CHECKED_NAMES)
        and (ROOT / name).is_file()
    ]


def test_the_code_names_no_city():
    hits = []
    for name in checked_files():
        text = (ROOT / name).read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if CITY.search(line):
                hits.append(f"{name}:{number}: {line.strip()[:100]}")
    assert hits == [], "City-specific text outside cities/halle/:\n" + "\n".join(hits)


def test_the_check_sees_the_code_and_would_find_a_hit():
    files = checked_files()
    assert "halle_smartcity/settings/base.py" in files and "templates/base.html" in files
    assert "templates/notices/mail/base.txt" in files and ".env.example" in files
    assert not any(name.startswith("cities/halle/") for name in files)
    assert CITY.search("Willkommen in Halle (Saale)")
    assert CITY.search("mitmachen@halle.de") and not CITY.search("halle_smartcity.settings")
