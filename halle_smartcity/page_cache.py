"""Whole-page caching of public pages for anonymous visitors, invalidated when content
changes: the pages citizens and journalists open most are served without rendering."""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

GENERATION_KEY = "pages:generation"


def pages_changed(**kwargs) -> None:
    """Make every cached page stale (connected to saves and deletes of public content)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def generation() -> int:
    """Bumped by every change of public content: part of every cache key that depends on it."""
    return cache.get(GENERATION_KEY) or 0


def _cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        # A session or pending messages make the page personal.
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def public_cache_key(prefix: str, request, *parts: str) -> str:
    """A cache key for what an anonymous request gets: stale with the next change of public
    content (the generation), per language and full path (plus any `parts`)."""
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return ":".join([prefix, str(generation()), get_language(), *parts, path])


def cache_public_page(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = public_cache_key("page", request)
        response = cache.get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.cookies
            and not getattr(request, "_messages", None)._queued_messages
        ):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, response, settings.MITMACHEN_PAGE_CACHE_SECONDS)
        return response

    return wrapped
