"""Publishing an accepted annual report: recorded, refused before acceptance, for a quarter,
twice, or within the year itself."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.cases.tests.conftest import World
from zhifa.core.exceptions import RuleViolation
from zhifa.record.action_labels import action_label
from zhifa.record.models import Entry
from zhifa.statistics.models import Filing
from zhifa.statistics.services_publication import filing_publish

from .publication_world import A_FIGURES, filing

pytestmark = pytest.mark.django_db


def test_an_accepted_annual_report_is_published_and_recorded(world: World) -> None:
    f = filing(world.p, world.p.agency_a, A_FIGURES)
    done = filing_publish(actor=world.p.head, filing=f, on=date(2027, 1, 20))
    assert done.state == Filing.State.PUBLISHED and done.published_on == date(2027, 1, 20)
    assert done.figures == A_FIGURES  # the frozen figures are what the portal shows
    entry = Entry.objects.get(seq=done.entry_seq)
    assert entry.action == "statistics.filing_publish"
    assert entry.data["filing"] == f.pk and entry.data["on"] == "2027-01-20"
    assert entry.data["rows"][f"statistics.filing:{f.pk}"]["state"] == "published"
    assert action_label("statistics.filing_publish") == "公开年度行政执法统计数据"


@pytest.mark.parametrize(
    ("state", "quarter", "on", "message"),
    [
        (Filing.State.SUBMITTED, 0, date(2027, 1, 20), "须经监督机关接收后方可公开"),
        (Filing.State.DRAFT, 0, date(2027, 1, 20), "须经监督机关接收后方可公开"),
        (Filing.State.ACCEPTED, 3, date(2027, 1, 20), "季度统计只报送监督机关"),
        (Filing.State.PUBLISHED, 0, date(2027, 1, 20), "该年度数据已公开"),
        (Filing.State.ACCEPTED, 0, date(2026, 12, 31), "须在统计年度结束后公开"),
    ],
)
def test_publishing_is_refused_with_its_rule(
    world: World, state: str, quarter: int, on: date, message: str
) -> None:
    f = filing(world.p, world.p.agency_a, A_FIGURES, state=state, quarter=quarter)
    before = Entry.objects.count()
    with pytest.raises(RuleViolation) as err:
        filing_publish(actor=world.p.head, filing=f, on=on)
    assert message in str(err.value) and err.value.article == "国办发〔2018〕118号（六）"
    assert Entry.objects.count() == before
    f.refresh_from_db()
    assert f.state == state
