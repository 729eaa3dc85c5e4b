from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language

from halle_smartcity.page_cache import SITE, cache_public_page

from .defaults import PAGES
from .markup import render_markup
from .models import Page


@cache_public_page(tags=(SITE,))
def page(request, slug: str):
    """A legal page as the editors last wrote it, in the visitor's language."""
    legal_page = Page.objects.filter(slug=slug).first()
    if legal_page is None:
        if slug not in PAGES:
            raise Http404
        # Its row is missing (deleted by hand): the first text, shown without writing on GET.
        legal_page = Page(slug=slug, **PAGES[slug])
    title, body = legal_page.in_language(get_language())
    return render(
        request,
        "pages/page.html",
        {"page": legal_page, "title": title, "body": render_markup(body)},
    )
