from django.urls import path

from . import image_views, map_views, similar_views, views

app_name = "ideas"
urlpatterns = [
    path("", views.home, name="home"),
    path("aufrufe/<slug:slug>/", views.call_detail, name="call-detail"),
    path("aufrufe/<slug:slug>/idee-einreichen/", views.idea_create, name="idea-create"),
    path("aufrufe/<slug:slug>/abonnieren/", views.call_subscribe, name="call-subscribe"),
    path("ideen/", views.idea_list, name="idea-list"),
    path("ideen/aehnliche/", similar_views.similar_while_writing, name="similar-while-writing"),
    path("ideen/karte/", map_views.idea_map, name="idea-map"),
    path("ideen/karte/marker/", map_views.idea_map_markers, name="idea-map-markers"),
    path(
        "karte/stadtteile.geojson",
        map_views.quarter_boundaries_geojson,
        name="quarter-boundaries",
    ),
    path("statistik/", views.statistics_page, name="statistics"),
    path("ideen/<int:pk>/", views.idea_detail, name="idea-detail"),
    path("ideen/<int:pk>/bearbeiten/", views.idea_edit, name="idea-edit"),
    path("ideen/<int:pk>/einreichen/", views.idea_submit, name="idea-submit"),
    path("ideen/<int:pk>/eingereicht/", views.idea_submitted, name="idea-submitted"),
    path("ideen/<int:pk>/loeschen/", views.idea_delete, name="idea-delete"),
    path("meine-ideen/", views.my_ideas, name="my-ideas"),
    path("bilder/<int:pk>/<slug:variant>/", image_views.idea_image, name="image"),
]
