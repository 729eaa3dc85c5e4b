from django.conf import settings
from django.template.response import TemplateResponse


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
