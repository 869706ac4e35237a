"""The read-replica router: which database alias each kind of request reads from.

The test settings give a second alias, ``replica``, that mirrors the test database (on the
PostgreSQL pass: a second connection to the same server); turning the replica on is setting
``ZHIFA_READ_REPLICA_ALIAS``. Every statement is caught per alias by an execute wrapper.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest
from django.db import connections, router, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from zhifa.core.replica import ReplicaReadsMiddleware, reads_from_replica
from zhifa.core.testing import Personas
from zhifa.registry.models import Account, Agency

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica(settings: Any) -> None:
    settings.ZHIFA_READ_REPLICA_ALIAS = "replica"


Seen = dict[str, list[str]]


@contextmanager
def statements() -> Iterator[Seen]:
    """Every SQL statement run while the block runs, by database alias."""
    seen: Seen = defaultdict(list)

    def recorder(alias: str) -> Callable[..., Any]:
        def wrapper(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
            seen[alias].append(sql)
            return execute(sql, *args)

        return wrapper

    with ExitStack() as stack:
        for alias in ("default", "replica"):
            stack.enter_context(connections[alias].execute_wrapper(recorder(alias)))
        yield seen


def mentions(sqls: list[str], table: str) -> bool:
    return any(table in sql for sql in sqls)


def test_an_anonymous_visitor_reads_the_public_portal_from_the_replica(
    personas: Personas, replica: None
) -> None:
    with statements() as seen:
        response = Client().get("/public/agencies/")
    assert response.status_code == 200
    assert personas.agency_a.name in response.content.decode()
    assert mentions(seen["replica"], "registry_agency")
    assert seen["default"] == []


def test_a_logged_in_visitor_is_known_from_the_primary(personas: Personas, replica: None) -> None:
    client = Client()
    client.force_login(personas.officer)
    with statements() as seen:
        response = client.get("/public/agencies/")
    assert response.status_code == 200
    assert mentions(seen["default"], "django_session")
    assert mentions(seen["default"], "registry_account")
    assert not mentions(seen["replica"], "django_session")
    assert not mentions(seen["replica"], "registry_account")
    assert mentions(seen["replica"], "registry_agency")


def test_the_certificate_check_and_the_search_download_read_from_the_replica(
    personas: Personas, replica: None
) -> None:
    with statements() as seen:
        check = Client().get("/check/", {"q": "张"})
        csv = Client().get("/public/search.csv")
        b"".join(csv.streaming_content)  # type: ignore[attr-defined]  # read while streamed
    assert check.status_code == 200 and csv.status_code == 200
    assert seen["replica"] and seen["default"] == []


def test_the_agency_workspace_reads_and_writes_only_the_primary(
    personas: Personas, replica: None
) -> None:
    client = Client()
    client.force_login(personas.officer)
    with statements() as seen:
        assert client.get("/cases/").status_code == 200
        assert client.get("/workbench/").status_code == 200
    assert seen["default"] and seen["replica"] == []


def test_only_safe_requests_to_public_paths_are_marked() -> None:
    decided: list[str | None] = []

    def view(request: HttpRequest) -> HttpResponse:
        decided.append(router.db_for_read(Agency))
        return HttpResponse()

    middleware = ReplicaReadsMiddleware(view)
    factory = RequestFactory()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.conf.settings.ZHIFA_READ_REPLICA_ALIAS", "replica", raising=False)
        middleware(factory.get("/public/decisions/"))
        middleware(factory.head("/public/search/"))
        middleware(factory.post("/public/decisions/1/"))  # a correction report is a write
        middleware(factory.get("/cases/"))
        middleware(factory.get("/publish/"))
    assert decided == ["replica", "replica", "default", "default", "default"]


def test_reads_inside_a_write_transaction_and_writes_go_to_the_primary(
    personas: Personas, replica: None
) -> None:
    with reads_from_replica():
        assert router.db_for_read(Agency) == "replica"
        assert router.db_for_read(Account) == "default"  # who is logged in never lags
        assert router.db_for_write(Agency) == "default"
        with transaction.atomic():
            assert router.db_for_read(Agency) == "default"
            with statements() as seen:
                assert Agency.objects.filter(pk=personas.agency_a.pk).exists()
            assert seen["replica"] == [] and seen["default"]
    assert router.db_for_read(Agency) == "default"  # outside a marked request
    assert router.allow_migrate("replica", "registry") is False


def test_without_a_replica_the_public_portal_reads_the_primary(personas: Personas) -> None:
    with statements() as seen:
        assert Client().get("/public/agencies/").status_code == 200
    assert seen["default"] and seen["replica"] == []
