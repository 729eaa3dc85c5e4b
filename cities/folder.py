"""Reading and checking a city folder (docs/neue-stadt.md) before anything is applied.

Every problem is collected, not only the first, each with its file, line or key and a
German explanation for the city's staff; `load_city` applies nothing while there is one.
"""

import csv
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.utils import timezone
from jsonschema import Draft202012Validator

from fields.boundaries import BoundaryFileError, boundaries_parse
from halle_smartcity.svg import svg_problems

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
REQUIRED = (
    "city.yaml",
    "fields.yaml",
    "quarters.csv",
    "catalogue.yaml",
    "map.yaml",
    "branding.yaml",
)
OPTIONAL = ("pages.yaml", "call.yaml", "boundaries.geojson")
MAX_FILE_BYTES = 50 * 1024 * 1024
KERN_CSS = Path(settings.BASE_DIR) / "static" / "vendor" / "kern" / "kern.min.css"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Problem:
    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}, {self.where}: {self.message}"
            if self.where
            else (f"{self.file}: {self.message}")
        )


class CityFolderInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class CityFolder:
    """A folder's content, checked and ready to apply."""

    directory: Path
    city: dict = field(default_factory=dict)
    fields: list = field(default_factory=list)
    quarters: list = field(default_factory=list)
    catalogue: dict = field(default_factory=dict)
    map: dict = field(default_factory=dict)
    branding: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)
    call: dict | None = None
    boundaries: dict | None = None


def schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


def _where(path) -> str:
    """A key path the way staff read it: criteria, entry 3, weight."""
    parts = [f"Eintrag {item + 1}" if isinstance(item, int) else str(item) for item in path]
    return " › ".join(parts) or "oberste Ebene"


def _german(error) -> str:
    """jsonschema's reason in German (its own messages are English)."""
    kind, value = error.validator, error.validator_value
    if kind == "required":
        missing = [name for name in value if name not in (error.instance or {})]
        return f"Pflichtangabe „{', '.join(missing)}“ fehlt."
    if kind == "additionalProperties":
        extra = [name for name in error.instance if name not in error.schema.get("properties", {})]
        return f"Unbekannter Schlüssel „{', '.join(map(str, extra))}“ (Tippfehler?)."
    if kind == "type":
        names = {
            "string": "ein Text",
            "number": "eine Zahl",
            "integer": "eine ganze Zahl",
            "object": "eine Zuordnung (Schlüssel: Wert)",
            "array": "eine Liste",
            "boolean": "true oder false",
        }
        wanted = value if isinstance(value, list) else [value]
        wanted_text = " oder ".join(names.get(item, item) for item in wanted)
        return f"Muss {wanted_text} sein, nicht {error.instance!r}."
    if kind == "pattern":
        hint = error.schema.get("description", "")
        return f"„{error.instance}“ hat nicht das erwartete Format{f' ({hint})' if hint else ''}."
    if kind in ("enum", "const"):
        allowed = value if kind == "enum" else [value]
        return f"„{error.instance}“ ist nicht erlaubt; möglich: {', '.join(map(str, allowed))}."
    if kind == "minLength":
        return "Darf nicht leer sein."
    if kind == "maxLength":
        return f"Ist zu lang (höchstens {value} Zeichen)."
    if kind in ("minItems", "maxItems"):
        bound = "mindestens" if kind == "minItems" else "höchstens"
        return f"Die Liste braucht {bound} {value} Einträge."
    if kind in ("minimum", "maximum"):
        return f"{error.instance} ist {'kleiner' if kind == 'minimum' else 'größer'} als {value}."
    return f"Ungültiger Wert ({error.message})."


def _check(
    data, name: str, file: str, problems: list[Problem], prefix: str = "", lines=None
) -> bool:
    """Check `data` against the file's schema; `lines` finds a key path's line (YAML)."""
    validator = Draft202012Validator(schema(name))
    errors = sorted(validator.iter_errors(data), key=lambda error: list(map(str, error.path)))
    for error in errors:
        where = _where(error.path)
        line = lines(list(error.path)) if lines else None
        if line:
            where = f"Zeile {line}, {where}"
        problems.append(Problem(file, f"{prefix}{where}" if prefix else where, _german(error)))
    return not errors


