"""The two baselines every page is compared with: same Python, gunicorn, settings and database."""

from django.http import HttpResponse
from django.utils.html import escape

from ideas.models import Idea


def ok(request):
    """The least a Django view can do."""
    return HttpResponse("ok", content_type="text/plain")


def rows(request):
    """Twenty rows of one table by primary key, as a bare HTML list (no template engine)."""
    items = Idea.objects.order_by("pk").values_list("pk", "reference", "title")[:20]
    body = "".join(
        f"<li>{pk} {escape(reference or '')} {escape(title)}</li>"
        for pk, reference, title in items
    )
    return HttpResponse(f"<!DOCTYPE html><title>rows</title><ul>{body}</ul>")
