from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Device


class DeviceNameForm(forms.Form):
    """ "Name this device": 1 to 40 characters, spaces around it dropped."""

    name = forms.CharField(
        label=_("Name this device"),
        max_length=Device.NAME_MAX,
        strip=True,
        error_messages={
            "required": _("Give the device a name."),
            "max_length": _("Use at most %(limit_value)d characters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
