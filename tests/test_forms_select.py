"""The project's lighter select template renders exactly what Django's own does."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from fields.models import Quarter
from ideas.filters import IdeaFilter
from ideas.models import Idea
from tests.factories import QuarterFactory

pytestmark = pytest.mark.django_db


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("a", "A & B"), ("b", 'Say "b"')], required=False)
    grouped = forms.ChoiceField(
        choices=[("Gruppe", [("1", "Eins"), ("2", "Zwei")]), ("3", "Drei")],
        widget=forms.Select(attrs={"class": "kern-form-input__select", "data-x": True}),
    )
    several = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)


@pytest.mark.parametrize("data", [{}, {"plain": "b", "grouped": "2", "several": ["x", "y"]}])
def test_select_renders_as_djangos_own_template(data):
    form = Choices(data)
    for name in ("plain", "grouped", "several"):
        field = form[name]
        ours = field.as_widget()
        djangos = field.field.widget.render(
            field.html_name,
            field.value(),
            attrs={**field.build_widget_attrs({}), "id": field.auto_id},
            renderer=DjangoTemplates(),
        )
        assert ours == djangos, name
        assert "<option" in ours


def test_the_list_filters_quarter_select_is_unchanged():
    QuarterFactory(name="Altstadt & Mitte")
    QuarterFactory(name="Giebichenstein")
    form = IdeaFilter({"quarter": Quarter.objects.first().code}, queryset=Idea.objects.none()).form
    field = form["quarter"]
    djangos = field.field.widget.render(
        field.html_name,
        field.value(),
        attrs={**field.build_widget_attrs({}), "id": field.auto_id},
        renderer=DjangoTemplates(),
    )
    assert field.as_widget() == djangos
    assert "Altstadt &amp; Mitte" in djangos
    assert " selected>" in djangos
