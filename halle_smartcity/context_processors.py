from django.conf import settings


def site(request):
    user = getattr(request, "user", None)
    roles = set()
    if user is not None and user.is_authenticated:
        # One query, and only for signed-in users: the menu shows their work places.
        roles = set(user.groups.values_list("name", flat=True))
    return {
        "user_roles": roles,
        "site_name": settings.MITMACHEN_SITE_NAME,
        "city_name": settings.MITMACHEN_CITY_NAME,
    }
