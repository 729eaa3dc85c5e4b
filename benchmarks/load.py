"""wrk runs and single probe requests."""

import json
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .middleware import APP_MS_HEADER, QUERIES_HEADER, SQL_MS_HEADER

MARKER = "BENCH_JSON "

# wrk calls done() once at the end; request() only when there are several paths to rotate over.
# With a URL file (the mix), each thread reads the file and picks a random path per request.
WRK_SCRIPT = """
local paths = {%(paths)s}
local url_file = %(url_file)s
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("number", threads)
end
if url_file ~= "" then
  init = function(args)
    paths = {}
    for line in io.lines(url_file) do
      if line ~= "" then paths[#paths + 1] = line end
    end
    math.randomseed(os.time() * 100 + (number or 0))
  end
  request = function()
    return wrk.format("GET", paths[math.random(#paths)])
  end
elseif #paths > 1 then
  local n = 0
  request = function()
    n = n + 1
    return wrk.format("GET", paths[(n %% #paths) + 1])
  end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%(marker)s{"requests": %%d, "duration_us": %%d, "bytes": %%d, "connect_errors": %%d, ' ..
    '"read_errors": %%d, "write_errors": %%d, "status_errors": %%d, "timeouts": %%d, ' ..
    '"p50_us": %%d, "p90_us": %%d, "p99_us": %%d, "max_us": %%d, "mean_us": %%.1f}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""


def wrk_path() -> str:
    path = shutil.which("wrk")
    if not path:
        raise RuntimeError("wrk is not installed (Debian: apt-get install -y wrk).")
    return path


def wrk_version() -> str:
    result = subprocess.run([wrk_path(), "-v"], capture_output=True, text=True, check=False)  # noqa: S603
    return (result.stdout + result.stderr).strip().splitlines()[0]


@dataclass
class WrkResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    bytes: int
    errors: dict

    @property
    def failed(self) -> int:
        return sum(self.errors.values())


def run_wrk(
    base_url: str,
    paths: list[str],
    *,
    duration: int,
    connections: int,
    threads: int,
    script_dir: Path,
    timeout_s: int = 10,
    url_file: Path | None = None,
) -> WrkResult:
    script_dir.mkdir(parents=True, exist_ok=True)
    script = script_dir / "wrk-script.lua"
    script.write_text(
        WRK_SCRIPT
        % {
            "paths": "" if url_file else ", ".join(json.dumps(path) for path in paths),
            "url_file": json.dumps(str(url_file) if url_file else ""),
            "marker": MARKER,
        },
        encoding="utf-8",
    )
    command = [
        wrk_path(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        f"--timeout={timeout_s}s",
        "-s",
        str(script),
        base_url + paths[0],
    ]
    result = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr or result.stdout}")
    line = next((x for x in result.stdout.splitlines() if x.startswith(MARKER)), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary:\n{result.stdout}\n{result.stderr}")
    data = json.loads(line[len(MARKER) :])
    seconds = data["duration_us"] / 1e6
    return WrkResult(
        requests=data["requests"],
        seconds=seconds,
        rps=data["requests"] / seconds if seconds else 0.0,
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        mean_ms=data["mean_us"] / 1000,
        bytes=data["bytes"],
        errors={
            key: data[key]
            for key in (
                "connect_errors",
                "read_errors",
                "write_errors",
                "status_errors",
                "timeouts",
            )
        },
    )


@dataclass
class Probe:
    status: int
    body_bytes: int
    queries: int | None
    sql_ms: float | None
    app_ms: float | None
    wall_ms: float


def probe(url: str) -> Probe:
    """One GET as a first-time visitor would send it (no cookies)."""
    request = urllib.request.Request(url, headers={"Accept-Language": "de"})  # noqa: S310
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            body = response.read()
            status, headers = response.status, response.headers
    except urllib.error.HTTPError as error:
        body = error.read()
        status, headers = error.code, error.headers
    wall = (time.perf_counter() - start) * 1000

    def number(name, kind):
        value = headers.get(name)
        return kind(value) if value is not None else None

    return Probe(
        status=status,
        body_bytes=len(body),
        queries=number(QUERIES_HEADER, int),
        sql_ms=number(SQL_MS_HEADER, float),
        app_ms=number(APP_MS_HEADER, float),
        wall_ms=wall,
    )
