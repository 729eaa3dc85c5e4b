"""Names for the inputs in the admin's tables (inline rows, editable list columns).

Django labels them only by the column headings above them, which screen readers do not
connect to an input in a cell (axe: "Form elements must have labels"). Here each visible
input carries its column and its row as its name: "Bildbeschreibung, Bild 2"."""

from collections.abc import Callable

from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext


def labelled(formset: type, row_name: Callable) -> type:
    """The formset class with every visible input named "<column>, <row_name(form, index)>"."""

    class Labelled(formset):
        def add_fields(self, form, index):
            super().add_fields(form, index)
            row = row_name(form, index)
            for name, field in form.fields.items():
                if not field.widget.is_hidden:
                    field.widget.attrs["aria-label"] = f"{capfirst(field.label or name)}, {row}"

    Labelled.__name__ = formset.__name__
    return Labelled


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose rows are named by their kind and number ("Bild 2")."""

    def get_formset(self, request, obj=None, **kwargs):
        thing = capfirst(self.model._meta.verbose_name)

        def row_name(form, index):
            if index is None:  # the template for rows added in the browser
                return gettext("%(thing)s (new)") % {"thing": thing}
            return f"{thing} {index + 1}"

        return labelled(super().get_formset(request, obj, **kwargs), row_name)


class LabelledListEditable:
    """A ModelAdmin mixin for `list_editable`: the inputs of a row are named by its object."""

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)
        return labelled(formset, _object_name)


def _object_name(form, index) -> str:
    # The formset's empty form (never shown in a list) has no object to name.
    return str(form.instance) if form.instance.pk is not None else gettext("new")
