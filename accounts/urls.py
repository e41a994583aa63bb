from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profiles/", views.profiles, name="profiles"),
    path("profiles/manage/", views.profile_manage, name="profile_manage"),
    path("profiles/add/", views.profile_add, name="profile_add"),
    path("profiles/<uuid:public_id>/edit/", views.profile_edit, name="profile_edit"),
    path("profiles/<uuid:public_id>/delete/", views.profile_delete, name="profile_delete"),
    path("account/", views.account, name="account"),
    path("language/", views.language, name="language"),
    path("account/confirm-password/", views.confirm_password, name="confirm_password"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(success_url=reverse_lazy("password_reset_done")),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
