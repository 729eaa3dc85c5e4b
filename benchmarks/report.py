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
        return f"| {page['name']} | skipped: {page['skipped']} | | | |"
    if "seconds" not in page:
        return f"| {page['name']} | **error:** {page.get('error', '?')} | | | |"
    misses = page.get("budget_misses", [])
    verdict = "✗ " + "; ".join(misses) if misses else "✓"
    return (
        f"| {page['name']} | {page['seconds']:.2f} | {page['response_bytes'] / 1e6:,.1f} "
        f"| {page['worker_peak_mb']:.0f} | {verdict} |"
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
        f"(CONN_MAX_AGE={settings['conn_max_age']}), cache: {settings['cache']}. Each page: "
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
            "| page | req/s | p50 ms | p99 ms | × 20-row baseline | SQL queries | SQL ms/req "
            "| response bytes | worker peak MB | run spread | other CPU | budget |",
            "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
        ]
        lines += [_page_row(page) for page in step["pages"] if page["kind"] != "download"]
        lines.append("")
        downloads = [page for page in step["pages"] if page["kind"] == "download"]
        if downloads:
            lines += [
                f"Downloads at {step['size']:,} ideas (one client, whole streamed response, "
                "the fastest of the runs after a warm-up):",
                "",
                "| download | seconds | MB | worker peak MB | budget |",
                "|---|--:|--:|--:|---|",
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
        f"Idea list ≥ {budget['list_min_ratio']:.0%} of the 20-row baseline's requests/s and "
        f"p99 < {budget['list_max_p99_ms']:.0f} ms; idea detail ≥ "
        f"{budget['detail_min_ratio']:.0%}; ≤ {budget['max_queries']} SQL queries per page; "
        f"first load ≤ {budget['max_first_load_bytes'] // 1024} KB with no request to another "
        f"host; worker peak memory ≤ {budget['max_worker_peak_mb']:.0f} MB; the CSV and the "
        f"GeoJSON of all ideas streamed in < {budget.get('max_download_seconds', 3):.0f} s each. "
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
