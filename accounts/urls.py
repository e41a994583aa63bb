from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from . import email_views, views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profiles/", views.profiles, name="profiles"),
    path("profiles/manage/", views.profile_manage, name="profile_manage"),
    path("profiles/add/", views.profile_add, name="profile_add"),
    path("profiles/<uuid:public_id>/edit/", views.profile_edit, name="profile_edit"),
    path("profiles/<uuid:public_id>/delete/", views.profile_delete, name="profile_delete"),
    path("language/", views.language, name="language"),
    path("account/email/", email_views.email_change, name="email_change"),
    path("account/email/verify/", email_views.email_verify_resend, name="email_verify_resend"),
    path("email/verify/<str:token>/", email_views.email_verify, name="email_verify"),
    path(
        "password-reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
