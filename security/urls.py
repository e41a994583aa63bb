from __future__ import annotations

from django.urls import path

from . import checkup_views, factor_views, secure_views, views

urlpatterns = [
    path("account/", checkup_views.account, name="account"),
    path("account/checkup/", checkup_views.checkup_page, name="checkup"),
    path("account/checkup/dismiss/", checkup_views.checkup_dismiss, name="checkup_dismiss"),
    path("account/checkup/secure/", secure_views.secure_account, name="secure_account"),
    path(
        "account/checkup/secure/two-step/",
        secure_views.secure_account_two_step,
        name="secure_account_two_step",
    ),
    path(
        "account/checkup/secure/done/",
        secure_views.secure_account_done,
        name="secure_account_done",
    ),
    path("account/two-step/setup/", factor_views.two_step_setup, name="two_step_setup"),
    path("account/two-step/off/", factor_views.two_step_off, name="two_step_off"),
    path(
        "account/passkeys/<str:key>/remove/",
        factor_views.passkey_remove,
        name="passkey_remove",
    ),
    path(
        "passkeys/register/begin/",
        factor_views.PasskeyRegisterBegin.as_view(),
        name="passkey_register_begin",
    ),
    path(
        "passkeys/register/complete/",
        factor_views.PasskeyRegisterComplete.as_view(),
        name="passkey_register_complete",
    ),
    path(
        "email/change/<str:token>/",
        factor_views.email_change_confirm,
        name="email_change_confirm",
    ),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("email/not-me/<str:token>/", views.email_change_not_me, name="email_change_not_me"),
    path("account/devices/not-me/<str:token>/", views.not_me, name="not_me"),
]
