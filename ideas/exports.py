"""Exports of ideas with their assessment per criterion, streamed in chunks."""

import csv
import io
import tempfile
from collections.abc import Iterator

from django.db.models import Avg, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Criterion, Idea, Score

CHUNK = 1000


def _columns(criteria: list[Criterion]) -> list[str]:
    return [
        _("Reference"),
        _("Title"),
        _("Call"),
        _("Primary action field"),
        _("Action fields"),
        _("Quarters"),
        _("Status"),
        _("Channel"),
        _("Submitted"),
        _("Weighted score"),
        _("Knock-out failed"),
        _("Assessments"),
        *[
            f"{criterion.code} {criterion.name} (v{criterion.catalogue.version})".strip()
            for criterion in criteria
        ],
    ]


def _criteria_for(queryset: QuerySet[Idea]) -> list[Criterion]:
    """The criteria of each exported call's current catalogue version."""
    from .models import Call

    calls = Call.objects.filter(pk__in=queryset.values("call_id")).prefetch_related(
        "catalogues__criteria"
    )
    criteria = []
    for call in calls:
        catalogues = sorted(call.catalogues.all(), key=lambda catalogue: -catalogue.version)
        if catalogues:
            criteria += list(catalogues[0].criteria.all())
    return criteria


def idea_rows(queryset: QuerySet[Idea]) -> Iterator[list]:
    """Header, then one row per idea: a constant number of queries per chunk of ideas,
    whatever the total."""
    criteria = _criteria_for(queryset)
    yield _columns(criteria)
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        ideas = (
            Idea.objects.filter(pk__in=chunk)
            .order_by("pk")
            .select_related("call", "primary_field")
            .prefetch_related("action_fields", "quarters")
        )
        means = {
            (row["assessment__assignment__idea_id"], row["criterion_id"]): row["mean"]
            for row in Score.objects.filter(
                assessment__assignment__idea_id__in=chunk,
                assessment__submitted_at__isnull=False,
                assessment__assignment__recused_at__isnull=True,
            )
            .values("assessment__assignment__idea_id", "criterion_id")
            .annotate(mean=Avg("value"))
        }
        for idea in ideas:
            yield [
                idea.reference,
                idea.title,
                idea.call.title,
                idea.primary_field.name if idea.primary_field else "",
                ", ".join(field.name for field in idea.action_fields.all()),
                _("Whole city")
                if idea.whole_city
                else ", ".join(quarter.name for quarter in idea.quarters.all()),
                idea.get_status_display(),
                idea.get_channel_display(),
                timezone.localtime(idea.submitted_at).strftime("%d.%m.%Y %H:%M")
                if idea.submitted_at
                else "",
                idea.score if idea.score is not None else "",
                _("yes") if idea.knockout_failed else _("no"),
                idea.assessment_count,
                *[
                    round(float(means[(idea.pk, criterion.pk)]), 2)
                    if (idea.pk, criterion.pk) in means
                    else ""
                    for criterion in criteria
                ],
            ]


class _Echo:
    def write(self, value):
        return value


def csv_stream(queryset: QuerySet[Idea]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
    for row in idea_rows(queryset):
        yield writer.writerow([neutralise(value) for value in row])


# Cells starting with these would run as formulas in a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell a spreadsheet would run as a formula, written as text instead."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_file(queryset: QuerySet[Idea]) -> io.BufferedRandom:
    """The rows written to a temporary XLSX file in write-only mode (bounded memory)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Ideas"))
    for row in idea_rows(queryset):
        sheet.append([neutralise(value) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(handle)
    handle.seek(0)
    return handle
