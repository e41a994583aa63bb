"""Create (or refresh) the demo account and print how to sign in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Profile, User
from accounts.services import account_create
from demo.seed import seed_demo_catalog
from devices.services import app_register

DEMO_EMAIL = "demo@streamguard.example"
DEMO_PASSWORD = "watch-together-2026"  # noqa: S105  (the demo prints it on purpose)
DEMO_TV_APP = "streamguard-tv"
DEMO_PROFILES = [
    ("Alex", Profile.Colour.BLUE, False),
    ("Sam", Profile.Colour.GREEN, False),
    ("Jordan", Profile.Colour.PURPLE, False),
    ("Kids", Profile.Colour.YELLOW, True),
]


class Command(BaseCommand):
    help = (
        "Create the demo account with 4 profiles (one of them Kids), the catalog and months "
        "of viewings; safe to run again."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.by_email(DEMO_EMAIL).first()
        if user is None:
            user = account_create(email=DEMO_EMAIL, password=DEMO_PASSWORD, name="Alex")
        elif not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        # The demo address receives no mail: take it as verified, so no banner asks for it.
        User.objects.filter(pk=user.pk, email_verified_at=None).update(
            email_verified_at=timezone.now()
        )
        for name, colour, is_kids in DEMO_PROFILES:
            Profile.objects.update_or_create(
                user=user,
                name__iexact=name,
                defaults={"name": name, "colour": colour, "is_kids": is_kids},
            )
        catalog = seed_demo_catalog(user=user)
        # The demo's native TV app, signing in with the device grant on /activate/.
        app_register(client_id=DEMO_TV_APP, name="StreamGuard for TV")
        self.stdout.write(
            f"Catalog: {catalog['titles']} titles; {catalog['viewings']} viewings on "
            f"{catalog['devices']} demo devices."
        )
        self.stdout.write(self.style.SUCCESS("Demo account ready."))
        self.stdout.write(f"  Email:    {DEMO_EMAIL}")
        self.stdout.write(f"  Password: {DEMO_PASSWORD}")
        self.stdout.write(f"  TV app:   client_id {DEMO_TV_APP}")
