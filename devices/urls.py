from __future__ import annotations

from django.urls import path

from . import views

app_name = "devices"

urlpatterns = [
    path("account/devices/", views.device_list, name="list"),
    path("account/devices/sign-out-all/", views.sign_out_all, name="sign_out_all"),
    path("account/devices/<uuid:device_id>/sign-out/", views.device_sign_out, name="sign_out"),
    path("account/devices/<uuid:device_id>/remove/", views.device_remove, name="remove"),
    path("account/devices/<uuid:device_id>/rename/", views.device_rename, name="rename"),
    path("account/security/", views.security_activity, name="security"),
    path("activate/", views.activate, name="activate"),
    path("activate/<uuid:code_id>/", views.activate_confirm, name="activate_confirm"),
    path("activate/<uuid:code_id>/sign-in/", views.activate_approve, name="activate_approve"),
    path(
        "activate/<uuid:code_id>/sign-in-24h/",
        views.activate_approve_24h,
        name="activate_approve_24h",
    ),
    path("activate/<uuid:code_id>/cancel/", views.activate_cancel, name="activate_cancel"),
]
