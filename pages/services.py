"""Changes to the legal pages."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from audit.services import save_audited

from . import permissions
from .models import Page


def page_save(*, page: Page, by) -> Page:
    """Save a legal page as the editors changed it (audited). The privacy notice's change
    time is the version that consents record (pages.selectors.privacy_notice_version).

    Raises PermissionDenied for who may not edit the pages."""
    if not permissions.can_edit_pages(by):
        raise PermissionDenied(_("You may not change the legal pages."))
    return save_audited(page, by=by, action="pages.page")
