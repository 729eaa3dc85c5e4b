"""Measuring one server: each page under wrk (or one client for downloads), the tables of a
size, the mix and the submission run, and the budget's verdict on them."""

import os
import sys
import time
from pathlib import Path


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- pages -------------------------------------------------------------------------------------


def page_paths(page, sample_ids: list[int]) -> tuple[list[str], str | None]:
    """The paths wrk requests for a page, or a reason to skip it."""
    from django.urls import NoReverseMatch, reverse

    suffix = f"?{page.query}" if page.query else ""
    if page.target.startswith("/"):
        return [page.target + suffix], None
    try:
        if page.kwargs == "idea":
            if not sample_ids:
                return [], "no idea to show"
            return [reverse(page.target, kwargs={"pk": pk}) + suffix for pk in sample_ids], None
        return [reverse(page.target) + suffix], None
    except NoReverseMatch:
        return [], f"not built yet (no URL named {page.target})"


def measure_download(page, paths, server, args, active_queries) -> dict:
    """One client fetches the whole streamed response, `runs` + 1 times (the first warms):
    seconds to the last byte, bytes, and the workers' peak memory while streaming."""
    import urllib.error
    import urllib.request

    from .server import drain, peak_rss_kb, reset_peak, rss_kb

    result = {"name": page.name, "kind": page.kind, "path": paths[0], "paths": 1}
    timings, size, peaks, added = [], 0, [], []
    for _ in range(args.runs + 1):
        drain(server.worker_pids(), active_queries=active_queries)
        # Each run from the workers' resident memory at rest: what streaming adds to it.
        before = {}
        for pid in server.worker_pids():
            reset_peak(pid)
            before[pid] = rss_kb(pid) or 0
        request = urllib.request.Request(server.base_url + paths[0])  # noqa: S310
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                size = 0
                while chunk := response.read(1 << 16):
                    size += len(chunk)
        except urllib.error.HTTPError as error:
            if error.code == 404 and not timings:
                return {**result, "skipped": "not built yet (404)"}
            return {**result, "error": f"HTTP {error.code}"}
        timings.append(time.perf_counter() - start)
        run_peaks = {pid: peak_rss_kb(pid) or 0 for pid in before}
        peaks.append(max(run_peaks.values(), default=0))
        added.append(max((run_peaks[pid] - before[pid] for pid in before), default=0))
    return {
        **result,
        "status": 200,
        "seconds": round(min(timings[1:]), 2),
        "seconds_runs": [round(t, 2) for t in timings],
        "response_bytes": size,
        "worker_peak_mb": round(max(peaks) / 1024, 1),
        # The runs after the warm-up (whose first imports and caches are not streaming's).
        "added_mb": round(max(added[1:]) / 1024, 1),
        "added_mb_runs": [round(kb / 1024, 1) for kb in added],
    }


