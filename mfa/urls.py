"""Sign-in and its second step, the password gate, two-step verification and passkeys.

Paths and names are the site's own (/login/, "two_step", ...): no namespace, as before."""

from __future__ import annotations

from django.urls import path

from . import passkey_views, views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("login/verify/", views.login_verify, name="login_verify"),
    path("login/verify/cancel/", views.login_verify_cancel, name="login_verify_cancel"),
    path("account/confirm-password/", views.confirm_password, name="confirm_password"),
    path("account/two-step/", views.two_step, name="two_step"),
    path(
        "account/two-step/recovery-codes/",
        views.recovery_codes_new,
        name="recovery_codes_new",
    ),
    path(
        "account/two-step/recovery-codes/download/",
        views.recovery_codes_download,
        name="recovery_codes_download",
    ),
    path("account/passkeys/add/", passkey_views.passkey_add, name="passkey_add"),
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
]
