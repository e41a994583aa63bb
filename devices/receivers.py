"""Devices follow Django's sign-in and sign-out signals and the account's own."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.models import Profile, User
from accounts.signals import (
    account_disabled,
    password_changed,
    profile_picked,
    sign_out_everywhere,
)

from . import services
from .models import Device


@receiver(user_logged_in, dispatch_uid="devices.track_sign_in")
def track_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        services.device_sign_in(request=request, user=user)


@receiver(user_logged_out, dispatch_uid="devices.track_sign_out")
def track_sign_out(
    sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    if request is not None and user is not None and hasattr(request, "session"):
        services.device_signed_out_here(request=request, user=user)


@receiver(profile_picked, dispatch_uid="devices.remember_profile")
def remember_profile(sender: Any, request: HttpRequest, profile: Profile, **kwargs: Any) -> None:
    services.device_profile_used(request=request, profile=profile)


@receiver(password_changed, dispatch_uid="devices.password_changed")
def sign_out_after_password_change(
    sender: Any,
    user: User,
    request: HttpRequest | None,
    sign_out_others: bool,
    how: str,
    actor: str = "",
    **kwargs: Any,
) -> None:
    if request is None:
        services.password_set_by_support(user=user, actor=actor)
    else:
        services.password_changed(
            request=request, user=user, sign_out_others=sign_out_others, how=how
        )


@receiver(account_disabled, dispatch_uid="devices.account_disabled")
def sign_out_disabled_account(sender: Any, user: User, actor: str = "", **kwargs: Any) -> None:
    services.sign_out_all(user=user, reason=Device.SignOutReason.SUPPORT, actor=actor, log=False)


@receiver(sign_out_everywhere, dispatch_uid="devices.sign_out_everywhere")
def sign_out_everywhere_now(
    sender: Any, user: User, reason: str, actor: str = "", **kwargs: Any
) -> None:
    why = Device.SignOutReason.NOT_ME if reason == "not_me" else Device.SignOutReason.ALL
    services.sign_out_all(user=user, reason=why, actor=actor, log=False)
