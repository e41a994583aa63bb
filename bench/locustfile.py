"""The load mix of bench/load.py, one household at a time (locust; run by bench/load.py).

Per household: members browsing (browse, a title, the devices page, viewing activity, now
and then signing out and back in), one player sending a heartbeat every 30 s, one TV
checking in every 10 s, one native TV app (bearer token) reading /api/v1/me every 10 s and
its titles now and then. LOAD_SESSIONS (JSON) holds, per user class, the sessions that
bench/load.py signed in before the run (so the measured window is the steady mix, not a
stampede of first sign-ins); LOAD_PASSWORD lets a member sign in again after signing out.

Every client resends a request once when the server had closed its idle keep-alive
connection just as the request went out ("Remote end closed connection without response",
"Connection reset by peer"), as browsers and native HTTP stacks do: Chromium resends
when a reused socket fails before any response, OkHttp's retryOnConnectionFailure. At
pace x2 the TV and the app check in every 5 s, gunicorn's keep-alive, and without this
the run measured that race rather than the site. How many were resent is written to
LOAD_RESENT_FILE and printed beside the figures; any other error still counts.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from http.client import RemoteDisconnected
from pathlib import Path
from urllib.parse import urlsplit

from locust import HttpUser, between, constant, events, task
from locust.clients import LocustHttpAdapter
from urllib3.exceptions import ProtocolError
from urllib3.util.retry import Retry

SESSIONS = json.loads(os.environ.get("LOAD_SESSIONS", "{}"))
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
TITLES = json.loads(os.environ.get("LOAD_TITLES", "[]"))
# bench/load.py --capacity offers more load by dividing every wait by the pace.
PACE = float(os.environ.get("LOAD_PACE", "1"))
# --capacity leaves out signing out and back in: a sign-in hashes the password on purpose
# (Argon2, a quarter of a second here), which no page rate could hold under 100 ms.
SIGN_INS = os.environ.get("LOAD_SIGN_INS", "1") == "1"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
TV = (
    "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/538.1 (KHTML, like Gecko) TV Safari/538.1"
)
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


RESENT = [0]


class ResendOnClosedConnection(Retry):
    """One resend, only when the server closed the connection before any response."""

    def increment(self, method=None, url=None, response=None, error=None, **kwargs):  # type: ignore[no-untyped-def]
        cause = error.args[1] if isinstance(error, ProtocolError) and len(error.args) > 1 else None
        if response is None and isinstance(cause, RemoteDisconnected | ConnectionResetError):
            RESENT[0] += 1
            return super().increment(method, url, response, error, **kwargs)
        return Retry(0, read=False).increment(method, url, response, error, **kwargs)


def resend_on_closed_connection(user: HttpUser) -> None:
    adapter = LocustHttpAdapter(
        pool_manager=None,
        max_retries=ResendOnClosedConnection(total=1, connect=1, read=1, status=0, other=0,
                                             allowed_methods=None, raise_on_status=False),
    )  # fmt: skip
    user.client.mount("http://", adapter)


@events.quitting.add_listener
def _write_resent(environment, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if os.environ.get("LOAD_RESENT_FILE"):
        Path(os.environ["LOAD_RESENT_FILE"]).write_text(str(RESENT[0]))


def stagger() -> None:
    """Start at a random moment of the first two seconds (over the pace): households do not
    all press a key in the same millisecond, and the run measures the steady mix, not a
    burst of every user's first request at once."""
    time.sleep(random.uniform(0, 2 / PACE))  # noqa: S311  (a moment, not a secret)


class Household(HttpUser):
    abstract = True

    def on_start(self) -> None:
        slots = SESSIONS[type(self).__name__]
        self.slot = slots[next(type(self).numbers) % len(slots)]
        self.account = self.slot["account"]
        resend_on_closed_connection(self)
        self.client.headers["User-Agent"] = self.slot["user_agent"]
        host = urlsplit(self.host).hostname
        for name, value in self.slot["cookies"].items():
            # The same domain and path as the server's own Set-Cookie: one cookie, not two.
            self.client.cookies.set(name, value, domain=host, path="/")
        stagger()

    def page(self, path: str, name: str | None = None) -> None:
        """GET a signed-in page; a redirect to sign-in means the session was lost: a failure."""
        with self.client.get(
            path, name=name or path, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}")

    def post(self, path: str, data: dict | None = None, **kwargs):
        headers = {"X-CSRFToken": self.csrf_token()}
        return self.client.post(path, data=data or {}, headers=headers, **kwargs)

    def csrf_token(self) -> str:
        # The newest one if the jar ever holds two (a rotation at sign-in).
        tokens = [cookie.value for cookie in self.client.cookies if cookie.name == "csrftoken"]
        return tokens[-1] if tokens else ""

    def sign_in(self) -> None:
        page = self.client.get("/login/", name="/login/")
        token = self.csrf_token() or _CSRF.search(page.text).group(1)
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
    wait_time = between(0.5 / PACE, 2 / PACE)
    fixed_count = len(SESSIONS.get("Member", []))
    numbers = itertools.count()

    @task(6)
    def browse(self) -> None:
        self.page("/browse/")

    @task(3)
    def title(self) -> None:
        self.page(f"/title/{random.choice(TITLES)}/", name="/title/[slug]/")  # noqa: S311

    @task(1)
    def devices(self) -> None:
        self.page("/account/devices/")

    @task(1)
    def activity(self) -> None:
        self.page(f"/profiles/{self.account['profile']}/activity/", "/profiles/[id]/activity/")

    @task(1)
    def sign_out_and_back(self) -> None:
        if SIGN_INS and random.random() < 0.2:  # noqa: S311  occasional
            self.post("/logout/", allow_redirects=False, name="/logout/")
            self.sign_in()


class Player(Household):
    wait_time = constant(30 / PACE)  # the player's heartbeat interval
    fixed_count = len(SESSIONS.get("Player", []))
    numbers = itertools.count()

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
    wait_time = constant(10 / PACE)  # the TV client's check-in interval
    fixed_count = len(SESSIONS.get("Television", []))
    numbers = itertools.count()

    @task
    def heartbeat(self) -> None:
        with self.client.get("/tv/heartbeat/", catch_response=True) as response:
            if response.status_code != 204:  # signed in: nothing to say
                response.failure(f"TV signed out ({response.status_code})")


class App(HttpUser):
    """A native TV app: bearer token only, no cookies (signed in with the device grant)."""

    wait_time = constant(10 / PACE)  # the app's check-in interval
    fixed_count = len(SESSIONS.get("App", []))
    numbers = itertools.count()

    def on_start(self) -> None:
        slots = SESSIONS["App"]
        slot = slots[next(type(self).numbers) % len(slots)]
        resend_on_closed_connection(self)
        self.client.headers["User-Agent"] = slot["user_agent"]
        self.client.headers["Authorization"] = f"Bearer {slot['token']}"
        stagger()

    @task(3)
    def me(self) -> None:
        self.client.get("/api/v1/me", name="/api/v1/me")

    @task(1)
    def titles(self) -> None:
        self.client.get("/api/v1/titles", name="/api/v1/titles")
