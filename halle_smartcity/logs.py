"""Logs on stdout for the container's collector: one JSON object per event in production
(time, level, logger, message, the request's id; a traceback stays inside its line), plain
text for a developer's terminal. The request id joins the lines of one request and the
proxy's and Sentry's records of it."""

import contextvars
import logging
import re
import uuid

# Set by RequestIdMiddleware until the response is closed (gthread: one request per thread).
request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# Accepted from the proxy or a client as is: enough to hold a UUID or a trace id, nothing
# that could break a log line or a header.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")

FORMATS = {"json", "text"}
LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}


def request_id_from(incoming: str | None) -> str:
    """The incoming X-Request-ID if it is sane, otherwise a new one."""
    if incoming and SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def request_id_clear(**kwargs) -> None:
    """The request is over (request_finished): later lines of this thread belong to none."""
    request_id.set(None)


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def formatters() -> dict:
    return {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message", "request_id"],
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    }


def logging_config(*, fmt: str, level: str) -> dict:
    """Django's LOGGING: everything through the root logger to stdout in `fmt`."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": formatters(),
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": fmt,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {"django.db.backends": {"level": "INFO"}},
    }
