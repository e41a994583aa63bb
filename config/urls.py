from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from config import views as config_views
from devices.oauth_views import ServerMetadataView

handler500 = "config.views.server_error"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("", include("accounts.urls")),
    path("", include("security.urls")),
    path("", include("mfa.urls")),
    path("", include("devices.urls")),
    path("", include("catalog.urls")),
    path("", include("tv.urls")),
    path("", include("parental.urls")),
    path("", include("privacy.urls")),
    path("o/", include("devices.oauth_urls")),
    path(
        ".well-known/oauth-authorization-server",
        ServerMetadataView.as_view(),
        name="oauth-server-metadata",
    ),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("healthz", config_views.healthz, name="healthz"),
    path("readyz", config_views.readyz, name="readyz"),
]
