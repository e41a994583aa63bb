from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 100


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search titles and genres"),
        required=False,
        min_length=MIN_QUERY_LENGTH,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            # Django fills in %(limit_value)d (the cap) when it raises these.
            "min_length": _("Type at least %(limit_value)d characters to search."),
            "max_length": _(
                "Searches can be up to %(limit_value)d characters. "
                "Try a word or two from the title."
            ),
        },
    )

    @property
    def query(self) -> str:
        """The search to run: empty unless valid."""
        if self.is_valid():
            return str(self.cleaned_data["q"])
        return ""

    @property
    def shown_query(self) -> str:
        """What to put back in the search box: never more than the cap."""
        return (self.data.get("q") or "").strip()[:MAX_QUERY_LENGTH]
