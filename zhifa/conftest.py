"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
import zlib
from collections.abc import Generator, Iterator
from typing import Any

import pytest

from zhifa.core.testing import CHROMIUM, CHROMIUM_ARGS, Personas, make_personas
from zhifa.demo.testing import DemoSnapshot


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


@pytest.fixture(scope="session")
def demo_snapshot() -> DemoSnapshot:
    """The demo city, loaded once for the session: modules put it in the test database with
    ``zhifa.demo.testing.demo_loaded`` (see there)."""
    return DemoSnapshot()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, one per test module (``pytest -m browser`` tests)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django would then refuse the
    # ORM calls the test itself makes as "async-unsafe".
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# -- the Content-Security-Policy in the browser tests ------------------------------------------

# Every page reports what the policy blocked, also where the browser itself would say nothing.
_LISTEN = """
window.zhifaCspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  var what = e.effectiveDirective + " blocked " + (e.blockedURI || "inline")
    + " at " + (e.sourceFile || document.URL) + ":" + e.lineNumber;
  window.zhifaCspViolations.push(what);
  console.error("zhifa-csp-violation: " + what);
});
"""


class CspGuard:
    """Collects, from every browser context a test opens, what the Content-Security-Policy
    blocked and every uncaught script error; :meth:`check` fails the test if there was any."""

    def __init__(self) -> None:
        self.violations: list[str] = []

    def watch(self, context: Any) -> None:
        context.add_init_script(_LISTEN)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.violations.append(f"page error: {error.error}"))

    def _console(self, message: Any) -> None:
        text = message.text
        if message.type == "error" and (
            "zhifa-csp-violation" in text or "Content Security Policy" in text
        ):
            self.violations.append(text)

    def clear(self) -> None:
        self.violations.clear()

    def check(self) -> None:
        if self.violations:
            found = "\n".join(dict.fromkeys(self.violations))
            pytest.fail(f"the page broke the Content-Security-Policy or threw:\n{found}")


@pytest.fixture(autouse=True)
def csp_guard(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CspGuard | None]:
    """In a browser test (``-m browser``), every context any fixture or the test opens is
    watched; a test whose pages broke the policy (test settings enforce the production one) or
    threw an uncaught error fails (``pytest_runtest_call`` below)."""
    if request.node.get_closest_marker("browser") is None:
        yield None
        return
    from playwright.sync_api import Browser

    guard = CspGuard()
    original = Browser.new_context

    def new_context(self: Browser, *args: Any, **kwargs: Any) -> Any:
        context = original(self, *args, **kwargs)
        guard.watch(context)
        return context

    monkeypatch.setattr(Browser, "new_context", new_context)
    yield guard


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    result = yield
    guard = getattr(item, "funcargs", {}).get("csp_guard")
    if isinstance(guard, CspGuard):
        guard.check()
    return result


# -- the PostgreSQL pass runs what touches the database -------------------------------------------
#
# ``make test`` runs the suite twice, on SQLite and on PostgreSQL (DATABASE_URL set). A test that
# never opens the database (pure rules, parsers, renderers) gives the same answer on both, so the
# PostgreSQL pass leaves it to the SQLite one; so are the tests of what pages show (the
# real-browser flows and the wording crawl, ``renders_only``). ZHIFA_TEST_ALL=1 runs everything on
# PostgreSQL too.
_DB_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_setup",
        "live_server",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
    }
)
# Every test's closure holds ``django_db_blocker`` (pytest-django's autouse fixtures ask for it);
# a fixture of ours that asks for it opens the database for its tests.
_BLOCKER = "django_db_blocker"


def touches_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("django_db") is not None:
        return True
    names = getattr(item, "fixturenames", ())
    if not _DB_FIXTURES.isdisjoint(names):
        return True
    info = getattr(item, "_fixtureinfo", None)
    for defs in getattr(info, "name2fixturedefs", {}).values():
        for fixturedef in defs:
            if _BLOCKER in fixturedef.argnames and fixturedef.baseid:  # "" : a plugin's
                return True
    return False


def renders_only(item: pytest.Item) -> bool:
    """A test of what pages show — driven in the real browser (``browser``) or crawled for their
    wording (``rendering``). The services and views under them run on PostgreSQL in their own
    tests; these run once, on SQLite, to keep ``make test`` well under fifteen minutes."""
    return any(item.get_closest_marker(m) is not None for m in ("browser", "rendering"))


# The access matrix and the API schema fuzz ask every URL and operation the same questions
# whatever the database (who may, what shape comes back). When ``make test`` runs both passes
# side by side it sets ZHIFA_TEST_SHARE to the pass's name, and each of their tests runs in one
# pass only — chosen by a stable hash of its id, about half on each database — so every line is
# checked once per run on a real database without doing the work twice (docs/decisions.md).
SHARED = ("zhifa/tests/test_access_matrix.py", "zhifa/tests/test_api_fuzz.py")
SHARES = ("sqlite", "postgresql")


def shared_pass(item: pytest.Item) -> str | None:
    """The pass a shared test runs in, or None for a test every pass runs: only the parametrized
    lines are shared (a URL, an operation); the module's other checks run in every pass."""
    if not item.nodeid.startswith(SHARED) or "[" not in item.nodeid:
        return None
    return SHARES[zlib.crc32(item.nodeid.encode()) % 2]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    only = os.environ.get("ZHIFA_TEST_SELECT", "")  # "no-db": the other half, to time it
    share = os.environ.get("ZHIFA_TEST_SHARE", "")
    if only == "no-db":
        keep = [i for i in items if not touches_database(i)]
    elif os.environ.get("DATABASE_URL") and not os.environ.get("ZHIFA_TEST_ALL"):
        keep = [i for i in items if touches_database(i) and not renders_only(i)]
    else:
        keep = list(items)
    if share in SHARES:
        keep = [i for i in keep if shared_pass(i) in (None, share)]
    if len(keep) != len(items):
        kept = set(map(id, keep))
        config.hook.pytest_deselected(items=[i for i in items if id(i) not in kept])
        items[:] = keep
