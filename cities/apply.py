"""Applying a checked city folder to the database, idempotently and in one transaction.

Action fields are matched by their stable key (slug), so renaming one keeps its ideas; a
field or quarter left out of the folder is retired (inactive), never deleted, since ideas
name it. Legal pages are written only where editors have not changed the first text yet.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from audit.services import audit_write
from fields.models import ActionField, District, Quarter
from fields.services import quarters_load
from halle_smartcity.page_cache import pages_changed
from ideas.models import Call
from ideas.services import call_save
from pages.defaults import PAGES
from pages.models import Page
from review.assessments import catalogue_create_default

from .folder import CityFolder


@dataclass
class CityLoadResult:
    """What loading changed (or, in a dry run, would change), in sentences for staff."""

    changes: list[str] = field(default_factory=list)

    def note(self, sentence: str) -> None:
        self.changes.append(sentence)


class _DryRun(Exception):
    """Rolls the transaction of a dry run back."""


def _fields(folder: CityFolder, result: CityLoadResult) -> None:
    existing = {item.slug: item for item in ActionField.objects.all()}
    keys = [item["key"] for item in folder.fields]
    # Names are unique: free them first, so that two fields may swap names in one load.
    for item in folder.fields:
        current = existing.get(item["key"])
        if current is not None and current.name != item["name"]["de"]:
            ActionField.objects.filter(pk=current.pk).update(
                name=f"~{current.pk}~{current.name}"[:80]
            )
    for order, item in enumerate(folder.fields):
        values = {
            "name": item["name"]["de"],
            "name_en": item["name"]["en"],
            "description": item.get("description", {}).get("de", ""),
            "description_en": item.get("description", {}).get("en", ""),
            "colour": item["colour"].lower(),
            "order": order,
            "active": True,
        }
        current = existing.get(item["key"])
        if current is None:
            ActionField.objects.create(slug=item["key"], **values)
            result.note(f"Handlungsfeld „{values['name']}“ wird angelegt.")
            continue
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        if current.name != values["name"]:
            result.note(
                f"Handlungsfeld „{current.name}“ heißt künftig „{values['name']}“ "
                "(seine Ideen bleiben)."
            )
        elif changed:
            result.note(f"Handlungsfeld „{current.name}“ wird geändert ({', '.join(changed)}).")
        ActionField.objects.filter(pk=current.pk).update(**values)
    for slug, current in existing.items():
        if slug not in keys and current.active:
            ActionField.objects.filter(pk=current.pk).update(active=False)
            result.note(
                f"Handlungsfeld „{current.name}“ fehlt im Ordner und wird stillgelegt "
                "(nicht gelöscht)."
            )


def _quarters(
    folder: CityFolder, result: CityLoadResult, progress: Callable[[int], None] | None
) -> None:
    existing = {quarter.code: quarter for quarter in Quarter.objects.select_related("district")}
    codes = set()
    for row in folder.quarters:
        codes.add(row["code"])
        current = existing.get(row["code"])
        if current is None:
            result.note(f"Stadtteil {row['code']} „{row['name']}“ wird angelegt.")
        elif (
            current.name,
            current.district.name,
            current.kind,
            current.part_of,
            current.active,
        ) != (row["name"], row["district"], row["kind"], row.get("part_of", ""), True):
            result.note(f"Stadtteil {row['code']} „{current.name}“ wird geändert.")
    for code, current in existing.items():
        if code not in codes and current.active:
            result.note(
                f"Stadtteil {code} „{current.name}“ fehlt im Ordner und wird stillgelegt "
                "(nicht gelöscht)."
            )
    districts = list(dict.fromkeys(row["district"] for row in folder.quarters))
    codes = {row["district"]: row.get("district_code", "") for row in folder.quarters}
    existing_districts = dict(District.objects.values_list("name", "code"))
    for name in districts:
        if name not in existing_districts:
            result.note(f"Stadtbezirk „{name}“ wird angelegt.")
        elif codes[name] and existing_districts[name] != codes[name]:
            result.note(f"Stadtbezirk „{name}“ erhält den Schlüssel {codes[name]}.")
    quarters_load(rows=folder.quarters, progress=progress)
    for order, name in enumerate(districts):
        District.objects.filter(name=name).exclude(order=order).update(order=order)


def _pages(folder: CityFolder, result: CityLoadResult) -> None:
    for slug, texts in folder.pages.items():
        values = {
            "title_de": texts["title"]["de"],
            "body_de": texts["body"]["de"],
            "title_en": texts["title"].get("en", ""),
            "body_en": texts["body"].get("en", ""),
        }
        page = Page.objects.filter(slug=slug).first()
        if page is None:
            Page.objects.create(slug=slug, **values)
            result.note(f"Rechtsseite „{values['title_de']}“ wird angelegt.")
            continue
        untouched = (
            page.body_de == PAGES[slug]["body_de"] and page.title_de == PAGES[slug]["title_de"]
        )
        if untouched and any(getattr(page, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(page, name, value)
            page.save()
            result.note(f"Rechtsseite „{values['title_de']}“ erhält den Text der Stadt.")


def _call(folder: CityFolder, result: CityLoadResult) -> None:
    data = folder.call
    if not data or Call.objects.filter(slug=data["slug"]).exists():
        return
    call = Call(
        slug=data["slug"],
        title=data["title"],
        teaser=data.get("teaser", ""),
        description=data.get("description", ""),
        opens_at=data["opens_at"],
        closes_at=data["closes_at"],
        published=data.get("published", True),
        reference_prefix=data.get("reference_prefix", "SC"),
    )
    call_save(call=call, by=None)
    catalogue_create_default(
        call=call,
        criteria=folder.catalogue["criteria"],
        threshold=folder.catalogue.get("threshold"),
    )
    result.note(f"Aufruf „{call.title}“ wird mit dem Kriterienkatalog der Stadt angelegt.")


def city_apply(
    *, folder: CityFolder, dry_run: bool = False, progress: Callable[[int], None] | None = None
) -> CityLoadResult:
    """Apply a checked folder (cities.folder.folder_read) in one transaction: action fields,
    districts and quarters, legal pages, the first call. With `dry_run` everything is rolled
    back and the result only says what would change. Audited as cities.city.loaded."""
    result = CityLoadResult()
    try:
        with transaction.atomic():
            _fields(folder, result)
            _quarters(folder, result, progress)
            _pages(folder, result)
            _call(folder, result)
            audit_write(
                action="cities.city.loaded",
                by=None,
                city=folder.city["key"],
                changes=len(result.changes),
            )
            if dry_run:
                raise _DryRun
            if result.changes:
                # Lists, forms and the home page name the fields and quarters.
                pages_changed()
    except _DryRun:
        pass
    return result
