"""The discussion's rate limits: each per account and per address, so neither many accounts
behind one address nor one account from many addresses gets around them."""

from django.conf import settings
from django_ratelimit.decorators import ratelimit


def _rate(name: str):
    # Read per request, so the city can tune it without a code change.
    return lambda group, request: getattr(settings, name)


def limited(name: str):
    """Both limits of one setting (MITMACHEN_SUPPORT_RATE, ...) on a view's POSTs."""
    by_user = ratelimit(key="user_or_ip", rate=_rate(name), method="POST", block=True)
    by_address = ratelimit(key="ip", rate=_rate(name), method="POST", block=True)
    return lambda view: by_address(by_user(view))


support_limit = limited("MITMACHEN_SUPPORT_RATE")
comment_limit = limited("MITMACHEN_COMMENT_RATE")
report_limit = limited("MITMACHEN_REPORT_RATE")
