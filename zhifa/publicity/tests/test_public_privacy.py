"""No known party value of any demo case appears on any public page or in any public response.

The demo (with its sample cases, reviews and publications) is loaded once; then every public
page reachable from the portal is crawled — lists, details, searches, statistics, feeds, proof
bundles, the JSON API and the CSV download — and each party's personal values are looked for in
everything served.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client

from zhifa.cases.models import Party
from zhifa.demo.testing import DemoSnapshot, demo_loaded
from zhifa.registry.models import Officer

pytestmark = pytest.mark.django_db

PUBLIC_PREFIXES = ("/public/", "/check/")
MAX_PAGES = 600
_LINK = re.compile(r'(?:href|src)="([^"#]+)"')


@pytest.fixture(scope="module")
def crawled(
    django_db_setup: None, django_db_blocker: Any, demo_snapshot: DemoSnapshot
) -> Iterator[dict[str, str]]:
    """Every public URL reachable from /public/ (and the API and exports), with its body."""
    with (
        demo_loaded(demo_snapshot, django_db_blocker),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        client = Client()
        seeds = [
            "/public/",
            "/public/search/?q=罚款",
            "/public/search/?q=食品",
            "/public/search.csv?q=罚款",
            "/public/statistics/",
            "/api/v1/public/decisions?q=罚款",
            "/api/v1/public/decisions",
        ]
        pages: dict[str, str] = {}
        queue = deque(seeds)
        while queue and len(pages) < MAX_PAGES:
            url = queue.popleft()
            if url in pages:
                continue
            response = client.get(url)
            body = (
                b"".join(response.streaming_content)  # type: ignore[arg-type]
                if response.streaming
                else response.content
            ).decode("utf-8", "replace")
            pages[url] = body
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for link in _LINK.findall(body):
                absolute = urljoin(url, link.replace("&amp;", "&"))
                parts = urlsplit(absolute)
                if parts.netloc or not parts.path.startswith(PUBLIC_PREFIXES):
                    continue
                if "page=" in parts.query and not parts.query.endswith(("page=2", "page=3")):
                    continue  # a few pages of each list are enough
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        yield pages
        transaction.set_rollback(True)


def _personal_values() -> Iterator[tuple[int, str, str]]:
    """(case, what, value) for every personal value of every party of every case."""
    officers = list(Officer.objects.values_list("name", flat=True))

    def public_as_officer(name: str) -> bool:
        # Officers' names are public by law (118号); a party named 王军 is inside officer 王军伟.
        return any(name in officer for officer in officers)

    for party in Party.objects.all():
        values = {"电话": party.phone}
        if party.kind == Party.Kind.NATURAL_PERSON:
            values |= {"身份证号": party.id_number, "住址": party.address}
            if not public_as_officer(party.name):
                values["姓名"] = party.name
        elif not public_as_officer(party.legal_representative):
            values["法定代表人"] = party.legal_representative
        for what, value in values.items():
            if value:
                yield party.case_id, what, value


def test_the_crawl_reaches_every_kind_of_public_page(crawled: dict[str, str]) -> None:
    paths = " ".join(crawled)
    for kind in (
        "/public/agencies/",
        "/public/officers/",
        "/public/powers/",
        "/public/decisions/",
        "/proof.json",
        "/public/search/",
        "/decisions.atom",
    ):
        assert kind in paths, kind
    assert len(crawled) > 50


def test_no_party_value_of_any_demo_case_is_served_publicly(crawled: dict[str, str]) -> None:
    served = "\n".join(crawled.values())
    compact = re.sub(r"[\s\-]", "", served)
    leaks = [
        f"案件{case_id}的{what}“{value}”"
        for case_id, what, value in _personal_values()
        if value in served or re.sub(r"[\s\-]", "", value) in compact
    ]
    assert Party.objects.exists()
    assert not leaks, "；".join(leaks[:20])
