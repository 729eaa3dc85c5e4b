"""Similar ideas and the text search, on the German analysis of `ideas/similarity.py`.

Every idea's analysis is stored when it is saved (`IdeaTerms`, refreshed by `idea_terms_refresh`
and, for anything saved another way, every minute by `idea_terms_missing`), so a request
analyses only its own text. Candidates come from an index: on PostgreSQL the GIN index over
`to_tsvector('simple', terms)` (the terms are stemmed already, so the `simple` configuration;
the `german` configuration knows neither compounds nor the thesaurus), under a time limit; on
SQLite, the embedded default, a bounded scan. The candidates are scored in Python by
`similarity.score`.

Why no inverse document frequency: on the labelled set it gained little precision over plain
weights (benchmarks/results/similarity.md) and would need corpus statistics kept current in
every process; the weights by word kind (title, noun, place) and the title's topic do the work.
THRESHOLD is the lowest score shown: on the set, recall@5 0.91 at precision 0.86.
"""

import hashlib
import logging
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.db.models.expressions import RawSQL

from halle_smartcity.page_cache import SITE, cached

from . import similarity
from .models import Idea, IdeaTerms

logger = logging.getLogger(__name__)

THRESHOLD = 0.22
# Bounded input: what a request analyses, however long the text sent.
MAX_TITLE = 200
MAX_BODY = 1500
QUERY_TERMS = 4
CANDIDATES = 60
# The suggestions never hold up a request: past this, there are none.
TIMEOUT_MS = 250
SCAN_LIMIT = 800  # matches ranked at most (PostgreSQL); newest ideas scanned (SQLite)


@dataclass
class Suggestion:
    idea: Idea
    score: float
    words: list[str] = field(default_factory=list)


def analyse(title: str, body: str = "") -> tuple[str, dict]:
    """The stored form of an idea's text: its terms (space-separated) and its features."""
    vector = similarity.features((title or "")[:MAX_TITLE], (body or "")[:MAX_BODY])
    vector = {key: round(value, 3) for key, value in vector.items()}
    # The title's terms twice: the search's rank (ts_rank counts them) favours the title.
    title_terms = similarity.terms((title or "")[:MAX_TITLE])
    terms = [*title_terms, *title_terms, *similarity.terms((body or "")[:MAX_BODY])]
    return " ".join(term for term in terms if term.isalpha()), vector


def idea_body(idea) -> str:
    return f"{idea.summary} {idea.problem}"


def idea_terms_refresh(*, idea: Idea) -> IdeaTerms:
    """Store an idea's analysis (called when its text is saved)."""
    terms, vector = analyse(idea.title, idea_body(idea))
    row, _created = IdeaTerms.objects.update_or_create(
        idea_id=idea.pk,
        defaults={
            "call_id": idea.call_id,
            "terms": terms,
            "vector": vector,
            "source_updated_at": idea.updated_at,
        },
    )
    return row


def idea_terms_missing(*, limit: int = 2000) -> int:
    """Analyse ideas without a stored analysis or changed since (every minute, and for
    ideas saved by bulk paths: paper intake, the admin, the demo data)."""
    stale = (
        Idea.objects.filter(Q(terms__isnull=True) | ~Q(terms__source_updated_at=F("updated_at")))
        .only("id", "call_id", "title", "summary", "problem", "updated_at")
        .order_by("id")[:limit]
    )
    rows = []
    for idea in stale:
        terms, vector = analyse(idea.title, idea_body(idea))
        rows.append(
            IdeaTerms(
                idea_id=idea.pk,
                call_id=idea.call_id,
                terms=terms,
                vector=vector,
                source_updated_at=idea.updated_at,
            )
        )
    IdeaTerms.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["idea"],
        update_fields=["terms", "vector", "source_updated_at"],
    )
    return len(rows)


# The GIN index over the stored tsvector finds ideas sharing a word; at most SCAN_LIMIT of
# them are ranked (ts_rank), so the cost stays bounded however common the words are.
# Drafts and unpublished calls are left out afterwards, on the few best.
CANDIDATES_SQL = (
    "SELECT m.idea_id FROM ("
    " SELECT idea_id, search FROM ideas_ideaterms"
    " WHERE search @@ to_tsquery('simple'::regconfig, %s) AND idea_id <> %s"
    " AND (%s::bigint IS NULL OR call_id = %s) LIMIT %s"
    ") m ORDER BY ts_rank(m.search, to_tsquery('simple'::regconfig, %s)) DESC LIMIT %s"
)


def _candidates(words: list[str], *, call_id, exclude_pk) -> list[int]:
    if connection.vendor == "postgresql":
        query = " | ".join(words)
        params = [query, exclude_pk or 0, call_id, call_id, SCAN_LIMIT, query, CANDIDATES]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {int(TIMEOUT_MS)}")
            cursor.execute(CANDIDATES_SQL, params)
            return [row[0] for row in cursor.fetchall()]
    # SQLite: the newest published ideas that share a word (a bounded scan).
    matches = Q()
    for word in words[:6]:
        matches |= Q(terms__terms__contains=word)
    queryset = Idea.objects.published().filter(matches)
    if call_id:
        queryset = queryset.filter(call_id=call_id)
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return list(queryset.order_by("-id").values_list("id", flat=True)[:SCAN_LIMIT])


