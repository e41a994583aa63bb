"""What accounts tells the other apps.

accounts imports no other app: devices, parental and catalog react to these signals
(connected in their AppConfig.ready()) instead of being called from here.
"""

from __future__ import annotations

from django.dispatch import Signal

# A profile became the session's current one ("Who's watching?"): request, profile.
profile_picked = Signal()
# The account's password was changed or reset: user, request (None when support set it),
# sign_out_others, how ("change", "reset" or "support"), actor (the support agent).
password_changed = Signal()
# The account password was re-entered at the gate (confirm_password): request, user.
password_confirmed = Signal()

# An account was disabled (admin, command): args user, actor. devices signs its devices out.
account_disabled = Signal()
# Every session of the account must end now: user, reason ("not_me", "deleted"), actor.
sign_out_everywhere = Signal()
