from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("abo/bestaetigen/<str:token>/", views.subscription_confirm, name="subscription-confirm"),
    path("abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("konto/benachrichtigungen/", views.notice_settings, name="settings"),
]
