"""V14.1.1 (ASVS 4.0.3): the deployment recipe says what a deployment behind a proxy needs,
and the README says what holds (read against the code it describes)."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_v14_1_1_the_recipe_names_the_proxy_to_gunicorn_and_the_pin_lock_is_worded_right(
    monkeypatch,
):
    readme = (ROOT / "README.md").read_text()
    recipe = readme.split("### Two or more hosts behind a proxy", 1)[1].split("\n3. ", 1)[0]
    match = re.search(r"^\s*GUNICORN_FORWARDED_ALLOW_IPS=(\S+)", recipe, re.MULTILINE)
    assert match, "the recipe's environment names the proxy for gunicorn"
    monkeypatch.setenv("GUNICORN_FORWARDED_ALLOW_IPS", match.group(1))
    config = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    assert config["forwarded_allow_ips"] == match.group(1)

    # The PIN lock lasts until the password is re-entered (parental.services), not a while.
    pin_row = next(line for line in readme.splitlines() if line.startswith("| parental PIN"))
    assert "30 minutes" not in pin_row
    assert "until the account password is re-entered" in pin_row
