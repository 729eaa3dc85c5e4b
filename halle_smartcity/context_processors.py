from django.conf import settings


def site(request):
    return {
        "site_name": settings.MITMACHEN_SITE_NAME,
        "city_name": settings.MITMACHEN_CITY_NAME,
    }
