from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mfa.forms import ConfirmPasswordForm


class AccountDeleteForm(ConfirmPasswordForm):
    """The password once more: deleting cannot be undone."""

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, user=request.user, request=request, **kwargs)  # type: ignore[arg-type]
        # The gate before this page already asked for the second step.
        self.fields.pop("code", None)
        self.fields["password"].widget.attrs.pop("autofocus", None)

    def clean_code(self) -> str:
        return ""
