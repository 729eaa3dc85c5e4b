import sentry_sdk
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.core.signals import request_finished
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from halle_smartcity import health, logs, metrics


class RequestIdMiddleware:
    """Give every request an id (a sane incoming X-Request-ID or a new one): on every log
    record of the request, on the response, on a Sentry report."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Django logs 4xx and 5xx responses after the middleware has returned: the id stays
        # set until the response is closed.
        request_finished.connect(logs.request_id_clear, dispatch_uid="request_id_clear")

    def __call__(self, request):
        request.request_id = logs.request_id_from(request.headers.get("X-Request-ID"))
        logs.request_id.set(request.request_id)
        sentry_sdk.set_tag("request_id", request.request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class ProbeMiddleware:
    """Answer the orchestrator's probes and the metrics scraper before anything checks the
    Host header or redirects to HTTPS: they come by a container's or pod's address, over
    plain HTTP. /metrics/ exists only with METRICS_TOKEN set. Early in MIDDLEWARE."""

    probes = {"/healthz": health.liveness, "/readyz": health.readiness}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info.rstrip("/")
        probe = self.probes.get(path)
        if probe is None and path == "/metrics" and settings.MITMACHEN_METRICS_TOKEN:
            probe = metrics.metrics
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse an oversized request body before anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MITMACHEN_MAX_REQUEST_BYTES:
            response = TemplateResponse(request, "413.html", status=413)
            return response.render()
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """Staff reach the admin only with two-factor login set up (where the setting asks for
    it): without an authenticator they are sent to set one up first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.MITMACHEN_STAFF_REQUIRE_MFA
            and user is not None
            and user.is_authenticated
            and request.path.startswith(_staff_paths())
            and _works_for_the_city(user)
            and not _has_authenticator(user)
        ):
            messages.warning(
                request, _("Staff accounts need two-factor login. Please set it up first.")
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _has_authenticator(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _staff_paths() -> tuple[str, ...]:
    return (reverse("admin:index"), "/bewertung/", "/redaktion/", "/beirat/")


STAFF_ROLES = {"Redaktion", "Bewertung", "Beirat", "Administration"}


def _works_for_the_city(user) -> bool:
    return user.is_staff or user.groups.filter(name__in=STAFF_ROLES).exists()
