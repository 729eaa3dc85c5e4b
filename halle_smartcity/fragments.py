"""Parts of pages cached across pages: an idea's card on every list that shows it, its JSON
in every API page, the list's filter form for each filtering.

Whole pages (page_cache.py) are cached per address, and during a call's busy hours most
addresses are new: another search, filter or page. Their parts are not: the twenty cards of a
page were mostly shown on other pages before. So each part is cached on its own, under the
same tags as the pages (`idea:<pk>`, `site`), and used only while the tags still have the
versions it was rendered under: a change to an idea re-renders its card, not the others.

The parts are kept when the page cache is off (`PAGE_CACHE_SECONDS=0`): that turns off the
copies of whole pages only. `FRAGMENT_CACHE_SECONDS=0` turns these off too. With Redis down
every part renders (the cache fails open, and a tag without a version gets a new one)."""

from collections.abc import Callable, Hashable, Iterable, Sequence

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from .page_cache import idea_tag, tag_versions

PREFIX = "fragment:"


def _seconds() -> int:
    return settings.MITMACHEN_FRAGMENT_CACHE_SECONDS


def fragment(key: str, tags: Iterable[str], render: Callable):
    """`render()`'s value, cached under `key` (per language) until one of `tags` changes."""
    seconds = _seconds()
    if seconds <= 0:
        return render()
    # Versions read before rendering: a change meanwhile leaves the stored copy stale.
    versions = tag_versions(tags)
    full_key = f"{PREFIX}{get_language()}:{key}"
    entry = cache.get(full_key)
    if entry is not None and entry[0] == versions:
        return entry[1]
    value = render()
    cache.set(full_key, (versions, value), seconds)
    return value


def fragments_each(
    name: str,
    pks: Sequence[Hashable],
    render_missing: Callable[[list], dict],
    *,
    tags: Sequence[str] = (),
    tag_of: Callable[[Hashable], str] = idea_tag,
) -> dict:
    """One cached part per object (`render_missing(pks)` answers {pk: part} for those not
    cached or stale), each stale with its object's tag (`tag_of(pk)`) and with `tags`. Two
    round trips to the cache however many objects, and one render call for all misses."""
    seconds = _seconds()
    if seconds <= 0 or not pks:
        return render_missing(list(pks))
    language = get_language()
    keys = {pk: f"{PREFIX}{language}:{name}:{pk}" for pk in pks}
    versions = tag_versions([*tags, *(tag_of(pk) for pk in pks)])
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
