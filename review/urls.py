from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("bewertung/", views.assessor_list, name="assessor-list"),
    path("bewertung/<int:pk>/", views.assessment_form, name="assessment-form"),
    path("redaktion/rangliste/<slug:slug>/", views.ranking, name="ranking"),
]
