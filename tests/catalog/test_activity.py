"""Viewing activity: a profile's history, "Show more", "Hide" and "Download all"."""

from __future__ import annotations

import csv
import html
import io
from datetime import timedelta

import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone

from catalog.models import Viewing
from tests.conftest import reauthenticate
from tests.factories import ProfileFactory

from .conftest import HTMX, make_viewings
from .factories import TitleFactory, ViewingFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def activity_url(profile) -> str:
    return f"/profiles/{profile.public_id}/activity/"


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_viewing_activity_lists_date_title_and_device_newest_first(profile, watch_as):
    now = timezone.now()
    ViewingFactory(
        profile=profile,
        title=TitleFactory(name="Older Film"),
        started_at=now - timedelta(days=3),
        device_name="Samsung Smart TV",
    )
    ViewingFactory(
        profile=profile,
        title=TitleFactory(name="Newer Film"),
        started_at=now - timedelta(days=1),
        device_name="Safari on iPhone",
    )
    ViewingFactory(title=TitleFactory(name="Someone Else's Film"))
    browser = watch_as(profile)

    page = text(browser.get(activity_url(profile)))

    assert "Viewing activity" in page
    assert page.index("Newer Film") < page.index("Older Film")
    assert "Samsung Smart TV" in page
    assert "Safari on iPhone" in page
    assert (now - timedelta(days=3)).strftime("%-d %b %Y") in page
    assert "Someone Else's Film" not in page
    assert "Download all" in page


def test_the_account_menu_links_to_the_current_profiles_viewing_activity(profile, watch_as):
    page = text(watch_as(profile).get("/account/"))

    assert f'href="{activity_url(profile)}">Viewing activity</a>' in page
    assert 'href="/account/streaming-activity/">Recent device streaming activity</a>' in page


def test_show_more_loads_the_next_rows_with_htmx_or_a_plain_link(profile, watch_as):
    titles = [TitleFactory(name=f"Film {n:02}") for n in range(45)]
    viewings = make_viewings(profile, 45, titles=titles)  # Film 00 is the newest
    browser = watch_as(profile)

    first = text(browser.get(activity_url(profile)))
    cursor = viewings[19].public_id
    more_url = f"{activity_url(profile)}?before={cursor}"
    second = browser.get(more_url, headers=HTMX)
    plain = text(browser.get(more_url))

    assert "Film 19" in first
    assert "Film 20" not in first
    assert f'href="{more_url}" hx-get="{more_url}"' in first
    fragment = text(second)
    assert fragment.lstrip().startswith("<tr")
    assert "<html" not in fragment
    assert "Film 19" not in fragment
    assert "Film 20" in fragment
    assert "Film 39" in fragment
    assert "Show more" in fragment
    assert "HX-Request" in second["Vary"]
    assert "Film 20" in plain
    assert "<html" in plain
    assert "Back to the newest" in plain
    last = text(browser.get(f"{activity_url(profile)}?before={viewings[39].public_id}"))
    assert "Film 44" in last
    assert "Show more" not in last


def test_activity_runs_a_fixed_number_of_queries_with_a_thousand_viewings(
    profile, watch_as, django_assert_max_num_queries
):
    titles = [TitleFactory() for _ in range(50)]
    viewings = make_viewings(profile, 1100, titles=titles)
    browser = watch_as(profile)
    browser.get(activity_url(profile))

    with django_assert_max_num_queries(5):
        first = browser.get(activity_url(profile))
    with django_assert_max_num_queries(6):
        more = browser.get(
            f"{activity_url(profile)}?before={viewings[500].public_id}", headers=HTMX
        )

    assert text(first).count("<tr id=") == 20
    assert text(more).count("<tr id=") == 20


def test_hide_takes_a_viewing_off_activity_and_continue_watching(profile, watch_as):
    title = TitleFactory(name="Guilty Pleasure", runtime_minutes=100)
    viewing = ViewingFactory(profile=profile, title=title, position_seconds=1200)
    browser = watch_as(profile)
    assert "Guilty Pleasure" in text(browser.get("/browse/"))

    response = browser.post(f"{activity_url(profile)}{viewing.public_id}/hide/", headers=HTMX)

    assert response.status_code == 200
    assert "“Guilty Pleasure” was hidden from your viewing activity." in text(response)
    assert "HX-Request" in response["Vary"]
    assert "Guilty Pleasure" not in text(browser.get(activity_url(profile)))
    assert "Guilty Pleasure" not in text(browser.get("/browse/"))
    assert "Resumes at" not in text(browser.get(f"/watch/{title.slug}/"))
    viewing.refresh_from_db()
    assert viewing.hidden_at is not None


def test_hide_without_javascript_goes_back_to_the_list_with_a_message(profile, watch_as):
    viewing = ViewingFactory(profile=profile, title=TitleFactory(name="Guilty Pleasure"))
    browser = watch_as(profile)

    response = browser.post(f"{activity_url(profile)}{viewing.public_id}/hide/", follow=True)

    assert response.redirect_chain == [(f"{activity_url(profile)}?undo={viewing.public_id}", 302)]
    assert "was hidden from your viewing activity" in text(response)
    assert "Undo" in text(response)

    undone = browser.post(f"{activity_url(profile)}{viewing.public_id}/unhide/", follow=True)

    assert "“Guilty Pleasure” is back in your viewing activity." in text(undone)
    assert ">Guilty Pleasure</a>" in text(undone)
    viewing.refresh_from_db()
    assert viewing.hidden_at is None


