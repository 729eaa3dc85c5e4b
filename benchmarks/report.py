"""results.json and results.md."""

import json
from pathlib import Path

from .machine import summary

NOTES = Path(__file__).parent / "results" / "notes.md"


def _fmt(value, pattern="{:,.0f}", empty="–"):
    return empty if value is None else pattern.format(value)


def _ratio(value) -> str:
    if value is None:
        return "–"
    return f"{value:.1%}" if value < 0.1 else f"{value:.0%}"


def _code(code: dict) -> str:
    if not code:
        return "unknown"
    text = f"commit {code['commit']}"
    if code.get("changed_files"):
        text += (
            f" plus {code['changed_files']} uncommitted file(s) (diff {code['diff_sha256']}),"
            " run from a snapshot taken at the start"
        )
    return text


def _download_row(page: dict) -> str:
    if "skipped" in page:
        return f"| {page['name']} | skipped: {page['skipped']} | | | | |"
    if "seconds" not in page:
        return f"| {page['name']} | **error:** {page.get('error', '?')} | | | | |"
    misses = page.get("budget_misses", [])
    verdict = "✗ " + "; ".join(misses) if misses else "✓"
    added = f"{page['added_mb']:.1f}" if "added_mb" in page else "–"
    return (
        f"| {page['name']} | {page['seconds']:.2f} | {page['response_bytes'] / 1e6:,.1f} "
        f"| {page['worker_peak_mb']:.0f} | {added} | {verdict} |"
    )


def _page_row(page: dict) -> str:
    if "skipped" in page:
        return f"| {page['name']} | skipped: {page['skipped']} |" + " |" * 10
    if "rps" not in page:
        return f"| {page['name']} | **error:** {page.get('error', '?')} |" + " |" * 10
    misses = page.get("budget_misses", [])
    if page["kind"].startswith("baseline"):
        verdict = "baseline"
    else:
        verdict = "✗ " + "; ".join(misses) if misses else "✓"
    if "error" in page:
        verdict = f"**error: {page['error']}** {verdict}"
    queries = page["queries_max"]
    if page["queries_min"] != page["queries_max"]:
        queries = f"{page['queries_min']}–{page['queries_max']}"
    return (
        f"| {page['name']} | {page['rps']:,.0f} | {page['p50_ms']:.1f} | {page['p99_ms']:.1f} "
        f"| {_ratio(page.get('ratio_to_rows'))} | {queries} | {page['sql_ms']:.1f} "
        f"| {page['response_bytes']:,} | {page['worker_peak_mb']:.0f} "
        f"| {_fmt(page.get('run_spread'), '{:.0%}')} "
        f"| {_fmt(page.get('other_cpu_pct'), '{:.0f} %')} | {verdict} |"
    )


PAGE_HEADER = (
    "| page | req/s | p50 ms | p99 ms | × 20-row baseline | SQL queries | SQL ms/req "
    "| response bytes | worker peak MB | run spread | other CPU | budget |"
)
PAGE_ALIGN = "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|"


def _verdict(misses: list[str]) -> str:
    return "✗ " + "; ".join(misses) if misses else "✓"


def _cache_off(step: dict) -> list[str]:
    if "cache_off" not in step:
        return []
    lines = [
        f"### 2. Cache off at {step['size']:,} ideas (`PAGE_CACHE_SECONDS=0` for the gunicorn "
        "under test, production settings otherwise: every request renders; ratios to table "
        "1's 20-row baseline)",
        "",
        PAGE_HEADER,
        PAGE_ALIGN,
    ]
    lines += [_page_row(page) for page in step["cache_off"]]
    return [*lines, ""]


