"""Demo data for seed_demo: the catalog, the demo account's devices and months of viewings.

Safe to run again: titles and genres are upserted by slug, the demo devices are found by
a fixed cookie id, and the viewings on those devices are rebuilt (the same plan, ending
today), so every page always has recent data to show.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Profile, User
from catalog.models import COMPLETED_SHARE, RATING_MIN_AGE, Genre, Title, Viewing
from devices.models import Device
from parental import policy

from .data import GENRES, TITLES

DAYS = 120
SEED = 2026
DEVICE_NAMESPACE = uuid.UUID("6f1c3c2e-8f4b-4d0e-9a57-3d0b6f0c4a11")


@dataclass(frozen=True)
class DemoDevice:
    key: str
    kind: str
    name: str
    user_agent: str
    ip: str
    city: str
    country: str


# Realistic public addresses: a London home broadband line and mobile network, and a
# student flat in Lisbon where the console lives.
DEMO_DEVICES = [
    DemoDevice(
        "laptop",
        Device.Kind.COMPUTER,
        "Chrome on Windows",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        "86.134.10.20",
        "London",
        "GB",
    ),
    DemoDevice(
        "phone",
        Device.Kind.PHONE,
        "Safari on iPhone",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "92.40.180.5",
        "London",
        "GB",
    ),
    DemoDevice(
        "tv",
        Device.Kind.TV,
        "Samsung Smart TV",
        "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/538.1 (KHTML, like Gecko) "
        "Version/6.0 TV Safari/538.1",
        "86.134.10.20",
        "London",
        "GB",
    ),
    DemoDevice(
        "console",
        Device.Kind.CONSOLE,
        "PlayStation 5",
        "Mozilla/5.0 (PlayStation; PlayStation 5/6.50) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/15.4 Safari/605.1.15",
        "94.63.200.8",
        "Lisbon",
        "PT",
    ),
]
# Alex's phone on a long weekend in Rome, last week: a "New country" on the first page.
TRIP_DAYS_AGO = range(4, 7)
TRIP_IP, TRIP_CITY, TRIP_COUNTRY = "151.64.20.3", "Rome", "IT"
# Jordan took the console to Lisbon this many days ago.
MOVED_DAYS_AGO = 55


@transaction.atomic
def catalog_seed() -> int:
    """Upsert the demo genres and titles; return the number of titles."""
    genres = {
        key: Genre.objects.update_or_create(slug=slugify(name), defaults={"name": name})[0]
        for key, name in GENRES.items()
    }
    titles = [
        Title(
            slug=slugify(name),
            name=name,
            kind=kind,
            year=year,
            rating=rating,
            min_age=RATING_MIN_AGE[rating],
            runtime_minutes=minutes,
            seasons=seasons,
            synopsis=synopsis,
        )
        for name, kind, year, rating, _genres, minutes, seasons, synopsis in TITLES
    ]
    Title.objects.bulk_create(
        titles,
        update_conflicts=True,
        unique_fields=["slug"],
        update_fields=[
            "name",
            "kind",
            "year",
            "rating",
            "min_age",
            "runtime_minutes",
            "seasons",
            "synopsis",
        ],
    )
    ids = dict(Title.objects.filter(slug__in=[t.slug for t in titles]).values_list("slug", "id"))
    links = Title.genres.through
    links.objects.filter(title_id__in=ids.values()).delete()
    links.objects.bulk_create(
        links(title_id=ids[slugify(name)], genre_id=genres[key].pk)
        for name, _kind, _year, _rating, keys, *_rest in TITLES
        for key in keys
    )
    return len(titles)


def _demo_device(user: User, spec: DemoDevice, now: datetime, rng: random.Random) -> Device:
    cookie_id = uuid.uuid5(DEVICE_NAMESPACE, f"{user.pk}:{spec.key}")
    device, _created = Device.objects.update_or_create(
        user=user,
        cookie_id=cookie_id,
        defaults={
            "kind": spec.kind,
            "name": spec.name,
            "user_agent": spec.user_agent,
            "ip": spec.ip,
            "city": spec.city,
            "country": spec.country,
            "session_key": None,
            "first_seen_at": now - timedelta(days=DAYS + 10),
            "signed_in_at": now - timedelta(days=rng.randint(2, 20)),
            "last_seen_at": now - timedelta(hours=rng.randint(1, 30)),
            "signed_out_at": None,
            "signed_out_reason": "",
        },
    )
    return device


def _plan(profile: Profile, days_ago: int) -> list[str]:
    """Which demo devices this profile watches on, that day."""
    name = profile.name.lower()
    if profile.is_kids:
        return ["tv"]
    if name == "jordan":
        return ["console"] if days_ago < MOVED_DAYS_AGO else ["laptop", "tv"]
    if name == "sam":
        return ["tv", "phone"]
    return ["laptop", "phone", "tv"]


@transaction.atomic
def demo_viewings_seed(*, user: User) -> int:
    """Give the demo account its devices and DAYS days of viewings; return how many."""
    rng = random.Random(SEED)  # noqa: S311  (demo data, repeatable on purpose)
    now = timezone.now().replace(second=0, microsecond=0)
    devices = {spec.key: (_demo_device(user, spec, now, rng), spec) for spec in DEMO_DEVICES}
    Viewing.objects.filter(
        user=user, device__in=[device for device, _spec in devices.values()]
    ).delete()
    viewings = []
    for profile in Profile.objects.for_account(user):
        # The demo only ever plays what the policy lets each profile play.
        titles = list(policy.visible_titles(profile).order_by("slug"))
        if not titles:
            continue
        favourites = rng.sample(titles, k=min(8, len(titles)))
        for days_ago in range(DAYS, -1, -1):
            for _ in range(rng.choice([0, 1, 1, 2])):
                key = rng.choice(_plan(profile, days_ago))
                device, spec = devices[key]
                ip, city, country = spec.ip, spec.city, spec.country
                if key == "phone" and days_ago in TRIP_DAYS_AGO:
                    ip, city, country = TRIP_IP, TRIP_CITY, TRIP_COUNTRY
                title = rng.choice(favourites) if rng.random() < 0.5 else rng.choice(titles)
                started_at = (
                    now
                    - timedelta(days=days_ago, hours=rng.randint(0, 5), minutes=rng.randint(0, 59))
                    - timedelta(hours=2)
                )
                duration = title.duration_seconds
                # Older viewings are mostly finished; the last week's often not.
                share = 1.0 if days_ago > 7 and rng.random() < 0.8 else rng.uniform(0.1, 0.9)
                position = int(duration * share)
                ended = started_at + timedelta(seconds=position)
                completed = position >= COMPLETED_SHARE * duration
                viewings.append(
                    Viewing(
                        user=user,
                        profile=profile,
                        title=title,
                        device=device,
                        device_name=device.name,
                        ip=ip,
                        city=city,
                        country=country,
                        started_at=started_at,
                        last_heartbeat_at=min(ended, now - timedelta(minutes=5)),
                        position_seconds=position,
                        completed=completed,
                        stopped_at=min(ended, now - timedelta(minutes=5)),
                        stop_reason=(
                            Viewing.StopReason.FINISHED if completed else Viewing.StopReason.STOPPED
                        ),
                    )
                )
    Viewing.objects.bulk_create(viewings, batch_size=500)
    return len(viewings)


def seed_demo_catalog(*, user: User) -> dict[str, int]:
    """Everything seed_demo needs from the catalog, for the demo account."""
    titles = catalog_seed()
    viewings = demo_viewings_seed(user=user)
    return {"titles": titles, "viewings": viewings, "devices": len(DEMO_DEVICES)}
