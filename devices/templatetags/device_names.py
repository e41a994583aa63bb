"""`{{ viewing.device_name|device_name }}`: a stored device name in the reader's language."""

from __future__ import annotations

from django import template

from devices.names import device_name_shown

register = template.Library()


@register.filter(name="device_name")
def device_name(name: str) -> str:
    """The stored (English) name, with StreamGuard's own words translated (devices/names.py)."""
    return device_name_shown(name) if name else name
