from __future__ import annotations

from datetime import time
from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.forms.utils import flatatt
from django.utils.functional import lazy
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
        self.error_messages["min_length"] = _("Enter exactly 4 digits.")
        self.error_messages["max_length"] = _("Enter exactly 4 digits.")

    def clean(self, value: Any) -> str:
        if isinstance(value, str) and len(value.strip()) > 4:
            raise forms.ValidationError(_("Enter exactly 4 digits."))
        value = super().clean(value)
        if value and not (value.isascii() and value.isdigit()):
            raise forms.ValidationError(_("Use digits only: 4 numbers from 0 to 9."))
        return str(value)


class PinEntryForm(forms.Form):
    pin = PinField()


class PinSetForm(forms.Form):
    pin = PinField(label=_("New PIN"))
    pin_again = PinField(label=_("New PIN again"))

    def clean_pin(self) -> str:
        pin: str = self.cleaned_data["pin"]
        if pin in COMMON_PINS:
            raise forms.ValidationError(
                _("That PIN is one of the most common ones and easy to guess. Choose another.")
            )
        return pin

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("pin")
            and cleaned.get("pin_again")
            and cleaned["pin"] != cleaned["pin_again"]
        ):
            self.add_error("pin_again", _("The two PINs don't match."))
        return cleaned


AGE_HINTS = {
    MaturityLevel.LITTLE_KIDS: _("all ages"),
    MaturityLevel.OLDER_KIDS: "7+",
    MaturityLevel.TEENS: "13+",
}


def level_name(level: int) -> str:
    """ "Older kids (7+)": the level with the ages it is for."""
    level = MaturityLevel(level)
    hint = AGE_HINTS.get(level)
    if not hint:
        return str(level.label)
    return gettext("%(level)s (%(ages)s)") % {"level": level.label, "ages": hint}


def _level_label(level: MaturityLevel) -> str:
    """ "Teens (13+) — TV-Y, TV-G, G, …, PG-13, TV-14": the level and every certificate it
    allows."""
    allowed = [rating for rating, min_age in RATING_MIN_AGE.items() if min_age <= level]
    return gettext("%(level)s — %(ratings)s") % {
        "level": level_name(level),
        "ratings": ", ".join(allowed),
    }


# The choices are built at import; each label is read in the language of the page.
_lazy_level_label = lazy(_level_label, str)


class ControlsForm(forms.ModelForm[ProfileControls]):
    maturity = forms.TypedChoiceField(
        label=_("Maturity level"),
        coerce=int,
        choices=[(level.value, _lazy_level_label(level)) for level in MaturityLevel],
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
            maturity.help_text = _("A Kids profile can only be at one of these levels.")
        self.fields["daily_limit_minutes"].help_text = _("Leave empty for no daily limit.")

    def clean_locked(self) -> bool:
        locked: bool = self.cleaned_data["locked"]
        # A lock kept from before "Remove PIN" stays as a setting; a new one needs a PIN.
        if locked and not self.has_pin and not self.instance.locked:
            raise forms.ValidationError(_("Set a parental PIN first: the lock asks for it."))
        return bool(locked)

    def clean_daily_limit_minutes(self) -> int | None:
        minutes: int | None = self.cleaned_data["daily_limit_minutes"]
        if minutes is not None and not 15 <= minutes <= 1440:
            raise forms.ValidationError(_("Choose between 15 and 1440 minutes, or leave it empty."))
        return minutes


class TimeSelect(forms.Select):
    """A time picked from a list that reads 24-hour ("07:00", "20:30") like the presets,
    whatever clock the browser's locale would give a time input ("07:00 AM").

    The 97 options are joined here from strings made once (_TIME_OPTIONS), not given as
    the widget's choices and rendered through Django's option template one include each:
    fourteen of these lists, each choice copied with its form, made "Parental controls"
    cost six times the Account hub (bench/pages.py). The field is a TimeField, so what is
    posted is checked as a time, not against the list.
    """

    STEP_MINUTES = 15
    TIMES = tuple(
        f"{minutes // 60:02d}:{minutes % 60:02d}" for minutes in range(0, 24 * 60, STEP_MINUTES)
    )

    def format_value(self, value: Any) -> list[str]:
        if isinstance(value, time):
            value = value.strftime("%H:%M")
        elif isinstance(value, str):
            value = value[:5]
        return super().format_value(value)

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        chosen = set(self.format_value(value))
        # A time saved off the 15-minute steps (07:05) is still offered, and so kept.
        values = sorted({*_TIME_OPTIONS, *(v for v in chosen if v)})
        # Only a chosen value can be off the list, so every other one is made already.
        options = "".join(
            _option(v, selected=True) if v in chosen else _TIME_OPTIONS[v] for v in values
        )
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        # Safe: every value and label in `options` went through escape() in _option.
        safe_options = mark_safe(options)  # noqa: S308  # nosec B308 B703
        return format_html("<select{}>{}</select>", flatatt(final_attrs), safe_options)


def _option(value: str, *, selected: bool = False) -> str:
    shown, mark = escape(value or "—"), " selected" if selected else ""
    return f'<option value="{escape(value)}"{mark}>{shown}</option>'


# The options of every TimeSelect, made once: a page of hours has fourteen lists.
_TIME_OPTIONS = {value: _option(value) for value in ("", *TimeSelect.TIMES)}


class WindowForm(forms.Form):
    """One weekday's allowed hours."""

    enabled = forms.BooleanField(required=False, label=_("Limit hours"))
    starts = forms.TimeField(required=False, label=_("starts"), widget=TimeSelect)
    ends = forms.TimeField(required=False, label=_("ends"), widget=TimeSelect)

    def __init__(self, *args: Any, weekday: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.weekday = weekday
        self.weekday_label = ViewingWindow.Weekday(weekday).label
        for name in ("enabled", "starts", "ends"):
            self.fields[name].label = gettext("%(day)s: %(field)s") % {
                "day": self.weekday_label,
                "field": self.fields[name].label,
            }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("enabled"):
            starts, ends = cleaned.get("starts"), cleaned.get("ends")
            if starts is None or ends is None:
                raise forms.ValidationError(
                    gettext("%(day)s: give a start and an end time.") % {"day": self.weekday_label}
                )
            if starts == ends:
                raise forms.ValidationError(
                    gettext("%(day)s: the start and the end are the same time.")
                    % {"day": self.weekday_label}
                )
            # An end before the start runs past midnight (20:00–01:00): from an afternoon or
            # evening into the next morning. Anything else is a typing slip.
            if ends < starts and not (starts >= NOON >= ends):
                raise forms.ValidationError(
                    gettext(
                        "%(day)s: the end (%(ends)s) is before the start (%(starts)s). "
                        "To run past midnight, start after noon and end by noon the next day "
                        "(such as 20:00 to 01:00)."
                    )
                    % {
                        "day": self.weekday_label,
                        "ends": f"{ends:%H:%M}",
                        "starts": f"{starts:%H:%M}",
                    }
                )
        return cleaned


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[(name, name.replace("_", " ")) for name in sorted(available_timezones())],
        help_text=_(
            "Viewing hours, daily limits and the times on the parental pages follow this clock."
        ),
        error_messages={
            "invalid_choice": _(
                "That is not a time zone StreamGuard knows. Choose one from the list, "
                "such as Europe/London."
            ),
        },
    )
