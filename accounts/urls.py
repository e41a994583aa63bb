from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from mfa import passkey_views
from mfa import views as twostep_views

from . import email_views, views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("login/verify/", twostep_views.login_verify, name="login_verify"),
    path("login/verify/cancel/", twostep_views.login_verify_cancel, name="login_verify_cancel"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profiles/", views.profiles, name="profiles"),
    path("profiles/manage/", views.profile_manage, name="profile_manage"),
    path("profiles/add/", views.profile_add, name="profile_add"),
    path("profiles/<uuid:public_id>/edit/", views.profile_edit, name="profile_edit"),
    path("profiles/<uuid:public_id>/delete/", views.profile_delete, name="profile_delete"),
    path("account/", views.account, name="account"),
    path("language/", views.language, name="language"),
    path("account/confirm-password/", views.confirm_password, name="confirm_password"),
    path("account/two-step/", twostep_views.two_step, name="two_step"),
    path("account/two-step/setup/", twostep_views.two_step_setup, name="two_step_setup"),
    path("account/two-step/off/", twostep_views.two_step_off, name="two_step_off"),
    path(
        "account/two-step/recovery-codes/",
        twostep_views.recovery_codes_new,
        name="recovery_codes_new",
    ),
    path(
        "account/two-step/recovery-codes/download/",
        twostep_views.recovery_codes_download,
        name="recovery_codes_download",
    ),
    path("account/passkeys/add/", passkey_views.passkey_add, name="passkey_add"),
    path("account/passkeys/<str:key>/remove/", passkey_views.passkey_remove, name="passkey_remove"),
    path(
        "passkeys/register/begin/",
        passkey_views.PasskeyRegisterBegin.as_view(),
        name="passkey_register_begin",
    ),
    path(
        "passkeys/register/complete/",
        passkey_views.PasskeyRegisterComplete.as_view(),
        name="passkey_register_complete",
    ),
    path("passkeys/sign-in/", passkey_views.passkey_sign_in, name="passkey_sign_in"),
    path(
        "passkeys/sign-in/begin/",
        passkey_views.PasskeyAuthBegin.as_view(),
        name="passkey_auth_begin",
    ),
    path(
        "passkeys/sign-in/complete/",
        passkey_views.PasskeyAuthComplete.as_view(),
        name="passkey_auth_complete",
    ),
    path("account/email/", email_views.email_change, name="email_change"),
    path("account/email/verify/", email_views.email_verify_resend, name="email_verify_resend"),
    path("email/verify/<str:token>/", email_views.email_verify, name="email_verify"),
    path(
        "email/change/<str:token>/",
        email_views.email_change_confirm,
        name="email_change_confirm",
    ),
    path("email/not-me/<str:token>/", email_views.email_change_not_me, name="email_change_not_me"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
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
