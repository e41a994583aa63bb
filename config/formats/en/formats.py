"""English dates as StreamGuard has always shown them: "1 Dec 2026, 07:45"."""

DATETIME_FORMAT = "j M Y, H:i"
DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
