"""The choice every factor change offers (ASVS 5.0 V7.4.3)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SignOutOthersForm(forms.Form):
    """ "Sign out of all other devices", ticked: a browser sends it unless it is unticked."""

    sign_out_others = forms.BooleanField(
        label=_("Sign out of all other devices"), required=False, initial=True
    )

    def chosen(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data["sign_out_others"])
