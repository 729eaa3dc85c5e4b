"""Whether an SVG image is safe to show as the city's logo: no script, no event handlers,
nothing loaded from elsewhere. Refused rather than sanitised, so what the city sees in its
folder is what the site shows."""

import re
from xml.etree import ElementTree

# Elements that run code or embed other documents.
FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler"}
REFERENCE_ATTRIBUTES = {"href", "src", "xlink:href"}
EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)
MAX_BYTES = 512 * 1024


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def svg_problems(data: bytes) -> list[str]:
    """German reasons why the SVG `data` must not be used (empty if it may)."""
    if len(data) > MAX_BYTES:
        return [f"Die Datei ist größer als {MAX_BYTES // 1024} KB."]
    if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        return ["Die Datei enthält eine DOCTYPE- oder ENTITY-Deklaration; das ist nicht erlaubt."]
    try:
        root = ElementTree.fromstring(data)  # noqa: S314 (entities refused above)
    except ElementTree.ParseError as error:
        return [f"Die Datei ist kein gültiges SVG ({error})."]
    if _local(root.tag) != "svg":
        return ["Das Wurzelelement der Datei ist nicht <svg>."]
    problems = []
    for element in root.iter():
        tag = _local(element.tag)
        if tag in FORBIDDEN_ELEMENTS:
            problems.append(
                f"Das Element <{tag}> ist nicht erlaubt (Skript oder eingebettetes Dokument)."
            )
        if tag == "style" and EXTERNAL_URL.search(element.text or ""):
            problems.append("Ein <style>-Element lädt etwas von außerhalb der Datei (url(...)).")
        for attribute, value in element.attrib.items():
            name = _local(attribute)
            if name.startswith("on"):
                problems.append(f"Das Attribut „{name}“ an <{tag}> ist ein Event-Handler.")
            elif name in REFERENCE_ATTRIBUTES and not value.strip().startswith("#"):
                problems.append(
                    f"Das Attribut „{name}“ an <{tag}> verweist nach außerhalb der Datei "
                    f"({value[:60]})."
                )
            elif EXTERNAL_URL.search(value):
                problems.append(f"Das Attribut „{name}“ an <{tag}> lädt etwas über url(...).")
    return problems
