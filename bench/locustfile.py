"""The load mix of bench/load.py, one household at a time (locust; run by bench/load.py).

Per household: members browsing (browse, a title, the devices page, viewing activity, now
and then signing out and back in), one player sending a heartbeat every 30 s, one TV
checking in every 10 s. LOAD_ACCOUNTS (JSON) names the accounts; LOAD_PASSWORD their password.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, constant, task

ACCOUNTS = json.loads(os.environ.get("LOAD_ACCOUNTS", "[]"))
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
TITLES = json.loads(os.environ.get("LOAD_TITLES", "[]"))
HOUSEHOLDS = max(1, len(ACCOUNTS))
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
TV = (
    "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/538.1 (KHTML, like Gecko) TV Safari/538.1"
)
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Household(HttpUser):
    abstract = True
    user_agent = CHROME
    numbers = itertools.count()

    def on_start(self) -> None:
        self.account = ACCOUNTS[next(self.numbers) % HOUSEHOLDS]
        self.client.headers["User-Agent"] = f"{self.user_agent} #{id(self)}"
        self.sign_in()

    def post(self, path: str, data: dict | None = None, **kwargs):
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}
        return self.client.post(path, data=data or {}, headers=headers, **kwargs)

    def sign_in(self) -> None:
        page = self.client.get("/login/", name="/login/")
        token = self.client.cookies.get("csrftoken") or _CSRF.search(page.text).group(1)
        self.client.post(
            "/login/",
            {"username": self.account["email"], "password": PASSWORD},
            headers={"X-CSRFToken": token},
            allow_redirects=False,
            name="/login/ (POST)",
        )
        self.post(
            f"/profiles/{self.account['profile']}/pick/",
            allow_redirects=False,
            name="/profiles/[id]/pick/",
        )


class Member(Household):
    wait_time = between(0.5, 2)
    fixed_count = 0  # set by bench/load.py through LOAD_MEMBERS

    @task(6)
    def browse(self) -> None:
        self.client.get("/browse/")

    @task(3)
    def title(self) -> None:
        self.client.get(f"/title/{random.choice(TITLES)}/", name="/title/[slug]/")  # noqa: S311

    @task(1)
    def devices(self) -> None:
        self.client.get("/account/devices/")

    @task(1)
    def activity(self) -> None:
        self.client.get(
            f"/profiles/{self.account['profile']}/activity/", name="/profiles/[id]/activity/"
        )

    @task(1)
    def sign_out_and_back(self) -> None:
        if random.random() < 0.2:  # noqa: S311  occasional
            self.post("/logout/", allow_redirects=False, name="/logout/")
            self.sign_in()


class Player(Household):
    wait_time = constant(30)  # the player's heartbeat interval
    fixed_count = HOUSEHOLDS

    def on_start(self) -> None:
        super().on_start()
        with self.post(
            f"/watch/{TITLES[0]}/", allow_redirects=False, name="/watch/[slug]/ (Play)",
            catch_response=True,
        ) as response:  # fmt: skip
            location = response.headers.get("Location", "")
            if response.status_code == 409:
                response.success()  # the stream limit answered: a normal answer
            self.viewing = location.split("v=")[1] if "v=" in location else None

    @task
    def heartbeat(self) -> None:
        if self.viewing:
            self.post(
                f"/viewings/{self.viewing}/heartbeat/",
                allow_redirects=False,
                name="/viewings/[id]/heartbeat/",
            )


class Television(Household):
    wait_time = constant(10)  # the TV client's check-in interval
    fixed_count = HOUSEHOLDS
    user_agent = TV

    @task
    def heartbeat(self) -> None:
        self.client.get("/tv/heartbeat/", name="/tv/heartbeat/")


Member.fixed_count = int(os.environ.get("LOAD_MEMBERS", "2")) * HOUSEHOLDS
