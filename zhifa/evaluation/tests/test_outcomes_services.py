"""The outcomes of a campaign (《广东省行政执法案卷评查办法》第十二条第（四）至（八）项): the team
report, the 复评 of failed files, the feedback, objections within 10 working days answered by a
re-check within 10 working days, the overall report and 通报, a matter opened from a failed file,
repeated failures (第二十五条) and the accountability register — each recorded and replayed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.test import override_settings

from zhifa.cases.tests.conftest import World
from zhifa.core.exceptions import RuleViolation
from zhifa.evaluation import selectors_outcomes as sel
from zhifa.evaluation import services_outcomes as services
from zhifa.evaluation.models import Accountability, Campaign, File, Objection, Recheck, Report
from zhifa.evaluation.recording import evaluation_replay_check
from zhifa.evaluation.tests.outcomes_world import (
    BETTER,
    FIXED,
    Outcomes,
    campaign_with_files,
)
from zhifa.notifications.models import Notification
from zhifa.record.models import Entry
from zhifa.supervision.models import Matter
from zhifa.supervision.tests.conftest import Bureau

pytestmark = pytest.mark.django_db

REPORTED_ON = date(2026, 10, 30)
FED_BACK_ON = date(2026, 11, 2)  # a Monday
LAST_OBJECTION_DAY = date(2026, 11, 16)  # the 10th working day after the feedback
OBJECTED_ON = date(2026, 11, 5)
LAST_ANSWER_DAY = date(2026, 11, 19)  # the 10th working day after 11-05


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2026-10-30 10:00 +08:00", tick=False):
        yield


@pytest.fixture
def o(bureau: Bureau, world: World, template: object) -> Outcomes:
    return campaign_with_files(bureau, world, template)  # type: ignore[arg-type]


def fed_back(b: Bureau, o: Outcomes) -> Campaign:
    services.campaign_report_team(actor=b.sup1, campaign=o.campaign, on=REPORTED_ON)
    services.campaign_feedback(actor=b.sup1, campaign=o.campaign, on=FED_BACK_ON)
    return Campaign.objects.get(pk=o.campaign.pk)


def assert_replays() -> None:
    assert not list(evaluation_replay_check([]))


def test_the_team_report_moves_the_campaign_and_is_recorded_with_its_files(
    bureau: Bureau, o: Outcomes
) -> None:
    report = services.campaign_report_team(
        actor=bureau.sup1, campaign=o.campaign, on=REPORTED_ON, suggestions="规范送达程序"
    )
    assert report.kind == Report.Kind.TEAM and report.number == "示范市司法局评查〔2026〕1号"
    assert Campaign.objects.get(pk=o.campaign.pk).state == Campaign.State.REPORTED
    entry = Entry.objects.get(action="evaluation.campaign.report_team")
    assert report.pdf is not None and report.docx is not None
    assert {f.sha256 for f in entry.file_refs} == {report.pdf.sha256, report.docx.sha256}
    # 第十三条: the main problems come from the deductions and their reasons.
    assert "无送达手续" in report.text and "处罚决定书和告知书均无送达回证" in report.text
    assert "否决项：执法人员少于两人或者不具备执法资格" in report.text
    assert "王教授" in report.text and "林监督" in report.text and "规范送达程序" in report.text
    assert_replays()


def test_the_team_report_is_refused_to_others_and_while_a_file_is_open(
    bureau: Bureau, o: Outcomes
) -> None:
    with pytest.raises(RuleViolation, match="评查主体"):
        services.campaign_report_team(actor=bureau.far, campaign=o.campaign, on=REPORTED_ON)
    with pytest.raises(RuleViolation, match="评查主体"):
        services.campaign_report_team(actor=bureau.p.head, campaign=o.campaign, on=REPORTED_ON)
    File.objects.filter(pk=o.good.pk).update(state=File.State.ASSIGNED)
    with pytest.raises(RuleViolation, match=r"1件案卷未评定.*第十三条"):
        services.campaign_report_team(actor=bureau.sup1, campaign=o.campaign, on=REPORTED_ON)
    assert not Report.objects.exists()


def test_a_failed_file_is_rechecked_with_reasons_and_the_original_kept(
    bureau: Bureau, o: Outcomes
) -> None:
    services.campaign_report_team(actor=bureau.sup1, campaign=o.campaign, on=REPORTED_ON)
    with pytest.raises(RuleViolation, match=r"只有评定为不合格.*第十二条第（五）项"):
        services.file_recheck_failed(
            actor=bureau.sup1, file=o.good, marks=BETTER, reasons="复评", on=REPORTED_ON
        )
    with pytest.raises(RuleViolation, match="复评理由"):
        services.file_recheck_failed(
            actor=bureau.sup1, file=o.failing, marks=FIXED, reasons=" ", on=REPORTED_ON
        )
    r = services.file_recheck_failed(
        actor=bureau.sup1,
        file=o.failing,
        marks=FIXED,
        reasons="决定书送达回证在副卷",
        on=REPORTED_ON,
    )
    assert (r.old_total, r.old_grade, r.new_total, r.new_grade) == (40, "不合格", 55, "不合格")
    f = File.objects.get(pk=o.failing.pk)
    assert f.total == 55 and f.result_basis == "recheck:failed"
    assert r.old_result["marks"]["items"]["B2"]["occurrences"] == 2  # the original kept
    assert Entry.objects.filter(action="evaluation.file.recheck").count() == 1
    assert_replays()


def test_feedback_writes_one_letter_per_agency_and_tells_its_head(
    bureau: Bureau, o: Outcomes
) -> None:
    campaign = fed_back(bureau, o)
    assert campaign.state == Campaign.State.FEEDBACK
    letter = Report.objects.get(kind=Report.Kind.FEEDBACK)
    assert letter.agency == bureau.p.agency_a
    assert "处罚决定书和告知书均无送达回证" in letter.text
    assert "10个工作日" in letter.text and "2026年11月16日" in letter.text
    assert Notification.objects.filter(recipient=bureau.p.head, kind="evaluation").exists()
    entry = Entry.objects.get(action="evaluation.campaign.feedback")
    assert entry.data["objection_last_day"] == "2026-11-16"
    assert_replays()


@pytest.mark.parametrize(
    ("day", "allowed"),
    [
        (date(2026, 11, 13), True),  # the day before the 10th working day
        (LAST_OBJECTION_DAY, True),  # the 10th working day itself
        (date(2026, 11, 17), False),  # the day after
    ],
)
def test_an_objection_is_allowed_up_to_the_tenth_working_day_after_feedback(
    bureau: Bureau, o: Outcomes, day: date, allowed: bool
) -> None:
    fed_back(bureau, o)
    if allowed:
        objection = services.objection_file(
            actor=bureau.p.head, file=o.failing, reasons="送达回证在副卷", on=day
        )
        assert objection.outcome == Objection.Outcome.PENDING
        assert File.objects.get(pk=o.failing.pk).state == File.State.RECHECKING
        assert Entry.objects.filter(action="evaluation.objection.file").count() == 1
    else:
        with pytest.raises(
            RuleViolation,
            match=r"2026-11-16届满.*《广东省行政执法案卷评查办法》第十二条第（七）项",
        ):
            services.objection_file(actor=bureau.p.head, file=o.failing, reasons="理由", on=day)
        assert not Objection.objects.exists()


def test_only_the_agencys_head_objects_once_after_the_feedback(bureau: Bureau, o: Outcomes) -> None:
    services.campaign_report_team(actor=bureau.sup1, campaign=o.campaign, on=REPORTED_ON)
    with pytest.raises(RuleViolation, match="不能提出异议"):
        services.objection_file(actor=bureau.p.head, file=o.failing, reasons="r", on=FED_BACK_ON)
    services.campaign_feedback(actor=bureau.sup1, campaign=o.campaign, on=FED_BACK_ON)
    for actor in (bureau.p.officer, o.head_b, bureau.sup1):
        with pytest.raises(RuleViolation, match="被评查机关的负责人"):
            services.objection_file(actor=actor, file=o.failing, reasons="r", on=FED_BACK_ON)
    services.objection_file(actor=bureau.p.head, file=o.failing, reasons="r", on=FED_BACK_ON)
    with pytest.raises(RuleViolation, match="已对该案卷"):
        services.objection_file(actor=bureau.p.head, file=o.failing, reasons="r", on=FED_BACK_ON)


@pytest.mark.parametrize(
    ("day", "late"),
    [(date(2026, 11, 18), False), (LAST_ANSWER_DAY, False), (date(2026, 11, 20), True)],
)
def test_the_recheck_answers_within_ten_working_days_else_it_shows_late(
    bureau: Bureau, o: Outcomes, day: date, late: bool
) -> None:
    fed_back(bureau, o)
    objection = services.objection_file(
        actor=bureau.p.head, file=o.failing, reasons="送达回证在副卷", on=OBJECTED_ON
    )
    assert objection.due_on == LAST_ANSWER_DAY
    w = sel.recheck_window(objection, date(2026, 11, 18))
    assert w.remaining == 1 and "第十二条第（七）项" in w.limit.text
    answered = services.objection_answer(
        actor=bureau.sup1, objection=objection, upheld=False, answer="副卷未见送达回证", on=day
    )
    assert answered.late is late
    assert Entry.objects.get(action="evaluation.objection.answer").data["late"] is late


def test_an_upheld_objection_gives_a_new_result_and_a_rejected_one_keeps_it(
    bureau: Bureau, o: Outcomes
) -> None:
    fed_back(bureau, o)
    up = services.objection_file(
        actor=bureau.p.head, file=o.failing, reasons="送达回证在副卷", on=OBJECTED_ON
    )
    down = services.objection_file(
        actor=bureau.p.head, file=o.vetoed, reasons="有两名执法人员", on=OBJECTED_ON
    )
    with pytest.raises(RuleViolation, match="评查主体"):
        services.objection_answer(
            actor=bureau.p.head, objection=up, upheld=False, answer="x", on=OBJECTED_ON
        )
    with pytest.raises(RuleViolation, match="复核后的评分"):
        services.objection_answer(
            actor=bureau.sup1, objection=up, upheld=True, answer="x", on=OBJECTED_ON
        )
    up = services.objection_answer(
        actor=bureau.sup1,
        objection=up,
        upheld=True,
        answer="副卷有决定书送达回证",
        marks=BETTER,
        on=OBJECTED_ON,
    )
    assert up.outcome == Objection.Outcome.UPHELD and up.recheck is not None
    assert (up.recheck.old_total, up.recheck.new_total, up.recheck.new_grade) == (40, 98, "优秀")
    assert File.objects.get(pk=o.failing.pk).grade == "优秀"
    down = services.objection_answer(
        actor=bureau.sup1,
        objection=down,
        upheld=False,
        answer="现场检查笔录仅一人签名",
        on=OBJECTED_ON,
    )
    assert down.outcome == Objection.Outcome.REJECTED and down.recheck is None
    f = File.objects.get(pk=o.vetoed.pk)
    assert f.grade == "不合格" and f.state == File.State.SCORED
    letters = Report.objects.filter(kind=Report.Kind.ANSWER).order_by("pk")
    assert [r.objection_id for r in letters] == [up.pk, down.pk]
    assert "异议成立" in letters[0].text and "98" in letters[0].text
    assert "异议不成立" in letters[1].text and "现场检查笔录仅一人签名" in letters[1].text
    with pytest.raises(RuleViolation, match="已经答复"):
        services.objection_answer(
            actor=bureau.sup1, objection=down, upheld=False, answer="x", on=OBJECTED_ON
        )
    assert Recheck.objects.count() == 1
    assert_replays()


def test_closing_waits_for_the_objection_limit_and_the_answers(bureau: Bureau, o: Outcomes) -> None:
    fed_back(bureau, o)
    objection = services.objection_file(
        actor=bureau.p.head, file=o.failing, reasons="r", on=OBJECTED_ON
    )
    with pytest.raises(RuleViolation, match="异议未复核"):
        services.campaign_close(actor=bureau.sup1, campaign=o.campaign, on=date(2026, 11, 17))
    services.objection_answer(
        actor=bureau.sup1, objection=objection, upheld=False, answer="维持", on=OBJECTED_ON
    )
    with pytest.raises(RuleViolation, match="2026-11-16届满"):
        services.campaign_close(actor=bureau.sup1, campaign=o.campaign, on=LAST_OBJECTION_DAY)
    overall, notice = services.campaign_close(
        actor=bureau.sup1, campaign=o.campaign, on=date(2026, 11, 17)
    )
    assert Campaign.objects.get(pk=o.campaign.pk).state == Campaign.State.CLOSED
    assert overall.kind == Report.Kind.OVERALL and notice.kind == Report.Kind.NOTICE
    # 第二十五条: agency A has 2 failed files, the threshold's default.
    assert "示范市甲区市场监督管理局：不合格案卷2件" in notice.text
    assert "第二十五条" in notice.text
    assert "异议不成立" in overall.text
    assert_replays()


def test_a_failed_file_opens_a_supervision_matter_once(bureau: Bureau, o: Outcomes) -> None:
    with pytest.raises(RuleViolation, match="只有评定为不合格"):
        services.file_matter_open(actor=bureau.sup1, file=o.good, on=REPORTED_ON)
    matter = services.file_matter_open(actor=bureau.sup1, file=o.failing, on=REPORTED_ON)
    assert matter.origin == Matter.Origin.EVALUATION
    assert matter.origin_ref == f"evaluation.file:{o.failing.pk}"
    assert matter.agency == bureau.p.agency_a
    assert "处罚决定书和告知书均无送达回证" in matter.summary
    assert Entry.objects.filter(action="supervision.matter.open").count() == 1
    assert Entry.objects.get(action="evaluation.file.matter_open").data["matter"] == matter.pk
    with pytest.raises(RuleViolation, match="已就该案卷"):
        services.file_matter_open(actor=bureau.sup1, file=o.failing, on=REPORTED_ON)
    with pytest.raises(RuleViolation, match="评查主体"):
        services.file_matter_open(actor=bureau.far, file=o.vetoed, on=REPORTED_ON)


def test_repeated_failures_list_agencies_and_officers_at_the_threshold(
    bureau: Bureau, world: World, o: Outcomes
) -> None:
    rows = sel.repeated_failures(bureau.sup1, 2026)
    agencies = [r for r in rows if r.kind == "agency"]
    officers = [r for r in rows if r.kind == "officer"]
    assert [(r.name, r.failed) for r in agencies] == [("示范市甲区市场监督管理局", 2)]
    assert {r.pk for r in officers} == {world.o1.pk, world.o2.pk}
    assert sel.repeated_failures(bureau.far, 2026) == []  # another city sees none of it
    with override_settings(ZHIFA_EVALUATION_REPEATED_FAILURES=3):
        assert sel.repeated_failures(bureau.sup1, 2026) == []
    assert sel.repeated_failures_threshold()[1] == "《广东省行政执法案卷评查办法》第二十五条"


def test_accountability_is_recorded_by_a_supervisor_of_the_region(
    bureau: Bureau, world: World, o: Outcomes
) -> None:
    kw = {
        "agency": bureau.p.agency_a,
        "ground": Accountability.Ground.RESPONSIBILITY,
        "measure": Accountability.Measure.RETRAINING,
        "deciding_body": "示范市甲区市场监督管理局",
        "decided_on": date(2026, 10, 28),
        "on": REPORTED_ON,
    }
    for actor in (bureau.far, bureau.p.head, bureau.p.officer):
        with pytest.raises(RuleViolation, match="所在地区的行政执法监督人员"):
            services.accountability_record(actor=actor, officer=world.o1, **kw)  # type: ignore[arg-type]
    with pytest.raises(RuleViolation, match="不属于所选机关"):
        services.accountability_record(
            actor=bureau.sup1,
            officer=world.o1,
            **{**kw, "agency": bureau.p.agency_b},  # type: ignore[arg-type]
        )
    row = services.accountability_record(actor=bureau.sup1, officer=world.o1, file=o.failing, **kw)  # type: ignore[arg-type]
    assert row.name == world.o1.name and row.case_id == o.failing.case_id
    assert Entry.objects.get(action="evaluation.accountability.record").data["rows"]
    assert list(sel.accountabilities_visible_to(bureau.p.officer)) == [row]
    assert list(sel.accountabilities_visible_to(bureau.p.officer_b)) == []
    assert list(sel.accountabilities_visible_to(bureau.far)) == []
    assert_replays()


def test_a_pending_objection_is_on_the_supervisors_todo_list_with_its_limit(
    bureau: Bureau, o: Outcomes
) -> None:
    from zhifa.todos.items import todos_for

    fed_back(bureau, o)
    services.objection_file(actor=bureau.p.head, file=o.failing, reasons="r", on=OBJECTED_ON)
    items = [
        t for t in todos_for(bureau.sup1, date(2026, 11, 18)) if t.kind == "evaluation_objection"
    ]
    assert len(items) == 1
    assert items[0].due_on == LAST_ANSWER_DAY and items[0].remaining == 1
    assert "第十二条第（七）项" in items[0].article
    assert not [
        t for t in todos_for(bureau.far, date(2026, 11, 18)) if t.kind == "evaluation_objection"
    ]
