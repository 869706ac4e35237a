"""Public decision pages may be cached by anyone — unless the visitor is logged in (the top bar
names them) — and answer a repeat request with 304."""

from __future__ import annotations

import pytest
from django.test import Client

from zhifa.core.testing import Personas

pytestmark = pytest.mark.django_db

PAGES = ["/public/decisions/", "/public/decisions/verify/", "/public/search/?q=罚款"]


@pytest.mark.parametrize("url", PAGES)
def test_an_anonymous_visitor_gets_a_publicly_cacheable_page_and_304_on_repeat(url: str) -> None:
    client = Client()
    first = client.get(url)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    assert "csrftoken" not in first.cookies
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize("url", PAGES)
def test_a_logged_in_visitor_gets_a_private_copy(url: str, personas: Personas) -> None:
    client = Client()
    client.force_login(personas.publisher)
    response = client.get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
