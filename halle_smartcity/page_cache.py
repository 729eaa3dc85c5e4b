"""Whole-page caching of public pages for anonymous visitors: the pages citizens and
journalists open most are served without rendering.

Invalidation by tags. Each cached entry remembers the version of every tag it was rendered
under (`site`, `ideas`, `idea:123`); a change bumps only the tags of what changed, so a new
idea makes the lists stale but not the pages of the other ideas. A tag's version is an opaque
token (a new random one per change, never a counter that could come back after an eviction).

Stampede protection. An entry is kept (as the stale copy) well beyond its freshness. When it
is stale or missing, one request renders under a short lock (`cache.add`); the others are
served the stale copy or, without one, wait briefly for the renderer and then render
themselves. With Redis down the cache fails open (cache_backend.py): `add` answers True, so
no request waits for a lock, every request renders."""

import functools
import hashlib
import secrets
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from contextvars import ContextVar
from functools import wraps
from pathlib import Path

from django import get_version
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.utils.translation import get_language

TAG_PREFIX = "pages:tag:"
SITE = "site"  # what every page shows or may show: calls, fields, quarters, measures, pages
IDEAS = "ideas"  # the public ideas as a whole: lists, map, counts, statistics, API lists

# A stale copy stays this many times longer than a page is fresh, to serve during re-rendering.
STALE_FACTOR = 12
# How long a renderer holds a key before another may render it (a crashed worker's lock ends).
LOCK_SECONDS = 30
# How long a request without a stale copy waits for the renderer before it renders itself.
WAIT_SECONDS = 3.0
POLL_SECONDS = 0.05
# Tags expire (a list filtered by any text makes one): an expired tag gets a new version, so
# the entries rendered under it go stale, never wrongly fresh.
TAG_SECONDS = 30 * 24 * 3600

_collected: ContextVar[dict[str, str] | None] = ContextVar("page_cache_tags", default=None)


def idea_tag(pk) -> str:
    return f"idea:{pk}"


def tags_bump(*tags: str) -> None:
    """Make every entry rendered under one of `tags` stale. Bumped at once (so this
    transaction's later reads see it) and again after the commit: a page rendered from the
    old rows in between must not keep the new version."""
    if not tags:
        return
    _bump(tags)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(tags))


def _bump(tags: Iterable[str]) -> None:
    if _request_versions.get() is not None:
        _request_versions.set({})
        _request_parts.set({})
    cache.set_many({TAG_PREFIX + tag: secrets.token_hex(8) for tag in tags}, TAG_SECONDS)


def pages_changed(**kwargs) -> None:
    """Make every cached page stale (for changes whose extent is unknown, e.g. bulk updates)."""
    tags_bump(SITE)


def tag_versions(tags: Iterable[str]) -> dict[str, str]:
    """The current version of each tag, in one round trip; a tag never seen (or evicted) gets
    a new version, so entries rendered under its lost version are stale."""
    keys = {TAG_PREFIX + tag: tag for tag in tags}
    if not keys:
        return {}
    # A copy: django-redis answers an outage with one shared dict, which must stay empty.
    found = dict(cache.get_many(list(keys)))
    for key in keys.keys() - found.keys():
        token = secrets.token_hex(8)
        # Another process may set it first: then theirs holds.
        found[key] = token if cache.add(key, token, TAG_SECONDS) else (cache.get(key) or token)
    return {keys[key]: version for key, version in found.items()}


def depends_on(*tags: str) -> None:
    """Called while a cached page renders: the entry goes stale with these tags too (the
    idea an idea's page names as its duplicate). Outside a cached rendering it does nothing."""
    collected = _collected.get()
    if collected is not None:
        collected.update(tag_versions(tag for tag in tags if tag not in collected))


def _fresh(entry: dict) -> bool:
    if time.time() >= entry["fresh_until"]:
        return False
    return tag_versions(entry["versions"]) == entry["versions"]


