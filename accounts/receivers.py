"""The security log hears about failed sign-ins from Django's own signal."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from .http import client_ip
from .models import SecurityEvent, User
from .securitylog import security_log
from .services import security_event_log


@receiver(user_login_failed, dispatch_uid="accounts.log_failed_sign_in")
def log_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    email = credentials.get("username") or credentials.get("email") or ""
    user = User.objects.filter(email__iexact=email).first() if email else None
    # Never the password, nor the e-mail typed (often a password in the wrong field).
    security_log(
        "authn_login_fail",
        request=request,
        user_id=user.pk if user is not None else None,
        known_account=user is not None,
    )
    if user is not None:
        security_event_log(
            user=user,
            kind=SecurityEvent.Kind.SIGN_IN_FAILED,
            ip=client_ip(request) if request is not None else None,
        )


@receiver(user_logged_in, dispatch_uid="accounts.log_sign_in")
def log_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    security_log("authn_login_success", request=request, user_id=user.pk)


@receiver(user_logged_out, dispatch_uid="accounts.log_sign_out")
def log_sign_out(
    sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    security_log("session_logout", request=request, user_id=user.pk if user else None)
