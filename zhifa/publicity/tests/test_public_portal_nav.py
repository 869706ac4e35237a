"""The public decision pages keep the portal's tab bar, and the tab bar reaches the search and
the statistics; a search result is titled by its decision, not only by its kind."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date

import pytest
from django.core.cache import cache
from django.test import Client

from zhifa.publicity import services
from zhifa.publicity.models import Publication

from .publication_world import World, publication_of, reviewed, world
from .test_publication import AT

__all__ = ["world"]

TABS = {
    "公示首页": "/public/",
    "执法人员": "/public/officers/",
    "执法决定公开": "/public/decisions/",
    "决定检索": "/public/search/",
    "公示统计": "/public/statistics/",
}


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """The search's filter lists and statistics are cached: none may outlive these tests."""
    cache.clear()
    yield
    cache.clear()


def tab_bar(html: str) -> str:
    match = re.search(r'<nav class="portal-nav"[^>]*>(.*?)</nav>', html, re.S)
    assert match, "the page has no portal tab bar"
    return match.group(1)


def current_tab(html: str) -> list[str]:
    return re.findall(r'aria-current="page">([^<]+)</a>', tab_bar(html))


@pytest.fixture
def decision_pk(world: World) -> int:
    publication = services.publication_publish(
        actor=world.p.publisher,
        publication=reviewed(publication_of(world.on_the_spot())),
        on=date(2026, 10, 9),
        at=AT,
    )
    return publication.pk


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/public/", "公示首页"),
        ("/public/officers/", "执法人员"),
        ("/public/decisions/", "执法决定公开"),
        ("/public/decisions/verify/", "执法决定公开"),
        ("/public/search/?q=罚款", "决定检索"),
        ("/public/statistics/", "公示统计"),
    ],
)
def test_every_public_page_has_the_portal_tab_bar_with_search_and_statistics(
    db: None, url: str, current: str
) -> None:
    html = Client().get(url).content.decode()
    bar = tab_bar(html)
    for label, href in TABS.items():
        assert f'href="{href}"' in bar and f">{label}</a>" in bar, label
    assert current_tab(html) == [current]


def test_a_published_decision_keeps_the_portal_tab_bar(decision_pk: int) -> None:
    html = Client().get(f"/public/decisions/{decision_pk}/").content.decode()
    assert current_tab(html) == ["执法决定公开"]
    assert "/static/css/public.css" in html  # the portal's layout, not a bare page


def test_the_portal_home_leads_to_the_search_and_the_statistics(db: None) -> None:
    html = Client().get("/public/").content.decode()
    sections = html.split("事后公开", 1)[1]
    assert 'href="/public/search/"' in sections and 'href="/public/statistics/"' in sections


def test_a_search_result_is_titled_by_its_number_party_and_kind(decision_pk: int) -> None:
    publication = Publication.objects.get(pk=decision_pk)
    target = publication.versions.get().fields["target"]
    html = Client().get("/public/search/").content.decode()
    titles = [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<h2><a [^>]+>(.*?)</a></h2>", html)]
    assert titles == [f"{publication.decision_number} · {target} · 行政处罚"]


def test_the_atom_entry_has_the_same_title(decision_pk: int) -> None:
    publication = Publication.objects.get(pk=decision_pk)
    raw = Client().get(f"/public/agencies/{publication.agency_id}/decisions.atom").content
    feed = ET.fromstring(raw)  # noqa: S314 - our own response
    title = feed.findtext("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title")
    assert title is not None and title.startswith(f"{publication.decision_number} · ")
