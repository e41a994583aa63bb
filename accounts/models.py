from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .managers import (
    EmailChangeQuerySet,
    MailTaskQuerySet,
    ProfileQuerySet,
    SecurityEventQuerySet,
    UserManager,
)

MAX_PROFILES = 5
# Where a session keeps the profile picked on "Who's watching?".
SESSION_PROFILE_KEY = "profile_id"
# The request attribute where sign-in leaves the "Keep me signed in" choice for devices to
# stamp on the new session (an attribute: login() may flush the session's data).
KEEP_SIGNED_IN_ATTR = "keep_signed_in"


class User(AbstractBaseUser, PermissionsMixin):
    """A StreamGuard account: signs in with e-mail and password."""

    email = models.EmailField(_("email"), max_length=254, unique=True)
    name = models.CharField(_("name"), max_length=60)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Bumped by "sign out of all devices": mixed into the session auth hash, so every
    # session of the account dies on its next request, tracked or not.
    session_generation = models.PositiveIntegerField(
        _("session generation"), default=0, editable=False
    )
    # Viewing hours and daily limits are counted in the account holder's own time zone.
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # Set when the account holder follows the link e-mailed to this address.
    email_verified_at = models.DateTimeField(
        _("e-mail verified at"), null=True, blank=True, editable=False
    )
    # Set by "This wasn't me" on an e-mail change notice; a new password clears it.
    email_change_locked = models.BooleanField(_("e-mail changes locked"), default=False)
    # Empty: follow the browser. Pages and e-mails (commands' too) use it.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("An account with this e-mail address already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django's hash covers the password; the generation is added so a global
        # sign-out kills sessions without touching the password. Overriding this
        # private hook keeps SECRET_KEY_FALLBACKS working for both public methods.
        key_salt = "streamguard.accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt,
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Profile(models.Model):
    """One viewer in the household ("Who's watching?")."""

    class Colour(models.TextChoices):
        RED = "red", _("Red")
        ORANGE = "orange", _("Orange")
        YELLOW = "yellow", _("Yellow")
        GREEN = "green", _("Green")
        TEAL = "teal", _("Teal")
        BLUE = "blue", _("Blue")
        PURPLE = "purple", _("Purple")
        PINK = "pink", _("Pink")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="profiles", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=30)
    colour = models.CharField(
        _("colour"), max_length=10, choices=Colour.choices, default=Colour.BLUE
    )
    is_kids = models.BooleanField(_("Kids"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.UniqueConstraint(
                "user",
                Lower("name"),
                name="accounts_profile_name_unique_per_account",
                violation_error_message=_("You already have a profile with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def initial(self) -> str:
        return self.name[:1].upper()


EMAIL_LINK_MAX_AGE = 24 * 3600
# How long the old address's "This wasn't me" can undo a confirmed change.
EMAIL_UNDO_MAX_AGE = timedelta(days=7)


class EmailChange(models.Model):
    """A requested change of the sign-in address, effective once the new address confirms."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_changes")
    old_email = models.EmailField(max_length=254)
    new_email = models.EmailField(max_length=254)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = EmailChangeQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="accounts_emailchange_recent")]

    def __str__(self) -> str:
        return f"{self.old_email} → {self.new_email}"

    @property
    def is_open(self) -> bool:
        """Neither confirmed nor cancelled, and younger than the links' 24 hours."""
        age = (timezone.now() - self.created_at).total_seconds()
        return self.confirmed_at is None and self.cancelled_at is None and age < EMAIL_LINK_MAX_AGE

    @property
    def undo_open(self) -> bool:
        """Confirmed less than 7 days ago and not undone: the old address may take it back."""
        if self.confirmed_at is None or self.cancelled_at is not None:
            return False
        return timezone.now() - self.confirmed_at < EMAIL_UNDO_MAX_AGE


class SecurityEvent(models.Model):
    """Append-only log of security-relevant changes, shown to the account holder."""

    class Kind(models.TextChoices):
        """accounts' own kinds; each app above names its own (devices.events.DeviceEvent, ...)
        and registers them with accounts.events.kinds_register, so adding one needs no
        accounts migration."""

        SIGNED_UP = "signed_up", _("Account created")
        SIGNED_IN = "signed_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        SIGNED_OUT = "signed_out", _("Signed out")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset")
        PASSWORD_CONFIRMED = "password_confirmed", _("Password confirmed")
        PROFILE_ADDED = "profile_added", _("Profile added")
        PROFILE_CHANGED = "profile_changed", _("Profile changed")
        PROFILE_DELETED = "profile_deleted", _("Profile deleted")
        ACCOUNT_DISABLED = "account_disabled", _("Account disabled and signed out everywhere")
        EMAIL_VERIFIED = "email_verified", _("E-mail address verified")
        EMAIL_CHANGE_REQUESTED = "email_change_requested", _("E-mail change requested")
        EMAIL_CHANGED = "email_changed", _("E-mail address changed")
        EMAIL_CHANGE_REPORTED = "email_change_reported", _("E-mail change reported as not me")
        SIGN_UP_EXISTING = "sign_up_existing", _("Sign-up tried with this address")

    class Code(models.TextChoices):
        """A fixed phrase about the event, stored as a code and worded when it is read
        (accounts.events), so the log reads in the reader's language. Apps above accounts
        keep their own codes (devices.events.DeviceCode, parental.events.ParentalCode)."""

        WITH_PASSKEY = "with_passkey"
        # A password check, with what it was for in params["purpose"] (accounts.gate.Purpose).
        FOR_PURPOSE = "for_purpose"
        OTHERS_SIGNED_OUT = "others_signed_out"
        OTHERS_KEPT = "others_kept"
        SET_BY_SUPPORT = "set_by_support"
        EMAIL_CHANGE_STOPPED = "email_change_stopped"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="security_events", verbose_name=_("account")
    )
    # No choices: each app registers its own kinds (accounts.events.kinds_register).
    kind = models.CharField(_("what"), max_length=40)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    device = models.ForeignKey(
        "devices.Device",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("device"),
    )
    # Kept as text so the log still reads right after a device is removed.
    device_name = models.CharField(_("device name"), max_length=100, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=120, blank=True)
    # Plain data only (a profile, device or passkey name, an address); never English words.
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    # The event's fixed phrase, if any, and the data it names (profile, device, title, ...).
    code = models.CharField(_("code"), max_length=40, blank=True)
    params = models.JSONField(_("data"), default=dict, blank=True)
    # A support agent or operator acting for the account holder.
    actor = models.CharField(_("support agent"), max_length=254, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        indexes = [models.Index(fields=["user", "-created_at"], name="accounts_event_user_recent")]

    def __str__(self) -> str:
        from .events import kind_label  # worded where every app registers its kinds

        return f"{kind_label(self.kind)} ({self.user})"


class MailTask(models.Model):
    """One e-mail on its way: worded when it was queued, sent by the task queue's worker,
    tried again until the mail server takes it. The body is erased once it is sent."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Empty for the farewell to a deleted account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("account"),
    )
    to = models.EmailField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    # The same on every try, so a mail server or reader can tell a repeat from a new e-mail.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Set while a worker talks to the mail server; a worker that died leaves it behind.
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up at"), null=True, blank=True)

    objects = MailTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("mail task")
        verbose_name_plural = _("mail tasks")
        indexes = [models.Index(fields=["-created_at"], name="accounts_mailtask_recent")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

    @property
    def status(self) -> str:
        if self.sent_at is not None:
            return self.Status.SENT
        return self.Status.FAILED if self.failed_at is not None else self.Status.WAITING
