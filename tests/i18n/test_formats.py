"""Dates, times and numbers in the language's own formats, on the account's clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from accounts.language import account_datetime, account_time
from tests.factories import UserFactory

MOMENT = datetime(2026, 12, 1, 6, 45, tzinfo=UTC)  # 07:45 in Madrid


@pytest.mark.parametrize(
    ("language", "expected"),
    [("es", "1 dic 2026, 07:45"), ("en", "1 Dec 2026, 07:45")],
)
def test_the_named_formats_on_the_accounts_clock(db, language, expected):
    user = UserFactory(time_zone="Europe/Madrid")
    with translation.override(language):
        assert account_datetime(user, MOMENT) == expected
        assert account_time(user, MOMENT) == "07:45 (Europe/Madrid)"
        template = Template(
            '{% load tz %}{% timezone "Europe/Madrid" %}{{ moment|date:"DATETIME_FORMAT" }} · '
            '{{ moment|date:"DATE_FORMAT" }} · {{ moment|time:"TIME_FORMAT" }}{% endtimezone %}'
        )
        day = expected.split(",")[0]
        assert template.render(Context({"moment": MOMENT})) == f"{expected} · {day} · 07:45"


def test_numbers_use_the_languages_separators():
    with translation.override("es"):
        assert formats.number_format(1234.5, 1, force_grouping=True) == "1\xa0234,5"
    with translation.override("en"):
        assert formats.number_format(1234.5, 1, force_grouping=True) == "1,234.5"
