"""django-oauth-toolkit's endpoints that StreamGuard serves, under /o/ (its URL namespace)."""

from __future__ import annotations

from django.urls import path
from oauth2_provider import views as oauth_views

from . import oauth_views as views

app_name = "oauth2_provider"

urlpatterns = [
    path(
        "device-authorization/",
        views.DeviceAuthorizationView.as_view(),
        name="device-authorization",
    ),
    path("token/", views.TokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", oauth_views.IntrospectTokenView.as_view(), name="introspect"),
]
