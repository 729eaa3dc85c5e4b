from django.urls import path

from . import views

app_name = "board"
urlpatterns = [
    path("beirat/", views.board_home, name="home"),
    path("beirat/<int:pk>/", views.board_shortlist, name="shortlist"),
    path("beirat/<int:pk>/eintrag/<int:item_pk>/", views.board_item, name="item"),
    path("redaktion/beirat/<int:pk>/auswertung/", views.shortlist_tally, name="tally"),
]
