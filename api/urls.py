from __future__ import annotations

from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("me", views.me, name="me"),
    path("profiles/<uuid:profile_id>/select", views.profile_select, name="profile_select"),
    path("titles", views.titles, name="titles"),
    path("playback", views.playback_start, name="playback"),
    path("playback/<uuid:viewing_id>/heartbeat", views.playback_heartbeat, name="heartbeat"),
    path("sign-out", views.sign_out, name="sign_out"),
]
