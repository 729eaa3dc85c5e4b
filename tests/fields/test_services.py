import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from fields.models import ActionField, District, Quarter
from fields.services import QuarterFileError, quarters_load, quarters_read

pytestmark = pytest.mark.django_db


def test_the_four_action_fields_exist_after_migrating():
    assert list(ActionField.objects.values_list("name", flat=True)) == [
        "Bildung",
        "Wirtschaft",
        "Mobilität",
        "Verwaltung",
    ]


def test_halles_quarters_load_with_their_districts(capsys):
    call_command("load_quarters")
    assert District.objects.count() == 5
    assert Quarter.objects.count() == 42
    silberhoehe = Quarter.objects.get(name="Silberhöhe")
    assert silberhoehe.district.name == "Süd"
    trotha = Quarter.objects.filter(part_of="Trotha")
    assert trotha.count() == 3
    assert all(quarter.kind == Quarter.Kind.STADTVIERTEL for quarter in trotha)
    assert "42/42" in capsys.readouterr().out  # the progress bar


def test_loading_again_changes_nothing_and_another_citys_file_replaces(tmp_path):
    call_command("load_quarters")
    call_command("load_quarters")
    assert Quarter.objects.count() == 42
    other = tmp_path / "other.csv"
    other.write_text(
        "district,code,name,kind,part_of\nNord,01,Hafen,Stadtteil,\n", encoding="utf-8"
    )
    result = quarters_load(rows=quarters_read(other))
    assert result.created + result.updated == 1
    assert result.deactivated == 41
    assert list(Quarter.objects.filter(active=True).values_list("name", flat=True)) == ["Hafen"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("district,name\nMitte,Altstadt\n", "broken.csv: missing columns code, kind"),
        (
            "district,code,name,kind\nMitte,01,A,Stadtteil\nMitte,01,B,Stadtteil\n",
            "broken.csv: quarter codes must be unique",
        ),
        ("district,code,name,kind\nMitte,01,A,Dorf\n", "broken.csv, line 2: unknown kind 'Dorf'"),
    ],
)
def test_broken_quarter_files_are_refused(tmp_path, content, problem):
    path = tmp_path / "broken.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(QuarterFileError, match=re.escape(problem)):
        quarters_read(path)
    with pytest.raises(CommandError, match=re.escape(problem)):
        call_command("load_quarters", str(path))
    assert not Quarter.objects.exists()


def test_the_committed_file_is_the_configured_default():
    assert settings.MITMACHEN_QUARTERS_FILE.exists()
