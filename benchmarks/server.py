"""Gunicorn under the benchmark's control, and what /proc tells about its workers."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A free TCP port on loopback (never 8000)."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port != 8000:
            return port


# --- /proc -----------------------------------------------------------------------------------


def _stat_fields(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (field 3 onwards)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def children(ppid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError):
            if int(_stat_fields(int(entry.name))[1]) == ppid:
                pids.append(int(entry.name))
    return sorted(pids)


def _status_kb(pid: int, key: str) -> int | None:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


def peak_rss_kb(pid: int) -> int | None:
    """VmHWM: the most resident memory the process has had (since start or the last reset)."""
    return _status_kb(pid, "VmHWM")


def rss_kb(pid: int) -> int | None:
    return _status_kb(pid, "VmRSS")


def reset_peak(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0: `echo 5 > /proc/<pid>/clear_refs`)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def cpu_ticks(pid: int) -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = _stat_fields(pid)
        return int(fields[11]) + int(fields[12])  # utime + stime
    return 0


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class CpuAccount:
    """CPU time that processes outside the benchmark used while it measured (noise), as a share
    of all CPUs, and the hypervisor's steal time.

    Ours: the given pids, this process, and PostgreSQL processes serving `database` or running
    parallel query for it. PostgreSQL's own background processes (checkpointer, autovacuum, ...)
    count as neither. Processes that started or ended within the run are not seen, so short-lived
    foreign processes are missed: the figure is a lower bound."""

    def __init__(self, ours, database: str):
        self.ours = ours  # a callable answering the pids to count as ours
        self.database = database

    def _kind(self, pid: int, ours: set[int]) -> str:
        if pid in ours:
            return "ours"
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            return "gone"
        if command.startswith("postgres:"):
            words = command.split()
            if self.database in words or "parallel worker" in command:
                return "ours"
            return "other" if len(words) >= 5 and ":" not in words[-1] else "database"
        return "other"

    def _sample(self) -> dict[int, tuple[int, str]]:
        ours = {*self.ours(), os.getpid()}
        sample = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                pid = int(entry.name)
                sample[pid] = (cpu_ticks(pid), self._kind(pid, ours))
        return sample

    @staticmethod
    def _steal() -> int:
        return int(Path("/proc/stat").read_text().split("\n", 1)[0].split()[8])

    def __enter__(self):
        self.start = time.monotonic()
        self.before = self._sample()
        self.steal_before = self._steal()
        return self

    def __exit__(self, *exc):
        elapsed = time.monotonic() - self.start
        after = self._sample()
        other = sum(
            ticks - self.before[pid][0]
            for pid, (ticks, kind) in after.items()
            if kind == "other" and pid in self.before
        )
        capacity = elapsed * CLOCK_TICKS * (os.cpu_count() or 1)
        self.other_pct = other / capacity * 100 if capacity else 0.0
        self.steal_pct = (self._steal() - self.steal_before) / capacity * 100 if capacity else 0.0


# --- gunicorn --------------------------------------------------------------------------------


class Gunicorn:
    """`gunicorn halle_smartcity.wsgi` on 127.0.0.1 with sync workers, as production runs it
    (docker-compose.yml), in its own process group so that stop() ends all of it."""

    def __init__(self, *, env: dict[str, str], log_path: Path, workers: int = 2):
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.args = [
            "halle_smartcity.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
        ]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> "Gunicorn":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", *self.args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log_tail()}")
            if len(self.worker_pids()) == self.workers and self._answers():
                # Every worker loads Django on its first request: warm them all.
                for _ in range(self.workers * 4):
                    self._answers()
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.base_url + "/_bench/ok", timeout=5) as response:  # noqa: S310
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def worker_pids(self) -> list[int]:
        return children(self.process.pid) if self.process else []

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # our own group, by its id
            process.wait(timeout=5)

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def drain(pids: list[int], *, active_queries=None, minimum: float = 0.5, limit: float = 15.0):
    """Wait until the workers are idle (no CPU time for two samples in a row) and, if given,
    `active_queries()` answers 0. Answers the seconds waited."""
    start = time.monotonic()
    time.sleep(minimum)
    quiet = 0
    last = sum(cpu_ticks(pid) for pid in pids)
    while time.monotonic() - start < limit and quiet < 2:
        time.sleep(0.25)
        now = sum(cpu_ticks(pid) for pid in pids)
        busy = now != last or (active_queries is not None and active_queries() > 0)
        quiet = 0 if busy else quiet + 1
        last = now
    return time.monotonic() - start