def wait_for_renderer(key: str, lock: str) -> dict | None:
    """The renderer's entry once it is stored; None after WAIT_SECONDS or when the lock is
    gone without an entry (the renderer failed or its answer was not cacheable)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        entry = cache.get(key)
        if entry is not None:
            return entry
        if cache.get(lock) is None:
            return None
    return None


def cached(
    key: str,
    tags: Iterable[str],
    render: Callable,
    storable: Callable = bool,
    *,
    seconds: int | None = None,
    valid: Callable | None = None,
    wait: bool = True,
):
    """`render()`'s value, from the cache while fresh; stored if `storable(value)`.

    Fresh for `seconds` (the page cache's setting by default) while its tags hold and
    `valid(value)` says so (for what goes stale with time, e.g. an event that ended).
    Stale or missing: one caller renders under a lock; the others get the stale copy, or
    without one wait for the renderer's (then render themselves; at once with `wait=False`)."""
    entry = cache.get(key)
    if entry is not None and _fresh(entry) and (valid is None or valid(entry["value"])):
        return entry["value"]
    lock, token = f"{key}:lock", secrets.token_hex(8)
    locked = cache.add(lock, token, LOCK_SECONDS)
    if not locked:
        if entry is not None:
            return entry["value"]
        entry = wait_for_renderer(key, lock) if wait else None
        if entry is not None:
            return entry["value"]
    # Versions read before the rendering: a change during it leaves the entry stale.
    versions = tag_versions(tags)
    reset = _collected.set(versions)
    try:
        value = render()
        if storable(value):
            if seconds is None:
                seconds = settings.MITMACHEN_PAGE_CACHE_SECONDS
            entry = {"versions": versions, "fresh_until": time.time() + seconds, "value": value}
            cache.set(key, entry, seconds * STALE_FACTOR)
    finally:
        _collected.reset(reset)
        if locked and cache.get(lock) == token:
            cache.delete(lock)
    return value


# Parts of pages (an idea's card on every list, its JSON on every API page, the list's filter
# form, the statistics' charts, the home page's latest ideas and panels, small lookups such as
# the published calls) are cached for every visitor, whether the page cache is on or not:
# during a call's busy hours most addresses are new (another search, filter or page), their
# parts are not. Their keys name the versions of their tags, read once per request: a change
# makes a new key, so time only bounds what is never asked again (FRAGMENT_CACHE_SECONDS; 0
# turns the parts off). With Redis down every part renders.


def _fragment_seconds() -> int:
    return settings.MITMACHEN_FRAGMENT_CACHE_SECONDS


# The tags' versions as this request first read them (None outside a request).
_request_versions: ContextVar[dict[str, str] | None] = ContextVar(
    "page_cache_request_versions", default=None
)


# The parts this request already read, by key (the published calls, asked for twice).
_request_parts: ContextVar[dict | None] = ContextVar("page_cache_request_parts", default=None)


def _request_begins(**kwargs) -> None:
    _request_versions.set({})
    _request_parts.set({})


def _request_ends(**kwargs) -> None:
    _request_versions.set(None)
    _request_parts.set(None)


request_started.connect(_request_begins, dispatch_uid="page-cache-request-begins")
request_finished.connect(_request_ends, dispatch_uid="page-cache-request-ends")


def request_tag_versions(tags: Iterable[str]) -> dict[str, str]:
    """`tag_versions`, read once per request: a page's parts agree on one state (as a cached
    page does, whose versions are read before it renders). Outside a request, read each time;
    a bump (this request's own change) forgets them."""
    tags = list(tags)
    known = _request_versions.get()
    if known is None:
        return tag_versions(tags)
    missing = [tag for tag in tags if tag not in known]
    if missing:
        known.update(tag_versions(missing))
    return {tag: known[tag] for tag in tags}


def fragment(name: str, parts: Iterable, tags: Iterable[str], render: Callable, **kwargs):
    """A part of a page shared by all visitors, per language, until one of `tags` or what
    `parts` name changes: `render()` must not read the request or the user (nothing personal
    may be shared); the caller must not change what it gets (a request reads it once)."""
    if _fragment_seconds() <= 0:
        return render()
    versions = request_tag_versions(tags)
    key = ":".join(
        [
            "fragment",
            rendering_version(),
            name,
            get_language() or "",
            *(str(part) for part in parts),
            *(f"{tag}={version}" for tag, version in sorted(versions.items())),
        ]
    )
    parts_read = _request_parts.get()
    if parts_read is not None and key in parts_read:
        return parts_read[key]
    kwargs.setdefault("storable", lambda value: True)  # an empty list is an answer too
    # No waiting for another renderer: a part is rendered inside a page whose renderer may
    # already have waited for its own lock (two waits outlast a client's patience).
    value = cached(key, (), render, seconds=_fragment_seconds(), wait=False, **kwargs)
    if parts_read is not None:
        parts_read[key] = value
    return value


def fragments_each(
    name: str,
    pks: Sequence[Hashable],
    render_missing: Callable[[list], dict],
    *,
    tags: Sequence[str] = (),
    tag_of: Callable[[Hashable], str] = idea_tag,
) -> dict:
    """One cached part per object, e.g. the cards of a list page: `render_missing(pks)`
    answers {pk: part} for the objects whose part is missing or stale. Each is stale with its
    object's tag (`tag_of(pk)`) and `tags`, so a change to one idea re-renders its card only.
    Two round trips to the cache however many objects, one render call for all misses."""
    seconds = _fragment_seconds()
    if seconds <= 0 or not pks:
        return render_missing(list(pks))
    prefix = f"fragment:{rendering_version()}:{name}:{get_language() or ''}"
    keys = {pk: f"{prefix}:{pk}" for pk in pks}
    versions = request_tag_versions([*tags, *(tag_of(pk) for pk in pks)])
    shared = tuple(versions[tag] for tag in tags)
    wanted = {pk: (*shared, versions[tag_of(pk)]) for pk in pks}
    found = cache.get_many(list(keys.values()))
    parts, missing = {}, []
    for pk in pks:
        entry = found.get(keys[pk])
        if entry is not None and entry[0] == wanted[pk]:
            parts[pk] = entry[1]
        else:
            missing.append(pk)
    if missing:
        rendered = render_missing(missing)
        cache.set_many({keys[pk]: (wanted[pk], part) for pk, part in rendered.items()}, seconds)
        parts.update(rendered)
    return parts


def is_partial(request) -> bool:
    """Whether htmx asks for a page's swappable part only (the idea list's results). A
    history restore asks for the whole page."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.MITMACHEN_PAGE_CACHE_SECONDS > 0
        and not request.user.is_authenticated
        # A session or pending messages make the page personal.
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def public_cache_key(prefix: str, request, *parts: str) -> str:
    """A cache key for what an anonymous request gets: per language and full path (plus any
    `parts`), rendered by these templates. Its freshness is the tags' business (`cached`)."""
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return ":".join([prefix, rendering_version(), get_language(), *parts, path])


@functools.cache
def rendering_version() -> str:
    """A digest of the project's templates and translations (and Django's version), in every
    key of a rendered page or part: after a deploy that changed them nothing rendered before
    is served, and during a rolling update old and new processes keep apart. Read once per
    process (a few hundred small files). Other packages' templates change with a deploy that
    upgrades them; their versions are in `requirements.txt`, hashed with it."""
    from django.template import engines

    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256(get_version().encode())
    # The configured folders and the project's apps' own (not the installed packages').
    folders = [
        Path(folder)
        for engine in engines.all()
        for folder in engine.template_dirs
        if folder in engine.dirs
        or (Path(folder).is_relative_to(base) and ".venv" not in Path(folder).parts)
    ]
    folders += [Path(folder) for folder in settings.LOCALE_PATHS]
    requirements = base / "requirements.txt"
    if requirements.exists():
        digest.update(requirements.read_bytes())
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".html", ".txt", ".mo", ".xml", ".svg"):
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _storable_page(request) -> Callable:
    def storable(response) -> bool:
        messages = getattr(request, "_messages", None)
        if (
            response.status_code != 200
            or response.cookies
            or (messages is not None and messages._queued_messages)
        ):
            return False
        if hasattr(response, "render") and callable(response.render):
            response.render()
        return True

    return storable


def cache_public_page(view=None, *, tags=(SITE, IDEAS)):
    """Cache a view's answers to anonymous visitors, stale with `tags`: a tuple, or a
    function of the request and the view's keyword arguments
    (`lambda request, pk: (SITE, idea_tag(pk))`)."""
    if view is None:
        return lambda view: cache_public_page(view, tags=tags)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        return cached(
            # A partial answer (htmx swapping a page's results) is kept apart from the page.
            public_cache_key("page", request, *(("partial",) if is_partial(request) else ())),
            tags(request, **kwargs) if callable(tags) else tags,
            lambda: view(request, *args, **kwargs),
            _storable_page(request),
        )

    return wrapped
