"""What the API reads from a request: its bearer token (RFC 6750), and nothing else.

A browser's session cookie is no credential here: a request without a bearer token is a
401 whether it carries a cookie or not, so a page on another site cannot drive the API."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from accounts.http import client_ip
from accounts.throttle import Throttle
from devices import oauth, services
from devices.models import Device

ApiView = Callable[..., HttpResponse]


class ApiRequest(HttpRequest):
    device: Device


def api_error(status: int, error: str, description: str = "") -> JsonResponse:
    body = {"error": error, **({"error_description": description} if description else {})}
    return JsonResponse(body, status=status)


def _unauthorized(error: str = "", description: str = "") -> JsonResponse:
    response = api_error(401, error or "unauthorized", description)
    challenge = 'Bearer realm="streamguard"'
    if error:
        challenge += f', error="{error}"'
    response["WWW-Authenticate"] = challenge
    return response


def bad_token_throttle() -> Throttle:
    """Unknown bearer tokens: 30 per IP in the activate window, like wrong codes."""
    from django.conf import settings

    return Throttle("api-token", attempts=30, window=settings.ACTIVATE_THROTTLE_WINDOW)


def bearer_token(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def bearer_required(view: ApiView) -> ApiView:
    """The app's Device from its bearer token, or 401 (RFC 6750 §3.1)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = bearer_token(request)
        if not token:
            return _unauthorized()
        throttle, ip = bad_token_throttle(), client_ip(request) or ""
        if throttle.blocked(request, ip=ip):
            response = api_error(429, "too_many_requests")
            response["Retry-After"] = str(throttle.retry_after(request, ip=ip))
            return response
        device = oauth.device_for_access_token(token)
        if device is None:
            throttle.failed(request, ip=ip)
            return _unauthorized("invalid_token", "The access token is invalid or was revoked.")
        services.app_device_seen(device=device)
        request.user = device.user
        api_request: Any = request
        api_request.device = device
        return view(api_request, *args, **kwargs)

    return login_not_required(csrf_exempt(never_cache(wrapped)))


def json_body(request: HttpRequest) -> dict[str, Any] | None:
    """The request's JSON object (or form fields); None when it is neither."""
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return None
        return body if isinstance(body, dict) else None
    return {key: request.POST.get(key) for key in request.POST}
