"""The password gate's vocabulary: what each password check is for, and the URL that asks.

A plain module (no views, no decorators), so a service that links to the gate in an e-mail
and a view that redirects to it build the same URL. The purpose travels in that URL as a
short code; one that is missing or unknown reads as the neutral "to continue".
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

PURPOSE_PARAM = "purpose"


class Purpose(models.TextChoices):
    """What a password check guards, worded to finish "Confirm your password …"."""

    CONTINUE = "continue", _("to continue")
    TV_APPROVE = "tv_approve", _("to approve this TV")
    DEVICE_REMOVE = "device_remove", _("to remove this device")
    PARENTAL = "parental", _("to change parental controls")
    PARENTAL_PIN = "parental_pin", _("to change your parental PIN")
    TIME_ZONE = "time_zone", _("to change your time zone")
    PASSWORD_CHANGE = "password_change", _("to change your password")
    EMAIL_CHANGE = "email_change", _("to change your e-mail address")
    PROFILE_ADD = "profile_add", _("to add a profile")
    PROFILE_DELETE = "profile_delete", _("to delete a profile")
    PROFILE_KIDS_OFF = "profile_kids_off", _("to untick “Kids” on a profile")
    ACTIVITY_VIEW = "activity_view", _("to see another profile’s viewing activity")
    ACTIVITY_DOWNLOAD = "activity_download", _("to download viewing activity")
    DATA_DOWNLOAD = "data_download", _("to download your data")
    ACCOUNT_DELETE = "account_delete", _("to delete your account")
    TWO_STEP = "two_step", _("to change two-step verification")
    PASSKEYS = "passkeys", _("to manage passkeys")
    ADMIN = "admin", _("to open the admin")
    SUPPORT_ACTION = "support_action", _("to sign people out or change their accounts")
    SECURE_ACCOUNT = "secure_account", _("to secure your account")


def purpose_from(code: object) -> Purpose:
    """The purpose a code names; anything else (missing, unknown, forged) is CONTINUE."""
    if isinstance(code, str) and code in Purpose.values:
        return Purpose(code)
    return Purpose.CONTINUE


def confirm_password_url(next_url: str, *, purpose: Purpose = Purpose.CONTINUE) -> str:
    """The gate's URL: "Confirm your password <purpose>", then back to next_url."""
    query = {"next": next_url}
    if purpose != Purpose.CONTINUE:
        query[PURPOSE_PARAM] = purpose.value
    return f"{reverse('confirm_password')}?{urlencode(query)}"
