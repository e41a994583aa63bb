"""The native apps' API (/api/v1/): JSON in and out, bearer tokens only (api/http.py)."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from accounts.http import client_ip
from accounts.models import Profile
from accounts.origin import Origin
from catalog import services as catalog
from catalog.models import Title, Viewing
from devices import services as devices
from parental import policy
from parental import services as parental
from parental.services import PinCheck

from .http import ApiRequest, api_error, bearer_required, json_body

TITLES_MAX = 200


def _profile_json(profile: Profile) -> dict[str, object]:
    return {
        "id": str(profile.public_id),
        "name": profile.name,
        "kids": profile.is_kids,
        "maturity_level": policy.max_age(profile),
        "locked": policy.profile_needs_pin(None, profile),
    }


@require_GET
@bearer_required
def me(request: ApiRequest) -> HttpResponse:
    """The account's name and its profiles ("Who's watching?")."""
    user = request.device.user
    profiles = user.profiles.select_related("controls", "user__parental_pin").order_by("id")
    current = request.device.last_profile
    return JsonResponse(
        {
            "name": user.name,
            "device": {"id": str(request.device.id), "name": request.device.name},
            "profile": str(current.public_id) if current else None,
            "profiles": [_profile_json(profile) for profile in profiles],
        }
    )


@require_POST
@bearer_required
def profile_select(request: ApiRequest, profile_id: UUID) -> HttpResponse:
    """Pick the profile this device watches as; the parental PIN where the policy asks."""
    body = json_body(request)
    if body is None:
        return api_error(400, "invalid_request", "The body is not a JSON object.")
    device = request.device
    profile = (
        device.user.profiles.select_related("controls", "user__parental_pin")
        .filter(public_id=profile_id)
        .first()
    )
    if profile is None:
        return api_error(404, "not_found", "No such profile.")
    if policy.profile_needs_pin(device.last_profile, profile):
        pin = body.get("pin")
        if not isinstance(pin, str) or not pin:
            return api_error(403, "pin_required", "This profile asks for the parental PIN.")
        origin = Origin(ip=client_ip(request), device=device, profile=profile.name)
        result = parental.pin_verify(origin=origin, user=device.user, pin=pin[:32])
        if result.check is PinCheck.LOCKED:
            return api_error(429, "pin_locked", "PIN entry is locked for this account.")
        if not result.ok:
            return JsonResponse(
                {"error": "wrong_pin", "attempts_left": result.attempts_left}, status=403
            )
    devices.device_profile_remember(device_id=str(device.id), profile=profile)
    return JsonResponse({"profile": _profile_json(profile)})


def _current_profile(request: ApiRequest) -> Profile | None:
    return request.device.last_profile


@require_GET
@bearer_required
def titles(request: ApiRequest) -> HttpResponse:
    """What the picked profile may watch (parental.policy decides)."""
    profile = _current_profile(request)
    if profile is None:
        return api_error(409, "no_profile", "Pick a profile first.")
    listed = policy.visible_titles(profile).order_by("name")[:TITLES_MAX]
    return JsonResponse(
        {
            "titles": [
                {"slug": t.slug, "name": t.name, "year": t.year, "rating": t.rating} for t in listed
            ]
        }
    )


@require_POST
@bearer_required
def playback_start(request: ApiRequest) -> HttpResponse:
    """Start playing a title on this device, within the account's stream limit."""
    profile = _current_profile(request)
    if profile is None:
        return api_error(409, "no_profile", "Pick a profile first.")
    body = json_body(request)
    slug = body.get("title") if body is not None else None
    if not isinstance(slug, str) or len(slug) > 80:
        return api_error(400, "invalid_request", "Say which title to play.")
    title = Title.objects.filter(slug=slug).first()
    if title is None or not policy.can_view(profile, title, device_id=str(request.device.id)):
        return api_error(404, "not_found", "No such title.")
    try:
        viewing = catalog.playback_start(
            profile=profile, title=title, device=request.device, ip=client_ip(request)
        )
    except catalog.PlaybackRefused as refused:
        return api_error(403, "not_allowed", refused.decision.message)
    except catalog.StreamLimitReached as limit:
        return api_error(409, "stream_limit", f"{len(limit.playing)} of {limit.limit} streams.")
    return JsonResponse(_viewing_json(viewing), status=201)


@require_POST
@bearer_required
def playback_heartbeat(request: ApiRequest, viewing_id: UUID) -> HttpResponse:
    """Keep this device's stream playing; it stops if it may no longer play."""
    viewing = Viewing.objects.filter(public_id=viewing_id, device=request.device).first()
    if viewing is None:
        return api_error(404, "not_found", "No such stream on this device.")
    return JsonResponse(_viewing_json(catalog.playback_heartbeat(viewing=viewing)))


def _viewing_json(viewing: Viewing) -> dict[str, object]:
    return {
        "id": str(viewing.public_id),
        "title": viewing.title.slug,
        "position_seconds": viewing.position_seconds,
        "playing": viewing.stopped_at is None,
        "stop_reason": viewing.stop_reason,
    }


@require_POST
@bearer_required
def sign_out(request: ApiRequest) -> HttpResponse:
    """The app signs itself out: its tokens are revoked and its Device signed out."""
    device = request.device
    devices.device_sign_out_self(user=device.user, device=device, ip=client_ip(request))
    return HttpResponse(status=204)
