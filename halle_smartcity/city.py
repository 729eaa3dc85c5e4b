"""The city the site serves, as its folder (settings.CITY_DIR) describes it: names, contact,
mail sender and signature, map, branding and the default criteria catalogue.

`manage.py load_city` validates a folder strictly (cities/) and loads its vocabularies into
the database; this module only reads the folder's plain settings for the running site. It is
lenient: a missing or broken file gives neutral values (and a log line) instead of an error
page, since `load_city` has already told the staff what is wrong.
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.utils import translation

logger = logging.getLogger(__name__)

FILES = ("city.yaml", "map.yaml", "branding.yaml", "catalogue.yaml")

_cache: dict = {}


@dataclass(frozen=True)
class City:
    """What the site shows of its city; every value has a neutral fallback."""

    key: str = ""
    name: str = ""
    site_name: dict = field(default_factory=dict)
    contact: dict = field(default_factory=dict)
    sender: str = ""
    signature: dict = field(default_factory=dict)
    center: tuple = (0.0, 0.0)
    bounds: tuple = (-180.0, -90.0, 180.0, 90.0)
    tile_url: str = ""
    tile_attribution: str = ""
    logo: str = ""
    logo_alt: dict = field(default_factory=dict)
    favicon: str = ""
    accent: str = ""
    kern_colours: dict = field(default_factory=dict)
    catalogue: dict = field(default_factory=dict)
    directory: Path | None = None

    def text(self, values: dict, language: str) -> str:
        """A bilingual value in `language`, German (then any) where it has none."""
        return values.get(language) or values.get("de") or next(iter(values.values()), "")

    @property
    def colour_style(self) -> str:
        """The branding's colours as CSS custom properties for a style attribute (the CSP
        allows inline style attributes, not style elements)."""
        values = [f"--kern-color-{token}: {value}" for token, value in self.kern_colours.items()]
        if self.accent:
            values.append(f"--city-accent: {self.accent}")
        return "; ".join(values)


def _load(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        logger.error("The city file %s cannot be read: %s", path, error)
        return {}
    return data if isinstance(data, dict) else {}


def _numbers(value, count: int, default: tuple) -> tuple:
    try:
        numbers = tuple(float(item) for item in value)
    except (TypeError, ValueError):
        return default
    return numbers if len(numbers) == count else default


def city_read(directory: Path) -> City:
    """The city described by the folder at `directory` (lenient, see the module's note)."""
    directory = Path(directory)
    main, map_, branding = (_load(directory / name) for name in FILES[:3])
    mail = main.get("mail") if isinstance(main.get("mail"), dict) else {}
    bounds = map_.get("bounds") if isinstance(map_.get("bounds"), dict) else {}
    tiles = map_.get("tiles") if isinstance(map_.get("tiles"), dict) else {}
    return City(
        key=str(main.get("key", "")),
        name=str(main.get("name", "")),
        site_name=dict(main.get("site_name") or {}),
        contact=dict(main.get("contact") or {}),
        sender=str(mail.get("sender", "")),
        signature=dict(mail.get("signature") or {}),
        center=_numbers(map_.get("center"), 2, City.center),
        bounds=_numbers(
            [bounds.get(side) for side in ("west", "south", "east", "north")], 4, City.bounds
        ),
        tile_url=str(tiles.get("url", "")),
        tile_attribution=str(tiles.get("attribution", "")),
        logo=str(branding.get("logo", "")),
        logo_alt=dict(branding.get("logo_alt") or {}),
        favicon=str(branding.get("favicon", "")),
        accent=str(branding.get("accent", "")),
        kern_colours=dict(branding.get("kern_colours") or {}),
        catalogue=_load(directory / "catalogue.yaml"),
        directory=directory,
    )


def current_city() -> City:
    """The city of settings.CITY_DIR, read once per process and version of its files."""
    directory = Path(settings.CITY_DIR)
    version = [str(directory)]
    for name in FILES:
        try:
            stat = (directory / name).stat()
            version.append((stat.st_mtime_ns, stat.st_size))
        except OSError:
            version.append(None)
    if _cache.get("version") != version:
        _cache.update(version=version, city=city_read(directory))
    return _cache["city"]


def site_name(language: str | None = None, city: City | None = None) -> str:
    """The site's name: the SITE_NAME setting if set, else the city folder's (`city`, when
    the caller has read it already)."""
    if settings.MITMACHEN_SITE_NAME:
        return settings.MITMACHEN_SITE_NAME
    city = city or current_city()
    return city.text(city.site_name, language or translation.get_language() or "de") or "Mitmachen"


def city_name(city: City | None = None) -> str:
    """The city's name: the CITY_NAME setting if set, else the city folder's."""
    return settings.MITMACHEN_CITY_NAME or (city or current_city()).name


def map_settings() -> dict:
    """Centre, bounds and tiles of the map: the MAP_* settings where set, else the folder's."""
    city = current_city()
    return {
        "center": settings.MITMACHEN_MAP_CENTER or city.center,
        "bounds": settings.MITMACHEN_MAP_BOUNDS or city.bounds,
        "tile_url": city.tile_url
        if settings.MITMACHEN_MAP_TILE_URL is None
        else settings.MITMACHEN_MAP_TILE_URL,
        "tile_attribution": city.tile_attribution
        if settings.MITMACHEN_MAP_TILE_ATTRIBUTION is None
        else settings.MITMACHEN_MAP_TILE_ATTRIBUTION,
    }


def default_criteria() -> tuple[Decimal, list[dict]]:
    """The threshold and criteria of the city's default catalogue (catalogue.yaml)."""
    catalogue = current_city().catalogue
    criteria = catalogue.get("criteria") if isinstance(catalogue.get("criteria"), list) else []
    try:
        threshold = Decimal(str(catalogue.get("threshold", "3.0")))
    except ArithmeticError:
        threshold = Decimal("3.0")
    return threshold, [item for item in criteria if isinstance(item, dict)]


def signature(language: str | None = None) -> str:
    """The mails' signature from the city folder (empty: the templates' own)."""
    city = current_city()
    return city.text(city.signature, language or translation.get_language() or "de")
