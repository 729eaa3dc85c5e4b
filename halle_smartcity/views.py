from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from .city import current_city
from .svg import svg_problems


def client_ip(request) -> str:
    """The client's address for rate limits: behind TRUSTED_PROXY_COUNT proxies it is that
    many places from the right in X-Forwarded-For (the same rule allauth applies)."""
    proxies = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def rate_limited(request, exception=None):
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "3600"
    return response


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def set_language(request, code):
    """Switch the language with a plain link (a preference, safe to set by GET) and return
    to the page the visitor came from, if it is on this site."""
    languages = dict(settings.LANGUAGES)
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in languages:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


BRANDING_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}


def _branding_file(name: str):
    """The city folder's logo or favicon as a response; 404 if missing, not an SVG or PNG,
    outside the folder, or an SVG that fails the safety check."""
    city = current_city()
    if not name or city.directory is None:
        raise Http404
    directory = city.directory.resolve()
    path = (directory / name).resolve()
    content_type = BRANDING_TYPES.get(path.suffix.lower())
    if content_type is None or directory not in path.parents:
        raise Http404
    try:
        data = path.read_bytes()
    except OSError:
        raise Http404 from None
    if content_type == "image/svg+xml" and svg_problems(data):
        raise Http404
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    # Opened on its own, an SVG is a document: it may run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def city_logo(request):
    return _branding_file(current_city().logo)


def city_favicon(request):
    return _branding_file(current_city().favicon)
