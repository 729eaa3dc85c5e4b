"""A minimal, safe markup for the legal pages: everything is escaped, no HTML passes.

- A line starting with "## " is a heading (h2), "### " a subheading (h3).
- A blank line separates paragraphs; lines starting with "- " form a list (a line that
  follows without "- " continues the item).
- Web addresses and email addresses become links.
- {city_name}, {analog_retention_days}, {unsubscribed_retention_days} and
  {event_retention_days} are replaced with the values from the settings.
"""

import re

from django.conf import settings
from django.utils.html import format_html, urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from halle_smartcity.city import city_name

HELP_TEXT = _(
    "Plain text, no HTML. A line starting with “## ” is a heading, “### ” a subheading; a "
    "blank line starts a new paragraph; lines starting with “- ” form a list; web and email "
    "addresses become links. {city_name}, {analog_retention_days}, "
    "{unsubscribed_retention_days} and {event_retention_days} are replaced with the "
    "current values."
)

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def placeholder_values() -> dict[str, str]:
    return {
        "city_name": city_name(),
        "analog_retention_days": str(settings.MITMACHEN_ANALOG_DATA_RETENTION_DAYS),
        "unsubscribed_retention_days": str(settings.MITMACHEN_UNSUBSCRIBED_RETENTION_DAYS),
        "event_retention_days": str(settings.MITMACHEN_EVENT_DATA_RETENTION_DAYS),
    }


def _fill(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def _inline(text: str, values: dict[str, str]) -> str:
    text = _fill(text, values)
    # urlize escapes everything that is not a link and the links' text.
    linked = urlize(text, nofollow=False, autoescape=True)
    return linked.replace("<a href=", '<a class="kern-link" href=')


def render_markup(text: str, values: dict[str, str] | None = None) -> SafeString:
    """The body of a legal page as HTML, with every character of the source escaped."""
    values = placeholder_values() if values is None else values
    html: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            html.append(f'<p class="kern-body">{" ".join(paragraph)}</p>')
            paragraph.clear()
        if items:
            html.append(
                '<ul class="kern-list">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
            )
            items.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("### "):
            flush()
            html.append(
                format_html(
                    '<h3 class="kern-heading-small">{}</h3>', _fill(line[4:].strip(), values)
                )
            )
        elif line.startswith("## "):
            flush()
            html.append(
                format_html(
                    '<h2 class="kern-heading-medium">{}</h2>', _fill(line[3:].strip(), values)
                )
            )
        elif line.startswith("- "):
            if paragraph:
                flush()
            items.append(_inline(line[2:].strip(), values))
        elif items:
            # A line that goes on without "- " continues the list item above.
            items[-1] += " " + _inline(line, values)
        else:
            paragraph.append(_inline(line, values))
    flush()
    # Safe: every piece above is escaped by format_html or urlize.
    return mark_safe("\n".join(html))  # noqa: S308
