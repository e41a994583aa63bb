"""Per-profile controls: maturity level, profile lock, viewing hours, blocked titles."""

from __future__ import annotations

import html
from datetime import time

import pytest

from accounts.events import event_detail
from accounts.models import SecurityEvent
from parental import services
from parental.models import ProfileControls, ViewingWindow
from tests.catalog.factories import TitleFactory
from tests.devices.pairing_helpers import approve, code_on_screen, new_tv, poll
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def _form(maturity=18, locked=False, limit="", **days):
    data = {"maturity": str(maturity), "daily_limit_minutes": limit}
    if locked:
        data["locked"] = "on"
    for day, (starts, ends) in days.items():
        data.update({f"{day}-enabled": "on", f"{day}-starts": starts, f"{day}-ends": ends})
    return data


def test_controls_page_needs_the_password_first(user, sign_in):
    profile = user.profiles.get()
    browser = sign_in(user)

    response = browser.post(f"/profiles/{profile.public_id}/parental/", _form(maturity=0))

    assert response["Location"].startswith("/account/confirm-password/?next=%2Fprofiles%2F")
    assert not ProfileControls.objects.filter(profile=profile, maturity=0).exists()


def test_each_level_lists_the_certificates_it_allows(user, confirmed):
    profile = user.profiles.get()

    page = confirmed(user).get(f"/profiles/{profile.public_id}/parental/").content.decode()

    for label in ("Little kids", "Older kids", "Teens", "Adults (16+)", "Adults (18+)"):
        assert label in page
    assert "TV-Y" in page
    assert "PG-13" in page
    assert "TV-MA" in page


def test_saving_a_level_and_hours_is_logged(user, confirmed):
    profile = user.profiles.get()
    browser = confirmed(user)

    response = browser.post(
        f"/profiles/{profile.public_id}/parental/",
        _form(maturity=13, limit="90", day0=("07:00", "20:00"), day5=("08:00", "22:00")),
    )

    assert response.status_code == 302
    controls = ProfileControls.objects.get(profile=profile)
    assert (controls.maturity, controls.daily_limit_minutes) == (13, 90)
    assert list(controls.windows.values_list("weekday", "starts", "ends")) == [
        (0, time(7), time(20)),
        (5, time(8), time(22)),
    ]
    event = SecurityEvent.objects.get(user=user, kind="parental_changed")
    assert "Maturity level" in event_detail(event)
    assert "Viewing hours" in event_detail(event)


def test_a_kids_profile_can_only_be_at_a_kids_level(user, confirmed):
    kids = ProfileFactory(user=user, is_kids=True)
    browser = confirmed(user)

    page = browser.get(f"/profiles/{kids.public_id}/parental/").content.decode()
    response = browser.post(f"/profiles/{kids.public_id}/parental/", _form(maturity=13))

    assert "Teens" not in page
    assert response.status_code == 400
    assert ProfileControls.objects.get(profile=kids).maturity == 7


@pytest.mark.parametrize("maturity", ["12", "99", "-1", "adults", ""])
def test_a_level_not_in_the_list_is_refused_and_nothing_saved(maturity, user, confirmed):
    profile = user.profiles.get()
    browser = confirmed(user)

    response = browser.post(
        f"/profiles/{profile.public_id}/parental/", {**_form(), "maturity": maturity}
    )

    assert response.status_code == 400
    assert not ProfileControls.objects.exclude(maturity=18).exists()
    assert not SecurityEvent.objects.filter(kind="parental_changed").exists()


@pytest.mark.parametrize(
    ("days", "message"),
    [
        # 20:00–07:00 runs past midnight; 10:00–09:00 is a slip, not a night.
        ({"day2": ("10:00", "09:00")}, "the end (09:00) is before the start (10:00)"),
        ({"day2": ("19:00", "19:00")}, "the start and the end are the same time"),
        ({"day3": ("", "")}, "give a start and an end time"),
        ({"day4": ("25:00", "26:00")}, "Enter a valid time"),
    ],
)
def test_bad_viewing_hours_are_refused(days, message, user, confirmed):
    profile = user.profiles.get()

    response = confirmed(user).post(f"/profiles/{profile.public_id}/parental/", _form(**days))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ViewingWindow.objects.exists()


def test_profile_lock_needs_a_pin_first(user, confirmed):
    profile = user.profiles.get()

    response = confirmed(user).post(f"/profiles/{profile.public_id}/parental/", _form(locked=True))

    assert "Set a parental PIN first" in response.content.decode()
    assert not ProfileControls.objects.filter(locked=True).exists()


def test_another_accounts_profile_is_404(user, other_user, confirmed):
    theirs = other_user.profiles.get()
    browser = confirmed(user)

    assert browser.get(f"/profiles/{theirs.public_id}/parental/").status_code == 404
    assert browser.post(f"/profiles/{theirs.public_id}/parental/", _form(0)).status_code == 404
    assert not ProfileControls.objects.filter(profile=theirs).exists()


