import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from audit.services import audit_write, save_audited

from . import permissions
from .models import District, Quarter

REQUIRED_COLUMNS = {"district", "code", "name", "kind"}


class QuarterFileError(ValueError):
    pass


@dataclass
class QuarterLoadResult:
    created: int = 0
    updated: int = 0
    deactivated: int = 0


def quarters_read(path: Path) -> list[dict[str, str]]:
    """Read a city's quarters file (CSV: district, code, name, kind, part_of; optionally
    district_code)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = REQUIRED_COLUMNS - set(reader.fieldnames or [])
        if missing:
            raise QuarterFileError(f"{path}: missing columns {', '.join(sorted(missing))}")
        rows = [row for row in reader if any(value.strip() for value in row.values() if value)]
    codes = [row["code"].strip() for row in rows]
    if len(codes) != len(set(codes)):
        raise QuarterFileError(f"{path}: quarter codes must be unique")
    for number, row in enumerate(rows, start=2):
        if row["kind"].strip() not in Quarter.Kind.values:
            raise QuarterFileError(f"{path}, line {number}: unknown kind {row['kind']!r}")
    return rows


@transaction.atomic
def quarters_load(
    *, rows: Iterable[dict[str, str]], progress: Callable[[int], None] | None = None
) -> QuarterLoadResult:
    """Create or update districts and quarters by official code; quarters missing from the
    file are deactivated, not deleted, since ideas may point to them."""
    result = QuarterLoadResult()
    districts: dict[str, District] = {}
    seen: set[str] = set()
    for index, row in enumerate(rows, start=1):
        district_name = row["district"].strip()
        if district_name not in districts:
            districts[district_name], _ = District.objects.get_or_create(
                name=district_name, defaults={"order": len(districts)}
            )
        district_code = (row.get("district_code") or "").strip()
        if district_code and districts[district_name].code != district_code:
            districts[district_name].code = district_code
            districts[district_name].save(update_fields=["code"])
        code = row["code"].strip()
        seen.add(code)
        _quarter, created = Quarter.objects.update_or_create(
            code=code,
            defaults={
                "district": districts[district_name],
                "name": row["name"].strip(),
                "kind": row["kind"].strip(),
                "part_of": (row.get("part_of") or "").strip(),
                "active": True,
            },
        )
        if created:
            result.created += 1
        else:
            result.updated += 1
        if progress:
            progress(index)
    result.deactivated = (
        Quarter.objects.exclude(code__in=seen).filter(active=True).update(active=False)
    )
    audit_write(
        action="fields.quarters.loaded",
        by=None,
        created=result.created,
        updated=result.updated,
        deactivated=result.deactivated,
    )
    return result


def vocabulary_save(*, obj: Model, by) -> Model:
    """Save an action field, district or quarter as staff edit it in the admin (audited).
    Raises PermissionDenied for who may not change the vocabularies."""
    if not permissions.can_change_vocabulary(by, type(obj), new=obj.pk is None):
        raise PermissionDenied(_("You may not change the action fields and quarters."))
    return save_audited(obj, by=by, action=f"fields.{obj._meta.model_name}")
