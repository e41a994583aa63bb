"""Register and list the native apps that sign in with the device grant."""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from oauth2_provider.models import Application

from devices import services
from devices.models import Device, DisabledApp

CLIENT_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,99}$")


class Command(BaseCommand):
    help = "Register, list, disable or enable the native apps (public device-grant clients)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        register = sub.add_parser("register", help="Register or rename an app.")
        register.add_argument("client_id", help="e.g. streamguard-tv")
        register.add_argument("name", help='e.g. "StreamGuard for TV"')
        sub.add_parser("list", help="Every registered app and its signed-in devices.")
        for action, words in [
            ("disable", "No new sign-ins, and every device signed in with it signed out."),
            ("enable", "Let a disabled app sign devices in again."),
        ]:
            sub.add_parser(action, help=words).add_argument("client_id")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "register":
            client_id = options["client_id"]
            if not CLIENT_ID_RE.match(client_id):
                raise CommandError("client_id: 3-100 of a-z, 0-9, '.', '_', '-'.")
            app = services.app_register(client_id=client_id, name=options["name"][:255])
            self.stdout.write(self.style.SUCCESS(f"Registered {app.client_id} ({app.name})."))
            return
        if action in ("disable", "enable"):
            app = Application.objects.filter(client_id=options["client_id"]).first()
            if app is None:
                raise CommandError(f"No app {options['client_id']}.")
            if action == "enable":
                services.app_enable(application=app)
                self.stdout.write(self.style.SUCCESS(f"Enabled {app.client_id}."))
                return
            count = services.app_disable(application=app, actor="operator")
            self.stdout.write(
                self.style.SUCCESS(f"Disabled {app.client_id}; signed out {count} device(s).")
            )
            return
        disabled = set(DisabledApp.objects.values_list("application_id", flat=True))
        rows = [("CLIENT ID", "NAME", "STATUS", "SIGNED IN")]
        for app in Application.objects.order_by("client_id"):
            signed_in = Device.objects.signed_in().filter(application=app).count()
            status = "disabled" if app.pk in disabled else "enabled"
            rows.append((app.client_id, app.name, status, str(signed_in)))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            )