def _line_finder(text: str):
    """A function giving the line of a key path in a YAML text (None where unknown)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None

    def find(path: list) -> int | None:
        node = root
        for step in path:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == str(step)), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                node = node.value[step] if step < len(node.value) else None
            else:
                node = None
            if node is None:
                return None
        return node.start_mark.line + 1 if node is not None else None

    return find


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            problems.append(Problem(path.name, "", "Die Datei ist größer als 50 MB."))
            return None
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(path.name, "", "Die Datei ist nicht in UTF-8 gespeichert."))
    except OSError as error:
        problems.append(Problem(path.name, "", f"Die Datei kann nicht gelesen werden ({error})."))
    return None


def _yaml(path: Path, name: str, problems: list[Problem]):
    text = _read_text(path, problems)
    if text is None:
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"Zeile {mark.line + 1}" if mark else ""
        problems.append(
            Problem(path.name, where, f"Kein gültiges YAML ({getattr(error, 'problem', error)}).")
        )
        return None
    data = _plain(data)
    return data if _check(data, name, path.name, problems, lines=_line_finder(text)) else None


def _plain(value):
    """YAML reads unquoted dates as date objects; the schemas expect the text."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _quarters(path: Path, problems: list[Problem]) -> list[dict]:
    text = _read_text(path, problems)
    if text is None:
        return []
    reader = csv.DictReader(text.splitlines(), restkey="__extra__")
    columns = set(reader.fieldnames or [])
    missing = {"district", "code", "name", "kind"} - columns
    if missing:
        problems.append(
            Problem(path.name, "Zeile 1", f"Es fehlen die Spalten {', '.join(sorted(missing))}.")
        )
        return []
    rows, seen = [], {}
    for row in reader:
        line = reader.line_num
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue
        if "__extra__" in row or any(value is None for value in row.values()):
            problems.append(
                Problem(
                    path.name,
                    f"Zeile {line}",
                    "Die Zeile hat nicht so viele Spalten wie die Kopfzeile "
                    "(Komma im Namen? Dann in Anführungszeichen setzen).",
                )
            )
            continue
        row = {key: value.strip() for key, value in row.items()}
        if not _check(row, "quarters", path.name, problems, prefix=f"Zeile {line}, Spalte "):
            continue
        if row["code"] in seen:
            problems.append(
                Problem(
                    path.name,
                    f"Zeile {line}",
                    f"Der Schlüssel {row['code']} steht schon in Zeile {seen[row['code']]}; "
                    "jeder Stadtteil braucht einen eigenen.",
                )
            )
            continue
        seen[row["code"]] = line
        rows.append({**row, "line": line})
    if not rows and not problems:
        problems.append(Problem(path.name, "", "Die Datei enthält keinen Stadtteil."))
    return rows


def _fields_semantics(fields: list, problems: list[Problem]) -> None:
    for key in ("key",):
        seen = {}
        for index, item in enumerate(fields):
            if item[key] in seen:
                problems.append(
                    Problem(
                        "fields.yaml",
                        f"Eintrag {index + 1} › {key}",
                        f"„{item[key]}“ kommt schon in Eintrag {seen[item[key]] + 1} vor.",
                    )
                )
            seen.setdefault(item[key], index)
    for language in ("de", "en"):
        seen = {}
        for index, item in enumerate(fields):
            name = item["name"][language]
            if name in seen:
                problems.append(
                    Problem(
                        "fields.yaml",
                        f"Eintrag {index + 1} › name › {language}",
                        f"Der Name „{name}“ kommt schon in Eintrag {seen[name] + 1} vor.",
                    )
                )
            seen.setdefault(name, index)


def _catalogue_semantics(catalogue: dict, problems: list[Problem]) -> None:
    criteria = catalogue["criteria"]
    seen = set()
    for index, item in enumerate(criteria):
        where = f"criteria › Eintrag {index + 1}"
        if item["code"] in seen:
            problems.append(
                Problem(
                    "catalogue.yaml",
                    f"{where} › code",
                    f"Der Code {item['code']} kommt doppelt vor.",
                )
            )
        seen.add(item["code"])
        if not item.get("knockout") and "weight" not in item:
            problems.append(
                Problem(
                    "catalogue.yaml",
                    where,
                    "Ein gewichtetes Kriterium braucht „weight“ "
                    "(ein K.-o.-Kriterium „knockout: true“).",
                )
            )
        if item.get("knockout") and item.get("weight"):
            problems.append(
                Problem("catalogue.yaml", where, "Ein K.-o.-Kriterium hat kein Gewicht.")
            )
    total = sum(
        (Decimal(str(item.get("weight", 0))) for item in criteria if not item.get("knockout")),
        Decimal(0),
    )
    if total != Decimal(100):
        problems.append(
            Problem(
                "catalogue.yaml",
                "criteria",
                f"Die Gewichte ergeben zusammen {total:g} % statt 100 %.",
            )
        )


def _map_semantics(map_: dict, problems: list[Problem]) -> None:
    bounds, (latitude, longitude) = map_["bounds"], map_["center"]
    if not (bounds["west"] < bounds["east"] and bounds["south"] < bounds["north"]):
        problems.append(
            Problem(
                "map.yaml", "bounds", "West muss kleiner als Ost und Süd kleiner als Nord sein."
            )
        )
    elif not (
        bounds["south"] <= latitude <= bounds["north"]
        and bounds["west"] <= longitude <= bounds["east"]
    ):
        problems.append(
            Problem("map.yaml", "center", "Die Kartenmitte liegt außerhalb der Grenzen (bounds).")
        )


