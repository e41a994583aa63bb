from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .geo import describe_location
from .managers import DeviceQuerySet, PairingCodeQuerySet
from .names import device_label, device_name_shown
from .sessions import session_cutoffs


class Located(models.Model):
    """Where a client was: its IP address and the approximate place it maps to."""

    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)

    class Meta:
        abstract = True

    @property
    def location(self) -> str:
        """ "Lisbon, Portugal", "Portugal" or "Unknown location"."""
        return describe_location(city=self.city, country=self.country)

    @property
    def known_location(self) -> str:
        """The place, or "" when nothing is known (for logs that store it as text)."""
        return self.location if (self.city or self.country) else ""


class Device(Located):
    """One signed-in client of an account: a browser, phone, TV or console."""

    NAME_MAX = 40

    class Kind(models.TextChoices):
        COMPUTER = "computer", _("Computer")
        PHONE = "phone", _("Phone")
        TABLET = "tablet", _("Tablet")
        TV = "tv", _("TV")
        CONSOLE = "console", _("Game console")
        STICK = "stick", _("Streaming stick")
        UNKNOWN = "unknown", _("Unknown device")

    class SignOutReason(models.TextChoices):
        SELF = "self", _("Signed out on this device")
        REMOTE = "remote", _("Signed out remotely")
        ALL = "all", _("Signed out of all devices")
        PASSWORD = "password", _("Password change")
        REMOVED = "removed", _("Removed")
        EXPIRED = "expired", _("Session expired")
        SUPPORT = "support", _("Signed out by support")
        NOT_ME = "not_me", _("Reported as not you")
        SIGNED_IN_AGAIN = "signed_in_again", _("Signed in again")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="devices",
        verbose_name=_("account"),
    )
    # The value of the long-lived device cookie: the same browser signing in again
    # is the same device.
    cookie_id = models.UUIDField(default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.UNKNOWN)
    name = models.CharField(_("name"), max_length=100)
    # The account holder's own name for it ("Name this device"): kept across its sign-ins.
    given_name = models.CharField(max_length=40, blank=True)
    user_agent = models.CharField(max_length=512, blank=True)
    session_key = models.CharField(max_length=40, null=True, blank=True)  # noqa: DJ001
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now)
    signed_in_at = models.DateTimeField(_("signed in"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    signed_out_at = models.DateTimeField(_("signed out"), null=True, blank=True)
    signed_out_reason = models.CharField(
        _("why signed out"), max_length=20, choices=SignOutReason.choices, blank=True
    )
    last_profile = models.ForeignKey(
        "accounts.Profile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notified_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the new-device e-mail was sent.")
    )
    # Set for a session that ends by itself ("Sign in for 24 hours only").
    expires_at = models.DateTimeField(null=True, blank=True)
    # A native app signed in with the device grant: its app, and the family of refresh
    # tokens (django-oauth-toolkit's token_family) that is this device across refreshes.
    application = models.ForeignKey(
        "oauth2_provider.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("app"),
    )
    token_family = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session_key"],
                condition=Q(signed_out_at__isnull=True),
                name="devices_one_active_device_per_session",
            ),
            models.UniqueConstraint(
                fields=["user", "cookie_id"], name="devices_one_device_per_cookie"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-last_seen_at"], name="devices_account_recent"),
        ]
        verbose_name = _("device")
        verbose_name_plural = _("devices")

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def display_name(self) -> str:
        """The name in the reader's language; a name the account holder gave stays as it is."""
        return self.name if self.given_name else device_name_shown(self.name)

    @property
    def label(self) -> str:
        """The name as every list shows it: told apart from a device of the same name
        ("Firefox on Linux · London · since 3 Dec") when the queryset marked it so
        (`with_name_twins`); otherwise the display name."""
        return device_label(
            name=self.display_name,
            shared=bool(getattr(self, "name_shared", False)),
            city=self.city,
            country=self.country,
            since=self.signed_in_at,
        )

    @property
    def is_signed_in(self) -> bool:
        idle_cutoff, lifetime_cutoff = session_cutoffs()
        return (
            self.signed_out_at is None
            and self.last_seen_at > idle_cutoff
            and self.signed_in_at > lifetime_cutoff
            and (self.expires_at is None or self.expires_at > timezone.now())
        )

    @property
    def is_active_now(self) -> bool:
        interval = timedelta(seconds=settings.DEVICE_ACTIVITY_INTERVAL_SECONDS * 2)
        return self.is_signed_in and self.last_seen_at > timezone.now() - interval


class PairingCode(Located):
    """A code a TV shows so the account holder can sign it in from the web (RFC 8628 style)."""

    ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"  # no vowels (no words), no look-alike digits
    LENGTH = 8
    LIFETIME = timedelta(minutes=10)
    POLL_INTERVAL = 5  # seconds, grows by 5 on every poll that comes too fast

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        CANCELLED = "cancelled", _("Cancelled")
        REDEEMED = "redeemed", _("Signed in")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user_code = models.CharField(max_length=LENGTH)
    # SHA-256 of the TV's secret cookie: the secret has 256 bits, so a fast hash is enough.
    secret_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=Device.Kind.choices)
    name = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=512, blank=True)
    poll_interval = models.PositiveSmallIntegerField(default=POLL_INTERVAL)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    limited = models.BooleanField(default=False, help_text=_("Signed in for 24 hours only."))
    # The account that entered the code on /activate/: its approval page is that account's.
    looked_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A native app's code (the device grant): its secret is the grant's device code.
    application = models.ForeignKey(
        "oauth2_provider.Application",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    objects = PairingCodeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user_code"],
                condition=Q(status="pending"),
                name="devices_unique_pending_user_code",
            ),
        ]
        verbose_name = _("TV sign-in code")
        verbose_name_plural = _("TV sign-in codes")

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_name(self) -> str:
        """The TV's name in the reader's language ("TV app (Chrome on Linux)")."""
        return device_name_shown(self.name)

    @property
    def display_code(self) -> str:
        return f"{self.user_code[:4]}-{self.user_code[4:]}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class DisabledApp(models.Model):
    """A registered native app the operator disabled: it gets no code and no token."""

    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="+"
    )
    disabled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("disabled app")
        verbose_name_plural = _("disabled apps")

    def __str__(self) -> str:
        return str(self.application_id)
