"""The request size limit a page's forms are checked against before they are sent."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def form_text_limit() -> int:
    """Bytes of form text (files not counted) a request may carry: Django's
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``, 0 when unlimited."""
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
