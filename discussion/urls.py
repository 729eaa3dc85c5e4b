from django.urls import path

from . import views

app_name = "discussion"
urlpatterns = [
    path("ideen/<int:pk>/unterstuetzen/", views.support, name="support"),
    path(
        "ideen/<int:pk>/unterstuetzung-zurueckziehen/",
        views.support_withdraw,
        name="support-withdraw",
    ),
    path("ideen/<int:pk>/kommentieren/", views.comment, name="comment"),
    path("ideen/<int:pk>/folgen/", views.follow, name="follow"),
    path("ideen/<int:pk>/nicht-mehr-folgen/", views.unfollow, name="unfollow"),
    path("kommentare/<int:pk>/bearbeiten/", views.comment_edit, name="comment-edit"),
    path("ideen/<int:pk>/melden/", views.idea_report, name="idea-report"),
    path("kommentare/<int:pk>/melden/", views.comment_report, name="comment-report"),
    path("kommentare/<int:pk>/loeschen/", views.comment_delete, name="comment-delete"),
]
