from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import MinAge


class MaturityLevel(models.IntegerChoices):
    """The highest minimum age (catalog.models.MinAge) a profile may watch."""

    LITTLE_KIDS = MinAge.ALL, _("Little kids")
    OLDER_KIDS = MinAge.SEVEN, _("Older kids")
    TEENS = MinAge.THIRTEEN, _("Teens")
    ADULTS_16 = MinAge.SIXTEEN, _("Adults (16+)")
    ADULTS_18 = MinAge.EIGHTEEN, _("Adults (18+)")


KIDS_LEVELS = (MaturityLevel.LITTLE_KIDS, MaturityLevel.OLDER_KIDS)


class ParentalPin(models.Model):
    """The account's 4-digit parental PIN, hashed, and its guessing lock."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="parental_pin",
        verbose_name=_("account"),
    )
    pin_hash = models.CharField(max_length=256)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong PINs in a row"), default=0)
    # Set by the fifth wrong PIN in a row; only the account password clears it: a lock
    # that lifted with time would give a patient child hundreds of guesses a day.
    locked_at = models.DateTimeField(_("PIN entry locked at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("parental PIN")
        verbose_name_plural = _("parental PINs")

    def __str__(self) -> str:
        return str(_("Parental PIN of %(user)s") % {"user": self.user})

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class ProfileControls(models.Model):
    """What one profile may watch, and whether opening it needs the PIN."""

    profile = models.OneToOneField(
        "accounts.Profile",
        on_delete=models.CASCADE,
        related_name="controls",
        verbose_name=_("profile"),
    )
    maturity = models.PositiveSmallIntegerField(
        _("Maturity level"), choices=MaturityLevel, default=MaturityLevel.ADULTS_18
    )
    locked = models.BooleanField(_("Require the PIN to open this profile"), default=False)
    blocked_titles = models.ManyToManyField(
        "catalog.Title", blank=True, related_name="+", verbose_name=_("blocked titles")
    )
    daily_limit_minutes = models.PositiveSmallIntegerField(
        _("Daily limit (minutes)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("parental controls")
        verbose_name_plural = _("parental controls")

    def __str__(self) -> str:
        return str(_("Parental controls of %(profile)s") % {"profile": self.profile})


class ViewingWindow(models.Model):
    """Allowed viewing hours of a profile on one weekday (account's time zone)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    controls = models.ForeignKey(ProfileControls, on_delete=models.CASCADE, related_name="windows")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts = models.TimeField(_("from"), default=time(7, 0))
    ends = models.TimeField(_("until"), default=time(20, 0))

    class Meta:
        ordering = ["weekday"]
        verbose_name = _("viewing hours")
        verbose_name_plural = _("viewing hours")
        constraints = [
            models.UniqueConstraint(
                fields=["controls", "weekday"], name="parental_one_window_a_day"
            ),
            # An end before the start runs past midnight (20:00–01:00); an empty one is no window.
            models.CheckConstraint(
                condition=~models.Q(starts=models.F("ends")), name="parental_window_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"

    @property
    def crosses_midnight(self) -> bool:
        return self.ends < self.starts

    def allows(self, moment: time) -> bool:
        """Does this window let its own weekday watch at this time of day?"""
        if self.crosses_midnight:
            return moment >= self.starts
        return self.starts <= moment < self.ends

    def allows_next_morning(self, moment: time) -> bool:
        """Does this window, crossing midnight, still allow the next day at this time?"""
        return self.crosses_midnight and moment < self.ends


class PinUnlock(models.Model):
    """What the PIN opened for one profile on one device, until when."""

    class Kind(models.TextChoices):
        TITLE = "title", _("A title above the maturity level")
        HOURS = "hours", _("Viewing hours and daily limit")

    profile = models.ForeignKey("accounts.Profile", on_delete=models.CASCADE, related_name="+")
    device = models.ForeignKey("devices.Device", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    title = models.ForeignKey(
        "catalog.Title", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    until = models.DateTimeField()

    class Meta:
        verbose_name = _("PIN unlock")
        verbose_name_plural = _("PIN unlocks")
        indexes = [
            models.Index(
                fields=["profile", "device", "kind", "until"], name="parental_unlock_lookup"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.profile} until {self.until:%H:%M}"