def _mix(step: dict) -> list[str]:
    mix = step.get("mix")
    if not mix:
        return []
    writer = mix.get("writer", {})
    errors = writer.get("errors", [])
    lines = [
        f"### 3. The mix at {step['size']:,} ideas: {mix['urls']:,} distinct URLs, "
        "page cache on, a writer changing content throughout",
        "",
        "wrk picks a random URL of the group per request (Lua, URLs from a file). Meanwhile "
        f"the writer (through the services) submitted {writer.get('submitted', 0)} ideas and "
        f"changed {writer.get('status_changed', 0)} statuses, added "
        f"{writer.get('supported', 0)} supports and {writer.get('commented', 0)} comments in "
        f"{writer.get('seconds', 0)} s (submit p50 {_fmt(writer.get('submit_p50_ms'), '{:.0f}')}"
        f" ms, status change p50 {_fmt(writer.get('status_p50_ms'), '{:.0f}')} ms, support p50 "
        f"{_fmt(writer.get('support_p50_ms'), '{:.0f}')} ms, comment p50 "
        f"{_fmt(writer.get('comment_p50_ms'), '{:.0f}')} ms; rate-limited "
        f"{writer.get('rate_limited', 0)} (over {writer.get('accounts', 0)} accounts); "
        f"late ticks {writer.get('late_ticks', 0)}; errors {len(errors)}"
        + (f": {errors[0]}" if errors else "")
        + ").",
        "",
        "| URLs | count | req/s | p50 ms | p99 ms | × 20-row baseline | failed "
        "| worker peak MB | other CPU | budget |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for group in mix["groups"]:
        lines.append(
            f"| {group['name']} | {group['paths']:,} | {group['rps']:,.0f} "
            f"| {group['p50_ms']:.1f} | {group['p99_ms']:.1f} "
            f"| {_ratio(group.get('ratio_to_rows'))} | {group['failed']} "
            f"| {group['worker_peak_mb']:.0f} | {group['other_cpu_pct']:.0f} % "
            f"| {_verdict(group.get('budget_misses', []))} |"
        )
    return [*lines, ""]


def _submissions(step: dict) -> list[str]:
    run = step.get("submissions")
    if not run:
        return []
    errors = run["errors"]
    return [
        f"Submissions at {step['size']:,} ideas: {run['citizens']} citizens at once, each "
        f"signed in and posting the idea form with {run['photos_per_idea']} photos of "
        f"{run['photo_mb']:.1f} MB (real JPEGs) over HTTP:",
        "",
        "| submitted | p50 ms | p95 ms | max ms | all done in s | errors | budget |",
        "|--:|--:|--:|--:|--:|--:|---|",
        f"| {run['submitted']} of {run['citizens']} | {_fmt(run['p50_ms'], '{:,.0f}')} "
        f"| {_fmt(run['p95_ms'], '{:,.0f}')} | {_fmt(run['max_ms'], '{:,.0f}')} "
        f"| {run['wall_s']:.1f} | {len(errors)}{': ' + errors[0] if errors else ''} "
        f"| {_verdict(run.get('budget_misses', []))} |",
        "",
    ]


def markdown(report: dict) -> str:
    settings = report["settings"]
    lines = [
        "# Benchmark results",
        "",
        f"Run {report['started_at']} – {report.get('finished_at', '?')} with "
        f"`{settings['command'].strip()}`.",
        "",
        f"**Machine:** {summary(report['machine'])} wrk, gunicorn and PostgreSQL share it.",
        "",
        f"**Code:** {_code(report.get('code') or {})}",
        "",
        f"**Method:** gunicorn with {settings['gunicorn_workers']} sync workers on 127.0.0.1, "
        f"`{settings['django_settings']}`, persistent database connections "
        f"(CONN_MAX_AGE={settings['conn_max_age']}), cache: {settings['cache']}; PostgreSQL "
        "planned as compose and Kubernetes configure it (random_page_cost=1.1, "
        "docs/operations.md); page cache and parts shared by pages (cards, JSON of ideas, "
        "filter form: FRAGMENT_CACHE_SECONDS) as in production unless a table says. Each page: "
        f"wrk, {settings['connections']} connections, {settings['wrk_threads']} threads, "
        f"{settings['runs']} × {settings['duration_s']:g} s, the workers drained in between; "
        "the faster run is shown (spread = difference between the runs). Detail pages rotate "
        "over 200 published ideas with images. Ratio = requests/s ÷ the 20-row baseline of the "
        "same size. SQL queries and SQL ms per request come from the benchmark middleware, "
        "response bytes are the uncompressed HTML; worker peak = the largest VmHWM of the "
        "workers during that page's runs; other CPU = CPU time used by processes outside the "
        "benchmark during the shown run, as a share of all CPUs (noise: above ~10 % the numbers "
        f"are suspect; before each run the harness waited up to {settings.get('quiet_wait_s', 0)}"
        " s for a quiet machine).",
        "",
    ]
    for step in report["sizes"]:
        lines += [
            f"## {step['size']:,} published ideas",
            "",
            f"### 1. Cache hits at {step['size']:,} ideas (production settings; wrk repeats "
            "each page's URLs, so after the first request most come from the page cache)",
            "",
            PAGE_HEADER,
            PAGE_ALIGN,
        ]
        lines += [_page_row(page) for page in step["pages"] if page["kind"] != "download"]
        lines.append("")
        lines += _cache_off(step) + _mix(step) + _submissions(step)
        downloads = [page for page in step["pages"] if page["kind"] == "download"]
        if downloads:
            lines += [
                f"Downloads at {step['size']:,} ideas (one client, whole streamed response, "
                "the fastest of the runs after a warm-up; added while streaming = the largest "
                "rise of a worker's resident memory during one download, its peak minus its "
                "memory just before, after the warm-up):",
                "",
                "| download | seconds | MB | worker peak MB | added while streaming MB | budget |",
                "|---|--:|--:|--:|--:|---|",
            ]
            lines += [_download_row(page) for page in downloads]
            lines.append("")
        if step.get("weight"):
            lines += [
                f"First load at {step['size']:,} ideas (Chromium, empty cache, 1280×800):",
                "",
                "| page | requests | transferred KB | by type (KB) | other hosts | failed "
                "| budget |",
                "|---|--:|--:|---|---|---|---|",
            ]
            for name, weight in step["weight"].items():
                by_type = ", ".join(
                    f"{kind} {size / 1024:.0f}" for kind, size in weight["bytes_by_type"].items()
                )
                foreign = ", ".join(weight["foreign_requests"]) or "none"
                failed = ", ".join(
                    "/" + url.split("/", 3)[-1] for url in weight.get("failed_requests", [])
                )
                misses = weight.get("budget_misses", [])
                verdict = "✗ " + "; ".join(misses) if misses else "✓"
                lines.append(
                    f"| {name} | {weight['requests']} | {weight['transferred_bytes'] / 1024:.0f} "
                    f"| {by_type} | {foreign} | {failed or 'none'} | {verdict} |"
                )
            lines.append("")
        if step.get("sql"):
            lines += [
                f"Slowest SQL statement per page at {step['size']:,} ideas (in-process, warm):",
                "",
                "| page | statements | SQL ms | slowest ms | slowest statement |",
                "|---|--:|--:|--:|---|",
            ]
            for name, sql in step["sql"].items():
                slowest = sql["slowest"][0] if sql["slowest"] else {"ms": 0, "sql": ""}
                text = slowest["sql"].replace("|", "\\|")
                text = text if len(text) <= 160 else text[:157] + "…"
                lines.append(
                    f"| {name} | {sql['count']} | {sql['total_ms']:.1f} | {slowest['ms']:.1f} "
                    f"| `{text}` |"
                )
            lines.append("")
    budget = report["budget"]
    lines += [
        "## Budget",
        "",
        "Judged on table 2 (cache off): idea list (every variant) ≥ "
        f"{budget['list_min_ratio']:.0%} of the 20-row baseline's requests/s with p99 < "
        f"{budget['list_max_p99_ms']:.0f} ms; idea detail ≥ {budget['detail_min_ratio']:.0%}; "
        f"the API's JSON pages ≥ {budget['api_min_ratio']:.0%}; home, statistics and "
        f"api/fields p99 < {budget['aggregate_max_p99_ms']:.0f} ms; the map's HTML ≤ "
        f"{budget['max_map_bytes'] // 1024} KB. On table 3 (the mix): idea list and detail ≥ "
        f"{budget['mix_min_ratio']:.0%} with p99 < {budget['mix_max_p99_ms']:.0f} ms, no "
        f"failed request. Everywhere: ≤ {budget['max_queries']} SQL queries per page; "
        f"first load ≤ {budget['max_first_load_bytes'] // 1024} KB with no request to another "
        f"host; worker peak memory ≤ {budget['max_worker_peak_mb']:.0f} MB; the CSV and "
        f"GeoJSON of all ideas streamed in < {budget['max_download_seconds']:.0f} s; "
        f"submissions p95 < {budget['submission_max_p95_ms']:.0f} ms with no error. "
        "Plans of the slowest statements are in results.json (sizes[].sql[].slowest_plan).",
        "",
    ]
    if NOTES.exists():
        # What the numbers alone do not say: why a figure misses, what was tried.
        lines += [NOTES.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(lines)


def write_reports(report: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (out / "results.md").write_text(markdown(report), encoding="utf-8")
