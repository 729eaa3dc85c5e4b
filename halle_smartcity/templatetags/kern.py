from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

INPUT_CLASSES = {
    "textarea": "kern-form-input__input",
    "select": "kern-form-input__select",
    "selectmultiple": "kern-form-input__select",
}


def _described_by(field) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


@register.simple_tag
def kern_widget(field):
    """Render a field's widget with KERN classes and its hint and error linked for AT."""
    widget_type = field.widget_type
    css = INPUT_CLASSES.get(widget_type, "kern-form-input__input")
    if field.errors:
        css += f" {css}--error"
    attrs = {"class": css}
    described = _described_by(field)
    if described:
        attrs["aria-describedby"] = described
    return field.as_widget(attrs=attrs)


@register.simple_tag
def kern_check(field):
    """A single checkbox (BooleanField)."""
    css = "kern-form-check__checkbox"
    if field.errors:
        css += " kern-form-check__checkbox--error"
    attrs = {"class": css}
    described = _described_by(field)
    if described:
        attrs["aria-describedby"] = described
    return field.as_widget(attrs=attrs)


@register.simple_tag
def kern_choice(subwidget, kind):
    """One checkbox or radio of a multiple-choice field."""
    attrs = subwidget.data["attrs"]
    attrs["class"] = f"kern-form-check__{kind}"
    return subwidget.tag()


@register.filter
def berlin(value, with_time=True):
    """A moment as Germans write it, in Europe/Berlin: 08.01.2023, 23:59 Uhr."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    day = date_format(local, "d.m.Y")
    if not with_time:
        return day
    return _("%(date)s, %(time)s") % {"date": day, "time": local_time(local)}


def local_time(local):
    # Translators: German adds "Uhr" after the time.
    return _("%(hour)s:%(minute)s") % {"hour": f"{local:%H}", "minute": f"{local:%M}"}


@register.simple_tag
def time_left(deadline, now=None):
    """The time left until a deadline in words: "noch 3 Tage", "noch 5 Stunden"."""
    now = now or timezone.now()
    remaining = deadline - now
    if remaining.total_seconds() <= 0:
        return _("closed")
    days = remaining.days
    if days >= 2:
        return ngettext("%(count)d day left", "%(count)d days left", days) % {"count": days}
    hours = int(remaining.total_seconds() // 3600)
    if hours >= 1:
        return ngettext("%(count)d hour left", "%(count)d hours left", hours) % {"count": hours}
    return _("less than an hour left")


@register.simple_tag(takes_context=True)
def url_with(context, **params):
    """The current query string with some parameters replaced (for pagination)."""
    query = context["request"].GET.copy()
    for key, value in params.items():
        query[key] = value
    return "?" + query.urlencode()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, [])
