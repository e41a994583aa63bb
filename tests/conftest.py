from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from accounts.models import Profile, User
from catalog.models import Genre, Rating, Title

from .catalog.factories import GenreFactory, TitleFactory
from .client import Client
from .factories import PASSWORD, ProfileFactory, UserFactory

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
SAMSUNG_TV = (
    "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/538.1 (KHTML, like Gecko) "
    "Version/6.0 TV Safari/538.1"
)

SESSION_ENGINES = ["db", "cache", "cached_db", "file"]
GOOD_PIN = "4826"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite tests run on a file, as the site does: in memory, Django's live server shares
    one connection between its threads, and concurrency could not be tested at all."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tmp_path_factory.mktemp("sqlite")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")
        # A throwaway file need not survive a power cut: no fsync, as fast as memory.
        options = database.setdefault("OPTIONS", {})
        options["init_command"] = options.get("init_command", "") + " PRAGMA synchronous=OFF;"


@pytest.fixture(autouse=True)
def _fast_hasher_and_clean_cache(request, settings) -> Iterator[None]:
    # Argon2 is the real setting (tested in tests/accounts/test_settings.py); tests hash fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Throttles count in fixed windows; a window this long cannot roll over mid-test.
    settings.SIGNIN_THROTTLE_WINDOW = settings.ACTIVATE_THROTTLE_WINDOW = 10**8
    settings.HOURLY_THROTTLE_WINDOW = 10**8
    # Without Redis the default cache is a table: a plain db test rolls it back with the
    # rest; a transactional one (live server) leaves rows the flush skips, cleared after it.
    in_database = settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if uses_db:
        request.getfixturevalue("db")  # set up first, so it is still there after the test
    if uses_db or not in_database:
        cache.clear()
    yield
    if uses_db and in_database:
        cache.clear()


@pytest.fixture(autouse=True)
def _queue_runs_at_once(request) -> Iterator[None]:
    """The task queue is the database one, as on the site. Here a task due now runs as soon as
    it is queued, through django-tasks-db's own worker code (its row claimed, run, marked), in
    the test's transaction, so mail.outbox fills as before; tasks put off (a retry, the next
    daily run) wait in the table. Tests that run the real `db_worker` mark `queue_waits`."""
    if request.node.get_closest_marker("queue_waits"):
        yield
        return
    from django_tasks import TaskResultStatus
    from django_tasks.signals import task_enqueued
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="tests", excluded_queue_names=[],
    )  # fmt: skip

    def run(sender: object, task_result, **kwargs: object) -> None:
        if task_result.task.run_after is not None:
            return
        row = DBTaskResult.objects.get(id=task_result.id)
        row.claim(worker.worker_id)
        worker.run_task(row)
        if row.status == TaskResultStatus.FAILED:
            pytest.fail(f"task {row.task_path} failed:\n{row.traceback}")

    task_enqueued.connect(run, dispatch_uid="tests-queue-runs-at-once")
    yield
    task_enqueued.disconnect(dispatch_uid="tests-queue-runs-at-once")


@pytest.fixture(autouse=True)
def _english_unless_asked() -> Iterator[None]:
    # A request leaves its language active in the thread (Django's LocaleMiddleware does not
    # reset it), so a Spanish request in one test would make the next one's code speak Spanish.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def client() -> Client:
    """A new browser with no cookies, posting forms as browsers do (tests/client.py).

    Replaces pytest-django's fixture of the same name, which gives Django's own client."""
    return Client()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(db) -> User:
    return UserFactory()


@pytest.fixture
def other_user(db) -> User:
    return UserFactory()


@pytest.fixture
def sign_in(db, django_capture_on_commit_callbacks) -> Callable[..., Client]:
    """A new browser (its own User-Agent and cookies) signed in through the real sign-in page."""

    def _sign_in(user: User, *, user_agent: str = CHROME_WINDOWS, **client_kwargs) -> Client:
        client = Client(headers={"user-agent": user_agent}, **client_kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            # "Keep me signed in" is checked by default on the page, so a browser sends it.
            response = client.post(
                "/login/",
                {"username": user.email, "password": PASSWORD, "keep_signed_in": "on"},
            )
        assert response.status_code == 302, response.content
        return client

    return _sign_in


@pytest.fixture(params=SESSION_ENGINES)
def session_engine(request, settings, tmp_path) -> str:
    """Runs a test once per server-side session engine."""
    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{request.param}"
    settings.SESSION_FILE_PATH = str(tmp_path)
    return request.param


# Catalog fixtures shared by the catalog and parental tests.


@pytest.fixture
def profile(user: User) -> Profile:
    """The adult profile every factory-made account starts with."""
    return user.profiles.get()


@pytest.fixture
def kids_profile(user: User) -> Profile:
    return ProfileFactory(user=user, name="Kids", is_kids=True)


@pytest.fixture
def comedy() -> Genre:
    return GenreFactory(slug="comedy", name="Comedy")


@pytest.fixture
def kids_title(comedy: Genre) -> Title:
    return TitleFactory(
        slug="captain-kettle", name="Captain Kettle", rating=Rating.G, genres=[comedy]
    )


@pytest.fixture
def adult_title(comedy: Genre) -> Title:
    return TitleFactory(
        slug="blood-orange", name="Blood Orange", rating=Rating.NC_17, genres=[comedy]
    )


@pytest.fixture
def watch_as(sign_in) -> Callable[..., Client]:
    """A new browser signed into the profile's account with that profile picked."""

    def _watch_as(profile: Profile, **kwargs) -> Client:
        browser = sign_in(profile.user, **kwargs)
        response = browser.post(f"/profiles/{profile.public_id}/pick/")
        assert response.status_code == 302, response.content
        return browser

    return _watch_as


@pytest.fixture
def with_pin(user):
    from django.contrib.auth.hashers import make_password

    from parental.models import ParentalPin

    ParentalPin.objects.create(user=user, pin_hash=make_password(GOOD_PIN))
    return GOOD_PIN


def reauthenticate(browser: Client) -> Client:
    """Re-enter the password, opening the recent-authentication gate for this browser."""
    response = browser.post("/account/confirm-password/", {"password": PASSWORD})
    assert response.status_code == 302, response.content
    return browser


@pytest.fixture
def confirmed(sign_in):
    """A browser signed in with the password re-entered just now."""

    def _confirmed(user, **kwargs) -> Client:
        browser = sign_in(user, **kwargs)
        response = browser.post("/account/confirm-password/", {"password": PASSWORD})
        assert response.status_code == 302
        return browser

    return _confirmed


def admin_sign_in(browser: Client, staff: User) -> Client:
    """A staff browser the admin opens for: two-step verification on, this session past its
    second step, and the password re-entered just now (what the admin's sign-out actions ask)."""
    import time

    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.decorators import SESSION_REAUTH_KEY, SESSION_SECOND_STEP_KEY
    from mfa import services as mfa_services

    device = TOTPDevice.objects.filter(user=staff, confirmed=True).first()
    if device is None:
        device = mfa_services.two_step_setup_start(user=staff)
        mfa_services.two_step_enable(user=staff, device=device, ip=None)
    browser.force_login(staff)
    session = browser.session
    now = time.time()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_REAUTH_KEY] = session[SESSION_SECOND_STEP_KEY] = now
    session.save()
    return browser
