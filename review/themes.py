"""Themes across action fields: ideas of a call that share characteristic words, proposed to
the editors as starting points for integrated measures ("handlungsfeldübergreifend").

Computed by a task (`review.tasks.themes_compute`), never in a request, from the analysis
stored per idea (`ideas.IdeaTerms`): each idea's strongest words, weighted by how rare they
are in the call, are clustered in one pass (a new idea joins the nearest theme that shares
one of its strongest words, or starts one), so 100,000 ideas take a few minutes of one
worker and memory in proportion to the themes. Kept: themes of three or more ideas from two
or more action fields, named by the words that weigh most in them.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_write
from ideas import similarity
from ideas.models import Call, Idea, IdeaTerms, Status

from . import permissions
from .models import Theme, ThemeRun

THRESHOLD = 0.2
MIN_IDEAS = 3
MIN_FIELDS = 2
DOC_TERMS = 10  # an idea's strongest words
CENTROID_TERMS = 30  # a theme's words kept while it grows
LOOKUP_TERMS = 4  # an idea's words a theme is looked up by
LOOKUP_THEMES = 40  # themes looked at per word (the most recent)
COMMON = 0.2  # words in more than this share of the ideas say nothing about a theme


def _normalised(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
    return {key: value / norm for key, value in vector.items()}


def documents(rows: Callable[[], Iterable[tuple[int, str]]]) -> list[tuple[int, dict]]:
    """Each idea's strongest words, weighted by their rarity in the call. `rows` gives the
    stored terms (idea id, space-separated terms) and is read twice, so that only ten
    words per idea are held in memory."""
    frequency: Counter = Counter()
    total = 0
    for _pk, terms in rows():
        frequency.update(set(terms.split()))
        total += 1
    common = max(2, COMMON * total)
    documents = []
    for pk, terms in rows():
        weighted = {
            term: count * math.log(total / frequency[term])
            for term, count in Counter(terms.split()).items()
            if 2 <= frequency[term] <= common and len(term) > 2
        }
        strongest = sorted(weighted.items(), key=lambda item: -item[1])[:DOC_TERMS]
        if strongest:
            documents.append((pk, _normalised(dict(strongest))))
    return documents


def cluster(
    docs: list[tuple[int, dict[str, float]]],
    *,
    threshold: float = THRESHOLD,
    progress: Callable[[float], None] | None = None,
) -> list[tuple[list[int], dict[str, float]]]:
    """One-pass clustering: (members, centroid) per theme."""
    sums: list[dict[str, float]] = []
    centroids: list[dict[str, float]] = []
    members: list[list[int]] = []
    by_word: dict[str, list[int]] = defaultdict(list)
    step = max(1, len(docs) // 20)
    for position, (pk, vector) in enumerate(docs):
        lookup = sorted(vector, key=lambda term: -vector[term])[:LOOKUP_TERMS]
        candidates = {index for term in lookup for index in by_word[term][-LOOKUP_THEMES:]}
        best, best_score = -1, 0.0
        for index in candidates:
            centroid = centroids[index]
            score = sum(value * centroid.get(term, 0.0) for term, value in vector.items())
            if score > best_score:
                best, best_score = index, score
        if best >= 0 and best_score >= threshold:
            total = sums[best]
            for term, value in vector.items():
                total[term] = total.get(term, 0.0) + value
            members[best].append(pk)
            strongest = sorted(total.items(), key=lambda item: -item[1])[:CENTROID_TERMS]
            centroids[best] = _normalised(dict(strongest))
            index = best
        else:
            sums.append(dict(vector))
            centroids.append(vector)
            members.append([pk])
            index = len(members) - 1
        for term in sorted(centroids[index], key=lambda t: -centroids[index][t])[:LOOKUP_TERMS]:
            if not by_word[term] or by_word[term][-1] != index:
                by_word[term].append(index)
        if progress and position % step == 0:
            progress(position / max(1, len(docs)))
    return list(zip(members, centroids, strict=True))


def _surface_words(texts: list[str]) -> dict[str, str]:
    """The word as citizens wrote it for each term ("radweg" → "Radweg")."""
    forms: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for match in similarity.WORD.finditer(text[: similarity.MAX_CHARS]):
            raw = match.group(0)
            wholes, _parts = similarity.word_terms(similarity.fold(raw))
            forms[wholes[0]][raw] += 1
    return {term: counter.most_common(1)[0][0] for term, counter in forms.items()}


def theme_name(centroid: dict[str, float], surface: dict[str, str], size: int = 3) -> list[str]:
    """A theme's name: its heaviest words as citizens wrote them, nouns first, each once."""
    ranked = sorted(centroid, key=lambda t: -centroid[t])
    chosen: list[str] = []
    for nouns in (True, False):
        for term in ranked:
            word = surface.get(term)
            if not word or len(word) < 3 or word[0].isupper() != nouns:
                continue
            if any(word.lower()[:5] == other.lower()[:5] for other in chosen):
                continue  # "Ortsteile" and "Ortteil": one is enough
            chosen.append(word)
            if len(chosen) == size:
                return chosen
    return chosen or ranked[:size]


