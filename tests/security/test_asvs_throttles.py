"""V2.2.1 / V11.1.4: guessing limits that hold when the guesses come all at once, on whichever
cache the suite runs on (the database cache; Redis with REDIS_URL), and that answer 429."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier, Lock

import pytest
from django import forms
from django.db import connections
from django.test import RequestFactory

from accounts.forms import throttled_password_check
from tests.mfa.twostep_helpers import password_step, two_step_on
from tests.security.helpers import assert_throttled

GUESSES = 24


@pytest.mark.django_db(transaction=True)
def test_v2_2_1_parallel_wrong_passwords_never_get_more_than_the_limit_judged(settings):
    limit = settings.SIGNIN_THROTTLE_ATTEMPTS
    judged, lock = [], Lock()
    barrier = Barrier(GUESSES)

    def wrong_password() -> None:
        with lock:
            judged.append(1)
        time.sleep(0.05)  # a real password hash takes a while: the others arrive meanwhile
        raise forms.ValidationError("Wrong password.")

    def guess(n: int) -> str:
        request = RequestFactory().post("/login/", REMOTE_ADDR=f"198.51.100.{n + 1}")
        barrier.wait(timeout=10)
        try:
            throttled_password_check(request, "victim@example.com", wrong_password)
        except forms.ValidationError as error:
            return str(error.code)
        finally:
            connections.close_all()
        return "accepted"

    with ThreadPoolExecutor(GUESSES) as pool:
        answers = list(pool.map(guess, range(GUESSES)))

    assert len(judged) == limit, f"{len(judged)} of {GUESSES} guesses judged, limit {limit}"
    assert answers.count("throttled") == GUESSES - limit


@pytest.mark.django_db
def test_v11_1_4_a_throttled_second_step_code_answers_429_with_retry_after(user, settings):
    settings.SIGNIN_THROTTLE_ATTEMPTS = 2
    two_step_on(user)
    browser = password_step(user)
    for _ in range(2):
        assert browser.post("/login/verify/", {"code": "000000"}).status_code == 200

    assert_throttled(browser.post("/login/verify/", {"code": "000000"}))
