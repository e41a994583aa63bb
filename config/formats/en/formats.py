"""English dates as StreamGuard has always shown them: "1 Dec 2026, 07:45"."""

from __future__ import annotations

DATETIME_FORMAT = "j M Y, H:i"
DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
