"""The security log stores codes and data, not English sentences: rows written before are
converted (known sentences become codes, anything else stays as data)."""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations, models

FIXED = {
    "with a passkey": "with_passkey",
    "reported as not you": "not_me",
    "one device kept signed in": "one_kept",
    "every device": "every_device",
    "other devices signed out": "others_signed_out",
    "other devices kept signed in": "others_kept",
    "set by support; every device signed out": "set_by_support",
    "change stopped, every device signed out, changes locked": "email_change_stopped",
}
PARENTAL_KINDS = {"pin_set", "pin_changed", "pin_removed", "pin_locked", "parental_changed"}
SETTINGS = {
    "Maturity level": "maturity",
    "Require the PIN to open this profile": "locked",
    "Daily limit (minutes)": "daily_limit_minutes",
    "Viewing hours": "viewing_hours",
}
PLAIN = {
    "Parental PIN set": "pin_set",
    "Parental PIN changed": "pin_changed",
    "Parental PIN removed": "pin_removed",
    "PIN entry unlocked by the password": "pin_unlocked",
}
_PARENTAL = re.compile(r"^(?P<what>.+) \((?P<who>on .+)\)$", re.DOTALL)


def _who(who: str) -> dict[str, Any]:
    """ "on Chrome on Windows, profile Kids" → {"device": ..., "profile": ...}."""
    where, _sep, profile = who.rpartition(", profile ")
    if not _sep:
        where, profile = who, ""
    device = "" if where == "on an unknown device" else where.removeprefix("on ")
    return {"device": device, "profile": profile}


def _parental_what(what: str) -> tuple[str, dict[str, Any]] | None:
    if what in PLAIN:
        return PLAIN[what], {}
    if found := re.fullmatch(r"(\d+) wrong PINs?", what):
        return "pin_wrong", {"count": int(found.group(1))}
    if found := re.fullmatch(r"Time zone set to (.+)", what, re.DOTALL):
        return "time_zone_set", {"zone": found.group(1)}
    if found := re.fullmatch(r"(.+?): (.+) changed", what, re.DOTALL):
        labels = found.group(2).split(", ")
        # A label this version does not know is kept as it was written.
        return "controls_changed", {
            "for": found.group(1),
            "settings": [SETTINGS.get(label, label) for label in labels],
        }
    if found := re.fullmatch(r"(.+?): (.+) (blocked|unblocked)", what, re.DOTALL):
        code = "title_blocked" if found.group(3) == "blocked" else "title_unblocked"
        return code, {"for": found.group(1), "title": found.group(2)}
    return None


def convert(kind: str, detail: str) -> tuple[str, dict[str, Any], str]:
    """(code, params, detail) for a row written as English: known sentences become a code
    and their data; anything else is returned unchanged, as data with no code."""
    if detail in FIXED:
        return FIXED[detail], {}, ""
    if kind == "pairing_approved" and detail.endswith(", 24 hours only"):
        return "limited_24h", {}, detail.removesuffix(", 24 hours only")
    if kind in PARENTAL_KINDS and (found := _PARENTAL.match(detail)):
        parsed = _parental_what(found.group("what"))
        if parsed is not None:
            code, params = parsed
            return code, {**params, **_who(found.group("who"))}, ""
    return "", {}, detail


def forwards(apps: Any, schema_editor: Any) -> None:
    SecurityEvent = apps.get_model("accounts", "SecurityEvent")
    rows = SecurityEvent.objects.exclude(detail="").filter(code="").only("kind", "detail")
    changed = []
    for event in rows.iterator(chunk_size=2000):
        code, params, detail = convert(event.kind, event.detail)
        if code:
            event.code, event.params, event.detail = code, params, detail
            changed.append(event)
        if len(changed) >= 1000:
            SecurityEvent.objects.bulk_update(changed, ["code", "params", "detail"])
            changed = []
    if changed:
        SecurityEvent.objects.bulk_update(changed, ["code", "params", "detail"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_user_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="securityevent",
            name="code",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="securityevent",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        # Going back drops the two columns; converted rows then keep only their data.
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
