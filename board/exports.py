"""The board's tally as a spreadsheet (halle_smartcity.spreadsheets neutralises every cell)."""

from collections.abc import Iterator

from django.utils.translation import gettext as _


def tally_columns() -> list[str]:
    return [
        _("Item"),
        _("Recommend"),
        _("Do not recommend"),
        _("Abstain"),
        _("Conflicts of interest"),
        _("Quorum"),
        _("Quorum reached"),
        _("Board's recommendation"),
        _("Comments"),
    ]


def tally_rows(rows: list[dict]) -> Iterator[list]:
    for row in rows:
        tally = row["tally"]
        yield [
            row["title"],
            tally.recommend,
            tally.not_recommend,
            tally.abstain,
            tally.recused,
            tally.quorum,
            _("yes") if tally.quorum_reached else _("no"),
            row["item"].get_final_recommendation_display(),
            " | ".join(f"{name}: {comment}" for name, comment in row["comments"]),
        ]
