"""Django's test client posting forms the way browsers and htmx do."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django.test

FORM_CONTENT = "application/x-www-form-urlencoded"


class Client(django.test.Client):
    """Django's test client posting forms urlencoded, as browsers and htmx do.

    Django's own client posts multipart by default, which the site refuses on every view
    that takes no files (accounts.middleware.MultipartRefusedMiddleware). A test that means
    to send multipart says so with `content_type=MULTIPART_CONTENT`.
    """

    def post(self, path: str, data: Any = None, content_type: str = FORM_CONTENT, **kwargs: Any):
        if content_type == FORM_CONTENT and isinstance(data, dict):
            data = urlencode(data, doseq=True)
        return super().post(path, data, content_type, **kwargs)
