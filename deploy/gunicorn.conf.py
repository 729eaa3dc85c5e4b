"""gunicorn for Mitmachen's web processes: `gunicorn --config deploy/gunicorn.conf.py`
(the image's CMD). Every value can be changed from the environment; the defaults suit a
container with one or two CPU cores behind Caddy."""

import json
import os
import tempfile
from pathlib import Path

from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise SystemExit(f"{name} must be a whole number, not {value!r}.")
    return int(value)


wsgi_app = "halle_smartcity.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")  # reachable only on the internal network

# Threads, not processes, wait for slow clients: a slow upload or download holds one thread
# of `threads`, not a whole replica.
worker_class = "gthread"
workers = _int("WEB_CONCURRENCY", 2)
threads = _int("GUNICORN_THREADS", 8)
# A worker that does not report for this long (stuck) is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM (deploy, scale down) requests in progress get this long to finish; below
# compose's stop_grace_period and Kubernetes' terminationGracePeriodSeconds (30 s).
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 25)
# Caddy keeps connections to the replicas open; a little longer than its idle time is waste.
keepalive = 5
# Recycle workers now and then, so that slow leaks cannot grow without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
# The heartbeat file on tmpfs: an overlay file system can stall it (gunicorn's advice).
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108
# Only Caddy reaches gunicorn, so its X-Forwarded-Proto is believed (Django reads it too:
# SECURE_PROXY_SSL_HEADER). Narrow to the proxy's address where it is fixed.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
# gunicorn's control socket (in $HOME) is not used: the orchestrator sends signals.
control_socket_disable = True

# --- Logs: JSON lines on stdout like the application's (LOG_FORMAT), access log optional -----
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
# ACCESS_LOG=json writes one line per request (method, path, status, duration, request id;
# no address, no query string). Off by default: Caddy's access log has every request.
ACCESS_LOG = os.environ.get("ACCESS_LOG", "off")
if LOG_FORMAT not in {"json", "text"} or ACCESS_LOG not in {"json", "off"}:
    raise SystemExit("LOG_FORMAT must be json or text, ACCESS_LOG json or off.")
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message"],
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
        },
    },
    "root": {"level": "WARNING", "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
    },
}


class MitmachenLogger(Logger):
    """gunicorn's logger with an access log of structured fields instead of Apache's line."""

    def access(self, resp, req, environ, request_time) -> None:
        if ACCESS_LOG == "off":
            return
        status = str(resp.status).split(None, 1)[0]
        headers = dict((name.lower(), value) for name, value in resp.headers)
        fields = {
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status": int(status) if status.isdigit() else status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "request_id": headers.get("x-request-id"),
        }
        if LOG_FORMAT == "json":
            self.access_log.info("request", extra=fields)
        else:
            self.access_log.info(json.dumps(fields))


logger_class = MitmachenLogger

# --- Prometheus: the workers' counters joined in one directory -----------------------------
# django-prometheus counts per process; with PROMETHEUS_MULTIPROC_DIR set, /metrics/ adds up
# every worker's files. A fresh directory per server start unless the environment names one.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="mitmachen-prometheus-")


def on_starting(server) -> None:
    # Counters of a previous run would be added to this one's.
    for stale in Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).glob("*.db"):
        stale.unlink()


def child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
