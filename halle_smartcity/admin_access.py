"""Who may use an admin screen, by the app's own permissions (roles come from groups, not
from Django's model permissions or from being a superuser)."""


class AllowedBy:
    """A ModelAdmin mixin: the screen is there, readable and writable for whom `allowed`
    (a predicate of the app's permissions.py, user -> bool) says; nothing is deleted here."""

    allowed = None  # staticmethod(predicate)

    def has_module_permission(self, request):
        return self.allowed(request.user)

    def has_view_permission(self, request, obj=None):
        return self.allowed(request.user)

    def has_add_permission(self, request, *args):
        return self.allowed(request.user)

    def has_change_permission(self, request, obj=None):
        return self.allowed(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


class EditableWhen:
    """An inline mixin: readable for whom `viewable` allows (user -> bool), its rows added,
    changed and deleted while `editable` (user, parent object or None -> bool) allows."""

    viewable = None  # staticmethod(predicate)
    editable = None  # staticmethod(predicate)

    def has_view_permission(self, request, obj=None):
        return self.viewable(request.user)

    def has_add_permission(self, request, obj=None):
        return self.editable(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return self.editable(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return self.editable(request.user, obj)
