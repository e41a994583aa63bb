"""'Download your data' and 'Delete account'."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.contrib.sessions.models import Session
from django.core import mail

from accounts.models import Profile, SecurityEvent, User
from catalog.models import Viewing
from devices.models import Device
from parental.models import ProfileControls
from parental.services import controls_for
from tests.catalog.factories import DeviceFactory, TitleFactory, ViewingFactory
from tests.client import Client
from tests.conftest import SAFARI_IPHONE, admin_sign_in
from tests.factories import PASSWORD, ProfileFactory
from tests.mfa.twostep_helpers import later, password_step, totp_code, two_step_on

# Download your data


@pytest.fixture
def history(user, kids_profile):
    device = DeviceFactory(user=user, name="=HYPERLINK(evil)", ip="81.2.69.160", city="London")
    title = TitleFactory(name="Harbour Lights")
    ViewingFactory(profile=user.profiles.get(name=user.name), title=title, device=device)
    ViewingFactory(profile=kids_profile, title=title, device_name="Samsung TV", ip="2.80.0.1")
    controls = controls_for(kids_profile)
    controls.locked = True
    controls.save()
    controls.blocked_titles.add(title)
    return device


def download(browser: Client) -> zipfile.ZipFile:
    response = browser.post("/account/data/")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_download_needs_the_password_gate(user, sign_in):
    response = sign_in(user).post("/account/data/")

    assert response["Location"].startswith("/account/confirm-password/")


def test_download_page_says_what_is_in_it(user, confirmed):
    page = confirmed(user).get("/account/data/").content.decode()

    assert "Download your data" in page
    assert "IP addresses and locations" in page


def test_download_is_one_zip_with_every_table_as_csv_and_json(user, confirmed, history):
    archive = download(confirmed(user))

    names = set(archive.namelist())
    for table in [
        "account",
        "profiles",
        "devices",
        "viewing_history",
        "security_log",
        "parental_controls",
    ]:
        assert {f"{table}.csv", f"{table}.json"} <= names
    account = json.loads(archive.read("account.json"))[0]
    assert account["email"] == user.email
    devices = json.loads(archive.read("devices.json"))
    assert {d["ip"] for d in devices} >= {"81.2.69.160"}
    assert "London" in {d["city"] for d in devices}
    viewings = json.loads(archive.read("viewing_history.json"))
    assert {v["profile"] for v in viewings} == {user.name, "Kids"}
    assert {v["ip"] for v in viewings} == {"81.2.69.142", "2.80.0.1"}
    parental = json.loads(archive.read("parental_controls.json"))
    kids = next(row for row in parental if row["profile"] == "Kids")
    assert kids["profile_lock"] is True
    assert kids["blocked_titles"] == "Harbour Lights"
    security = list(csv.DictReader(io.StringIO(archive.read("security_log.csv").decode())))
    assert "password_confirmed" in {row["kind"] for row in security}
    # A device name a spreadsheet would run as a formula is defused in the CSV.
    device_csv = archive.read("devices.csv").decode()
    assert "'=HYPERLINK(evil)" in device_csv


def test_download_holds_no_secret_and_no_other_account(user, other_user, with_pin):
    device, _codes = two_step_on(user)
    ViewingFactory(profile=other_user.profiles.get(), title=TitleFactory(name="Not Theirs"))
    browser = password_step(user)
    browser.post("/login/verify/", {"code": totp_code(device)})
    with later():
        browser.post(
            "/account/confirm-password/", {"password": PASSWORD, "code": totp_code(device)}
        )

    archive = download(browser)

    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert device.key not in everything
    assert user.password not in everything
    assert other_user.email not in everything
    assert "Not Theirs" not in everything
    assert SecurityEvent.objects.filter(user=user, kind="data_exported").exists()


def test_download_needs_a_post(user, confirmed):
    response = confirmed(user).get("/account/data/")

    assert response["Content-Type"].startswith("text/html")


# Delete account


def test_delete_needs_the_password_gate(user, sign_in):
    browser = sign_in(user)

    response = browser.post("/account/delete/", {"password": PASSWORD})

    assert response["Location"].startswith("/account/confirm-password/")
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_names_what_goes(user, confirmed, history):
    page = confirmed(user).get("/account/delete/").content.decode()

    assert "2 profiles" in page
    assert "2 viewings" in page
    assert "Privacy note" in page


@pytest.mark.parametrize("password", ["", "wrong-password"])
def test_delete_without_the_right_password_changes_nothing(user, confirmed, password):
    response = confirmed(user).post("/account/delete/", {"password": password})

    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_ends_every_session_deletes_the_data_and_sends_a_last_email(
    user, confirmed, sign_in, history, django_capture_on_commit_callbacks
):
    browser = confirmed(user)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    email = user.email

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/account/delete/", {"password": PASSWORD}, follow=True)

    assert "Account deleted" in response.content.decode()
    for client in (browser, phone):
        assert client.get("/account/").status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    for model in (Profile, Device, Viewing, SecurityEvent, ProfileControls):
        assert not model.objects.exists(), model
    assert not Session.objects.exists()
    assert mail.outbox[-1].to == [email]
    assert mail.outbox[-1].subject == "Your StreamGuard account was deleted"
    assert Client().post("/login/", {"username": email, "password": PASSWORD}).status_code == 200


def test_delete_leaves_other_accounts_alone(user, other_user, confirmed, sign_in):
    theirs = sign_in(other_user)
    ProfileFactory(user=other_user, name="Sam")

    confirmed(user).post("/account/delete/", {"password": PASSWORD})

    assert theirs.get("/account/").status_code == 200
    assert Profile.objects.filter(user=other_user).count() == 2


def test_with_two_step_on_delete_needs_the_second_step(user):
    device, _codes = two_step_on(user)
    browser = password_step(user)
    browser.post("/login/verify/", {"code": totp_code(device)})
    browser.post("/account/confirm-password/", {"password": PASSWORD})  # no code

    response = browser.post("/account/delete/", {"password": PASSWORD})

    assert response.status_code == 302
    assert User.objects.filter(pk=user.pk).exists()


def test_admin_deletes_an_account_through_the_same_service(
    user, sign_in, django_capture_on_commit_callbacks
):
    staff = User.objects.create_superuser(email="agent@example.com", password=PASSWORD, name="A")
    agent = Client()
    admin_sign_in(agent, staff)
    theirs = sign_in(user)
    data = {"action": "delete_accounts", "_selected_action": [user.pk]}

    confirm = agent.post("/admin/accounts/user/", data)
    assert "Yes, delete these accounts" in confirm.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        agent.post("/admin/accounts/user/", {**data, "confirm": "yes"})

    assert not User.objects.filter(pk=user.pk).exists()
    assert theirs.get("/account/").status_code == 302
    assert mail.outbox[-1].subject == "Your StreamGuard account was deleted"


def test_admin_cannot_delete_an_account_row_directly(user, db):
    staff = User.objects.create_superuser(email="agent@example.com", password=PASSWORD, name="A")
    agent = Client()
    admin_sign_in(agent, staff)

    response = agent.post(f"/admin/accounts/user/{user.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert User.objects.filter(pk=user.pk).exists()