def kern_tokens() -> set[str]:
    """The colour tokens KERN defines (--kern-color-…), from the vendored stylesheet."""
    text = KERN_CSS.read_text(encoding="utf-8")
    return set(re.findall(r"--kern-color-([a-z0-9-]+)\s*:", text))


def _branding_semantics(directory: Path, branding: dict, problems: list[Problem]) -> None:
    tokens = kern_tokens()
    for token in branding.get("kern_colours", {}):
        if token not in tokens:
            problems.append(
                Problem(
                    "branding.yaml",
                    f"kern_colours › {token}",
                    f"„{token}“ ist kein Farbtoken von KERN "
                    "(erwartet z. B. „action-default“, ohne „--kern-color-“).",
                )
            )
    for key in ("logo", "favicon"):
        name = branding.get(key)
        if not name:
            continue
        path = directory / name
        if not path.is_file():
            problems.append(Problem("branding.yaml", key, f"Die Datei {name} fehlt im Ordner."))
            continue
        data = path.read_bytes()
        if name.endswith(".svg"):
            problems.extend(Problem(name, "", problem) for problem in svg_problems(data))
        elif not data.startswith(PNG_SIGNATURE):
            problems.append(Problem(name, "", "Die Datei ist kein PNG-Bild."))


def _boundaries(path: Path, folder: CityFolder, problems: list[Problem]) -> dict | None:
    text = _read_text(path, problems)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError as error:
        problems.append(
            Problem(path.name, f"Zeile {getattr(error, 'lineno', '?')}", "Kein gültiges JSON.")
        )
        return None
    if not _check(data, "boundaries", path.name, problems):
        return None
    try:
        parsed = boundaries_parse(text)
    except BoundaryFileError as error:
        problems.append(Problem(path.name, "", f"Die Umrisse sind nicht verwendbar: {error}"))
        return None
    bounds = folder.map.get("bounds") if folder.map else None
    codes = {row["code"] for row in folder.quarters}
    for index, feature in enumerate(parsed["features"]):
        code = feature["properties"]["code"]
        where = f"features › Eintrag {index + 1} ({code})"
        if codes and code not in codes:
            problems.append(
                Problem(
                    path.name,
                    where,
                    f"Einen Stadtteil mit dem Schlüssel {code} gibt es in quarters.csv nicht.",
                )
            )
        if bounds and not all(
            bounds["west"] <= lon <= bounds["east"] and bounds["south"] <= lat <= bounds["north"]
            for lon, lat, *_rest in _positions(feature["geometry"]["coordinates"])
        ):
            problems.append(
                Problem(
                    path.name,
                    where,
                    "Der Umriss liegt (teilweise) außerhalb der Grenzen aus map.yaml.",
                )
            )
    return parsed


def _positions(value):
    if value and isinstance(value[0], int | float):
        yield value
        return
    for item in value:
        yield from _positions(item)


def _call_semantics(call: dict, problems: list[Problem]) -> None:
    moments = {}
    for key in ("opens_at", "closes_at"):
        try:
            moment = datetime.fromisoformat(str(call[key]))
        except ValueError:
            problems.append(
                Problem(
                    "call.yaml",
                    key,
                    f"„{call[key]}“ ist kein Zeitpunkt (2027-03-01T00:00 oder 2027-03-01).",
                )
            )
            continue
        moments[key] = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    if len(moments) == 2 and moments["closes_at"] <= moments["opens_at"]:
        problems.append(
            Problem("call.yaml", "closes_at", "Der Aufruf muss nach seinem Beginn enden.")
        )
    call.update(moments)


def folder_read(directory: Path) -> CityFolder:
    """The checked content of the city folder at `directory`.
    Raises CityFolderInvalid listing every problem found."""
    directory = Path(directory)
    problems: list[Problem] = []
    if not directory.is_dir():
        raise CityFolderInvalid([Problem(str(directory), "", "Der Ordner existiert nicht.")])
    for name in REQUIRED:
        if not (directory / name).is_file():
            problems.append(
                Problem(name, "", "Die Datei fehlt; sie ist Pflicht (siehe docs/neue-stadt.md).")
            )
    folder = CityFolder(directory=directory)
    for name in ("city", "fields", "catalogue", "map", "branding", "pages", "call"):
        path = directory / f"{name}.yaml"
        if path.is_file():
            setattr(folder, name, _yaml(path, name, problems))
    if (directory / "quarters.csv").is_file():
        folder.quarters = _quarters(directory / "quarters.csv", problems)
    if folder.fields:
        _fields_semantics(folder.fields, problems)
    if folder.catalogue:
        _catalogue_semantics(folder.catalogue, problems)
    if folder.map:
        _map_semantics(folder.map, problems)
    if folder.branding:
        _branding_semantics(directory, folder.branding, problems)
    if folder.call:
        _call_semantics(folder.call, problems)
    if (directory / "boundaries.geojson").is_file():
        folder.boundaries = _boundaries(directory / "boundaries.geojson", folder, problems)
    if problems:
        raise CityFolderInvalid(problems)
    folder.pages = folder.pages or {}
    return folder
