"""State changes for playback and viewing history."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from devices.geo import locate
from parental import policy

from .models import COMPLETED_SHARE, PLAYING_WINDOW, Title, Viewing

if TYPE_CHECKING:
    from accounts.models import Profile
    from devices.models import Device

    from .managers import ViewingQuerySet

UNKNOWN_DEVICE = "Unknown device"


class PlaybackRefused(Exception):
    """The policy does not let this profile play this title."""

    def __init__(self, decision: policy.Decision) -> None:
        super().__init__(decision.message)
        self.decision = decision


class StreamLimitReached(Exception):
    """The account already plays as many streams as settings.STREAM_LIMIT allows."""

    def __init__(self, *, playing: list[Viewing], limit: int) -> None:
        super().__init__(f"{len(playing)} of {limit} streams are playing.")
        self.playing = playing
        self.limit = limit


def _lock_account(user_id: int) -> None:
    # Starts and revivals of one account take turns, so two devices cannot both take
    # the last free stream. (SQLite serialises writers on its own.)
    User.objects.select_for_update().filter(pk=user_id).first()


def _stop(viewings: ViewingQuerySet, *, reason: str, now: datetime) -> int:
    return viewings.filter(stopped_at__isnull=True).update(stopped_at=now, stop_reason=reason)


@transaction.atomic
def playback_start(
    *,
    profile: Profile,
    title: Title,
    device: Device | None,
    ip: str | None,
    from_start: bool = False,
) -> Viewing:
    """Start playing a title on a device, within the account's limit of simultaneous streams."""
    decision = policy.can_play(profile, title, device_id=str(device.id) if device else None)
    if not decision:
        raise PlaybackRefused(decision)
    _lock_account(profile.user_id)
    now = timezone.now()
    live = Viewing.objects.filter(user_id=profile.user_id).playing(now)
    if device is not None:
        # One device plays one stream: starting another replaces it (a reload, a second tab).
        _stop(live.filter(device=device), reason=Viewing.StopReason.REPLACED, now=now)
    playing = list(live.select_related("profile").order_by("started_at", "id"))
    if len(playing) >= settings.STREAM_LIMIT:
        # Raising rolls the replacement above back too.
        raise StreamLimitReached(playing=playing, limit=settings.STREAM_LIMIT)
    previous = None if from_start else Viewing.objects.for_profile(profile).resume_point(title)
    location = locate(ip)
    return Viewing.objects.create(
        user_id=profile.user_id,
        profile=profile,
        title=title,
        device=device,
        device_name=device.name if device is not None else UNKNOWN_DEVICE,
        ip=ip,
        city=location.city,
        country=location.country,
        started_at=now,
        last_heartbeat_at=now,
        position_seconds=previous.position_seconds if previous is not None else 0,
    )


@transaction.atomic
def playback_heartbeat(*, viewing: Viewing) -> Viewing:
    """Keep a stream playing and save its place; stop it if it may no longer play."""
    _lock_account(viewing.user_id)
    viewing = (
        Viewing.objects.select_for_update(of=("self",))
        .select_related("title", "profile")
        .get(pk=viewing.pk)
    )
    if viewing.stopped_at is not None:
        return viewing
    now = timezone.now()
    device_id = str(viewing.device_id) if viewing.device_id else None
    if not policy.can_play(viewing.profile, viewing.title, device_id=device_id):
        return _stop_one(viewing, reason=Viewing.StopReason.NOT_ALLOWED, now=now)
    if not viewing.is_playing(now):
        # It lapsed (a sleeping tab, a lost connection) and may have lost its stream to
        # another device meanwhile: it plays on only if one is free.
        others = Viewing.objects.filter(user_id=viewing.user_id).playing(now).exclude(pk=viewing.pk)
        if others.count() >= settings.STREAM_LIMIT:
            return _stop_one(viewing, reason=Viewing.StopReason.LIMIT, now=now)
    elapsed = min(max(now - viewing.last_heartbeat_at, timedelta(0)), PLAYING_WINDOW)
    duration = viewing.title.duration_seconds
    viewing.position_seconds = min(
        viewing.position_seconds + int(elapsed.total_seconds()), duration
    )
    viewing.last_heartbeat_at = now
    viewing.completed = viewing.position_seconds >= COMPLETED_SHARE * duration
    fields = ["position_seconds", "last_heartbeat_at", "completed"]
    if viewing.position_seconds >= duration:
        viewing.stopped_at, viewing.stop_reason = now, Viewing.StopReason.FINISHED
        fields += ["stopped_at", "stop_reason"]
    viewing.save(update_fields=fields)
    return viewing


def _stop_one(viewing: Viewing, *, reason: str, now: datetime) -> Viewing:
    _stop(Viewing.objects.filter(pk=viewing.pk), reason=reason, now=now)
    viewing.stopped_at, viewing.stop_reason = now, reason
    return viewing


@transaction.atomic
def playback_stop(*, viewing: Viewing, from_device_id: str | None = None) -> bool:
    """Stop a stream; its next heartbeat is refused. False if it had already stopped."""
    here = from_device_id is not None and str(viewing.device_id) == from_device_id
    reason = Viewing.StopReason.STOPPED if here else Viewing.StopReason.REMOTE
    stopped = _stop(Viewing.objects.filter(pk=viewing.pk), reason=reason, now=timezone.now())
    viewing.refresh_from_db(fields=["stopped_at", "stop_reason"])
    return bool(stopped)


@transaction.atomic
def title_hide(*, viewing: Viewing) -> list[Viewing]:
    """Hide the viewing's title (every viewing of it, all of a series) from the profile's
    viewing activity and "Continue watching"; returns the viewings hidden."""
    shown = Viewing.objects.filter(
        profile_id=viewing.profile_id, title_id=viewing.title_id, hidden_at__isnull=True
    )
    hidden = list(shown.select_for_update())
    # One moment for all of them, so "Undo" brings back exactly these.
    moment = timezone.now()
    shown.filter(pk__in=[v.pk for v in hidden]).update(hidden_at=moment)
    viewing.hidden_at = moment if viewing in hidden else viewing.hidden_at
    return hidden


def title_unhide(*, viewing: Viewing) -> int:
    """ "Undo" a hide: the viewings of the title hidden with this one are shown again."""
    if viewing.hidden_at is None:
        return 0
    return Viewing.objects.filter(
        profile_id=viewing.profile_id, title_id=viewing.title_id, hidden_at=viewing.hidden_at
    ).update(hidden_at=None)


def device_viewings_erase(device: Device) -> set[str]:
    """Forget where a removed device watched from (what was watched stays, under its name);
    returns the addresses that were erased."""
    viewings = Viewing.objects.filter(device=device)
    ips = {ip for ip in viewings.exclude(ip=None).values_list("ip", flat=True) if ip}
    viewings.update(ip=None, city="", country="")
    return ips


def device_viewings_rename(device: Device) -> None:
    """Show a renamed device's new name on everything watched on it."""
    Viewing.objects.filter(device=device).update(device_name=device.name)
