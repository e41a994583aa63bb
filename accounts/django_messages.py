"""Django's own messages a person meets on StreamGuard's forms, named here so the project's
Spanish catalogue (locale/es) carries StreamGuard's "tú" versions of them.

Django's Spanish says "usted" ("Introduzca…", "Su contraseña…") where StreamGuard says "tú"
("Introduce…", "Tu contraseña…"). The project's catalogue is read before Django's own, so
an entry for the very same msgid wins wherever Django uses it: form fields, validators,
the password forms and the password rules. Nothing calls this module; `makemessages` reads
it, so `scripts/translations update` keeps these msgids in the catalogue. Each string is
copied exactly from Django (curly quotes included): a changed msgid would fall back to
Django's wording, and tests/accounts/test_spanish.py would say so.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext_lazy

FORMS = [
    gettext_noop("Enter a valid value."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a valid time."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
]

PASSWORDS = [
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both fields may be "
        "case-sensitive."
    ),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
]
