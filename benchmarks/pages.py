"""What is measured, and the budget it is held to.

Adding a page is one line in PAGES: a name, then either a URL name (skipped while it does not
resolve, e.g. a page not built yet) or a path starting with "/" (skipped while it answers 404).
`kwargs="idea"` fills <pk> with published ideas that have images, quarters and several fields,
and wrk rotates over them.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    name: str
    target: str  # a URL name ("ideas:idea-list") or a path ("/statistik/")
    query: str = ""  # a query string without "?"
    kwargs: str = ""  # "" or "idea": the URL takes the pk of a sample idea
    # "baseline-ok", "baseline-rows", "list", "detail", "page", or "download": one client
    # fetches the whole (streamed) response a few times instead of wrk's load.
    kind: str = "page"
    weight: bool = False  # also part of the first-load weight check in Chromium


BASELINES = [
    Page("baseline: ok", "bench-ok", kind="baseline-ok"),
    Page("baseline: 20 rows", "bench-rows", kind="baseline-rows"),
]

PAGES = [
    Page("home", "ideas:home", weight=True),
    Page("idea list", "ideas:idea-list", kind="list", weight=True),
    Page("idea list, field filter", "ideas:idea-list", query="field=mobilitaet", kind="list"),
    Page("idea list, text search", "ideas:idea-list", query="q=Radweg", kind="list"),
    Page("idea list, page 50", "ideas:idea-list", query="page=50", kind="list"),
    Page("idea detail", "ideas:idea-detail", kwargs="idea", kind="detail", weight=True),
    Page("statistics", "ideas:statistics", weight=True),
    Page("api: ideas", "api:idea-list", kind="list"),
    Page("api: ideas, field filter", "api:idea-list", query="field=mobilitaet", kind="list"),
    Page("api: ideas, page 50", "api:idea-list", query="page=50&page_size=20", kind="list"),
    Page("api: fields", "api:field-list"),
    Page("map", "ideas:idea-map"),
    Page("api: all ideas as CSV", "api:idea-list", query="format=csv", kind="download"),
    Page("api: all ideas as GeoJSON", "api:idea-list", query="format=geojson", kind="download"),
]

# The smoke run (CI) keeps every page: it proves each one still answers.
SMOKE_PAGES = PAGES


@dataclass(frozen=True)
class Budget:
    list_min_ratio: float = 0.50  # idea list: requests/s ≥ 50 % of the 20-row baseline
    list_max_p99_ms: float = 100.0  # ... and p99 < 100 ms at 16 connections
    detail_min_ratio: float = 0.60  # idea detail: ≥ 60 % of the 20-row baseline
    max_queries: int = 10  # every page, at every size
    max_first_load_bytes: int = 150 * 1024  # first load, empty cache
    max_worker_peak_mb: float = 150.0  # per gunicorn worker, VmHWM
    max_download_seconds: float = 3.0  # the CSV and the GeoJSON of all ideas, streamed


BUDGET = Budget()


def budget_misses(result: dict, budget: Budget = BUDGET) -> list[str]:
    """What a page's measured result misses of the budget (empty: within it)."""
    misses = []
    kind = result["kind"]
    ratio = result.get("ratio_to_rows")
    if kind == "list":
        if ratio is not None and ratio < budget.list_min_ratio:
            misses.append(f"req/s {ratio:.1%} < {budget.list_min_ratio:.0%} of baseline")
        if result["p99_ms"] >= budget.list_max_p99_ms:
            misses.append(f"p99 {result['p99_ms']:.0f} ms ≥ {budget.list_max_p99_ms:.0f} ms")
    if kind == "detail" and ratio is not None and ratio < budget.detail_min_ratio:
        misses.append(f"req/s {ratio:.1%} < {budget.detail_min_ratio:.0%} of baseline")
    if kind == "download":
        seconds = result.get("seconds")
        if seconds is not None and seconds >= budget.max_download_seconds:
            misses.append(f"{seconds:.1f} s ≥ {budget.max_download_seconds:.0f} s")
    elif not kind.startswith("baseline"):
        queries = result.get("queries_max")
        if queries is not None and queries > budget.max_queries:
            misses.append(f"{queries} SQL queries > {budget.max_queries}")
    peak = result.get("worker_peak_mb")
    if peak is not None and peak > budget.max_worker_peak_mb:
        misses.append(f"worker peak {peak:.0f} MB > {budget.max_worker_peak_mb:.0f} MB")
    return misses


def weight_misses(result: dict, budget: Budget = BUDGET) -> list[str]:
    misses = []
    if result["transferred_bytes"] > budget.max_first_load_bytes:
        misses.append(
            f"{result['transferred_bytes'] / 1024:.0f} KB > "
            f"{budget.max_first_load_bytes / 1024:.0f} KB"
        )
    if result["foreign_requests"]:
        misses.append(f"{len(result['foreign_requests'])} request(s) to other hosts")
    return misses
