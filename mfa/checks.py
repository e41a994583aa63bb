"""Start-up checks for passkeys: a relying party a browser accepts."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def passkey_host_check(**kwargs: Any) -> list[checks.CheckMessage]:
    """Browsers refuse an IP address as a passkey's relying party: passkeys would all fail."""
    rp_id = settings.OTP_WEBAUTHN_RP_ID
    try:
        ipaddress.ip_address(rp_id.strip("[]"))
    except ValueError:
        return []
    return [
        checks.Warning(
            f"Passkeys cannot work on {rp_id}: browsers take only a host name as their "
            "relying party.",
            hint="Serve the site under a host name: SITE_URL=http://localhost:8000 for a demo.",
            id="mfa.W001",
        )
    ]
