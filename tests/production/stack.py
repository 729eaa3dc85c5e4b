"""The production stack as real processes on loopback: gunicorn replicas with the production
settings and deploy/gunicorn.conf.py, behind the real Caddy (tests/production/Caddyfile, which
imports production's lines), sharing the test's PostgreSQL database and a private Redis."""

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import requests

from .processes import CADDY, ROOT, answers, free_port, stop, wait_for

BIN = Path(sys.executable).parent
SECRET_KEY = "replica-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
METRICS_TOKEN = "replica-test-metrics-token-0123456789"


def _static_fingerprint() -> str:
    """Changes with the static sources and the installed packages (whose static files the
    admin and the API bring)."""
    digest = hashlib.sha256((ROOT / "requirements.txt").read_bytes())
    for path in sorted((ROOT / "static").rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def collected_static(environment: dict[str, str]) -> Path:
    """STATIC_ROOT with the manifest the production storage needs; collected once per change
    of the sources (it takes most of a minute) and kept in var/."""
    root = ROOT / "var" / f"test-static-{_static_fingerprint()}"
    root.parent.mkdir(parents=True, exist_ok=True)
    # One test worker collects, the others wait for it instead of collecting the same files.
    with root.with_name(f"{root.name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (root / "staticfiles.json").exists():
            # Collected aside and renamed into place: an interrupted run leaves no half of it.
            partial = root.with_name(f"{root.name}.partial-{os.getpid()}")
            result = subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
                cwd=ROOT,
                env={**environment, "STATIC_ROOT": str(partial)},
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            assert result.returncode == 0, result.stderr
            shutil.rmtree(root, ignore_errors=True)  # a manifest-less leftover
            partial.rename(root)
    return root


def production_environment(*, database_url: str, redis_url: str, media: Path) -> dict[str, str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTEST_XDIST_WORKER"}
        and not key.startswith(("PYTEST_", "SENTRY_", "METRICS_"))
    }
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "halle_smartcity.settings.prod",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        # As in docker-compose.yml: broker and cache in two databases of one Redis.
        "REDIS_URL": f"{redis_url}/0",
        "CELERY_BROKER_URL": f"{redis_url}/0",
        "CACHE_URL": f"{redis_url}/1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://mitmachen.example",
        "DEFAULT_FROM_EMAIL": "mitmachen@mitmachen.example",
        "SMTP_HOST": "mail.example",
        "TRUSTED_PROXY_COUNT": "1",
        "MEDIA_ROOT": str(media),
        "API_RATE": "5/min",
        "LOG_FORMAT": "json",
        "ACCESS_LOG": "json",
        "WEB_CONCURRENCY": "2",  # /metrics/ must join both workers' counters
        "GUNICORN_THREADS": "2",
        "METRICS_TOKEN": METRICS_TOKEN,
    }


@dataclass
class Stack:
    """Replica A and B, each reachable through its own Caddy port (proxy_a, proxy_b) and,
    for contrast, directly (web_a, web_b)."""

    environment: dict[str, str]
    logs: Path
    processes: list[subprocess.Popen] = field(default_factory=list)
    ports: dict[str, int] = field(default_factory=dict)

    def url(self, name: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}{path}"

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text()

    def _start(self, name: str, command: list[str], environment: dict[str, str]) -> None:
        with (self.logs / f"{name}.log").open("w") as output:
            self.processes.append(
                subprocess.Popen(
                    command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT
                )
            )

    def start(self) -> None:
        self.ports = {name: free_port() for name in ("web_a", "web_b", "proxy_a", "proxy_b")}
        for replica in ("a", "b"):
            self._start(
                f"web_{replica}",
                [
                    str(BIN / "gunicorn"),
                    "--config",
                    "deploy/gunicorn.conf.py",
                    "--bind",
                    f"127.0.0.1:{self.ports[f'web_{replica}']}",
                ],
                self.environment,
            )
        self._start(
            "caddy",
            [CADDY, "run", "--config", "tests/production/Caddyfile", "--adapter", "caddyfile"],
            {
                "PATH": os.environ["PATH"],
                "HOME": str(self.logs),
                "XDG_DATA_HOME": str(self.logs / "caddy-data"),
                "XDG_CONFIG_HOME": str(self.logs / "caddy-config"),
                "PROXY_PORT_A": str(self.ports["proxy_a"]),
                "PROXY_PORT_B": str(self.ports["proxy_b"]),
                "WEB_PORT_A": str(self.ports["web_a"]),
                "WEB_PORT_B": str(self.ports["web_b"]),
            },
        )
        for name in ("web_a", "web_b"):
            wait_for(
                lambda name=name: self._alive(name),
                timeout=90,
                message=lambda name=name: self.log(name),
            )
        for name in ("proxy_a", "proxy_b"):
            wait_for(
                lambda name=name: answers(self.ports[name]),
                timeout=30,
                message=lambda: self.log("caddy"),
            )

    def _alive(self, name: str) -> bool:
        assert all(process.poll() is None for process in self.processes), self.log(name)
        try:
            return requests.get(self.url(name, "/healthz/"), timeout=2).status_code == 200
        except requests.RequestException:  # not listening yet, or still loading the app
            return False

    def stop(self) -> None:
        for process in self.processes:
            stop(process)


class Visitor:
    """A browser's cookie jar, kept by hand: the production cookies are Secure, and the test
    speaks plain HTTP to Caddy (which tells Django the request came by HTTPS)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}))
        if self.cookies:
            headers["Cookie"] = "; ".join(
                f"{name}={value}" for name, value in self.cookies.items()
            )
        response = requests.request(
            method, url, headers=headers, allow_redirects=False, timeout=30, **kwargs
        )
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value
        return response

    def get(self, url: str, **kwargs) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs) -> requests.Response:
        return self.request("POST", url, **kwargs)
