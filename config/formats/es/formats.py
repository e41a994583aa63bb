"""Spanish date, time and number formats: "1 dic 2026, 07:45" ("b" is the short month in
lower case, as Spanish writes it); separators are Django's own for es."""

from __future__ import annotations

DATETIME_FORMAT = "j b Y, H:i"
DATE_FORMAT = "j b Y"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = r"F \d\e Y"
MONTH_DAY_FORMAT = r"j \d\e F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
