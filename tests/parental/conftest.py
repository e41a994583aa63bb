from __future__ import annotations

from tests.conftest import GOOD_PIN  # noqa: F401  (imported by the tests here)
