"""The roles: predicates every app's permissions build on, and the grants for the role
groups shared by the data migrations that set them up. A role comes from membership of its
group, never from being a superuser."""

from django.contrib.auth.management import create_permissions

from .models import Role


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_editor(user) -> bool:
    """Editors (Redaktion): triage, feedback, measures, shortlists, the notice log."""
    return _active(user) and user.has_role(Role.EDITOR)


def is_assessor(user) -> bool:
    """Assessors (Bewertung): score the ideas assigned to them."""
    return _active(user) and user.has_role(Role.ASSESSOR)


def is_board_member(user) -> bool:
    """Members of the advisory board (Beirat): review frozen shortlists and vote."""
    return _active(user) and user.has_role(Role.BOARD)


def grant_permissions(apps, group_name: str, codes) -> None:
    """Give a group permissions by (app label, codename), creating the permissions first: in a
    fresh database they only exist once the post-migrate step has run. The permissions are
    made from the migration's own (historical) models, so that a model that later moved to
    another app is granted under the app it had then, and moves with its content type."""
    for app_config in apps.get_app_configs():
        # create_permissions skips app configs without a models module, which the
        # migrations' (historical) app configs are; the real ones get theirs back.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for app_label, codename in codes:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)
