"""QR codes for documents (``@qr`` blocks): a PNG drawn by segno (pure Python, see
docs/decisions.md), which both writers place as an image."""

from __future__ import annotations

import io

import segno

QR_MM = 30  # printed size: readable by a phone at arm's length


def qr_png(text: str) -> bytes:
    """The QR code of ``text`` (error correction M, quiet zone of 4 modules) as PNG bytes."""
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="png", scale=8, border=4)
    return out.getvalue()
