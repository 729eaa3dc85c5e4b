"""The benchmark harness (benchmarks/) still runs end to end: a smoke run with 1,000 ideas and
1 s wrk runs against gunicorn, PostgreSQL and Chromium. It fails, never skips, when wrk,
PostgreSQL or Chromium is missing."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.pages import BASELINES, SMOKE_PAGES
from tests.production.stack import collected_static, production_environment

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.early
def test_benchmark_smoke_run_measures_every_page(tmp_path):
    assert shutil.which("wrk"), "wrk is missing: apt-get install -y wrk"
    env = {
        key: value
        for key, value in os.environ.items()
        # The harness chooses its own settings and database (bench_smoke_<pid>).
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    # The production tests' collected static files (the same sources, collected once per run).
    env["BENCH_STATIC_ROOT"] = str(
        collected_static(
            production_environment(
                database_url="postgres://unused", redis_url="redis://unused", media=tmp_path
            )
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--smoke", "--out", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=720,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-6000:]

    report = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert report["machine"]["cpu"]
    [step] = report["sizes"]
    assert step["size"] == 1000
    assert step["seed"]["published"] == 1000
    pages = {page["name"]: page for page in step["pages"]}
    assert set(pages) == {page.name for page in [*BASELINES, *SMOKE_PAGES]}
    measured = {name: page for name, page in pages.items() if "skipped" not in page}
    for name, page in pages.items():
        if "skipped" in page:
            # Only a page that is not built yet may be left out.
            assert page["skipped"].startswith("not built yet"), (name, page)
    for name in ["baseline: ok", "baseline: 20 rows", "home", "idea list", "idea detail"]:
        assert name in measured, f"{name} was not measured: {pages.get(name)}"
    for name, page in measured.items():
        assert "error" not in page, (name, page["error"])
        if page["kind"] == "download":
            assert page["seconds"] > 0, name
            assert page["response_bytes"] > 0, name
            assert page["worker_peak_mb"] > 0, name
            assert 0 <= page["added_mb"] <= page["worker_peak_mb"], name
            continue
        assert page["rps"] > 0, name
        assert isinstance(page["queries_max"], int), name
        # Public pages may come from the anonymous page cache: no query at all is right.
        assert page["queries_max"] >= (1 if name == "baseline: 20 rows" else 0), name
        assert page["p99_ms"] > 0, name
        assert page["response_bytes"] > 0, name
        assert page["worker_peak_mb"] > 0, name
        if not page["kind"].startswith("baseline"):
            assert page["ratio_to_rows"] > 0, name
            assert name in step["sql"], name

    weighed = {page.name for page in SMOKE_PAGES if page.weight and page.name in measured}
    assert set(step["weight"]) == weighed
    for name, weight in step["weight"].items():
        assert weight["status"] == 200, name
        assert weight["requests"] >= 1, name
        assert weight["transferred_bytes"] > 0, name
        assert isinstance(weight["foreign_requests"], list), name

    # Table 2 renders every page with the page cache off; table 3 mixes reads and writes.
    off = {page["name"]: page for page in step["cache_off"]}
    assert off["idea list"]["rps"] > 0
    assert off["idea list"]["ratio_to_rows"] > 0
    mix = step["mix"]
    assert mix["urls"] >= 300
    assert {group["name"] for group in mix["groups"]} >= {"mix: idea list", "mix: idea detail"}
    assert [group["name"] for group in mix["groups"] if group["failed"]] == []
    assert [group["name"] for group in mix["groups"] if not group["requests"]] == []
    assert mix["writer"]["submitted"] >= 1
    assert mix["writer"]["status_changed"] >= 1
    assert mix["writer"]["supported"] >= 1
    assert mix["writer"]["commented"] >= 1
    assert mix["writer"]["errors"] == []
    assert step["submissions"]["submitted"] == step["submissions"]["citizens"]
    assert step["submissions"]["errors"] == []

    markdown = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert "### 2. Cache off" in markdown
    assert "### 3. The mix" in markdown
    assert f"added {mix['writer']['supported']} supports and" in markdown
    assert "Submissions at 1,000 ideas" in markdown
    assert "**Machine:**" in markdown
    assert "| idea list |" in markdown
