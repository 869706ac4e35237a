"""Document numbers: gap-free per agency, kind and year; unique under concurrent requests."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from zhifa.cases.models import DocumentCounter
from zhifa.cases.numbering import (
    DocumentKind,
    agency_short_name,
    agency_short_name_set,
    derived_short_name,
    document_number,
    format_number,
    next_number,
)
from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas


def test_numbers_read_like_official_document_numbers() -> None:
    assert format_number("示范市监", DocumentKind.PENALTY_DECISION, 2026, 12) == (
        "示范市监罚〔2026〕12号"
    )
    assert format_number("示范市监", DocumentKind.CASE_REGISTER, 2026, 1) == "示范市监立〔2026〕1号"


def test_a_short_name_is_derived_from_the_agency_name_until_one_is_set() -> None:
    assert derived_short_name("示范市甲区市场监督管理局") == "示范甲市监"
    assert derived_short_name("示范市乙区生态环境分局") == "示范乙环"
    assert derived_short_name("某某委员会") == "某某委员会"


@pytest.mark.django_db
def test_the_short_name_is_set_by_an_administrator(personas: Personas) -> None:
    assert agency_short_name(personas.agency_a) == "示范甲市监"
    with pytest.raises(RuleViolation, match="系统管理员"):
        agency_short_name_set(actor=personas.head, agency=personas.agency_a, short_name="甲市监")
    agency_short_name_set(actor=personas.admin, agency=personas.agency_a, short_name="示范市监")
    assert agency_short_name(personas.agency_a) == "示范市监"


@pytest.mark.django_db
def test_serials_run_per_agency_kind_and_year(personas: Personas) -> None:
    a, b = personas.agency_a, personas.agency_b
    assert [next_number(a, DocumentKind.PENALTY_DECISION, 2026) for _ in range(3)] == [1, 2, 3]
    assert next_number(a, DocumentKind.PENALTY_DECISION, 2027) == 1
    assert next_number(a, DocumentKind.CASE_REGISTER, 2026) == 1
    assert next_number(b, DocumentKind.PENALTY_DECISION, 2026) == 1
    assert document_number(a, DocumentKind.PENALTY_DECISION, 2026) == "示范甲市监罚〔2026〕4号"


@pytest.mark.django_db
def test_a_number_taken_in_a_rolled_back_transaction_is_reused(personas: Personas) -> None:
    a = personas.agency_a
    next_number(a, DocumentKind.PENALTY_DECISION, 2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number(a, DocumentKind.PENALTY_DECISION, 2026) == 2
        raise RuntimeError("the step was refused")
    assert next_number(a, DocumentKind.PENALTY_DECISION, 2026) == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_get_distinct_gap_free_numbers(personas: Personas) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite test databases are one in-memory shared-cache database, whose table locks "
            "fail at once instead of waiting; PostgreSQL runs this (scripts/with-postgres.sh)"
        )
    agency = personas.agency_a
    threads_n, per_thread = 8, 10
    results: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads_n)

    def work() -> None:
        try:
            start.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    n = next_number(agency, DocumentKind.PENALTY_DECISION, 2026)
                with lock:
                    results.append(n)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == list(range(1, threads_n * per_thread + 1))
    assert DocumentCounter.objects.get(agency=agency).last == threads_n * per_thread
