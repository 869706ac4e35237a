"""No internal identifier reaches a reader: every page of the demo city, as each demo account
sees it, is crawled from its home page, and the visible text is searched for ``snake_case``
code names (``review.assess``, ``licence_revocation``), dotted action names and Python reprs
(``{'facts': …}``, ``None``, ``<QuerySet``). The full-process timeline, the catalogs and the
lists are what evaluators and courts read; they must speak Chinese.

The demo (one case per scenario) is loaded once for the module inside a transaction rolled
back at the end. The crawl follows links within the site, GET only, and visits at most
``PER_ROUTE`` pages of each route (each kind of case of the sample has one in its first 40).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve

from zhifa.demo.testing import DemoSnapshot, demo_loaded
from zhifa.registry import demo as city
from zhifa.registry.models import Account

TODAY = city.REFERENCE_DAY
LOADED_AT = datetime(TODAY.year, TODAY.month, TODAY.day, 20, tzinfo=ZoneInfo("Asia/Shanghai"))
PER_ROUTE = 40

# The demo accounts (docs/demo.md) of each role, each crawled from the site's home page; None
# is the public. (``expired`` and ``officer_env`` see what ``officer`` sees, of fewer cases.)
PERSONAS = (None, "officer", "reviewer", "head", "publisher", "supervisor", "cityadmin")

# Paths not crawled: the Django admin (an English tool for the system administrator), the API,
# sign-out, and files (documents, evidence, exports, feeds) read back by their own tests.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/accounts/logout", "/logout", "/static/", "/media/")
SKIPPED_SUFFIXES = (".pdf", ".docx", ".xlsx", ".csv", ".xml", ".atom", ".json", ".zip", ".svg")

# A code name: lower-case words joined by underscores (``order_to_suspend``), or a dotted
# action (``review.assess``, ``case.decide``).
SNAKE = re.compile(r"(?<![\w./@-])[a-z]+(?:_[a-z0-9]+)+(?![\w./@-])")
DOTTED = re.compile(r"(?<![\w./@-])(?:case|review|publicity|registry|record|evidence)\.[a-z_]+\b")
# Python's reprs of dicts, lists of dicts, None/True/False standing alone, objects and querysets.
REPRS = (
    re.compile(r"\{'[a-z_]+':"),
    re.compile(r"\[\{'"),
    re.compile(r"<QuerySet|object at 0x|<[A-Z][A-Za-z]+: "),
    re.compile(r"(?<![\w-])(?:None|True|False)(?![\w-])"),
    re.compile(r"Decimal\('"),
    re.compile(r"datetime\.(?:date|datetime)\("),
)


# A <textarea> holds what a user edits (a document template's markup), not the page's words.
HIDDEN = frozenset({"script", "style", "template", "code", "pre", "samp", "kbd", "textarea"})


class _Page(HTMLParser):
    """The text a reader sees and the links. Not searched: scripts, styles, attribute values, and
    what a page marks as machine text (``<code>``, ``<pre>``, ``<samp>``, ``<kbd>``) — the
    canonical JSON a decision page prints for its offline proof is meant to be read by a program.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _crawlable(path: str) -> bool:
    return not path.startswith(SKIPPED_PREFIXES) and not path.endswith(SKIPPED_SUFFIXES)


def _findings(text: str, allowed: frozenset[str]) -> list[str]:
    found = [m.group(0) for m in SNAKE.finditer(text) if m.group(0) not in allowed]
    found += [m.group(0) for m in DOTTED.finditer(text)]
    for pattern in REPRS:
        found += [m.group(0) for m in pattern.finditer(text)]
    return found


def _context(text: str, word: str) -> str:
    at = text.find(word)
    return " ".join(text[max(0, at - 40) : at + len(word) + 40].split())


def _crawl(client: Client, allowed: frozenset[str]) -> tuple[int, list[str]]:
    seen: set[str] = set()
    per_route: Counter[str] = Counter()
    queue = ["/"]
    problems: list[str] = []
    pages = 0
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        route = _route(urlsplit(path).path)
        if route is None or per_route[route] >= PER_ROUTE:
            continue
        per_route[route] += 1
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        page = _Page()
        page.feed(response.content.decode())
        text = " ".join(page.text)
        for word in _findings(text, allowed):
            problems.append(f"{path}: {word!r} in “{_context(text, word)}”")
        for href in page.links:
            target, _ = urldefrag(urljoin(path, href))
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != "testserver":
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local not in seen and _crawlable(parts.path):
                queue.append(local)
    return pages, problems


@pytest.fixture(scope="module")
def demo_city(
    django_db_setup: None, django_db_blocker: Any, demo_snapshot: DemoSnapshot
) -> Iterator[frozenset[str]]:
    with (
        demo_loaded(demo_snapshot, django_db_blocker),
        django_db_blocker.unblock(),
        transaction.atomic(),
        time_machine.travel(LOADED_AT, tick=True),
        override_settings(ZHIFA_LATE_ENTRY_DAYS=3),
    ):
        # User names are data the pages rightly show (the account lists of the administrator).
        yield frozenset(Account.objects.values_list("username", flat=True))
        transaction.set_rollback(True)


# What pages say: the SQLite pass only, like the browser tests (zhifa/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.rendering]


@pytest.mark.parametrize("username", PERSONAS, ids=lambda u: u or "public")
def test_demo_pages_show_no_internal_identifier(
    demo_city: frozenset[str], username: str | None
) -> None:
    client = Client()
    if username:
        client.force_login(Account.objects.get(username=username))
    with time_machine.travel(LOADED_AT, tick=False):
        pages, problems = _crawl(client, demo_city)
    assert pages > 5, f"the crawl of {username or 'the public'} reached only {pages} pages"
    assert not problems, f"{len(problems)} internal names on {pages} pages:\n" + "\n".join(
        sorted(set(problems))[:60]
    )