def measure_page(page, paths, server, args, tmp: Path, active_queries) -> dict:
    from .load import probe, run_wrk
    from .server import CpuAccount, drain, peak_rss_kb, reset_peak, rss_kb

    result = {"name": page.name, "kind": page.kind, "path": paths[0], "paths": len(paths)}
    probes = [probe(server.base_url + path) for path in (paths * 3)[: max(3, min(len(paths), 5))]]
    statuses = sorted({p.status for p in probes})
    if page.target.startswith("/") and statuses == [404]:
        return {**result, "skipped": "not built yet (404)"}
    if statuses != [200]:
        return {**result, "error": f"HTTP {statuses} before the load run"}
    steady = probes[1:]  # the first request of a path may fill caches
    result.update(
        status=200,
        queries_min=min(p.queries for p in steady),
        queries_max=max(p.queries for p in steady),
        sql_ms=round(min(p.sql_ms for p in steady), 2),
        app_ms=round(min(p.app_ms for p in steady), 2),
        response_bytes=max(p.body_bytes for p in probes),
    )
    workers = server.worker_pids()
    result["worker_idle_mb"] = round(max(rss_kb(pid) or 0 for pid in workers) / 1024, 1)
    result["peak_reset"] = all(reset_peak(pid) for pid in workers)
    runs = []
    for _ in range(args.runs):
        drained = drain(server.worker_pids(), active_queries=active_queries)
        waited = wait_quiet(server, args)
        load = os.getloadavg()[0]
        with CpuAccount(lambda: server.worker_pids(), args.db) as cpu:
            wrk = run_wrk(
                server.base_url,
                paths,
                duration=args.duration,
                connections=args.connections,
                threads=args.threads,
                script_dir=tmp,
            )
        runs.append(
            {
                "rps": round(wrk.rps, 1),
                "requests": wrk.requests,
                "p50_ms": round(wrk.p50_ms, 2),
                "p90_ms": round(wrk.p90_ms, 2),
                "p99_ms": round(wrk.p99_ms, 2),
                "max_ms": round(wrk.max_ms, 2),
                "errors": wrk.errors,
                "drained_s": round(drained, 1),
                "waited_for_quiet_s": round(waited, 1),
                "load_1m_before": round(load, 2),
                "other_cpu_pct": round(cpu.other_pct, 1),
                "steal_pct": round(cpu.steal_pct, 1),
            }
        )
    peak = max(peak_rss_kb(pid) or 0 for pid in server.worker_pids())
    best = max(runs, key=lambda run: run["rps"])
    result.update(
        rps=best["rps"],
        p50_ms=best["p50_ms"],
        p90_ms=best["p90_ms"],
        p99_ms=best["p99_ms"],
        max_ms=best["max_ms"],
        run_spread=round(
            (max(r["rps"] for r in runs) - min(r["rps"] for r in runs)) / best["rps"], 3
        )
        if best["rps"]
        else None,
        worker_peak_mb=round(peak / 1024, 1),
        other_cpu_pct=best["other_cpu_pct"],
        runs=runs,
    )
    failed = sum(sum(run["errors"].values()) for run in runs)
    if failed:
        result["error"] = f"{failed} failed requests under load (non-2xx/3xx, timeouts, resets)"
    return result


QUIET_PCT = 10.0  # other processes' CPU, as a share of all CPUs, that counts as quiet


def wait_quiet(server, args) -> float:
    """Wait (up to --quiet-wait seconds) until other processes used < QUIET_PCT of the CPUs
    for one second. Answers the seconds waited."""
    from .server import CpuAccount

    start = time.monotonic()
    while time.monotonic() - start < args.quiet_wait:
        with CpuAccount(server.worker_pids, args.db) as cpu:
            time.sleep(1)
        if cpu.other_pct < QUIET_PCT:
            break
    return time.monotonic() - start


