"""The catalog follows device removal: where a removed device watched from is forgotten."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from devices.models import Device
from devices.signals import device_removed, device_renamed

from .services import device_viewings_erase, device_viewings_rename


@receiver(device_removed, dispatch_uid="catalog.erase_viewing_addresses")
def erase_viewing_addresses(sender: Any, device: Device, **kwargs: Any) -> set[str]:
    return device_viewings_erase(device)


@receiver(device_renamed, dispatch_uid="catalog.rename_viewing_device")
def rename_viewing_device(sender: Any, device: Device, **kwargs: Any) -> None:
    device_viewings_rename(device)
