"""What accounts tells the other apps.

accounts imports no other app: devices and parental react to these signals (connected in
their AppConfig.ready()) for loose reactions only. The flows that sign devices out call
devices' services by name from security/.
"""

from __future__ import annotations

from django.dispatch import Signal

# The account password was re-entered at the gate (confirm_password): request, user.
password_confirmed = Signal()
