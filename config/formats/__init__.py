"""Per-language date, time and number formats (FORMAT_MODULE_PATH)."""
