"""A filing from generation to acceptance: generated from the record, frozen at submission with
the SHA-256 of its figures, returned with comments, resubmitted, accepted — each step recorded
and replayed by ``zhifa verify``; a later case edit shows as a difference, never silently."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.cases.tests.conftest import World
from zhifa.core.exceptions import RuleViolation
from zhifa.notifications.models import Notification
from zhifa.record.models import Entry
from zhifa.statistics import services_filings as svc
from zhifa.statistics.models import Filing
from zhifa.statistics.recording import statistics_replay_check
from zhifa.statistics.selectors_filings import canonical_sha256, filing_differences

pytestmark = pytest.mark.django_db
ON = date(2027, 1, 10)


def _notes_for_empty_tables(world: World, filing: Filing) -> Filing:
    for p in svc.prompts_of(filing):
        filing = svc.filing_special_note_save(
            actor=world.p.head, filing=filing, table=p.table, text="本年度未发生。", on=ON
        )
    return filing


def test_generate_submit_return_accept_each_recorded_and_replayed(world: World) -> None:
    case = world.decided()
    p = world.p
    filing = svc.filing_generate(actor=p.head, agency=p.agency_a, year=2026, quarter=0, on=ON)
    assert filing.state == Filing.State.DRAFT and filing.origin == Filing.Origin.COMPUTED
    assert filing.figures["penalty.total"] == {"count": 1, "amount": None}
    assert filing.figures["penalty.amount"]["amount"] == "20000.00"
    assert filing.counted["penalty.total"] == [case.pk]
    assert "作出行政处罚决定1件" in filing.narrative and "上年同期为0" in filing.narrative

    filing = svc.filing_narrative_save(actor=p.head, filing=filing, text="本年度情况良好。", on=ON)
    filing = _notes_for_empty_tables(world, filing)
    filing = svc.filing_submit(actor=p.publisher, filing=filing, on=ON)
    assert filing.state == Filing.State.SUBMITTED and filing.submitted_on == ON
    assert filing.figures_sha256 == canonical_sha256(filing.figures)
    submit = Entry.objects.get(action="statistics.filing.submit")
    row = submit.data["rows"][f"statistics.filing:{filing.pk}"]
    assert row["figures"] == filing.figures and row["counted"] == filing.counted
    assert Notification.objects.filter(recipient=p.supervisor, kind="statistics").exists()

    with pytest.raises(RuleViolation, match="已固定"):
        svc.filing_narrative_save(actor=p.head, filing=filing, text="改", on=ON)
    with pytest.raises(RuleViolation, match="审查意见"):
        svc.filing_return(actor=p.supervisor, filing=filing, comments=" ", on=ON)
    filing = svc.filing_return(actor=p.supervisor, filing=filing, comments="请补充原因分析", on=ON)
    assert filing.state == Filing.State.RETURNED and filing.comments == "请补充原因分析"
    assert Notification.objects.filter(recipient=p.head, title__contains="退回").exists()

    filing = svc.filing_narrative_save(actor=p.head, filing=filing, text="已补充。", on=ON)
    filing = svc.filing_submit(actor=p.head, filing=filing, on=date(2027, 1, 20))
    filing = svc.filing_accept(actor=p.supervisor, filing=filing, on=date(2027, 1, 21))
    assert filing.state == Filing.State.ACCEPTED and filing.decided_on == date(2027, 1, 21)
    assert Notification.objects.filter(recipient=p.head, title__contains="接收").exists()
    actions = list(
        Entry.objects.filter(action__startswith="statistics.").values_list("action", flat=True)
    )
    assert actions[0] == "statistics.filing.generate"
    assert actions.count("statistics.filing.submit") == 2
    assert actions[-2:] == ["statistics.filing.submit", "statistics.filing.accept"]
    assert list(statistics_replay_check(iter(()))) == []

    # a frozen filing edited behind the services' back is found by the replay
    Filing.objects.filter(pk=filing.pk).update(figures={})
    problems = list(statistics_replay_check(iter(())))
    assert [pr.kind for pr in problems] == ["statistics_row_differs"]


def test_who_may_prepare_and_review(world: World) -> None:
    p = world.p
    with pytest.raises(RuleViolation, match="负责人或公示管理员"):
        svc.filing_generate(actor=p.officer, agency=p.agency_a, year=2026, quarter=1, on=ON)
    with pytest.raises(RuleViolation, match="负责人或公示管理员"):
        svc.filing_generate(actor=p.head, agency=p.agency_b, year=2026, quarter=1, on=ON)
    filing = svc.filing_generate(actor=p.head, agency=p.agency_a, year=2026, quarter=1, on=ON)
    filing = svc.filing_submit(actor=p.head, filing=filing, on=ON)  # a quarter: notes optional
    with pytest.raises(RuleViolation, match="所在区域"):
        svc.filing_accept(actor=p.head, filing=filing, on=ON)
    with pytest.raises(RuleViolation, match="所在区域"):  # agency B's officer: not a supervisor
        svc.filing_return(actor=p.officer_b, filing=filing, comments="不对", on=ON)
    filing = svc.filing_accept(actor=p.supervisor, filing=filing, on=ON)
    with pytest.raises(RuleViolation, match="待接收"):
        svc.filing_accept(actor=p.supervisor, filing=filing, on=ON)


def test_the_annual_report_is_refused_while_a_required_special_note_is_missing(
    world: World,
) -> None:
    world.decided()  # penalties recorded; no inspection, no coercion in 2026
    p = world.p
    filing = svc.filing_generate(actor=p.head, agency=p.agency_a, year=2026, quarter=0, on=ON)
    prompted = {x.kind for x in svc.prompts_of(filing)}
    assert prompted == {"inspection", "coercion"}  # held and empty; penalty has data
    assert "licensing" not in prompted  # not held: no note (the table is omitted on the portal)
    with pytest.raises(RuleViolation, match="第十七条") as refused:
        svc.filing_submit(actor=p.head, filing=filing, on=ON)
    assert "行政检查实施情况统计表" in str(refused.value)
    assert Filing.objects.get(pk=filing.pk).state == Filing.State.DRAFT
    filing = _notes_for_empty_tables(world, filing)
    assert svc.filing_submit(actor=p.head, filing=filing, on=ON).state == "submitted"


def test_a_later_case_edit_shows_as_a_difference_while_the_frozen_figures_stay(
    world: World,
) -> None:
    first = world.decided(decided_on=date(2026, 4, 28))
    p = world.p
    filing = svc.filing_generate(actor=p.head, agency=p.agency_a, year=2026, quarter=2, on=ON)
    filing = svc.filing_submit(actor=p.head, filing=filing, on=date(2026, 7, 10))
    frozen = dict(filing.figures)
    assert filing_differences(filing) == []

    second = world.decided(decided_on=date(2026, 5, 6), fine=5000)  # decided after the filing
    filing.refresh_from_db()
    assert filing.figures == frozen  # the submitted report did not change
    diffs = {d.code: d for d in filing_differences(filing)}
    total = diffs["penalty.total"]
    assert (total.frozen_count, total.live_count) == (1, 2)
    assert total.added == [second.pk] and total.removed == []
    assert diffs["penalty.amount"].live_amount == 25000
    assert first.pk in filing.counted["penalty.total"]
