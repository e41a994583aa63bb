from __future__ import annotations

from django.urls import path

from .views import activity, browse, playback

app_name = "catalog"

urlpatterns = [
    path("browse/", browse.browse, name="browse"),
    path("search/", browse.search, name="search"),
    path("title/<slug:slug>/", browse.title_detail, name="title"),
    path("title/<slug:slug>/poster.svg", browse.poster, name="poster"),
    path("title/<slug:slug>/unlock/", playback.title_unlock, name="unlock"),
    path("watch/<slug:slug>/", playback.watch, name="watch"),
    path("viewings/<uuid:public_id>/heartbeat/", playback.heartbeat, name="heartbeat"),
    path("viewings/<uuid:public_id>/stop/", playback.stream_stop, name="stop"),
    path("profiles/<uuid:public_id>/activity/", activity.activity, name="activity"),
    path(
        "profiles/<uuid:public_id>/activity/download/",
        activity.activity_download,
        name="activity_download",
    ),
    path(
        "profiles/<uuid:public_id>/activity/<uuid:viewing_id>/hide/",
        activity.viewing_hide,
        name="hide",
    ),
    path(
        "profiles/<uuid:public_id>/activity/<uuid:viewing_id>/unhide/",
        activity.viewing_unhide,
        name="unhide",
    ),
    path("account/streaming-activity/", activity.streaming_activity, name="streaming_activity"),
]
