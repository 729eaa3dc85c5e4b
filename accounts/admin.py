from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User
from .services import user_access_set, user_erase, user_save_by_staff


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "display_name", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "first_name", "last_name", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "display_name", "password1", "password2")},
        ),
    )

    def save_model(self, request, obj, form, change):
        user_save_by_staff(user=obj, by=request.user)

    def save_related(self, request, form, formsets, change):
        # Roles and permissions through the service, which audits who gained which role.
        if "groups" in form.cleaned_data:
            user_access_set(
                user=form.instance,
                groups=form.cleaned_data["groups"],
                permissions=form.cleaned_data.get("user_permissions", []),
                by=request.user,
            )

    def delete_model(self, request, obj):
        # The same erasure as the account holder's own: contributions stay, the person goes.
        try:
            user_erase(user=obj)
        except ValueError as error:
            self.message_user(request, str(error), messages.ERROR)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            self.delete_model(request, user)

    def get_deleted_objects(self, objs, request):
        # Deleting an account runs user_erase, not a plain cascade: mails and other rows that
        # staff may not delete by hand go as part of the erasure, so they need no permission.
        deleted, model_count, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, model_count, set(), protected
