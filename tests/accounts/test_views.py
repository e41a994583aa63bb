"""What a person sees and can do on the accounts pages: sign-up, sign-in, profiles, passwords."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.core import mail

from accounts.events import event_detail
from accounts.models import Profile, SecurityEvent, User
from tests.client import Client
from tests.conftest import CHROME_WINDOWS, SAFARI_IPHONE
from tests.factories import PASSWORD, ProfileFactory

NEW_PASSWORD = "a-brand-new-passphrase-42"
INCORRECT = "Incorrect e-mail address or password."
THROTTLED = "Too many failed sign-ins"


def text(response) -> str:
    return response.content.decode()


def signup_data(**overrides: str) -> dict[str, str]:
    return {
        "name": "Robin",
        "email": "robin@example.com",
        "password": "velvet-otter-marmalade",
        **overrides,
    }


def is_signed_in(client: Client) -> bool:
    response = client.get("/account/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


# Sign-up


def test_sign_up_creates_the_account_with_a_profile_named_after_the_holder(client, db):
    # Sign-up now answers "Check your e-mail" (the same page for an address that already
    # has an account) instead of signing in, so it tells nobody which addresses exist.
    response = client.post("/signup/", signup_data(), follow=True)

    assert response.redirect_chain == []
    assert "Check your e-mail" in text(response)
    assert "robin@example.com" in text(response)
    user = User.objects.get()
    assert user.email == "robin@example.com"
    assert user.name == "Robin"
    assert user.check_password("velvet-otter-marmalade")
    assert list(user.profiles.values_list("name", flat=True)) == ["Robin"]


def test_sign_up_lets_the_new_account_sign_in_with_its_password(client, db):
    client.post("/signup/", signup_data())
    client.post("/login/", {"username": "robin@example.com", "password": "velvet-otter-marmalade"})

    assert client.get("/account/").status_code == 200
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGNED_UP).count() == 1


def test_sign_up_with_an_existing_email_in_another_case_creates_nothing(client, user):
    # No longer "already exists": the visitor sees "Check your e-mail" as for a new address
    # (tests/accounts/test_email.py checks the owner is e-mailed instead).
    response = client.post("/signup/", signup_data(email=user.email.upper()))

    assert response.status_code == 200
    assert "Check your e-mail" in text(response)
    assert "already" not in text(response)
    assert User.objects.count() == 1
    assert not is_signed_in(client)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password123", "This password is too common."),
        ("sh0rt!", "This password is too short."),
        ("83749201834", "This password is entirely numeric."),
        ("robin@example.com", "The password is too similar to the email."),
    ],
)
def test_sign_up_with_a_weak_password_is_refused(client, db, password, message):
    response = client.post("/signup/", signup_data(password=password))

    assert response.status_code == 200
    assert message in text(response)
    assert not User.objects.exists()


@pytest.mark.parametrize("name", ["", "   "])
def test_sign_up_without_a_name_is_refused(client, db, name):
    response = client.post("/signup/", signup_data(name=name))

    assert response.status_code == 200
    assert 'id="id_name_error"' in text(response)
    assert not User.objects.exists()
    assert not Profile.objects.exists()


def test_sign_up_with_a_name_of_61_characters_is_refused(client, db):
    response = client.post("/signup/", signup_data(name="N" * 61))

    assert response.status_code == 200
    assert "Ensure this value has at most 60 characters (it has 61)." in text(response)
    assert not User.objects.exists()
    assert not Profile.objects.exists()


def test_sign_up_with_a_name_of_60_characters_gets_a_profile_name_cut_to_30(client, db):
    response = client.post("/signup/", signup_data(name="N" * 60))

    assert "Check your e-mail" in text(response)  # sign-up no longer redirects
    assert User.objects.get().name == "N" * 60
    assert Profile.objects.get().name == "N" * 30


@pytest.mark.parametrize("email", ["not-an-email", "robin@", "@example.com", "robin example.com"])
def test_sign_up_with_an_invalid_email_is_refused(client, db, email):
    response = client.post("/signup/", signup_data(email=email))

    assert response.status_code == 200
    assert "Enter a valid email address." in text(response)
    assert not User.objects.exists()


def test_sign_up_with_nothing_filled_in_shows_errors_not_a_server_error(client, db):
    response = client.post("/signup/", {"name": "", "email": "", "password": ""})

    assert response.status_code == 200
    assert text(response).count("This field is required.") == 3
    assert not User.objects.exists()


# Sign-in


def test_sign_in_page_has_email_and_password_fields_and_a_sign_in_button(client, db):
    page = text(client.get("/login/"))

    assert re.search(r'<label for="id_username">Email\b', page)
    assert re.search(r'<label for="id_password">Password\b', page)
    assert re.search(r"<button[^>]*>Sign in</button>", page)


def test_sign_in_with_the_right_password_goes_to_whos_watching(client, user):
    response = client.post("/login/", {"username": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/profiles/"
    assert is_signed_in(client)


def test_sign_in_ignores_the_case_of_the_email(client, user):
    response = client.post("/login/", {"username": user.email.upper(), "password": PASSWORD})

    assert response.status_code == 302
    assert is_signed_in(client)


def test_sign_in_with_unknown_email_and_wrong_password_answer_alike(client, user):
    wrong_password = client.post("/login/", {"username": user.email, "password": "not-it-at-all"})
    unknown_email = client.post(
        "/login/", {"username": "nobody@example.com", "password": "not-it-at-all"}
    )

    assert wrong_password.status_code == unknown_email.status_code == 200
    assert INCORRECT in text(wrong_password)
    assert INCORRECT in text(unknown_email)
    assert not is_signed_in(client)


def test_failed_sign_in_of_an_existing_account_is_logged(client, user):
    client.post("/login/", {"username": user.email, "password": "not-it-at-all"})

    event = SecurityEvent.objects.get(user=user)
    assert event.kind == SecurityEvent.Kind.SIGN_IN_FAILED
    assert event.ip == "127.0.0.1"


def test_failed_sign_in_of_an_unknown_email_logs_nothing(client, user):
    client.post("/login/", {"username": "nobody@example.com", "password": "not-it-at-all"})

    assert not SecurityEvent.objects.exists()


def test_sign_in_is_throttled_after_too_many_failures_even_with_the_right_password(
    client, user, settings
):
    settings.SIGNIN_THROTTLE_ATTEMPTS = 3
    for _ in range(3):
        response = client.post("/login/", {"username": user.email, "password": "guess"})
        assert INCORRECT in text(response)

    response = client.post("/login/", {"username": user.email, "password": PASSWORD})

    # Throttled sign-in answers 429 with the page and when to come back.
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert THROTTLED in text(response)
    assert not is_signed_in(client)


def test_sign_in_below_the_failure_limit_still_works(client, user, settings):
    settings.SIGNIN_THROTTLE_ATTEMPTS = 3
    for _ in range(2):
        client.post("/login/", {"username": user.email, "password": "guess"})

    response = client.post("/login/", {"username": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert is_signed_in(client)


def test_sign_in_throttle_counts_one_email_across_ips_and_cases(client, user, settings):
    settings.SIGNIN_THROTTLE_ATTEMPTS = 3
    for n, email in enumerate([user.email, user.email.upper(), user.email]):
        client.post(
            "/login/", {"username": email, "password": "guess"}, REMOTE_ADDR=f"203.0.113.{n}"
        )

    response = client.post(
        "/login/", {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )

    assert THROTTLED in text(response)
    assert not is_signed_in(client)


# Sign-out


def test_sign_out_signs_out_this_browser_only(user, sign_in):
    laptop = sign_in(user, user_agent=CHROME_WINDOWS)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)

    response = laptop.post("/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert not is_signed_in(laptop)
    assert is_signed_in(phone)


def test_sign_out_by_get_is_refused_and_keeps_the_browser_signed_in(user, sign_in):
    laptop = sign_in(user)

    response = laptop.get("/logout/")

    assert response.status_code == 405
    assert is_signed_in(laptop)


# CSRF


def test_post_to_logout_without_csrf_token_is_refused(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    response = browser.post("/logout/")

    assert response.status_code == 403
    assert is_signed_in(browser)


def test_post_to_add_profile_without_csrf_token_is_refused(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    response = browser.post("/profiles/add/", {"name": "Sneaky", "colour": "red"})

    assert response.status_code == 403
    assert not Profile.objects.filter(name="Sneaky").exists()
    assert user.profiles.count() == 1


def test_csrf_token_from_the_sign_in_page_signs_in_and_out(user):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/login/")
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/login/",
        {"username": user.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    token = browser.cookies["csrftoken"].value  # rotated by the sign-in

    assert browser.post("/logout/").status_code == 403
    assert is_signed_in(browser)

    assert browser.post("/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert not is_signed_in(browser)


# Private by default


@pytest.mark.parametrize(
    "path", ["/account/", "/profiles/", "/account/password/", "/account/devices/"]
)
def test_anonymous_visitor_is_sent_to_sign_in(client, db, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


def test_anonymous_htmx_request_gets_a_client_redirect_to_sign_in(client, db):
    response = client.get("/account/devices/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/login/?next=")
    assert b"<form" not in response.content


def test_anonymous_htmx_request_returns_to_the_page_it_came_from(client, db):
    response = client.get(
        "/account/devices/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/account/"},
    )

    assert response["HX-Redirect"] == "/login/?next=/account/"


# Profiles


def test_whos_watching_lists_every_profile(user, sign_in):
    ProfileFactory(user=user, name="Juniper")
    ProfileFactory(user=user, name="Kestrel", is_kids=True)

    page = text(sign_in(user).get("/profiles/"))

    assert "Who's watching?" in page
    for name in [user.name, "Juniper", "Kestrel"]:
        assert name in page


def test_whos_watching_does_not_show_another_accounts_profiles(user, other_user, sign_in):
    ProfileFactory(user=other_user, name="Stranger")

    page = text(sign_in(user).get("/profiles/"))

    assert "Stranger" not in page


def test_whos_watching_with_5_profiles_takes_a_fixed_number_of_queries(
    user, sign_in, django_assert_max_num_queries
):
    ProfileFactory.create_batch(4, user=user)
    browser = sign_in(user)
    picked = user.profiles.last()
    browser.post(f"/profiles/{picked.public_id}/pick/")

    with django_assert_max_num_queries(4):
        response = browser.get("/profiles/")

    assert response.status_code == 200
    assert text(response).count('class="profile-name"') == 5


def test_picking_a_profile_shows_its_name_in_every_page_header(user, confirmed):
    profile = ProfileFactory(user=user, name="Zanzibar")
    browser = confirmed(user)  # "Change password" is behind the recent-authentication gate
    assert "Zanzibar" not in text(browser.get("/account/"))

    response = browser.post(f"/profiles/{profile.public_id}/pick/", follow=True)

    assert response.status_code == 200
    assert "Watching as </span>Zanzibar" in text(response)
    for path in ["/account/", "/account/devices/", "/account/password/", "/profiles/"]:
        assert "Watching as </span>Zanzibar" in text(browser.get(path)), path


def test_picked_profile_belongs_to_this_browser_only(user, sign_in):
    profile = ProfileFactory(user=user, name="Zanzibar")
    laptop = sign_in(user, user_agent=CHROME_WINDOWS)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)

    laptop.post(f"/profiles/{profile.public_id}/pick/")

    assert "Zanzibar" in text(laptop.get("/account/"))
    assert "Zanzibar" not in text(phone.get("/account/"))


def test_picking_a_profile_needs_a_post(user, sign_in):
    profile = ProfileFactory(user=user, name="Zanzibar")
    browser = sign_in(user)

    assert browser.get(f"/profiles/{profile.public_id}/pick/").status_code == 405
    assert "Zanzibar" not in text(browser.get("/account/"))


def test_add_profile_with_colour_and_kids_flag(user, confirmed):
    browser = confirmed(user)

    response = browser.post(
        "/profiles/add/", {"name": "Pip", "colour": "green", "is_kids": "on"}, follow=True
    )

    assert response.redirect_chain == [("/profiles/manage/", 302)]
    assert "Profile “Pip” added." in text(response)
    profile = user.profiles.get(name="Pip")
    assert profile.colour == Profile.Colour.GREEN
    assert profile.is_kids is True


def test_rename_and_recolour_a_profile(user, sign_in):
    profile = ProfileFactory(user=user, name="Pip", colour="blue")
    browser = sign_in(user)

    response = browser.post(
        f"/profiles/{profile.public_id}/edit/", {"name": "Pippa", "colour": "pink"}
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.name, profile.colour) == ("Pippa", Profile.Colour.PINK)
    assert "Pippa" in text(browser.get("/profiles/"))


def test_kids_flag_can_be_turned_on_and_off(user, sign_in, confirmed):
    profile = ProfileFactory(user=user, name="Pip", is_kids=False)
    browser = sign_in(user)
    url = f"/profiles/{profile.public_id}/edit/"

    browser.post(url, {"name": "Pip", "colour": "blue", "is_kids": "on"})
    profile.refresh_from_db()
    assert profile.is_kids is True

    # Unticking "Kids" lifts every rule of the profile: it needs the password re-entered.
    refused = browser.post(url, {"name": "Pip", "colour": "blue"})
    assert refused["Location"].startswith("/account/confirm-password/?next=")
    profile.refresh_from_db()
    assert profile.is_kids is True

    confirmed(user).post(url, {"name": "Pip", "colour": "blue"})
    profile.refresh_from_db()
    assert profile.is_kids is False


def test_a_sixth_profile_is_refused(user, confirmed):
    ProfileFactory.create_batch(4, user=user)
    browser = confirmed(user)

    response = browser.post("/profiles/add/", {"name": "Sixth", "colour": "red"})

    assert response.status_code == 200
    assert "up to 5 profiles" in text(response)
    assert user.profiles.count() == 5
    assert not user.profiles.filter(name="Sixth").exists()


def test_adding_a_profile_whose_name_exists_in_another_case_is_refused(user, confirmed):
    ProfileFactory(user=user, name="Juniper")
    browser = confirmed(user)

    response = browser.post("/profiles/add/", {"name": "JUNIPER", "colour": "red"})

    assert response.status_code == 200
    assert "You already have a profile with this name." in text(response)
    assert user.profiles.filter(name__iexact="juniper").count() == 1


def test_renaming_a_profile_to_a_name_that_exists_in_another_case_is_refused(user, sign_in):
    ProfileFactory(user=user, name="Juniper")
    profile = ProfileFactory(user=user, name="Kestrel")
    browser = sign_in(user)

    response = browser.post(
        f"/profiles/{profile.public_id}/edit/", {"name": "juniper", "colour": "blue"}
    )

    assert response.status_code == 200
    assert "You already have a profile with this name." in text(response)
    profile.refresh_from_db()
    assert profile.name == "Kestrel"


def test_two_accounts_may_use_the_same_profile_name(user, other_user, confirmed):
    ProfileFactory(user=other_user, name="Juniper")

    response = confirmed(user).post("/profiles/add/", {"name": "Juniper", "colour": "red"})

    assert response.status_code == 302
    assert user.profiles.filter(name="Juniper").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 31, "Ensure this value has at most 30 characters (it has 31)."),
    ],
)
def test_adding_a_profile_with_an_empty_or_too_long_name_is_refused(user, confirmed, name, message):
    response = confirmed(user).post("/profiles/add/", {"name": name, "colour": "red"})

    assert response.status_code == 200
    assert message in text(response)
    assert user.profiles.count() == 1


@pytest.mark.parametrize("name", ["", "x" * 31])
def test_renaming_a_profile_to_an_empty_or_too_long_name_is_refused(user, sign_in, name):
    profile = ProfileFactory(user=user, name="Pip")

    response = sign_in(user).post(
        f"/profiles/{profile.public_id}/edit/", {"name": name, "colour": "blue"}
    )

    assert response.status_code == 200
    assert 'id="id_name_error"' in text(response)
    profile.refresh_from_db()
    assert profile.name == "Pip"


def test_delete_a_profile(user, confirmed):
    profile = ProfileFactory(user=user, name="Pip")
    browser = confirmed(user)
    url = f"/profiles/{profile.public_id}/delete/"
    assert "Delete profile “Pip”?" in text(browser.get(url))

    response = browser.post(url, follow=True)

    assert response.redirect_chain == [("/profiles/manage/", 302)]
    assert "Profile “Pip” deleted." in text(response)
    assert not Profile.objects.filter(pk=profile.pk).exists()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PROFILE_DELETED).count() == 1


def test_the_last_profile_cannot_be_deleted(user, confirmed):
    (profile,) = user.profiles.all()
    browser = confirmed(user)

    response = browser.post(f"/profiles/{profile.public_id}/delete/", follow=True)

    assert response.status_code == 200
    assert "An account needs at least one profile." in text(response)
    assert Profile.objects.filter(pk=profile.pk).exists()


def test_deleting_the_picked_profile_clears_it_from_the_header(user, confirmed):
    profile = ProfileFactory(user=user, name="Zanzibar")
    browser = confirmed(user)
    browser.post(f"/profiles/{profile.public_id}/pick/")

    browser.post(f"/profiles/{profile.public_id}/delete/")

    assert "Watching as" not in text(browser.get("/account/"))


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("pick", {}),
        ("edit", {"name": "Hijacked", "colour": "red", "is_kids": "on"}),
        ("delete", {}),
    ],
)
def test_another_accounts_profile_is_not_found_and_left_alone(
    user, other_user, confirmed, action, data
):
    theirs = ProfileFactory(user=other_user, name="Theirs", colour="blue")
    # Past the password gate (delete asks for it first), another account's id is a 404.
    browser = confirmed(user)

    response = browser.post(f"/profiles/{theirs.public_id}/{action}/", data)

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.name, theirs.colour, theirs.is_kids) == ("Theirs", "blue", False)
    assert "Theirs" not in text(browser.get("/account/"))


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_another_accounts_profile_pages_are_not_found(user, other_user, confirmed, action):
    theirs = ProfileFactory(user=other_user, name="Theirs")

    response = confirmed(user).get(f"/profiles/{theirs.public_id}/{action}/")

    assert response.status_code == 404
    assert b"Theirs" not in response.content


@pytest.mark.parametrize("action", ["pick", "edit", "delete"])
@pytest.mark.parametrize("bad_id", ["1", "not-a-uuid", "0000"])
def test_a_profile_id_that_is_not_a_uuid_is_not_found(user, sign_in, action, bad_id):
    response = sign_in(user).post(f"/profiles/{bad_id}/{action}/")

    assert response.status_code == 404
    assert user.profiles.count() == 1


# Password change


def change_password(browser: Client, *, sign_out_others: bool):
    data = {
        "old_password": PASSWORD,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    if sign_out_others:
        data["sign_out_others"] = "on"
    return browser.post("/account/password/", data)


def test_change_password_page_has_sign_out_others_checkbox_checked_by_default(
    user, sign_in, confirmed
):
    page = text(confirmed(user).get("/account/password/"))

    label = re.search(r'<label for="(?P<id>[^"]+)">Sign out of all other devices', page)
    assert label
    checkbox = re.search(rf'<input[^>]*id="{label["id"]}"[^>]*>', page)
    assert checkbox
    assert 'type="checkbox"' in checkbox[0]
    assert " checked" in checkbox[0]


def test_change_password_signing_out_others_keeps_only_this_browser(
    user, sign_in, confirmed, session_engine
):
    laptop = confirmed(user, user_agent=CHROME_WINDOWS)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)

    response = change_password(laptop, sign_out_others=True)

    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert is_signed_in(laptop)
    response = phone.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/account/"


def test_change_password_keeping_others_keeps_every_browser_signed_in(
    user, sign_in, confirmed, session_engine
):
    laptop = confirmed(user, user_agent=CHROME_WINDOWS)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)

    response = change_password(laptop, sign_out_others=False)

    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert is_signed_in(phone)


@pytest.mark.parametrize("sign_out_others", [True, False])
def test_change_password_is_logged_and_emailed(
    user, sign_in, confirmed, django_capture_on_commit_callbacks, sign_out_others
):
    laptop = confirmed(user, user_agent=CHROME_WINDOWS)
    sign_in(user, user_agent=SAFARI_IPHONE)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        change_password(laptop, sign_out_others=sign_out_others)

    event = SecurityEvent.objects.get(user=user, kind=SecurityEvent.Kind.PASSWORD_CHANGED)
    expected = "other devices signed out" if sign_out_others else "other devices kept signed in"
    # Stored as a code, read in words.
    assert event_detail(event) == expected
    (email,) = mail.outbox
    assert email.to == [user.email]
    assert email.subject == CHANGED_SUBJECT
    assert expected in email.body


def test_change_password_then_the_new_password_signs_in(user, sign_in, confirmed):
    change_password(confirmed(user), sign_out_others=True)

    fresh = Client()
    assert fresh.post("/login/", {"username": user.email, "password": PASSWORD}).status_code == 200
    response = fresh.post("/login/", {"username": user.email, "password": NEW_PASSWORD})
    assert response.status_code == 302


def gate_passed_for_password_change(browser: Client) -> Client:
    """The way a person gets there: "Change password", then "Confirm your password"."""
    response = browser.get("/account/password/")
    assert response.status_code == 302
    gate = response["Location"]
    assert "purpose=password_change" in gate
    response = browser.post(gate, {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/account/password/"
    return browser


def test_the_password_is_asked_once_on_the_way_to_a_new_one(user, sign_in):
    laptop = gate_passed_for_password_change(sign_in(user))

    page = text(laptop.get("/account/password/"))
    assert "Old password" not in page
    assert 'name="old_password"' not in page
    response = laptop.post(
        "/account/password/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "sign_out_others": "on"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert is_signed_in(laptop)
    # Done: the next change, still inside the gate's window, asks for the password again.
    assert 'name="old_password"' in text(laptop.get("/account/password/"))


def test_a_gate_passed_for_something_else_still_asks_the_old_password(user, sign_in):
    laptop = sign_in(user)
    gate = laptop.get("/account/parental-pin/")["Location"]
    laptop.post(gate, {"password": PASSWORD})

    page = text(laptop.get("/account/password/"))

    assert 'name="old_password"' in page
    response = laptop.post(
        "/account/password/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_change_password_with_a_wrong_old_password_changes_nothing(
    user, sign_in, confirmed, django_capture_on_commit_callbacks
):
    laptop = confirmed(user, user_agent=CHROME_WINDOWS)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = laptop.post(
            "/account/password/",
            {
                "old_password": "not-my-password",
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
                "sign_out_others": "on",
            },
        )

    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in text(response)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert is_signed_in(phone)
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_CHANGED).exists()
    assert mail.outbox == []


# Password reset


RESET_SUBJECT = "Reset your StreamGuard password"
CHANGED_SUBJECT = "Your StreamGuard password was changed"


def sent(subject: str) -> list[mail.EmailMessage]:
    return [email for email in mail.outbox if email.subject == subject]


def reset_link(email: mail.EmailMessage) -> str:
    match = re.search(r"https?://[^/\s]+(/password-reset/[^/\s]+/[^/\s]+/)", email.body)
    assert match, email.body
    return match[1]


def test_password_reset_sends_an_email_with_a_link(client, user):
    response = client.post("/password-reset/", {"email": user.email}, follow=True)

    assert response.redirect_chain == [("/password-reset/sent/", 302)]
    assert "Check your e-mail" in text(response)
    (email,) = mail.outbox
    assert email.subject == RESET_SUBJECT
    assert email.to == [user.email]
    assert reset_link(email)


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client, user):
    known = client.post("/password-reset/", {"email": user.email}, follow=True)
    mail.outbox.clear()

    unknown = client.post("/password-reset/", {"email": "nobody@example.com"}, follow=True)

    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.status_code == known.status_code == 200
    assert "Check your e-mail" in text(unknown)
    assert mail.outbox == []


def test_password_reset_link_sets_a_new_password_and_signs_out_every_browser(
    client, user, sign_in, django_capture_on_commit_callbacks
):
    laptop = sign_in(user, user_agent=CHROME_WINDOWS)
    phone = sign_in(user, user_agent=SAFARI_IPHONE)
    client.post("/password-reset/", {"email": user.email})
    (email,) = sent(RESET_SUBJECT)

    form_page = client.get(reset_link(email), follow=True)
    assert "Choose a new password" in text(form_page)
    set_password_url = form_page.redirect_chain[-1][0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )

    assert response.status_code == 302
    assert response["Location"] == "/password-reset/done/"
    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.PASSWORD_RESET).exists()
    assert [email.to for email in sent(CHANGED_SUBJECT)] == [[user.email]]
    fresh = Client()
    assert (
        fresh.post("/login/", {"username": user.email, "password": NEW_PASSWORD}).status_code == 302
    )


def test_password_reset_link_works_only_once(client, user):
    client.post("/password-reset/", {"email": user.email})
    link = reset_link(sent(RESET_SUBJECT)[0])
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    again = Client().get(link, follow=True)

    assert "This reset link has expired or was already used." in text(again)


# Account hub and layout


def test_account_hub_links_to_the_security_pages(user, sign_in):
    page = text(sign_in(user).get("/account/"))

    assert "<h1>Account</h1>" in page
    assert '<a href="/account/password/">Change password</a>' in page
    assert '<a href="/account/devices/">Manage access and devices</a>' in page
    assert '<a href="/account/security/">Security activity</a>' in page


@pytest.mark.parametrize("path", ["/login/", "/signup/", "/password-reset/"])
def test_public_pages_load_css_and_htmx_from_this_site(client, db, path):
    assert_assets_are_local(text(client.get(path)))


@pytest.mark.parametrize("path", ["/account/", "/profiles/", "/account/password/"])
def test_private_pages_load_css_and_htmx_from_this_site(user, confirmed, path):
    assert_assets_are_local(text(confirmed(user).get(path)))


def assert_assets_are_local(page: str) -> None:
    assert '<link rel="stylesheet" href="/static/css/app.css">' in page
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', page)
    htmx = [src for src in scripts if re.search(r"/htmx[^/]*\.js$", src)]
    assert htmx, scripts
    for src in htmx:
        assert src.startswith("/static/")
        assert finders.find(src.removeprefix("/static/")), src
    linked = scripts + re.findall(r'<link[^>]*\bhref="([^"]+)"', page)
    assert not [url for url in linked if re.match(r"(https?:)?//", url)]
