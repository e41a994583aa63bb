from __future__ import annotations

from django import forms

from .models import Device


class DeviceNameForm(forms.Form):
    """ "Name this device": 1 to 40 characters, spaces around it dropped."""

    name = forms.CharField(
        label="Name this device",
        max_length=Device.NAME_MAX,
        strip=True,
        error_messages={
            "required": "Give the device a name.",
            "max_length": f"Use at most {Device.NAME_MAX} characters.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
