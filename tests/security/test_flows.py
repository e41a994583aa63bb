"""The flows that protect an account, called with plain values the way a view, the admin, a
command or a background task calls them, and the layout rules that keep them readable."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import weakref

import pytest
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.core import mail
from django.db.models.signals import post_save
from django.dispatch import Signal

from accounts import signals as account_signals
from accounts.models import EmailChange, SecurityEvent
from accounts.origin import Origin
from devices.models import Device
from security import services
from tests.conftest import SAFARI_IPHONE

OURS = ["accounts", "mfa", "devices", "security", "catalog", "parental", "tv", "privacy", "demo"]
WITH_SERVICES = [app for app in OURS if importlib.util.find_spec(f"{app}.services")]
SIGN_OUTS = (
    "sign_out_all",
    "sign_out_device",
    "sign_out_everywhere",
    "remove_device",
    "device_disown",
)


def _signed_in(client) -> bool:
    return client.get("/account/").status_code == 200


def test_a_password_change_from_plain_values_keeps_only_the_device_it_was_made_on(
    user, sign_in, django_capture_on_commit_callbacks
):
    laptop, phone = sign_in(user), sign_in(user, user_agent=SAFARI_IPHONE)
    kept = Device.objects.for_account(user).order_by("signed_in_at").first()

    with django_capture_on_commit_callbacks(execute=True):
        services.password_changed(
            user=user, origin=Origin(ip="81.2.69.142", device=kept), sign_out_others=True
        )

    kept.refresh_from_db()
    assert kept.signed_out_at is None
    assert not _signed_in(phone)
    assert _signed_in(laptop)
    (event,) = SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.PASSWORD_CHANGED)
    assert (event.ip, event.device) == ("81.2.69.142", kept)
    assert mail.outbox[-1].subject == "Your StreamGuard password was changed"


def test_disabling_an_account_signs_every_device_out_without_a_request(user, sign_in):
    browser = sign_in(user)

    services.account_disable(user=user, actor="operator")

    assert not _signed_in(browser)
    assert not Device.objects.for_account(user).signed_in().exists()


def test_an_email_change_reported_as_not_me_signs_out_everywhere_and_locks_changes(user, sign_in):
    browser = sign_in(user)
    change = EmailChange.objects.create(user=user, old_email=user.email, new_email="x@example.com")

    services.email_change_report(change=change, origin=Origin(ip="81.2.69.142"))

    change.refresh_from_db()
    user.refresh_from_db()
    assert change.cancelled_at is not None
    assert user.email_change_locked
    assert not _signed_in(browser)
    assert Device.objects.for_account(user).get().signed_out_reason == Device.SignOutReason.NOT_ME


def _our_receivers():
    """Every receiver of ours connected to a signal a flow could ride on."""
    ours = [user_logged_in, user_logged_out, post_save]
    ours += [value for value in vars(account_signals).values() if isinstance(value, Signal)]
    for signal in ours:
        for _key, reference, *_rest in signal.receivers:
            receiver = reference() if isinstance(reference, weakref.ReferenceType) else reference
            if receiver is not None and receiver.__module__.split(".")[0] in OURS:
                yield receiver


def test_no_receiver_signs_a_device_out():
    receivers = list(_our_receivers())
    assert receivers, "the sign-in and profile receivers are found"
    for receiver in receivers:
        source = inspect.getsource(receiver)
        assert not any(name in source for name in SIGN_OUTS), receiver.__qualname__


def test_the_apps_with_services_are_found():
    assert {"accounts", "devices", "security", "parental"} <= set(WITH_SERVICES)


@pytest.mark.parametrize("app", WITH_SERVICES)
def test_no_service_takes_the_request(app):
    module = importlib.import_module(f"{app}.services")
    for name, function in inspect.getmembers(module, inspect.isfunction):
        if function.__module__ != module.__name__:
            continue
        assert "request" not in inspect.signature(function).parameters, f"{app}.services.{name}"
