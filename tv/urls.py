from django.urls import path

from . import tv

urlpatterns = [
    path("tv/", tv.tv_home, name="tv_home"),
    path("tv/poll/", tv.tv_poll, name="tv_poll"),
    path("tv/heartbeat/", tv.tv_heartbeat, name="tv_heartbeat"),
    path("tv/profiles/<uuid:public_id>/", tv.tv_profile, name="tv_profile"),
    path("tv/sign-out/", tv.tv_sign_out, name="tv_sign_out"),
    path("activate/", tv.activate, name="activate"),
    path("activate/<uuid:code_id>/", tv.activate_confirm, name="activate_confirm"),
]
