"""The other pure rules: checklist pre-fill, reviewer eligibility, the review's time limit on the
statutory calendar, the 两法衔接 deadlines."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from zhifa.core.workdays import WorkdayCalendar
from zhifa.review import assignment, checklist, crime_transfer, time_limits

SH = ZoneInfo("Asia/Shanghai")
CAL = WorkdayCalendar()


# -- checklist --------------------------------------------------------------------------------


def test_the_checklist_has_the_ten_points_in_order_with_their_chinese_labels() -> None:
    assert [p.label for p in checklist.POINTS] == [
        "执法主体是否合法",
        "执法人员是否具备执法资格",
        "事实是否清楚，证据是否确凿、充分、合法",
        "适用法律、法规、规章是否准确",
        "裁量基准运用是否适当",
        "程序是否合法",
        "是否超越职权或滥用职权",
        "执法文书是否规范、齐备",
        "违法行为是否涉嫌犯罪需要移送司法机关",
        "其他",
    ]


def _file(**kw: object) -> checklist.FileFacts:
    base: dict[str, object] = {
        "agency_name": "甲区市场监管局",
        "agency_active": True,
        "power_code": "330217",
        "power_name": "对经营超过保质期食品的行政处罚",
        "power_published": True,
        "power_bases": ("中华人民共和国食品安全法第一百二十四条",),
        "submitted_on": date(2026, 4, 3),
        "steps": (
            checklist.StepFact(
                "询问笔录",
                date(2026, 3, 4),
                5,
                (
                    checklist.OfficerFact("张执法", True, certificate="130300000001"),
                    checklist.OfficerFact("李执法", True, certificate="130300000002"),
                ),
            ),
        ),
        "deadlines": (checklist.DeadlineFact("作出处罚决定", date(2026, 6, 2), None, "第六十条"),),
        "documents_present": ("立案审批表",),
        "documents_expected": ("立案审批表",),
    }
    base.update(kw)
    return checklist.FileFacts(**base)  # type: ignore[arg-type]


def test_prefill_answers_what_the_registry_and_record_know_and_shows_the_evidence() -> None:
    out = checklist.prefill(_file())
    assert out[checklist.Point.SUBJECT].verdict == "pass"
    assert out[checklist.Point.OFFICERS].verdict == "pass"
    assert "张执法持有效执法证130300000001" in out[checklist.Point.OFFICERS].evidence[0]
    assert "（记录#5）" in out[checklist.Point.OFFICERS].evidence[0]
    assert out[checklist.Point.PROCEDURE].verdict == "pass"
    assert out[checklist.Point.DOCUMENTS].verdict == "pass"
    # The judgement points are left to the reviewer; the law point shows the listed bases.
    for point in (checklist.Point.FACTS, checklist.Point.DISCRETION, checklist.Point.CRIME):
        assert out[point].verdict is None
    assert out[checklist.Point.LAW].verdict is None
    assert out[checklist.Point.LAW].evidence == (
        "权责清单所列依据：中华人民共和国食品安全法第一百二十四条",
    )


def test_prefill_flags_an_officer_without_a_valid_certificate_on_the_step_date() -> None:
    step = checklist.StepFact(
        "询问笔录",
        date(2026, 7, 2),
        9,
        (
            checklist.OfficerFact("张执法", True),
            checklist.OfficerFact("王过期", False, ("执法证已于2026年6月30日过期",)),
        ),
    )
    out = checklist.prefill(_file(steps=(step,)))
    assert out[checklist.Point.OFFICERS].verdict == "problem"
    assert (
        "王过期不具备执法资格——执法证已于2026年6月30日过期"
        in out[checklist.Point.OFFICERS].evidence[1]
    )


def test_prefill_flags_a_missed_deadline_and_missing_documents() -> None:
    out = checklist.prefill(
        _file(
            deadlines=(checklist.DeadlineFact("作出处罚决定", date(2026, 4, 1), None, "第六十条"),),
            documents_present=(),
            documents_expected=("立案审批表", "行政处罚事先告知书"),
        )
    )
    assert out[checklist.Point.PROCEDURE].verdict == "problem"
    assert "已超过" in out[checklist.Point.PROCEDURE].evidence[0]
    assert out[checklist.Point.DOCUMENTS].verdict == "problem"
    assert out[checklist.Point.DOCUMENTS].evidence[-1] == "缺少：立案审批表、行政处罚事先告知书"


def test_unanswered_and_problem_points_are_listed_in_checklist_order() -> None:
    answers = {p.value: "pass" for p in checklist.POINTS}
    answers["other"] = ""
    answers["law"] = "problem"
    assert checklist.unanswered(answers) == [checklist.Point.OTHER]
    assert checklist.problems(answers) == [checklist.Point.LAW]


# -- reviewer eligibility -------------------------------------------------------------------


def _reviewer(**kw: bool) -> assignment.ReviewerFacts:
    base = {
        "serving": True,
        "same_agency": True,
        "in_review_body": True,
        "handled_case": False,
        "reviewed_before": False,
        "legal_qualification": True,
    }
    base.update(kw)
    return assignment.ReviewerFacts(name="赵审核", **base)


@pytest.mark.parametrize(
    ("facts", "rule"),
    [
        (_reviewer(), None),
        (_reviewer(legal_qualification=False, reviewed_before=True), None),
        (_reviewer(legal_qualification=False), "第五十八条第二款"),
        (_reviewer(handled_case=True), "审查与调查分离"),
        (_reviewer(in_review_body=False), "国办发〔2018〕118号"),
        (_reviewer(same_agency=False), "国办发〔2018〕118号"),
        (_reviewer(serving=False), "国办发〔2018〕118号"),
    ],
)
def test_reviewer_eligibility_names_the_rule_that_refuses(
    facts: assignment.ReviewerFacts, rule: str | None
) -> None:
    answer = assignment.reviewer_eligibility(facts)
    assert answer.allowed is (rule is None)
    if rule is not None:
        assert rule in answer.rules
        assert answer.message.startswith("赵审核")


def test_every_reason_is_given_at_once() -> None:
    answer = assignment.reviewer_eligibility(
        _reviewer(handled_case=True, legal_qualification=False, in_review_body=False)
    )
    assert len(answer.reasons) == 3


# -- the review's time limit ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted", "workdays", "due"),
    [
        # 国庆 2026-10-01…07, 10-10 a make-up working Saturday
        (date(2026, 9, 29), 5, date(2026, 10, 12)),
        (date(2026, 9, 29), 10, date(2026, 10, 19)),
        # 中秋 2026-09-25…27
        (date(2026, 9, 24), 5, date(2026, 10, 9)),
        (date(2026, 3, 2), 5, date(2026, 3, 9)),
    ],
)
def test_the_time_limit_counts_working_days_on_the_statutory_calendar(
    submitted: date, workdays: int, due: date
) -> None:
    assert time_limits.review_due(submitted, workdays, CAL) == due


def test_the_days_waiting_for_material_are_not_counted() -> None:
    # Submitted 09-29 with 10 wd → 10-19; paused 09-30 with 9 wd left; resumed 10-12 → 9 wd on.
    assert time_limits.due_after_pause(
        date(2026, 10, 19), date(2026, 9, 30), date(2026, 10, 12), CAL
    ) == date(2026, 10, 23)
    # A pause and resumption on the same day changes nothing.
    assert time_limits.due_after_pause(
        date(2026, 10, 19), date(2026, 10, 9), date(2026, 10, 9), CAL
    ) == date(2026, 10, 19)


# -- 两法衔接 -----------------------------------------------------------------------------------


def test_the_head_decides_within_three_days_of_the_report() -> None:
    assert crime_transfer.head_decision_due(date(2026, 4, 6), CAL) == date(2026, 4, 9)
    # Ends on a Saturday: the period ends on the next working day.
    assert crime_transfer.head_decision_due(date(2026, 4, 8), CAL) == date(2026, 4, 13)


def test_the_transfer_is_due_24_hours_after_approval() -> None:
    approved = datetime(2026, 4, 9, 16, 30, tzinfo=SH)
    assert crime_transfer.transfer_due(approved) == datetime(2026, 4, 10, 16, 30, tzinfo=SH)


def test_the_package_needs_the_transfer_letter_and_the_investigation_report() -> None:
    assert crime_transfer.missing_documents(["涉嫌犯罪案件移送书"]) == [
        "涉嫌犯罪案件情况的调查报告"
    ]
    assert crime_transfer.missing_documents(list(crime_transfer.REQUIRED_DOCUMENTS)) == []
