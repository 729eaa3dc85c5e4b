from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("offene-daten/", views.docs, name="docs"),
    path("api/v1/", views.ApiRoot.as_view(), name="root"),
    path("api/v1/schema/", views.SchemaView.as_view(), name="schema"),
    path("api/v1/ideas/", views.IdeaList.as_view(), name="idea-list"),
    path("api/v1/ideas/<int:pk>/", views.IdeaDetail.as_view(), name="idea-detail"),
    path("api/v1/calls/", views.CallList.as_view(), name="call-list"),
    path("api/v1/fields/", views.FieldList.as_view(), name="field-list"),
    path("api/v1/quarters/", views.QuarterList.as_view(), name="quarter-list"),
    path("api/v1/measures/", views.MeasureList.as_view(), name="measure-list"),
    path("api/v1/events/", views.EventList.as_view(), name="event-list"),
    # Anything else under /api/ answers a JSON 404, not the site's HTML page.
    re_path(r"^api/.*$", views.NotFoundView.as_view(), name="not-found"),
]