def themes_request(*, call: Call, by) -> ThemeRun:
    """An editor asks for the call's themes to be computed again (by the worker)."""
    if not permissions.can_triage(by):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only editors may do this."))
    run = ThemeRun.objects.create(call=call, state=ThemeRun.State.QUEUED, requested_by=by)
    audit_write(action="review.themes.requested", by=by, subject=call)

    def enqueue():
        from .tasks import themes_compute

        themes_compute.delay(run.pk)

    transaction.on_commit(enqueue)
    return run


def themes_compute(*, run: ThemeRun) -> int:
    """Compute a call's themes, replacing the previous ones; progress kept on the run."""
    ThemeRun.objects.filter(pk=run.pk).update(state=ThemeRun.State.RUNNING, progress=1)
    ideas = (
        Idea.objects.published()
        .filter(call_id=run.call_id)
        .exclude(status=Status.DUPLICATE)
        .values("id")
    )
    stored = IdeaTerms.objects.filter(idea__in=ideas).order_by("idea_id")
    docs = documents(lambda: stored.values_list("idea_id", "terms").iterator(chunk_size=2000))
    ThemeRun.objects.filter(pk=run.pk).update(progress=10)
    fields: dict[int, set[int]] = defaultdict(set)
    through = Idea.action_fields.through.objects.filter(idea__in=ideas)
    for idea_id, field_id in through.values_list("idea_id", "actionfield_id"):
        fields[idea_id].add(field_id)

    def progress(share: float) -> None:
        ThemeRun.objects.filter(pk=run.pk).update(progress=10 + int(share * 80))

    found = []
    for pks, centroid in cluster(docs, progress=progress):
        spanned = set().union(*(fields[pk] for pk in pks))
        if len(pks) >= MIN_IDEAS and len(spanned) >= MIN_FIELDS:
            found.append((pks, centroid, spanned))
    found.sort(key=lambda row: (-len(row[2]), -len(row[0])))
    titles = dict(
        Idea.objects.filter(pk__in=[pk for pks, _c, _f in found for pk in pks]).values_list(
            "pk", "title"
        )
    )
    surface = _surface_words(list(titles.values()))
    with transaction.atomic():
        Theme.objects.filter(call_id=run.call_id).delete()
        now = timezone.now()
        for pks, centroid, spanned in found:
            words = theme_name(centroid, surface)
            theme = Theme.objects.create(
                call_id=run.call_id,
                words=words,
                field_count=len(spanned),
                computed_at=now,
            )
            theme.ideas.set(pks)
        ThemeRun.objects.filter(pk=run.pk).update(
            state=ThemeRun.State.DONE, progress=100, finished_at=now
        )
    return len(found)


def themes_refresh() -> int:
    """Recompute the themes of calls whose ideas changed since their last computation
    (the beat's hourly run)."""
    count = 0
    for call in Call.objects.published():
        last = ThemeRun.objects.filter(call=call, state=ThemeRun.State.DONE).first()
        changed = Idea.objects.published().filter(call=call)
        if last is not None:
            changed = changed.filter(updated_at__gt=last.finished_at)
        if changed.exists():
            run = ThemeRun.objects.create(call=call, state=ThemeRun.State.QUEUED)
            try:
                count += themes_compute(run=run)
            except Exception:
                ThemeRun.objects.filter(pk=run.pk).update(state=ThemeRun.State.FAILED)
                raise
    return count
