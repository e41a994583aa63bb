from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("email/not-me/<str:token>/", views.email_change_not_me, name="email_change_not_me"),
    path("account/devices/not-me/<str:token>/", views.not_me, name="not_me"),
]
