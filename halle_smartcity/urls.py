from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from pages import views as page_views

from . import views

admin.site.site_header = _("Mitmachen – administration")
admin.site.site_title = _("Mitmachen")
# Staff sign in through allauth: its rate limits and (for staff) second factor apply.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("ideas.urls")),
    path("", include("discussion.urls")),
    path("", include("events.urls")),
    path("", include("review.urls")),
    path("", include("measures.urls")),
    path("", include("board.urls")),
    path("", include("notices.urls")),
    path("", include("api.urls")),
    path("konto/", include("allauth.urls")),
    path("konto/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sprache/<str:code>/", views.set_language, name="set-language"),
    path("stadt/logo", views.city_logo, name="city-logo"),
    path("stadt/favicon", views.city_favicon, name="city-favicon"),
    path("verwaltung/", admin.site.urls),
    path("datenschutz/", page_views.page, {"slug": "privacy"}, name="privacy"),
    path("impressum/", page_views.page, {"slug": "imprint"}, name="imprint"),
    path("netiquette/", page_views.page, {"slug": "netiquette"}, name="netiquette"),
    path("barrierefreiheit/", page_views.page, {"slug": "accessibility"}, name="accessibility"),
]

handler400 = "halle_smartcity.views.bad_request"
handler403 = "halle_smartcity.views.permission_denied"
handler404 = "halle_smartcity.views.not_found"
handler500 = "halle_smartcity.views.server_error"
# Uploaded images are served by ideas.image_views (who may see the idea), never as /media/.
