"""Who may edit the legal pages: who holds the model permission (editors, administrators)."""


def can_edit_pages(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("pages.change_page"))
