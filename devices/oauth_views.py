"""The device grant's endpoints under /o/ (django-oauth-toolkit's views, StreamGuard's way):
the same codes, /activate/ page, throttles and polling rules as the browser TV, and a token
that is a Device."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from oauth2_provider import views as oauth_views
from oauth2_provider.models import DeviceGrant

from accounts.http import client_ip

from . import oauth, pairing, services
from .models import PairingCode


def oauth_error(error: str, *, status: int = 400, description: str = "") -> JsonResponse:
    """A standard OAuth 2.0 error answer (RFC 6749 §5.2, RFC 8628 §3.5)."""
    body = {"error": error, **({"error_description": description} if description else {})}
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


class DeviceAuthorizationView(oauth_views.DeviceAuthorizationView):  # type: ignore[misc]
    """RFC 8628 §3.1: an app asks for a code; it becomes a pairing code for /activate/."""

    server_class = oauth.DeviceServer

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        throttle, ip = pairing.code_throttle(), client_ip(request) or ""
        if throttle.blocked(request, ip=ip):
            refused = oauth_error("slow_down", status=429, description="Too many codes.")
            refused["Retry-After"] = str(throttle.retry_after(request, ip=ip))
            return refused
        application = oauth.app_for_client_id(request.POST.get("client_id", ""))
        if application is None or application.authorization_grant_type != (
            application.GRANT_DEVICE_CODE
        ):
            return oauth_error("invalid_client", status=401)
        throttle.failed(request, ip=ip)  # counts every code drawn, as /tv/ does
        with transaction.atomic():
            response: HttpResponse = super().post(request, *args, **kwargs)
            if response.status_code == 200:
                body = json.loads(response.content)
                pairing.app_pairing_start(
                    request=request,
                    application=application,
                    device_code=body["device_code"],
                    user_code=body["user_code"],
                )
        response["Cache-Control"] = "no-store"
        return response


class TokenView(oauth_views.TokenView):  # type: ignore[misc]
    """The token endpoint: polling follows the TV's rules, and a redeemed code is a Device."""

    def device_flow_token_response(
        self, request: HttpRequest, device_code: str, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        code = pairing.pairing_for_secret(device_code)
        client_id = request.POST.get("client_id", "")
        if code is None or code.application is None or code.application.client_id != client_id:
            return oauth_error("invalid_grant", description="Unknown device code.")
        if code.status == PairingCode.Status.REDEEMED:
            return oauth_error("invalid_grant", description="This device code was used.")
        with transaction.atomic():
            result, code = pairing.poll_locked(code=code)
            if result is not pairing.PollResult.SIGNED_IN or code.approved_by is None:
                return oauth_error(result.value)
            DeviceGrant.objects.filter(device_code=device_code).update(
                status=DeviceGrant.AUTHORIZED, user=code.approved_by
            )
            response: HttpResponse = super().device_flow_token_response(request, device_code)
            family = (
                oauth.refresh_token_family(json.loads(response.content).get("refresh_token", ""))
                if response.status_code == 200
                else None
            )
            if family is None:
                transaction.set_rollback(True)
                return response
            # The library would issue tokens again for the same device code: never.
            DeviceGrant.objects.filter(device_code=device_code).update(status=DeviceGrant.EXPIRED)
            services.app_device_sign_in(
                user=code.approved_by,
                code=code,
                application=code.application,
                token_family=family,
            )
        response["Cache-Control"] = "no-store"
        return response

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("grant_type") == "urn:ietf:params:oauth:grant-type:device_code":
            return self.device_flow_token_response(request, request.POST.get("device_code", ""))
        response: HttpResponse = super().post(request, *args, **kwargs)
        return response


class RevokeTokenView(oauth_views.RevokeTokenView):  # type: ignore[misc]
    """RFC 7009: an app revoking its own token signs its Device out ("Sign out" on the TV)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        device = oauth.device_for_token(
            request.POST.get("token", ""), client_id=request.POST.get("client_id", "")
        )
        response: HttpResponse = super().post(request, *args, **kwargs)
        if response.status_code == 200 and device is not None and device.signed_out_at is None:
            services.device_sign_out_self(user=device.user, device=device, ip=client_ip(request))
        return response


class ServerMetadataView(oauth_views.OAuthServerMetadataView):  # type: ignore[misc]
    """RFC 8414 metadata, with the device authorization endpoint (RFC 8628 §4) named."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data["device_authorization_endpoint"] = self._get_endpoint_url(
            request, "device-authorization", required=True
        )
        merged = JsonResponse(data)
        merged["Access-Control-Allow-Origin"] = "*"
        return merged
