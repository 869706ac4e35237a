"""The record checks (案卷评查 items the record answers): each on a case that passes it, walked
through the cases' services, and on one built to fail it — with the finding's message, its
count and the record entries and documents it points to."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.cases import services
from zhifa.cases.documents import document_generate
from zhifa.cases.models import Case, CaseDocument, CaseStep, Extension
from zhifa.cases.tests.conftest import FileIn, World, entered_on, upload
from zhifa.evaluation import checks_record as C
from zhifa.evaluation.case_checks import findings_for
from zhifa.evaluation.case_facts import CaseFacts, UploadFact, case_facts
from zhifa.evaluation.record_checks import CHECKS, Finding, proposed_marks
from zhifa.evaluation.scoring import parse_template, score
from zhifa.publicity import services as publicity
from zhifa.publicity.models import Publication
from zhifa.publicity.tests.publication_world import reviewed
from zhifa.record.models import Entry
from zhifa.record.services import Recording
from zhifa.registry.models import Certificate

SH = ZoneInfo("Asia/Shanghai")
D = CaseDocument.Kind
SERVED = date(2026, 5, 8)
PAID = date(2026, 5, 20)
CLOSED = date(2026, 5, 28)
ARCHIVED = date(2026, 6, 10)
TODAY = date(2026, 12, 1)


def _doc(world: World, case: Case, kind: str, on: date, step: CaseStep | None = None) -> None:
    with entered_on(on):
        document_generate(actor=world.p.officer, case=case, kind=kind, on=on, step=step)


def closed_case(world: World, *, media: FileIn | None = None, late_media: bool = False) -> Case:
    """A general-procedure penalty walked to 归档: decided (world.decided), its documents made,
    served with the receipt, paid, closed and archived; its publication published on time."""
    p = world.p
    case = world.decided()
    for kind in (D.REGISTER_APPROVAL, D.PENALTY_NOTICE, D.PENALTY_DECISION):
        _doc(world, case, kind, date(2026, 4, 29))
    if media is not None:
        ended = datetime(2026, 5, 8, 10, tzinfo=SH)
        rec = Recording(
            "执法记录仪DSJ-01", world.o1.pk, world.o1.name, ended - timedelta(hours=1), ended
        )
        late = ended + timedelta(hours=30 if late_media else 2)
        with entered_on(SERVED):
            upload(p.officer, case, dataclasses.replace(media, recording=rec), at=late)
    with entered_on(SERVED):
        case = services.case_serve(
            actor=p.officer,
            case=case,
            on=SERVED,
            method=Case.ServiceMethod.DIRECT,
            recipient="刘某某",
        )
    step = CaseStep.objects.get(case=case, kind=CaseStep.Kind.SERVICE)
    _doc(world, case, D.SERVICE_RECEIPT, SERVED, step)
    publication = Publication.objects.get(case=case)
    with entered_on(date(2026, 5, 11)):
        publicity.publication_publish(
            actor=p.publisher, publication=reviewed(publication), on=date(2026, 5, 11)
        )
    with entered_on(PAID):
        case = services.case_payment_record(
            actor=p.officer, case=case, on=PAID, amount=Decimal(20000), receipt="NO.001"
        )
    with entered_on(CLOSED):
        case = services.case_close(actor=p.head, case=case, on=CLOSED, opinion="同意结案")
    _doc(world, case, D.CLOSE_APPROVAL, CLOSED)
    with entered_on(ARCHIVED):
        return services.case_archive(actor=p.head, case=case, on=ARCHIVED)


def facts_of(case: Case, on: date = TODAY) -> CaseFacts:
    return case_facts(case.pk, on=on)


def run(code: str, facts: CaseFacts) -> Finding:
    return CHECKS[code].run(facts)


def with_case(facts: CaseFacts, **changes: Any) -> CaseFacts:
    """The facts with the case's fields changed in memory only: for files the services would
    have refused (imported or made before the platform), which an evaluation must still judge."""
    for name, value in changes.items():
        setattr(facts.case, name, value)
    return facts


def seqs(finding: Finding) -> set[int]:
    return {e.seq for e in finding.evidence if e.seq is not None}


def actions(finding: Finding) -> set[str]:
    return set(Entry.objects.filter(seq__in=seqs(finding)).values_list("action", flat=True))


@pytest.fixture
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return Path(settings.EVIDENCE_DIR)


@pytest.fixture
def archived(world: World, evidence_dir: Path) -> Case:
    return closed_case(world, media=FileIn(b"\x00video" * 64, "送达.mp4", "video/mp4"))


# -- every check passes on a complete file ----------------------------------------------------


def test_every_check_is_registered_with_its_label_and_source() -> None:
    assert set(C.CHECK_CODES) <= set(CHECKS)
    for code in C.CHECK_CODES:
        check = CHECKS[code]
        assert check.label
        assert "《" in check.source or "清单" in check.source


def test_a_complete_archived_file_passes_every_check_that_applies(archived: Case) -> None:
    found = findings_for(archived.pk, C.CHECK_CODES, on=TODAY)
    passed = {code for code, f in found.items() if f.passed}
    assert passed == {
        "two_certified_officers",
        "power_published",
        "registration_approved_in_time",
        "decision_within_limit",
        "prior_notice",
        "no_heavier_than_notified",
        "service_in_time",
        "execution_recorded",
        "archived_in_time",
        "publication_on_time",
        "media_uploaded_in_time",
    }
    # Not major, not complex: the record says why the check does not apply.
    assert found["legal_review_before_major"].passed is None
    assert "不属于重大执法决定" in found["legal_review_before_major"].message
    assert found["collective_discussion"].passed is None
    assert "无须集体讨论" in found["collective_discussion"].message
    assert found["file_reads_logged"].passed is None  # informational, never scored
    for f in found.values():
        assert f.occurrences == 0


def test_the_facts_of_a_file_take_a_small_constant_number_of_queries(
    world: World, archived: Case
) -> None:
    """The archived file has three times the entries and documents of a decided one, and is
    read with as many queries."""
    decided = world.decided()
    with CaptureQueriesContext(connection) as small:
        case_facts(decided.pk, on=TODAY)
    with CaptureQueriesContext(connection) as large:
        case_facts(archived.pk, on=TODAY)
    assert (
        Entry.objects.filter(case_id=archived.pk).count()
        > 2 * Entry.objects.filter(case_id=decided.pk).count()
    )
    assert len(large) == len(small) <= 20


# -- 第四十二条 ------------------------------------------------------------------------------


def test_two_certified_officers_passes_with_each_step_and_its_entry(archived: Case) -> None:
    f = run("two_certified_officers", facts_of(archived))
    assert f.passed is True
    assert "两名以上持有效执法证" in f.message
    assert "case.investigate" in actions(f)


def test_two_certified_officers_fails_a_step_taken_after_a_certificate_was_revoked(
    world: World, archived: Case
) -> None:
    # The assistant's certificate is found to have been revoked before the interview (entered
    # in the registry afterwards): the interview of 2026-03-04 was made by one certified officer.
    cert = Certificate.objects.get(officer=world.o2, kind=Certificate.Kind.ENFORCEMENT)
    cert.status_changes.create(
        from_status="valid",
        to_status="revoked",
        reason="证件收回",
        effective_on=date(2026, 3, 1),
        changed_by=world.p.admin,
    )
    f = run("two_certified_officers", facts_of(archived))
    assert f.passed is False
    assert f.occurrences == 1
    assert world.o2.name in f.message and "有效执法证" in f.message
    assert actions(f) == {"case.investigate"}


# -- 职权法定 --------------------------------------------------------------------------------


def test_power_published_names_the_version_on_the_list(archived: Case) -> None:
    f = run("power_published", facts_of(archived))
    assert f.passed is True
    assert "330217" in f.message
    assert actions(f) == {"case.register", "case.decide"}


def test_power_published_fails_when_the_item_was_published_after_the_decision(
    archived: Case,
) -> None:
    facts = facts_of(archived)
    late = tuple(
        dataclasses.replace(v, published_on=date(2026, 5, 1)) for v in facts.power_versions
    )
    f = run("power_published", dataclasses.replace(facts, power_versions=late))
    assert f.passed is False and f.occurrences == 2
    assert "尚未在本机关权责清单中发布" in f.message


# -- 立案 ------------------------------------------------------------------------------------


def test_registration_approved_in_time_passes_and_shows_the_head(archived: Case) -> None:
    f = run("registration_approved_in_time", facts_of(archived))
    assert f.passed is True
    assert actions(f) == {"case.register", "document.generate"}
    assert any(e.document_id for e in f.evidence)


def test_registration_fails_past_the_period_and_the_limitation(archived: Case) -> None:
    facts = with_case(facts_of(archived), clue_on=date(2026, 1, 5), act_ended_on=date(2023, 3, 1))
    facts = dataclasses.replace(facts, register_due=date(2026, 1, 26))
    f = run("registration_approved_in_time", facts)
    assert f.passed is False and f.occurrences == 2
    assert "超过立案期限" in f.message and "第三十六条" in f.message


def test_registration_at_the_last_day_of_the_period_passes(archived: Case) -> None:
    facts = dataclasses.replace(facts_of(archived), register_due=date(2026, 3, 4))
    assert run("registration_approved_in_time", facts).passed is True
    facts = dataclasses.replace(facts, register_due=date(2026, 3, 3))
    assert run("registration_approved_in_time", facts).passed is False


# -- 第六十条 --------------------------------------------------------------------------------


def test_decision_within_limit_boundary(archived: Case) -> None:
    facts = facts_of(archived)
    assert facts.case.decision_deadline == date(2026, 6, 2)
    assert run("decision_within_limit", facts).passed is True
    with_case(facts, decided_on=date(2026, 6, 2))
    assert run("decision_within_limit", facts).passed is True
    with_case(facts, decided_on=date(2026, 6, 3))
    f = run("decision_within_limit", facts)
    assert f.passed is False
    assert "九十日" in f.message and "case.decide" in actions(f)


def test_decision_within_limit_counts_an_approved_extension(world: World) -> None:
    case = world.stated(date(2026, 3, 4), date(2026, 4, 1), date(2026, 4, 2))
    with entered_on(date(2026, 5, 29)):
        services.case_decision_extend(
            actor=world.p.head, case=case, on=date(2026, 5, 29), reason="案情复杂需补充调查"
        )
    case = Case.objects.get(pk=case.pk)
    with entered_on(date(2026, 6, 20)):
        case = services.case_decide(
            actor=world.p.head,
            case=case,
            on=date(2026, 6, 20),
            penalty_kinds=["warning", "fine"],
            fine=Decimal(20000),
        )
    f = run("decision_within_limit", facts_of(case))
    assert f.passed is True and "延长" in f.message
    assert "case.decision_extend" in actions(f)
    assert Extension.objects.filter(case=case).count() == 1


# -- 事先告知 --------------------------------------------------------------------------------


def test_prior_notice_passes_with_the_hearing_right_told(archived: Case) -> None:
    f = run("prior_notice", facts_of(archived))
    assert f.passed is True and "听证权利" in f.message
    assert {"case.notify", "case.decide", "case.statement_record"} <= actions(f)
    assert any(e.document_id for e in f.evidence)  # the 告知书


def test_prior_notice_fails_without_the_hearing_right_and_before_the_period_ended(
    archived: Case,
) -> None:
    facts = facts_of(archived)
    facts = dataclasses.replace(
        facts, steps=tuple(s for s in facts.steps if s.kind != CaseStep.Kind.STATEMENT)
    )
    with_case(facts, hearing_right=False, decided_on=facts.case.statement_deadline)
    f = run("prior_notice", facts)
    assert f.passed is False and f.occurrences == 2
    assert "第六十三条" in f.message and "陈述、申辩" in f.message


def test_prior_notice_missing(archived: Case) -> None:
    f = run("prior_notice", with_case(facts_of(archived), notified_on=None))
    assert f.passed is False and "未事先告知" in f.message


def test_prior_notice_does_not_apply_to_a_simple_procedure(archived: Case) -> None:
    f = run("prior_notice", with_case(facts_of(archived), kind=Case.Kind.PENALTY_SIMPLE))
    assert f.passed is None and "简易程序" in f.message


# -- 第四十五条 ------------------------------------------------------------------------------


def test_no_heavier_than_notified(archived: Case) -> None:
    facts = facts_of(archived)
    f = run("no_heavier_than_notified", facts)
    assert f.passed is True and actions(f) == {"case.notify", "case.decide"}
    with_case(facts, fine=Decimal("20000.01"))
    f = run("no_heavier_than_notified", facts)
    assert f.passed is False and "高于事先告知" in f.message


# -- 第五十八条 and 第五十七条第二款 ----------------------------------------------------------


def test_legal_review_before_major(archived: Case) -> None:
    from zhifa.evaluation.case_facts import AssessmentFact, RoundFact

    facts = facts_of(archived)
    decide = facts.last_entry("case.decide")
    assert decide is not None
    major = AssessmentFact(date(2026, 4, 1), True, ("罚款数额较大",), decide.seq)
    facts = dataclasses.replace(facts, assessments=(major,))
    f = run("legal_review_before_major", facts)
    assert f.passed is False and "未经法制审核" in f.message
    agreed = RoundFact(
        1,
        "concluded",
        date(2026, 4, 10),
        date(2026, 4, 20),
        True,
        "同意",
        True,
        decide.seq,
        decide.seq,
    )
    f = run("legal_review_before_major", dataclasses.replace(facts, rounds=(agreed,)))
    assert f.passed is True and "同意" in f.message
    upheld = dataclasses.replace(agreed, agreed=False, outcome_label="建议纠正", accepted=True)
    f = run("legal_review_before_major", dataclasses.replace(facts, rounds=(upheld,)))
    assert f.passed is True and "采纳承办机构意见" in f.message
    rejected = dataclasses.replace(upheld, accepted=False)
    f = run("legal_review_before_major", dataclasses.replace(facts, rounds=(rejected,)))
    assert f.passed is False and "建议纠正" in f.message
    after = dataclasses.replace(agreed, concluded_on=date(2026, 4, 29))  # after the decision
    f = run("legal_review_before_major", dataclasses.replace(facts, rounds=(after,)))
    assert f.passed is False


def test_collective_discussion_where_required(archived: Case) -> None:
    facts = with_case(facts_of(archived), complex_or_grave=True)
    f = run("collective_discussion", facts)
    assert f.passed is False and "集体讨论" in f.message and actions(f) == {"case.decide"}
    with_case(facts, collective_discussion=True)
    assert run("collective_discussion", facts).passed is True


# -- 第六十一条 ------------------------------------------------------------------------------


def test_service_in_time_with_the_receipt(archived: Case) -> None:
    f = run("service_in_time", facts_of(archived))
    assert f.passed is True
    assert any(e.document_id for e in f.evidence) and "case.serve" in actions(f)


def test_service_late_and_without_receipt(world: World) -> None:
    case = world.decided()
    late = date(2026, 5, 29)
    with entered_on(late):
        case = services.case_serve(
            actor=world.p.officer, case=case, on=late, method=Case.ServiceMethod.DIRECT
        )
    f = run("service_in_time", facts_of(case))
    assert f.passed is False and f.occurrences == 2
    assert "超过送达期限" in f.message and "未见送达回证" in f.message


def test_service_not_yet_due_is_undecided_then_overdue(world: World) -> None:
    case = world.decided()
    assert case.service_deadline is not None
    assert run("service_in_time", facts_of(case, case.service_deadline)).passed is None
    f = run("service_in_time", facts_of(case, case.service_deadline + timedelta(days=1)))
    assert f.passed is False and "未见送达记录" in f.message


# -- 执行 ------------------------------------------------------------------------------------


def test_execution_recorded(archived: Case) -> None:
    facts = facts_of(archived)
    f = run("execution_recorded", facts)
    assert f.passed is True and "case.payment_record" in actions(f)
    with_case(facts, paid_amount=Decimal(0))
    f = run("execution_recorded", facts)
    assert f.passed is False and "未见申请人民法院强制执行" in f.message


# -- 归档 ------------------------------------------------------------------------------------


def test_archived_in_time_boundary(archived: Case) -> None:
    facts = facts_of(archived)
    assert facts.archive_due is not None
    assert run("archived_in_time", facts).passed is True
    with_case(facts, archived_on=facts.archive_due)
    assert run("archived_in_time", facts).passed is True
    with_case(facts, archived_on=facts.archive_due + timedelta(days=1))
    f = run("archived_in_time", facts)
    assert f.passed is False and "超过归档期限" in f.message


def test_archived_file_missing_documents(archived: Case) -> None:
    facts = facts_of(archived)
    facts = dataclasses.replace(facts, documents=facts.documents_of(D.PENALTY_DECISION))
    f = run("archived_in_time", facts)
    assert f.passed is False and f.occurrences == 4
    assert "立案审批表" in f.message and "送达回证" in f.message


# -- 公示 ------------------------------------------------------------------------------------


def test_publication_on_time_and_late(archived: Case) -> None:
    facts = facts_of(archived)
    f = run("publication_on_time", facts)
    assert f.passed is True and "publicity.publish" in actions(f)
    assert facts.publication is not None
    late = dataclasses.replace(
        facts.publication, published_on=facts.publication.due_on + timedelta(days=1), on_time=False
    )
    f = run("publication_on_time", dataclasses.replace(facts, publication=late))
    assert f.passed is False and "超过公示期限" in f.message


def test_publication_draft_past_its_due_day(world: World) -> None:
    case = world.decided()
    due = Publication.objects.get(case=case).due_on
    assert run("publication_on_time", facts_of(case, due)).passed is None
    f = run("publication_on_time", facts_of(case, due + timedelta(days=1)))
    assert f.passed is False and "尚未公开" in f.message


# -- 音像记录 and 调阅 -----------------------------------------------------------------------


def test_media_uploaded_late_is_counted(world: World, evidence_dir: Path) -> None:
    case = closed_case(
        world, media=FileIn(b"\x01late" * 64, "现场.mp4", "video/mp4"), late_media=True
    )
    f = run("media_uploaded_in_time", facts_of(case))
    assert f.passed is False and f.occurrences == 1
    assert actions(f) == {"evidence.upload"}


def test_media_check_does_not_apply_without_recordings(world: World) -> None:
    f = run("media_uploaded_in_time", facts_of(world.decided()))
    assert f.passed is None and "没有音视频记录" in f.message


def test_file_reads_are_listed_never_scored(archived: Case) -> None:
    facts = facts_of(archived)
    assert run("file_reads_logged", facts).passed is None
    decide = facts.last_entry("case.decide")
    assert decide is not None
    read = dataclasses.replace(decide, action="evidence.view", actor_name="监督员甲")
    f = run("file_reads_logged", dataclasses.replace(facts, reads=(read,)))
    assert f.passed is None and "调阅记录1条" in f.message and seqs(f) == {decide.seq}


def test_upload_fact_shape() -> None:
    # UploadFact keeps what the message shows (a late upload's times)
    u = UploadFact("a.mp4", "video/mp4", None, datetime(2026, 1, 1, tzinfo=SH), True, 1)
    assert u.late


# -- proposals ---------------------------------------------------------------------------------


def test_findings_propose_marks_on_a_template(archived: Case) -> None:
    from zhifa.evaluation.tests.conftest import small_content

    content = small_content()
    content["sections"][1]["items"][1]["check"] = "service_in_time"
    spec = parse_template(content)
    codes = [c for _, c in spec.checked_codes()]
    found = findings_for(archived.pk, codes, on=TODAY)
    marks = proposed_marks(spec, found)
    assert marks == {"items": {"B2": {"occurrences": 0}}, "vetoes": {"V1": {"hit": False}}}
    assert score(spec, marks).total == Decimal(100)


def test_many_files_at_once_give_the_same_findings_in_as_many_queries(
    world: World, archived: Case
) -> None:
    from zhifa.evaluation.selectors_checks import findings_for_many

    decided = world.decided()
    one = {pk: findings_for(pk, C.CHECK_CODES, on=TODAY) for pk in (archived.pk, decided.pk)}
    with CaptureQueriesContext(connection) as batch:
        many = findings_for_many([archived.pk, decided.pk], C.CHECK_CODES, on=TODAY)
    assert many == one
    with CaptureQueriesContext(connection) as single:
        findings_for(archived.pk, C.CHECK_CODES, on=TODAY)
    assert len(batch) == len(single)
