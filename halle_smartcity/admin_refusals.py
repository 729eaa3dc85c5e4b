"""When a service refuses what a staff member saved in the admin (a rule, or someone else
saved in between), the admin shows why on a page of its own (409) and nothing is saved:
the change form's transaction is rolled back."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _


class Refused(Exception):
    """Raised from save_model or save_related with the service's error."""

    def __init__(self, error: ValidationError | PermissionDenied):
        super().__init__(str(error))
        self.messages = getattr(error, "messages", None) or [str(error)]


class RefusalPage:
    """A ModelAdmin mixin: a Refused save is answered with the reasons, not a 500 or 403."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refused:
            return self.refusal_response(request, refused)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except Refused as refused:
            return self.refusal_response(request, refused)

    def refusal_response(self, request, refused: Refused) -> TemplateResponse:
        self.message_user(request, " ".join(refused.messages), messages.ERROR)
        return TemplateResponse(
            request,
            "admin/refused.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Not saved"),
                "messages_text": refused.messages,
                "back": request.get_full_path(),
            },
            status=409,
        )
