"""The database cache's table, so throttles work from a clean clone's first migrate; the
security log's "account disabled" entry."""

from __future__ import annotations

from django.core.management import call_command
from django.db import migrations, models


def create_cache_table(apps, schema_editor) -> None:
    # Creates the table of every DatabaseCache in CACHES (none with Redis); idempotent.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='securityevent',
            name='kind',
            field=models.CharField(choices=[('signed_up', 'Account created'), ('signed_in', 'Signed in'), ('sign_in_failed', 'Failed sign-in'), ('signed_out', 'Signed out'), ('device_signed_out', 'Device signed out remotely'), ('all_signed_out', 'Signed out of all devices'), ('device_removed', 'Device removed'), ('password_changed', 'Password changed'), ('password_reset', 'Password reset'), ('pairing_approved', 'TV sign-in approved'), ('pairing_cancelled', 'TV sign-in cancelled'), ('password_confirmed', 'Password confirmed for parental controls'), ('pin_set', 'Parental PIN set'), ('pin_changed', 'Parental PIN changed'), ('pin_removed', 'Parental PIN removed'), ('pin_locked', 'PIN entry locked after wrong attempts'), ('parental_changed', 'Parental controls changed'), ('profile_added', 'Profile added'), ('profile_changed', 'Profile changed'), ('profile_deleted', 'Profile deleted'), ('account_disabled', 'Account disabled and signed out everywhere')], max_length=40),
        ),
    ]
