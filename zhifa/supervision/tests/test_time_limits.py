"""Every supervision time limit is a row of ``core.time_limits`` with its source, shown beside the
countdown; each counted at its boundary (day before, day of, day after) on the default table and
on a non-default province table."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.test import override_settings

from zhifa.core.time_limits import time_limit
from zhifa.supervision import services
from zhifa.supervision import time_limits as tl
from zhifa.supervision.models import Document, Matter
from zhifa.supervision.selectors import matter_countdowns, rectifications_overdue

from .conftest import Bureau
from .test_services import ON, investigating

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2026-03-02 10:00 +08:00", tick=False):
        yield


def test_every_row_names_its_source_and_unit() -> None:
    for row in tl.ROWS:
        configured = time_limit(row.key)
        assert configured.source.startswith("《"), row.key
        assert "（依据：" in configured.text


PROVINCE = {  # a province that counts in working days, as 吉林 does (第二十九、三十条)
    key: {"count": 15, "unit": "workdays", "source": "《吉林省行政执法监督条例》第二十九条"}
    for key in (tl.URGE, tl.OPINION, tl.DECISION, tl.CLUE_REPORT)
}

DOCUMENT_FIELDS = {
    "urge_letter": {},
    "opinion": {},
    "decision": {"approved_by": "示范市人民政府", "approved_on": "2026-03-01", "grave": True},
    "clue_transfer": {"to_body": "示范市纪委监委"},
}


@pytest.mark.parametrize(
    ("kind", "table", "due"),
    [
        ("urge_letter", {}, date(2026, 4, 1)),  # 30 days (广东 33)
        ("opinion", {}, date(2026, 4, 1)),
        ("decision", {}, date(2026, 4, 1)),  # 30 days (广东 34)
        ("clue_transfer", {}, date(2026, 3, 23)),  # 20 days (内蒙古 26), 3-22 a Sunday
        ("urge_letter", PROVINCE, date(2026, 3, 23)),  # 15 working days
        ("opinion", PROVINCE, date(2026, 3, 23)),
        ("decision", PROVINCE, date(2026, 3, 23)),
        ("clue_transfer", PROVINCE, date(2026, 3, 23)),
    ],
)
def test_a_document_is_due_at_its_boundary(
    bureau: Bureau, kind: str, table: dict[str, object], due: date
) -> None:
    with override_settings(ZHIFA_TIME_LIMITS=table):
        m = investigating(bureau)
        doc = services.matter_document_issue(
            actor=bureau.sup1,
            matter=m,
            kind=kind,
            findings="f",
            requirement="r",
            fields=DOCUMENT_FIELDS[kind],
            on=ON,
        )
        assert doc.due_on == due
        source = time_limit(tl.FOR_DOCUMENT[kind]).source
        if kind != "clue_transfer":
            before = date.fromordinal(due.toordinal() - 1)
            for day, remaining in ((before, 1), (due, 0)):
                (cd,) = [c for c in matter_countdowns(m, day) if doc.number in c.what]
                assert cd.remaining >= remaining and not cd.overdue
                assert source in cd.text
            assert not rectifications_overdue(bureau.sup1, due).exists()
            after = date.fromordinal(due.toordinal() + 1)
            (cd,) = [c for c in matter_countdowns(m, after) if doc.number in c.what]
            assert cd.overdue
            assert list(rectifications_overdue(bureau.sup1, after)) == [doc]


@pytest.mark.parametrize(
    ("table", "due"),
    [
        ({}, date(2026, 3, 17)),  # 15 days (广东 33)
        (
            {
                tl.OBJECTION_ANSWER: {
                    "count": 10,
                    "unit": "workdays",
                    "source": "《天津市行政执法监督规定》第二十三条",
                }
            },
            date(2026, 3, 16),
        ),
    ],
)
def test_the_answer_to_an_objection_is_due_at_its_boundary(
    bureau: Bureau, table: dict[str, object], due: date
) -> None:
    with override_settings(ZHIFA_TIME_LIMITS=table):
        m = investigating(bureau)
        doc = services.matter_document_issue(
            actor=bureau.sup1, matter=m, kind="opinion", findings="f", requirement="r", on=ON
        )
        obj = services.document_objection_file(
            actor=bureau.p.head, document=doc, reasons="r", on=ON
        )
        assert obj.answer_due == due

        def answer_countdown(day: date) -> int:
            (cd,) = [c for c in matter_countdowns(m, day) if "答复异议" in c.what]
            assert time_limit(tl.OBJECTION_ANSWER).source in cd.text
            return cd.remaining

        assert answer_countdown(date.fromordinal(due.toordinal() - 1)) > 0
        assert answer_countdown(due) == 0
        assert answer_countdown(date.fromordinal(due.toordinal() + 1)) < 0


def test_an_explanation_countdown_counts_working_days(bureau: Bureau) -> None:
    m = investigating(bureau)
    services.matter_explanation_request(actor=bureau.sup1, matter=m, text="请说明", on=ON)
    # due 2026-03-16 (10 working days); on Friday 3-13 one working day is left.
    (cd,) = matter_countdowns(Matter.objects.get(pk=m.pk), date(2026, 3, 13))
    assert (cd.remaining, cd.unit) == (1, "个工作日")
    (cd,) = matter_countdowns(m, date(2026, 3, 16))
    assert cd.remaining == 0
    (cd,) = matter_countdowns(m, date(2026, 3, 17))
    assert cd.overdue
    assert Document.objects.count() == 0
