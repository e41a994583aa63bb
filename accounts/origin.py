"""Where a change came from, as plain values a service can take from any caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from devices.models import Device


@dataclass(frozen=True)
class Origin:
    """The client's address, the device it was made on and the profile in use.

    A view builds it from the request (devices.http.request_origin); the admin, a command or
    a task passes `Origin()` or the support agent's values, so every caller logs the same way."""

    ip: str | None = None
    device: Device | None = None
    profile: str = ""

    @property
    def device_name(self) -> str:
        return self.device.name if self.device is not None else ""