def test_hide_hides_the_title_everywhere_and_undo_brings_back_exactly_those(profile, watch_as):
    series = TitleFactory(name="Long Series", runtime_minutes=100, kind="series", seasons=3)
    older = ViewingFactory(
        profile=profile, title=series, started_at=timezone.now() - timedelta(days=2)
    )
    newest = ViewingFactory(profile=profile, title=series, position_seconds=1800)
    hidden_before = ViewingFactory(
        profile=profile, title=series, hidden_at=timezone.now() - timedelta(days=5)
    )
    other = ViewingFactory(profile=profile, title=TitleFactory(name="Other Film"))
    browser = watch_as(profile)

    response = browser.post(f"{activity_url(profile)}{older.public_id}/hide/", headers=HTMX)

    # The rest of the title's rows leave the page too (out of band), with "Undo" offered.
    assert f'id="viewing-{newest.public_id}" hx-swap-oob="delete"' in text(response)
    assert "Undo" in text(response)
    page = text(browser.get(activity_url(profile)))
    assert "Long Series" not in page
    assert "Other Film" in page
    browse = text(browser.get("/browse/"))
    continue_row = browse.split("Continue watching", 1)[-1].split("</ul>", 1)[0]
    assert "Long Series" not in continue_row

    browser.post(f"{activity_url(profile)}{older.public_id}/unhide/", headers=HTMX)

    assert text(browser.get(activity_url(profile))).count(">Long Series</a>") == 2
    hidden_before.refresh_from_db()
    other.refresh_from_db()
    assert hidden_before.hidden_at is not None  # hidden on its own, days ago: stays hidden
    assert other.hidden_at is None


def test_another_profiles_or_accounts_history_is_not_found_and_nothing_changes(profile, watch_as):
    sibling = ProfileFactory(user=profile.user, name="Sam")
    theirs = ViewingFactory(profile=sibling)
    stranger = ViewingFactory()
    mine = ViewingFactory(profile=profile)
    browser = watch_as(profile)

    # A sibling's history needs the account password first; another account's is a 404.
    for path in (activity_url(sibling), f"{activity_url(sibling)}download/"):
        assert browser.get(path)["Location"].startswith("/account/confirm-password/"), path
    assert browser.post(f"{activity_url(sibling)}{theirs.public_id}/hide/", headers=HTMX)[
        "HX-Redirect"
    ].startswith("/account/confirm-password/")
    reauthenticate(browser)
    assert browser.get(activity_url(stranger.profile)).status_code == 404
    assert browser.get(f"{activity_url(stranger.profile)}download/").status_code == 404
    for owner, viewing in [(stranger.profile, stranger), (profile, theirs)]:
        response = browser.post(f"{activity_url(owner)}{viewing.public_id}/hide/", headers=HTMX)
        assert response.status_code == 404
    # Someone else's viewing as the cursor for "Show more" is not a way in either.
    assert browser.get(f"{activity_url(profile)}?before={stranger.public_id}").status_code == 404
    assert not Viewing.objects.filter(hidden_at__isnull=False).exists()
    assert mine.hidden_at is None


def test_a_broken_show_more_cursor_shows_the_first_page(profile, watch_as):
    ViewingFactory(profile=profile, title=TitleFactory(name="Only Film"))

    response = watch_as(profile).get(f"{activity_url(profile)}?before=not-a-uuid")

    assert response.status_code == 200
    assert "Only Film" in text(response)


def test_activity_without_a_picked_profile_goes_to_whos_watching(profile, sign_in):
    response = sign_in(profile.user).get(activity_url(profile))

    assert response["Location"] == "/profiles/"


def test_download_all_streams_the_whole_history_as_csv(profile, watch_as):
    titles = [
        TitleFactory(name="Cheese Wars"),
        TitleFactory(name="Ward Nine", kind="series", seasons=2),
    ]
    make_viewings(profile, 1234, titles=titles)
    ViewingFactory(profile=profile, hidden_at=timezone.now(), title=TitleFactory(name="Hidden"))
    ViewingFactory(title=TitleFactory(name="Not Mine"))
    browser = reauthenticate(watch_as(profile))  # "Download all" is behind the gate

    response = browser.get(f"{activity_url(profile)}download/")

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    slug = profile.name.lower()
    assert f'attachment; filename="viewing-activity-{slug}.csv"' == response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == ["Date", "Time (UTC)", "Title", "Type", "Device", "Watched (minutes)"]
    assert len(rows) == 1 + 1234
    assert rows[1][2:] == ["Cheese Wars", "Film", "Chrome on Windows", "1"]
    assert rows[2][2:4] == ["Ward Nine", "Series"]
    assert not any(row[2] in {"Hidden", "Not Mine"} for row in rows)


def test_download_all_defuses_device_names_a_spreadsheet_would_run(profile, watch_as):
    ViewingFactory(profile=profile, device_name='=HYPERLINK("http://evil.example","x")')
    ViewingFactory(profile=profile, device_name="@SUM(1+1)")

    rows = csv_rows(reauthenticate(watch_as(profile)).get(f"{activity_url(profile)}download/"))

    assert {row[4] for row in rows[1:]} == {'\'=HYPERLINK("http://evil.example","x")', "'@SUM(1+1)"}


def test_download_all_of_an_empty_history_is_just_the_header(profile, watch_as):
    rows = csv_rows(reauthenticate(watch_as(profile)).get(f"{activity_url(profile)}download/"))

    assert rows == [["Date", "Time (UTC)", "Title", "Type", "Device", "Watched (minutes)"]]
