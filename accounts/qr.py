"""QR codes drawn by the site itself (no third-party image service sees the secret or code)."""

from __future__ import annotations

import segno


def qr_svg(data: str, *, scale: int = 5) -> str:
    """An inline <svg> QR code of `data`, black on white, sized by its container."""
    qr = segno.make(data, error="m")
    return str(qr.svg_inline(scale=scale, dark="#000", light="#fff", border=2, omitsize=True))