def similar_to_text(
    *,
    title: str,
    body: str = "",
    call_id: int | None = None,
    exclude_pk: int | None = None,
    limit: int = 5,
    threshold: float = THRESHOLD,
    exclude_pks: set[int] | frozenset = frozenset(),
) -> list[Suggestion]:
    """Published ideas that say what this text says, best first, at most `limit`. Never
    raises for a database problem or a slow query: there are then no suggestions."""
    title, body = (title or "")[:MAX_TITLE], (body or "")[:MAX_BODY]
    _terms, vector = analyse(title, body)
    words = similarity.key_words(title, body, limit=QUERY_TERMS)
    if not words:
        return []
    try:
        ids = _candidates(words, call_id=call_id, exclude_pk=exclude_pk)
        ids = [pk for pk in ids if pk not in exclude_pks]
        if not ids:
            return []
        stored = dict(
            IdeaTerms.objects.filter(
                idea_id__in=ids, idea__in=Idea.objects.published()
            ).values_list("idea_id", "vector")
        )
    except DatabaseError as error:
        logger.warning("similar ideas: candidates failed or took too long: %s", error)
        return []
    scored = []
    for pk, other in stored.items():
        value = similarity.score(vector, other)
        if value >= threshold:
            scored.append((value, pk))
    scored.sort(key=lambda row: (-row[0], -row[1]))
    scored = scored[:limit]
    ideas = Idea.objects.select_related("primary_field", "call").in_bulk(
        [pk for _value, pk in scored]
    )
    return [
        Suggestion(
            idea=ideas[pk],
            score=round(value, 2),
            words=similarity.shared_words(vector, stored[pk]),
        )
        for value, pk in scored
        if pk in ideas
    ]


def similar_to_idea(
    *, idea: Idea, limit: int = 5, threshold: float = THRESHOLD, exclude_pks=frozenset()
) -> list[Suggestion]:
    """Published ideas of the same call that read like this one (for the editors)."""
    return similar_to_text(
        title=idea.title,
        body=idea_body(idea),
        call_id=idea.call_id,
        exclude_pk=idea.pk,
        limit=limit,
        threshold=threshold,
        exclude_pks=exclude_pks,
    )


# The list's and the API's text search: every word found (as a stored term), ranked.
SEARCH_SQL = (
    "SELECT idea_id FROM ideas_ideaterms WHERE search @@ to_tsquery('simple'::regconfig, %s)"
)
RANK_SQL = (
    "SELECT ts_rank(search, to_tsquery('simple'::regconfig, %s)) FROM ideas_ideaterms "
    "WHERE idea_id = ideas_idea.id"
)


def search_filter(queryset, value: str) -> tuple:
    """Filter ideas by a text search with the analysis of the suggestions: all words of the
    query must occur (inflected, in compounds or by a synonym), or the text as typed in the
    title or summary, or the reference number. Returns the queryset and whether it carries
    `search_rank` (PostgreSQL) to order by."""
    value = value.strip()[:MAX_TITLE]
    plain = Q(title__icontains=value) | Q(summary__icontains=value) | Q(reference__iexact=value)
    words = similarity.search_words(value)
    if not words:
        return queryset.filter(plain), False
    if connection.vendor == "postgresql":
        query = " & ".join(words)
        # One set of matching ideas from the indexes: the stored terms (GIN) and the text as
        # typed (pg_trgm, migration 0022). An OR of the two over the ideas read every idea.
        as_typed, as_typed_params = (
            Idea.objects.filter(plain).order_by().values("pk").query.sql_with_params()
        )
        union = f"{SEARCH_SQL} UNION {as_typed}"
        # Constant SQL; the words and the text are parameters.
        matched = queryset.filter(pk__in=RawSQL(union, [query, *as_typed_params]))  # noqa: S611
        return matched.annotate(search_rank=RawSQL(RANK_SQL, [query])), True  # noqa: S611
    analysed = Q()
    for word in words:
        analysed &= Q(terms__terms__contains=word)
    return queryset.filter(plain | analysed), False


# A ranked search orders every match by relevance, which no index gives: a word in a fifth of
# 100,000 ideas took half a second per request. The ranking is therefore computed once per
# search and filtering and kept briefly; new and changed ideas reach it within that time (their
# cards show their current state at once). At most RANKED_MAX numbers: a list shows no more.
RANKED_SECONDS = 60
RANKED_MAX = 10_001


def ranked_ids(queryset) -> list[int]:
    """The numbers of a ranked search's ideas in their order (at most RANKED_MAX), computed by
    one request at a time per search and filtering (the others get the previous ranking)."""
    numbers = queryset.values_list("pk", flat=True)[:RANKED_MAX]
    sql, params = numbers.query.sql_with_params()
    key = "search:ranked:" + hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()
    return cached(
        key, (SITE,), lambda: list(numbers), storable=lambda value: True, seconds=RANKED_SECONDS
    )
