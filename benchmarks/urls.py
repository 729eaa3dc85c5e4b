from django.urls import path

from halle_smartcity import urls as site_urls

from . import views

urlpatterns = [
    path("_bench/ok", views.ok, name="bench-ok"),
    path("_bench/rows", views.rows, name="bench-rows"),
    *site_urls.urlpatterns,
]

handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500
