from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("tv/", views.tv_home, name="tv_home"),
    path("tv/poll/", views.tv_poll, name="tv_poll"),
    path("tv/heartbeat/", views.tv_heartbeat, name="tv_heartbeat"),
    path("tv/profiles/<uuid:public_id>/", views.tv_profile, name="tv_profile"),
    path("tv/settings/", views.tv_settings, name="tv_settings"),
    path("tv/sign-out/", views.tv_sign_out, name="tv_sign_out"),
]
