from django.conf import settings


def site(request):
    user = getattr(request, "user", None)
    roles = frozenset()
    if user is not None and user.is_authenticated:
        # One query, and only for signed-in users (shared with the role checks of the
        # request): the menu shows their work places.
        roles = user.role_names
    return {
        "user_roles": roles,
        "site_name": settings.MITMACHEN_SITE_NAME,
        "city_name": settings.MITMACHEN_CITY_NAME,
    }
