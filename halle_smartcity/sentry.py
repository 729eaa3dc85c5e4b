"""Error reports to Sentry or GlitchTip (SENTRY_DSN), never with personal data: citizens'
addresses, their IP addresses, what they typed into a form and their session cookies stay
here. `scrub_event` is the last word before an event leaves."""

import re
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

# Headers that say nothing about the person; all others (Cookie, Authorization, Referer
# with its tokens, X-Forwarded-For with the address) are dropped.
KEPT_HEADERS = {
    "accept",
    "accept-language",
    "content-length",
    "content-type",
    "host",
    "user-agent",
    "x-request-id",
}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
IPV6 = re.compile(r"\b(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{1,4}\b")
# Parts of an event that describe the software, not a person.
NOT_PERSONAL = {"modules", "sdk", "contexts"}


def sentry_init(dsn: str) -> None:
    """Report unhandled errors of the web and the Celery processes. SENTRY_ENVIRONMENT and
    SENTRY_RELEASE are read by sentry-sdk itself."""
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        # Local variables of a frame hold form data, addresses, passwords.
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        before_send_transaction=scrub_event,
    )


def _scrub_text(value: str) -> str:
    return IPV6.sub("[ip]", IPV4.sub("[ip]", EMAIL.sub("[email]", value)))


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return _scrub_text(value)
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Keep what helps to find the bug (the exception, the stack, the URL's path, the request
    id), drop request bodies, cookies, query strings, identifying headers and everything
    about the user but the id; addresses left in messages become [email] and [ip]."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "env", "query_string"):
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
        headers = request.get("headers") or {}
        request["headers"] = {
            name: value for name, value in headers.items() if name.lower() in KEPT_HEADERS
        }
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    return {key: value if key in NOT_PERSONAL else _scrub(value) for key, value in event.items()}
