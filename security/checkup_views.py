"""The Account hub with where each entry stands, and the Security checkup."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.decorators import not_for_kids
from accounts.http import AuthedHttpRequest
from devices.http import current_device_id

from . import checkup

# The suspicious sign-ins whose banner this browser dismissed; their marks stay regardless.
SESSION_DISMISSED_KEY = "checkup_dismissed"
DISMISSED_MAX = 50


@not_for_kids
def account(request: AuthedHttpRequest) -> HttpResponse:
    """ "Account": every setting, each saying where it stands."""
    return render(request, "accounts/account.html", {"state": checkup.account_state(request.user)})


@never_cache
@not_for_kids
def checkup_page(request: AuthedHttpRequest) -> HttpResponse:
    """ "Security checkup": one status per item, each with its next step."""
    report = checkup.checkup(request.user)
    dismissed = set(request.session.get(SESSION_DISMISSED_KEY, []))
    context = {
        "checkup": report,
        "banner": [device for device in report.marked if str(device.id) not in dismissed],
        "current_device_id": current_device_id(request),
    }
    return render(request, "security/checkup.html", context)


@require_POST
@not_for_kids
def checkup_dismiss(request: AuthedHttpRequest) -> HttpResponse:
    """ "Dismiss" the banner about these sign-ins (the devices stay marked two weeks)."""
    ids = []
    for value in request.POST.getlist("device")[:DISMISSED_MAX]:
        try:
            ids.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    kept = request.session.get(SESSION_DISMISSED_KEY, [])
    request.session[SESSION_DISMISSED_KEY] = list(dict.fromkeys(kept + ids))[-DISMISSED_MAX:]
    return redirect("checkup")
