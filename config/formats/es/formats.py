"""Spanish dates: "1 dic 2026, 07:45"."""

from __future__ import annotations

DATETIME_FORMAT = "j b Y, H:i"
DATE_FORMAT = "j b Y"
TIME_FORMAT = "H:i"
