"""Grants for the role groups, shared by the data migrations that set them up."""


def grant_permissions(apps, group_name: str, codes) -> None:
    """Give a group permissions by (app label, codename), creating the permissions first: in a
    fresh database they only exist once the post-migrate step has run."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for app_label, codename in codes:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)
