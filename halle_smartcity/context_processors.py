from django.urls import reverse
from django.utils import translation

from .city import city_name, current_city, site_name


def site(request):
    user = getattr(request, "user", None)
    roles = frozenset()
    if user is not None and user.is_authenticated:
        # One query, and only for signed-in users (shared with the role checks of the
        # request): the menu shows their work places.
        roles = user.role_names
    city = current_city()
    language = translation.get_language() or "de"
    return {
        "user_roles": roles,
        # The folder is read (its files' times checked) once per page, not per value.
        "site_name": site_name(language, city),
        "city_name": city_name(city),
        # The city folder's branding (halle_smartcity.city); no database query.
        "city_logo_url": reverse("city-logo") if city.logo else "",
        "city_logo_alt": city.text(city.logo_alt, language),
        "city_favicon_url": reverse("city-favicon") if city.favicon else "",
        "city_colour_style": city.colour_style,
    }
