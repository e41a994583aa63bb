"""Spanish dates: "1 dic 2026, 07:45"."""

DATETIME_FORMAT = "j b Y, H:i"
DATE_FORMAT = "j b Y"
TIME_FORMAT = "H:i"
