from django.urls import path

from . import views

app_name = "devices"

urlpatterns = [
    path("account/devices/", views.device_list, name="list"),
    path("account/devices/sign-out-all/", views.sign_out_all, name="sign_out_all"),
    path("account/devices/<uuid:device_id>/sign-out/", views.device_sign_out, name="sign_out"),
    path("account/devices/<uuid:device_id>/remove/", views.device_remove, name="remove"),
    path("account/devices/not-me/<str:token>/", views.not_me, name="not_me"),
    path("account/security/", views.security_activity, name="security"),
]
