from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("veranstaltungen/", views.event_list, name="event-list"),
    path(
        "veranstaltungen/vergangene/",
        views.event_list,
        {"when": "past"},
        name="event-list-past",
    ),
    path("veranstaltungen/kalender.ics", views.event_feed, name="event-feed"),
    path("veranstaltungen/<slug:slug>/", views.event_detail, name="event-detail"),
    path("veranstaltungen/<slug:slug>/anmelden/", views.event_register, name="event-register"),
    path(
        "veranstaltungen/<slug:slug>/stornieren/", views.event_unregister, name="event-unregister"
    ),
    path("veranstaltungen/<slug:slug>/kalender.ics", views.event_ics, name="event-ics"),
    path("anmeldungen/<str:token>/", views.registration_manage, name="registration-manage"),
    path(
        "anmeldungen/<str:token>/bestaetigen/",
        views.registration_confirm,
        name="registration-confirm",
    ),
    path(
        "anmeldungen/<str:token>/stornieren/",
        views.registration_cancel,
        name="registration-cancel",
    ),
    path("zeitleiste/", views.timeline, name="timeline"),
    path("presse/", views.publication_list, name="publication-list"),
]
