"""A big viewings table for bench/pages.py --viewings: one profile's long history among
other accounts' rows, written by the database itself (INSERT ... SELECT), and the paths
of the activity pages' first and deepest pages."""

from __future__ import annotations

import time

from django.db import connection

from accounts.models import Profile, User
from catalog.models import Title, Viewing
from catalog.views.activity import ACTIVITY_PAGE, STREAMING_ACTIVITY_PAGE

CHUNK = 100_000

_COLUMNS = (
    "public_id, user_id, profile_id, title_id, device_id, device_name, ip, city, country, "
    "started_at, last_heartbeat_at, position_seconds, completed, stopped_at, stop_reason, "
    "hidden_at"
)


def _insert(profile: Profile, count: int, *, offset: int) -> None:
    """count viewings of profile, one a minute back from now (after offset minutes), in
    one statement: the rows never cross into Python."""
    titles = list(Title.objects.order_by("id").values_list("id", flat=True))
    first, spread = titles[0], len(titles)
    if titles != list(range(first, first + spread)):
        raise SystemExit("The demo titles' ids are not contiguous; cannot spread viewings.")
    args = [profile.user_id, profile.pk, first, spread, offset, count]
    if connection.vendor == "postgresql":
        sql = f"""
            INSERT INTO catalog_viewing ({_COLUMNS})
            SELECT gen_random_uuid(), %s, %s, %s + (x %% %s), NULL, 'Samsung Smart TV',
                   '81.2.69.142', 'London', 'GB', ts, ts, 60, false, ts, 'stopped', NULL
            FROM (SELECT x, now() - (%s + x) * interval '1 minute' AS ts
                  FROM generate_series(1, %s) AS x) AS series
        """  # noqa: S608  (column names are this module's own; values are parameters)
    else:
        sql = f"""
            WITH RECURSIVE series(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM series WHERE x < %s)
            INSERT INTO catalog_viewing ({_COLUMNS})
            SELECT lower(hex(randomblob(16))), %s, %s, %s + (x %% %s), NULL, 'Samsung Smart TV',
                   '81.2.69.142', 'London', 'GB', ts, ts, 60, 0, ts, 'stopped', NULL
            FROM (SELECT x, strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now',
                                     '-' || (%s + x) || ' minutes') AS ts FROM series)
        """  # noqa: S608
        args = [count, *args[:4], offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)


def fill(profile: Profile, *, viewings: int, table: int) -> dict[str, tuple[str, str]]:
    """The profile gets `viewings` more viewings; other accounts fill the table to `table`
    rows. Returns, per activity page, (first page path, deepest page's cursor query)."""
    started = time.perf_counter()
    for done in range(0, viewings, CHUNK):
        _insert(profile, min(CHUNK, viewings - done), offset=done)
    others = max(0, table - Viewing.objects.count())
    for n, done in enumerate(range(0, others, CHUNK)):
        user = User.objects.create_user(email=f"filler{n}@bench.example", password=None)
        filler = Profile.objects.create(user=user, name=f"Filler {n}")
        _insert(filler, min(CHUNK, others - done), offset=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE catalog_viewing")
    mine = Viewing.objects.for_profile(profile).shown().count()
    print(
        f"Viewings: {mine:,} on the profile, {Viewing.objects.count():,} in the table "
        f"(written in {time.perf_counter() - started:.0f} s)"
    )
    activity = f"/profiles/{profile.public_id}/activity/"
    history = Viewing.objects.for_profile(profile).shown().newest_first()
    # The last page "Show more" can reach, and streaming activity's last "Older" page.
    deepest = history.values_list("public_id", flat=True)[max(0, mine - ACTIVITY_PAGE - 1)]
    recent = Viewing.objects.for_account(profile.user).since(days=90).newest_first()
    count = recent.count()
    oldest = recent.values_list("public_id", flat=True)[max(0, count - STREAMING_ACTIVITY_PAGE - 1)]
    return {
        "Viewing activity": (activity, f"{activity}?before={deepest}"),
        "Recent device streaming activity": (
            "/account/streaming-activity/",
            f"/account/streaming-activity/?before={oldest}",
        ),
    }