def test_blocking_a_title_through_the_search(user, confirmed):
    profile = user.profiles.get()
    title = TitleFactory(name="Night of the Comet")
    browser = confirmed(user)

    results = browser.get(
        f"/profiles/{profile.public_id}/parental/titles/?q=comet", headers={"HX-Request": "true"}
    )
    assert "Night of the Comet" in results.content.decode()
    assert "<html" not in results.content.decode()

    response = browser.post(
        f"/profiles/{profile.public_id}/parental/titles/block/",
        {"title": title.slug},
        headers={"HX-Request": "true"},
    )

    assert 'id="blocked-titles"' in response.content.decode()
    assert "Night of the Comet" in response.content.decode()
    assert list(ProfileControls.objects.get(profile=profile).blocked_titles.all()) == [title]
    changes = SecurityEvent.objects.filter(kind="parental_changed")
    assert any("blocked" in event_detail(event) for event in changes)

    browser.post(f"/profiles/{profile.public_id}/parental/titles/unblock/", {"title": title.slug})
    assert not ProfileControls.objects.get(profile=profile).blocked_titles.exists()


def test_blocking_confirms_and_the_search_row_says_blocked(user, confirmed):
    profile = user.profiles.get()
    title = TitleFactory(name="Night of the Comet")
    TitleFactory(name="Comet Cruise")
    browser = confirmed(user)
    url = f"/profiles/{profile.public_id}/parental/titles"

    response = browser.post(
        f"{url}/block/", {"title": title.slug, "q": "comet"}, headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert "Night of the Comet blocked." in page
    results = page[page.index('<div id="results"') :]
    assert 'hx-swap-oob="true"' in results[:80]
    row = results[results.index("Night of the Comet") :].split("</li>")[0]
    assert ">Blocked<" in row
    assert "data-focus-here" in row
    assert "Add" not in row
    assert "Add<span" in results[results.index("Comet Cruise") :].split("</li>")[0]
    # Without JavaScript too: the controls page marks it, and says it was blocked.
    plain = browser.get(f"/profiles/{profile.public_id}/parental/?q=comet").content.decode()
    plain_row = plain[plain.index("Night of the Comet <span") :]
    assert ">Blocked<" in plain_row[: plain_row.index("</li>")]

    response = browser.post(
        f"{url}/unblock/", {"title": title.slug, "q": "comet"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert "Night of the Comet unblocked." in page
    results = page[page.index('<div id="results"') :]
    assert "Add<span" in results[results.index("Night of the Comet") :].split("</li>")[0]


def test_the_overview_names_the_blocked_titles(user, confirmed):
    kids = ProfileFactory(user=user, name="Kids", is_kids=True)
    controls = services.controls_for(kids)
    controls.blocked_titles.add(
        TitleFactory(name="Night of the Comet"), TitleFactory(name="Aliens")
    )

    page = html.unescape(confirmed(user).get("/account/parental/").content.decode())

    assert "Aliens, Night of the Comet" in page


def test_blocking_a_title_that_does_not_exist_is_404(user, confirmed):
    profile = user.profiles.get()

    response = confirmed(user).post(
        f"/profiles/{profile.public_id}/parental/titles/block/", {"title": "no-such-title"}
    )

    assert response.status_code == 404


def test_title_search_needs_two_characters_and_escapes(user, confirmed):
    profile = user.profiles.get()
    browser = confirmed(user)

    short = browser.get(
        f"/profiles/{profile.public_id}/parental/titles/?q=a", follow=True
    ).content.decode()
    hostile = browser.get(
        f"/profiles/{profile.public_id}/parental/titles/",
        {"q": "<script>x</script>" * 1000},
        follow=True,
    ).content.decode()

    assert "at least 2 characters" in short
    assert "<script>x" not in hostile


def test_a_lock_without_a_pin_is_not_shown_as_locked(user, sign_in, django_assert_max_num_queries):
    # With no PIN the lock is only a setting ("Lock needs a PIN"): the profile opens freely,
    # so "Who's watching?" and the TV must not call it locked.
    parent = ProfileFactory(user=user, name="Parent")
    ProfileControls.objects.create(profile=parent, locked=True)
    browser = sign_in(user)

    tv = new_tv()
    approve(browser, code_on_screen(tv))
    poll(tv)

    for n in range(3):
        locked = ProfileFactory(user=user, name=f"Locked {n}")
        ProfileControls.objects.create(profile=locked, locked=True)

    # Whether a PIN exists comes in the profiles' own query: the session (none when Redis
    # serves it), the user, the profiles with their controls and PIN.
    with django_assert_max_num_queries(3):
        page = browser.get("/profiles/").content.decode()
    tv_home = tv.get("/tv/").content.decode()
    pick = browser.post(f"/profiles/{parent.public_id}/pick/")

    assert "Parent" in page
    assert "lock-icon" not in page
    assert "Parent" in tv_home
    assert "lock-icon" not in tv_home
    assert pick["Location"] != f"/profiles/{parent.public_id}/unlock/"


def test_locked_profile_asks_for_the_pin_on_whos_watching(user, sign_in, with_pin):
    parent = ProfileFactory(user=user, name="Parent")
    ProfileControls.objects.create(profile=parent, locked=True)
    browser = sign_in(user)

    page = browser.get("/profiles/").content.decode()
    pick = browser.post(f"/profiles/{parent.public_id}/pick/")
    pad = browser.get(pick["Location"]).content.decode()
    wrong = browser.post(pick["Location"], {"pin": "0001"})
    right = browser.post(pick["Location"], {"pin": with_pin})

    assert "Locked" in page
    assert pick["Location"] == f"/profiles/{parent.public_id}/unlock/"
    assert "Enter your PIN to open Parent" in pad
    assert 'data-digit="7"' in pad
    assert wrong.status_code == 400
    assert right.status_code == 302
    assert "Parent" in browser.get("/account/").content.decode()


def test_a_locked_profile_cannot_be_picked_by_posting_straight_to_pick(user, sign_in, with_pin):
    parent = ProfileFactory(user=user, name="Parent")
    ProfileControls.objects.create(profile=parent, locked=True)
    browser = sign_in(user)

    browser.post(f"/profiles/{parent.public_id}/pick/")

    assert browser.session.get("profile_id") != str(parent.public_id)


def test_the_account_time_zone_is_set_behind_the_password_and_logged(user, sign_in, confirmed):
    assert sign_in(user).get("/account/time-zone/").status_code == 302
    browser = confirmed(user)

    bad = browser.post("/account/time-zone/", {"time_zone": "Mars/Olympus_Mons"})
    good = browser.post("/account/time-zone/", {"time_zone": "Europe/Lisbon"})

    assert bad.status_code == 400
    assert good["Location"] == "/account/"
    user.refresh_from_db()
    assert user.time_zone == "Europe/Lisbon"
    assert any(
        event_detail(event).startswith("Time zone set to Europe/Lisbon")
        for event in SecurityEvent.objects.all()
    )


def test_the_weekday_time_pickers_read_24_hour_like_the_presets(user, confirmed):
    profile = user.profiles.get()
    controls = services.controls_for(profile)
    ViewingWindow.objects.create(controls=controls, weekday=0, starts=time(7), ends=time(20, 5))

    page = confirmed(user).get(f"/profiles/{profile.public_id}/parental/").content.decode()

    monday_from = page[page.index('name="day0-starts"') :].split("</select>")[0]
    assert '<option value="07:00" selected>07:00</option>' in monday_from
    assert '<option value="19:45">19:45</option>' in monday_from
    assert "AM" not in monday_from
    assert "PM" not in monday_from
    monday_until = page[page.index('name="day0-ends"') :].split("</select>")[0]
    assert '<option value="20:05" selected>20:05</option>' in monday_until  # off-step, kept
    assert 'type="time"' not in page


def test_a_posted_time_that_is_no_time_comes_back_escaped_with_an_error(user, confirmed):
    profile = user.profiles.get()
    browser = confirmed(user)

    answer = browser.post(
        f"/profiles/{profile.public_id}/parental/",
        {"maturity": "all", "day2-enabled": "on", "day2-starts": '<b">', "day2-ends": "20:00"},
    )

    page = answer.content.decode()
    assert answer.status_code == 400
    wednesday_from = page[page.index('name="day2-starts"') :].split("</select>")[0]
    assert '<option value="&lt;b&quot;&gt;" selected>&lt;b&quot;&gt;</option>' in wednesday_from
    assert '<b">' not in page
    assert not ViewingWindow.objects.filter(controls__profile=profile).exists()


def test_the_controls_page_costs_the_same_queries_with_every_day_and_title_set(
    user, confirmed, django_assert_max_num_queries
):
    profile = user.profiles.get()
    controls = services.controls_for(profile)
    ViewingWindow.objects.create(controls=controls, weekday=0, starts=time(7), ends=time(20))
    controls.blocked_titles.add(TitleFactory(name="First blocked"))
    browser = confirmed(user)
    url = f"/profiles/{profile.public_id}/parental/"
    browser.get(url)

    # The session, the user, the profile (twice: the middleware's and the page's), two-step
    # on or not, the controls, the PIN, the hours, the blocked titles.
    with django_assert_max_num_queries(9) as few:
        browser.get(url)
    for day in range(1, 7):
        ViewingWindow.objects.create(controls=controls, weekday=day, starts=time(8), ends=time(21))
    controls.blocked_titles.add(*(TitleFactory(name=f"Blocked {n}") for n in range(5)))
    with django_assert_max_num_queries(9) as many:
        page = browser.get(url).content.decode()

    assert len(many.captured_queries) == len(few.captured_queries)
    assert page.count("<select") >= 14
    assert "Blocked 4" in page