def slow_queries(paths: list[str], explain: bool) -> dict:
    """The page's SQL, captured in-process: the three slowest statements and, for the slowest,
    EXPLAIN (ANALYZE, BUFFERS)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="de")
    client.get(paths[0])
    with CaptureQueriesContext(connection) as captured:
        client.get(paths[0])
    queries = sorted(
        ({"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"]} for q in captured),
        key=lambda q: -q["ms"],
    )
    answer = {"count": len(queries), "total_ms": round(sum(q["ms"] for q in queries), 2)}
    answer["slowest"] = queries[:3]
    if explain and queries and queries[0]["sql"].lstrip().upper().startswith("SELECT"):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + queries[0]["sql"])
            answer["slowest_plan"] = "\n".join(row[0] for row in cursor.fetchall())
    return answer


def measure_table(pages, sample, server, args, tmp, active_queries) -> tuple[list[dict], bool]:
    """Every page against one server: the rows of one table, and whether a page failed."""
    results, failed = [], False
    for page in pages:
        paths, skip = page_paths(page, sample)
        if skip:
            results.append({"name": page.name, "kind": page.kind, "skipped": skip})
            log(f"  {page.name}: skipped, {skip}")
            continue
        if page.kind == "download":
            result = measure_download(page, paths, server, args, active_queries)
        else:
            result = measure_page(page, paths, server, args, tmp, active_queries)
        results.append(result)
        if "error" in result:
            failed = True
            log(f"  {page.name}: ERROR {result['error']}\n{server.log_tail()}")
        elif "skipped" in result:
            log(f"  {page.name}: skipped, {result['skipped']}")
        elif page.kind == "download":
            log(
                f"  {page.name}: {result['seconds']} s for "
                f"{result['response_bytes']:,} B, peak {result['worker_peak_mb']} MB"
            )
        else:
            log(
                f"  {page.name}: {result['rps']:.0f} req/s, p50 {result['p50_ms']:.1f} "
                f"ms, p99 {result['p99_ms']:.1f} ms, {result['queries_max']} queries, "
                f"{result['response_bytes']:,} B, peak {result['worker_peak_mb']} MB"
            )
    return results, failed


def judge(results: list[dict], baselines: list[dict], table: str) -> list[dict]:
    """Ratios to the same size's baselines (measured in table 1) and the budget's verdict for
    `table` ("hits", "off" or "mix"). Answers the baselines."""
    from .pages import budget_misses

    rows = next((p for p in baselines if p["kind"] == "baseline-rows" and "rps" in p), {})
    ok = next((p for p in baselines if p["kind"] == "baseline-ok" and "rps" in p), {})
    for result in results:
        if "seconds" in result:
            result["budget_misses"] = budget_misses(result, table=table)
        if "rps" not in result:
            continue
        if rows.get("rps"):
            result["ratio_to_rows"] = round(result["rps"] / rows["rps"], 3)
        if ok.get("rps"):
            result["ratio_to_ok"] = round(result["rps"] / ok["rps"], 3)
        result["budget_misses"] = budget_misses(result, table=table)
    return [p for p in baselines if p["kind"].startswith("baseline")]


def clear_page_cache() -> None:
    """Forget the benchmark's cached pages: only keys under its own prefix."""
    from django.core.cache import cache

    if hasattr(cache, "delete_pattern"):  # django-redis: keys under benchmarks.settings' prefix
        cache.delete_pattern("*")
    else:
        cache.clear()  # the per-process fallback holds nothing of the server's anyway


def run_mix(step, server, baselines, args, tmp, env) -> bool:
    """Table 3: the mix over >= 1,000 URLs with the writer running. Answers whether it failed."""
    from . import seed
    from .mix import DETAIL_PAGES, measure_mix, url_groups

    log("table 3: the mix (page cache on, a writer submitting and changing status each second)")
    clear_page_cache()  # the mix's own traffic warms the cache, not table 1's
    groups = url_groups(seed.sample_ideas(DETAIL_PAGES, seed=13))
    step["mix"] = measure_mix(groups, server, args, tmp, env)
    judge(step["mix"]["groups"], baselines, "mix")
    for group in step["mix"]["groups"]:
        log(
            f"  {group['name']} ({group['paths']} URLs): {group['rps']:.0f} req/s, "
            f"p50 {group['p50_ms']:.1f} ms, p99 {group['p99_ms']:.1f} ms, "
            f"{group['failed']} failed, {group.get('ratio_to_rows', 0):.0%} of baseline"
        )
    writer = step["mix"]["writer"]
    log(
        f"  writer: {writer.get('submitted', 0)} ideas submitted, "
        f"{writer.get('status_changed', 0)} status changes, {len(writer.get('errors', []))} "
        f"errors in {writer.get('seconds', 0)} s"
    )
    return bool(writer.get("errors")) or any(g["failed"] for g in step["mix"]["groups"])


def run_submissions(step, server, args, tmp) -> bool:
    """The submission run. Answers whether a submission failed."""
    from .pages import submission_misses
    from .submit import make_photos, measure_submissions

    photos = make_photos(tmp / "photos", args.photos, args.photo_mb)
    log(
        f"submissions: {args.citizens} citizens at once, {args.photos} photos of "
        f"{args.photo_mb:g} MB each, through the form"
    )
    result = measure_submissions(server.base_url, count=args.citizens, photos=photos)
    result["budget_misses"] = submission_misses(result, full=not args.smoke)
    step["submissions"] = result
    log(
        f"  {result['submitted']} of {result['citizens']} submitted, p50 {result['p50_ms']} "
        f"ms, p95 {result['p95_ms']} ms, {len(result['errors'])} errors\n"
        + "\n".join(result["errors"][:5])
    )
    return bool(result["errors"])
