from __future__ import annotations

from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("browse/", views.browse, name="browse"),
    path("search/", views.search, name="search"),
    path("title/<slug:slug>/", views.title_detail, name="title"),
    path("title/<slug:slug>/poster.svg", views.poster, name="poster"),
    path("title/<slug:slug>/unlock/", views.title_unlock, name="unlock"),
    path("watch/<slug:slug>/", views.watch, name="watch"),
    path("viewings/<uuid:public_id>/heartbeat/", views.heartbeat, name="heartbeat"),
    path("viewings/<uuid:public_id>/stop/", views.stream_stop, name="stop"),
    path("profiles/<uuid:public_id>/activity/", views.activity, name="activity"),
    path(
        "profiles/<uuid:public_id>/activity/download/",
        views.activity_download,
        name="activity_download",
    ),
    path(
        "profiles/<uuid:public_id>/activity/<uuid:viewing_id>/hide/",
        views.viewing_hide,
        name="hide",
    ),
    path(
        "profiles/<uuid:public_id>/activity/<uuid:viewing_id>/unhide/",
        views.viewing_unhide,
        name="unhide",
    ),
    path("account/streaming-activity/", views.streaming_activity, name="streaming_activity"),
]
