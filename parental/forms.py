from __future__ import annotations

from datetime import time
from typing import Any
from zoneinfo import available_timezones

from django import forms

from accounts.models import Profile
from catalog.models import RATING_MIN_AGE

from .models import KIDS_LEVELS, MaturityLevel, ProfileControls, ViewingWindow

NOON = time(12, 0)

# The most used 4-digit PINs: sequences, repeats, years, keypad patterns.
# fmt: off
COMMON_PINS = frozenset((
    "1234", "0000", "1111", "2222", "3333", "4444", "5555", "6666", "7777", "8888", "9999", "1212",
    "1004", "2000", "4321", "6969", "2580", "1122", "1313", "0123", "0852", "1010", "2001", "2468",
    "1357", "9876", "3456", "5683", "1230", "0987", "7410", "1478", "2323", "0101", "1100", "5678",
    "6789", "4567", "2345", "1987", "1990", "1999", "2020", "2021", "2022", "2023", "2024", "2025",
    "2026",
))
# fmt: on


class PinField(forms.CharField):
    """Exactly four digits."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "PIN")
        kwargs.setdefault(
            "widget",
            forms.PasswordInput(
                attrs={
                    "inputmode": "numeric",
                    "pattern": "[0-9]{4}",
                    "maxlength": "4",
                    "autocomplete": "off",
                }
            ),
        )
        super().__init__(strip=True, max_length=4, min_length=4, **kwargs)
        self.error_messages["min_length"] = "Enter exactly 4 digits."
        self.error_messages["max_length"] = "Enter exactly 4 digits."

    def clean(self, value: Any) -> str:
        if isinstance(value, str) and len(value.strip()) > 4:
            raise forms.ValidationError("Enter exactly 4 digits.")
        value = super().clean(value)
        if value and not (value.isascii() and value.isdigit()):
            raise forms.ValidationError("Use digits only: 4 numbers from 0 to 9.")
        return str(value)


class PinEntryForm(forms.Form):
    pin = PinField()


class PinSetForm(forms.Form):
    pin = PinField(label="New PIN")
    pin_again = PinField(label="New PIN again")

    def clean_pin(self) -> str:
        pin: str = self.cleaned_data["pin"]
        if pin in COMMON_PINS:
            raise forms.ValidationError(
                "That PIN is one of the most common ones and easy to guess. Choose another."
            )
        return pin

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("pin")
            and cleaned.get("pin_again")
            and cleaned["pin"] != cleaned["pin_again"]
        ):
            self.add_error("pin_again", "The two PINs don't match.")
        return cleaned


AGE_HINTS = {
    MaturityLevel.LITTLE_KIDS: "all ages",
    MaturityLevel.OLDER_KIDS: "7+",
    MaturityLevel.TEENS: "13+",
}


def level_name(level: int) -> str:
    """ "Older kids (7+)": the level with the ages it is for."""
    level = MaturityLevel(level)
    hint = AGE_HINTS.get(level)
    return f"{level.label} ({hint})" if hint else level.label


def _level_label(level: MaturityLevel) -> str:
    """ "Teens (13+) — TV-Y, TV-G, G, …, PG-13, TV-14": the level and every certificate it
    allows."""
    allowed = [rating for rating, min_age in RATING_MIN_AGE.items() if min_age <= level]
    return f"{level_name(level)} — {', '.join(allowed)}"


class ControlsForm(forms.ModelForm[ProfileControls]):
    maturity = forms.TypedChoiceField(
        label="Maturity level",
        coerce=int,
        choices=[(level.value, _level_label(level)) for level in MaturityLevel],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ProfileControls
        fields = ["maturity", "locked", "daily_limit_minutes"]
        widgets = {"daily_limit_minutes": forms.NumberInput(attrs={"min": 15, "max": 1440})}

    def __init__(self, *args: Any, profile: Profile, has_pin: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.profile, self.has_pin = profile, has_pin
        maturity = self.fields["maturity"]
        if profile.is_kids:
            maturity.choices = [(level.value, _level_label(level)) for level in KIDS_LEVELS]  # type: ignore[attr-defined]
            maturity.help_text = "A Kids profile can only be at one of these levels."
        self.fields["daily_limit_minutes"].help_text = "Leave empty for no daily limit."

    def clean_locked(self) -> bool:
        locked: bool = self.cleaned_data["locked"]
        # A lock kept from before "Remove PIN" stays as a setting; a new one needs a PIN.
        if locked and not self.has_pin and not self.instance.locked:
            raise forms.ValidationError("Set a parental PIN first: the lock asks for it.")
        return bool(locked)

    def clean_daily_limit_minutes(self) -> int | None:
        minutes: int | None = self.cleaned_data["daily_limit_minutes"]
        if minutes is not None and not 15 <= minutes <= 1440:
            raise forms.ValidationError("Choose between 15 and 1440 minutes, or leave it empty.")
        return minutes


class WindowForm(forms.Form):
    """One weekday's allowed hours."""

    enabled = forms.BooleanField(required=False, label="Limit hours")
    starts = forms.TimeField(
        required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args: Any, weekday: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.weekday = weekday
        self.weekday_label = ViewingWindow.Weekday(weekday).label
        for name in ("enabled", "starts", "ends"):
            self.fields[name].label = f"{self.weekday_label}: {self.fields[name].label or name}"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("enabled"):
            starts, ends = cleaned.get("starts"), cleaned.get("ends")
            if starts is None or ends is None:
                raise forms.ValidationError(f"{self.weekday_label}: give a start and an end time.")
            if starts == ends:
                raise forms.ValidationError(
                    f"{self.weekday_label}: the start and the end are the same time."
                )
            # An end before the start runs past midnight (20:00–01:00): from an afternoon or
            # evening into the next morning. Anything else is a typing slip.
            if ends < starts and not (starts >= NOON >= ends):
                raise forms.ValidationError(
                    f"{self.weekday_label}: the end ({ends:%H:%M}) is before the start "
                    f"({starts:%H:%M}). To run past midnight, start after noon and end "
                    "by noon the next day (such as 20:00 to 01:00)."
                )
        return cleaned


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=[(name, name.replace("_", " ")) for name in sorted(available_timezones())],
        help_text="Viewing hours, daily limits and the times on the parental pages follow "
        "this clock.",
        error_messages={
            "invalid_choice": "That is not a time zone StreamGuard knows. Choose one from "
            "the list, such as Europe/London.",
        },
    )
