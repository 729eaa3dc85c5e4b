from django.urls import path

from . import invitation_views, photo_views, views

app_name = "measures"
urlpatterns = [
    path("massnahmen/", views.measure_list, name="measure-list"),
    path("massnahmen/anhang/", views.measure_annex, name="measure-annex"),
    path("massnahmen/<slug:slug>/", views.measure_detail, name="measure-detail"),
    path(
        "werkstatt-ergebnisse/<int:pk>/foto/",
        photo_views.workshop_photo,
        name="workshop-photo",
    ),
    path("einladungen/<str:token>/", invitation_views.invitation, name="invitation"),
]
