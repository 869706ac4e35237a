"""行政许可 cases through the services: every period at its boundary on the 2026 statutory
calendar (中秋 and 国庆: 9月25日, 10月1日–7日 rest days; 9月20日 and 10月10日 worked), the
第四十五条 pauses, the head's extension, the decision published in full with personal data
removed, the licence with its verification page, and the licence's later life (第五十、七十条)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader

from zhifa.cases import documents
from zhifa.cases.models import Case, CaseDocument
from zhifa.cases.tests.conftest import entered_on
from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas
from zhifa.licensing import selectors, services
from zhifa.licensing.models import ExcludedPeriod, Licence
from zhifa.publicity.models import Publication
from zhifa.record.evidence import evidence_open
from zhifa.record.verification import case_groups
from zhifa.registry.models import PowerItem

from .conftest import PERSON, apply

S = Case.State
D = date
pytestmark = pytest.mark.django_db


def _o(p: Personas) -> Any:
    return [p.officer.officer, p.officer2.officer]


def _accepted(p: Personas, received: date, accepted: date, **kw: Any) -> Case:
    case = apply(p, received, **kw)
    with entered_on(accepted):
        return services.case_licence_accept(actor=p.officer, case=case, on=accepted)


def _pdf_text(doc: CaseDocument) -> str:
    with evidence_open(doc.pdf.sha256) as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


def _docx_text(doc: CaseDocument) -> str:
    with evidence_open(doc.docx.sha256) as f:
        document = Document(io.BytesIO(f.read()))
    return "".join(p.text for p in document.paragraphs)


def _generate(p: Personas, case: Case, kind: str, on: date) -> CaseDocument:
    with entered_on(on):
        return documents.document_generate(actor=p.officer, case=case, kind=kind, on=on)


# -- 补正 and 受理 (第三十二条) ------------------------------------------------------------------


def test_correction_told_once_on_the_fifth_working_day_across_national_day(
    personas: Personas, licence_item: PowerItem, evidence_dir: Path
) -> None:
    p = personas
    # Received Thursday 24 September: 25 Sept (中秋) and 1–7 October are rest days, so the five
    # working days end on Friday 9 October.
    day_of = apply(p, D(2026, 9, 24))
    with entered_on(D(2026, 10, 9)):
        services.case_licence_correct(
            actor=p.officer, case=day_of, on=D(2026, 10, 9), missing=["健康证明", "平面图"]
        )
        with pytest.raises(RuleViolation, match="一次告知") as again:
            services.case_licence_correct(
                actor=p.officer, case=day_of, on=D(2026, 10, 9), missing=["其他"]
            )
    assert "第三十二条" in str(again.value.article)
    day_of.refresh_from_db()
    assert day_of.state == S.CORRECTION
    notice = _generate(p, day_of, CaseDocument.Kind.LICENCE_CORRECTION, D(2026, 10, 9))
    text = _pdf_text(notice)
    assert "补正材料通知书" in text and "1. 健康证明" in text and "2. 平面图" in text
    assert notice.number.startswith("示范甲市监许补〔2026〕")

    # The day after (Saturday 10 October, a working day by 调休): too late — the application
    # counts as accepted from the day it was received.
    day_after = apply(p, D(2026, 9, 24))
    with entered_on(D(2026, 10, 10)), pytest.raises(RuleViolation) as late:
        services.case_licence_correct(
            actor=p.officer, case=day_after, on=D(2026, 10, 10), missing=["健康证明"]
        )
    assert "2026年10月9日" in late.value.message and "即为受理" in late.value.message
    assert late.value.article == "《行政许可法》第三十二条"
    with entered_on(D(2026, 10, 10)):
        services.case_licence_accept(actor=p.officer, case=day_after, on=D(2026, 10, 10))
    app = day_after.licence_application
    app.refresh_from_db()
    assert app.acceptance_deemed and app.accepted_on == D(2026, 9, 24)


def test_acceptance_on_the_fifth_working_day_is_not_deemed(
    personas: Personas, licence_item: PowerItem, evidence_dir: Path
) -> None:
    case = _accepted(personas, D(2026, 9, 24), D(2026, 10, 9))
    app = case.licence_application
    app.refresh_from_db()
    assert not app.acceptance_deemed and app.accepted_on == D(2026, 10, 9)
    notice = _generate(personas, case, CaseDocument.Kind.LICENCE_ACCEPTANCE, D(2026, 10, 9))
    text = _docx_text(notice)
    assert "受理通知书" in text and "本机关决定予以受理" in text and "二十个工作日" in text
    assert notice.number == app.acceptance_number and "许受〔2026〕" in notice.number
    # A row changed behind the record is found by ``zhifa verify``'s replay.
    assert list(selectors.licensing_replay_check(case_groups())) == []
    type(app).objects.filter(pk=app.pk).update(accepted_on=D(2026, 10, 8))
    problems = list(selectors.licensing_replay_check(case_groups()))
    assert [p.kind for p in problems] == ["licensing_replay_mismatch"]


def test_acceptance_waits_for_every_missing_material(
    personas: Personas, licence_item: PowerItem
) -> None:
    p = personas
    case = apply(p, D(2026, 9, 24))
    with entered_on(D(2026, 9, 28)):
        services.case_licence_correct(actor=p.officer, case=case, on=D(2026, 9, 28), missing=["A"])
        with pytest.raises(RuleViolation, match="尚未补正全部材料") as refused:
            services.case_licence_accept(actor=p.officer, case=case, on=D(2026, 9, 28))
    assert refused.value.article == "《行政许可法》第三十二条"


def test_not_accepted_needs_the_head_and_reasons(
    personas: Personas, licence_item: PowerItem, evidence_dir: Path
) -> None:
    p = personas
    case = apply(p, D(2026, 9, 24))
    with entered_on(D(2026, 9, 28)):
        with pytest.raises(RuleViolation, match="负责人"):
            services.case_licence_not_accept(
                actor=p.officer, case=case, on=D(2026, 9, 28), reason="x"
            )
        with pytest.raises(RuleViolation, match="说明理由"):
            services.case_licence_not_accept(actor=p.head, case=case, on=D(2026, 9, 28), reason=" ")
        services.case_licence_not_accept(
            actor=p.head, case=case, on=D(2026, 9, 28), reason="申请事项依法不需要取得行政许可"
        )
    doc = _generate(p, case, CaseDocument.Kind.LICENCE_NON_ACCEPTANCE, D(2026, 9, 28))
    text = _docx_text(doc)
    assert "不予受理决定书" in text and "不需要取得行政许可" in text and "行政复议" in text


# -- the decision period (第四十二、四十五条) ----------------------------------------------------


def test_decision_period_twenty_working_days_paused_and_extended_once(
    personas: Personas, licence_item: PowerItem, evidence_dir: Path
) -> None:
    p = personas
    case = _accepted(p, D(2026, 10, 9), D(2026, 10, 12))
    case.refresh_from_db()
    assert case.decision_deadline == D(2026, 11, 9)  # 20 working days from Monday 12 October
    # 第四十五条: a test from Wednesday 14 to Friday 16 October (3 working days) is not counted.
    with entered_on(D(2026, 10, 14)):
        services.case_licence_pause(
            actor=p.officer, case=case, on=D(2026, 10, 14), kind=ExcludedPeriod.Kind.TESTING
        )
    app = case.licence_application
    shown = selectors.countdown(app)
    assert shown.running_pause is not None and shown.deadline == D(2026, 11, 9)
    told = _generate(p, case, CaseDocument.Kind.LICENCE_PAUSE, D(2026, 10, 14))  # in writing
    assert "特别程序告知书" in _pdf_text(told) and "不计算在本机关作出行政许可决定的期限内" in (
        _pdf_text(told)
    )
    assert told.number == shown.running_pause.notice_number and "许特〔2026〕" in told.number
    with entered_on(D(2026, 10, 16)):
        with pytest.raises(RuleViolation, match="未结束") as running:
            services.case_licence_grant(
                actor=p.head,
                case=case,
                on=D(2026, 10, 16),
                content="热食类食品制售",
                valid_from=D(2026, 10, 16),
                valid_until=D(2031, 10, 15),
            )
        assert running.value.article == "《行政许可法》第四十五条"
        services.case_licence_resume(actor=p.officer, case=case, on=D(2026, 10, 16))
    case.refresh_from_db()
    assert case.decision_deadline == D(2026, 11, 12)
    assert selectors.countdown(app).excluded_workdays == 3
    # The head extends once by 10 working days, on the last day at the latest.
    with entered_on(D(2026, 11, 12)):
        with pytest.raises(RuleViolation, match="负责人"):
            services.case_licence_extend(actor=p.officer, case=case, on=D(2026, 11, 12), reason="x")
        services.case_licence_extend(
            actor=p.head, case=case, on=D(2026, 11, 12), reason="需组织专家论证"
        )
        with pytest.raises(RuleViolation, match="只能经本机关负责人批准延长一次") as twice:
            services.case_licence_extend(actor=p.head, case=case, on=D(2026, 11, 12), reason="再")
    assert twice.value.article == "《行政许可法》第四十二条"
    case.refresh_from_db()
    assert case.decision_deadline == D(2026, 11, 26)
    notice = _generate(p, case, CaseDocument.Kind.LICENCE_EXTENSION, D(2026, 11, 12))
    text = _pdf_text(notice)
    assert "延期通知书" in text and "2026年11月12日延长至2026年11月26日" in text


def test_extension_refused_the_day_after_the_period(
    personas: Personas, licence_item: PowerItem
) -> None:
    p = personas
    case = _accepted(p, D(2026, 10, 9), D(2026, 10, 12))
    with entered_on(D(2026, 11, 10)), pytest.raises(RuleViolation) as late:
        services.case_licence_extend(actor=p.head, case=case, on=D(2026, 11, 10), reason="x")
    assert "2026年11月9日届满" in late.value.message


def test_decision_after_the_period_is_made_but_flagged_late(
    personas: Personas, licence_item: PowerItem
) -> None:
    p = personas
    on_time = _accepted(p, D(2026, 10, 9), D(2026, 10, 12))
    late = _accepted(p, D(2026, 10, 9), D(2026, 10, 12))
    for case, day in ((on_time, D(2026, 11, 9)), (late, D(2026, 11, 10))):
        with entered_on(day):
            services.case_licence_refuse(actor=p.head, case=case, on=day, reasons="场所不符合要求")
    assert not on_time.licence_application.decision_late
    late_app = late.licence_application
    late_app.refresh_from_db()
    assert late_app.decision_late


# -- 听证 (第四十六、四十七、四十八条) -------------------------------------------------------------


def test_hearing_requested_in_time_noticed_seven_days_before_and_not_counted(
    personas: Personas, licence_item: PowerItem, evidence_dir: Path
) -> None:
    p = personas
    case = _accepted(p, D(2026, 9, 24), D(2026, 9, 28))
    with entered_on(D(2026, 9, 29)):
        services.case_licence_hearing_tell(actor=p.officer, case=case, on=D(2026, 9, 29))
    doc = _generate(p, case, CaseDocument.Kind.LICENCE_HEARING_RIGHT, D(2026, 9, 29))
    assert "2026年10月12日前" in _pdf_text(doc)  # 5 working days across National Day
    late = _accepted(p, D(2026, 9, 24), D(2026, 9, 28))
    with entered_on(D(2026, 9, 29)):
        services.case_licence_hearing_tell(actor=p.officer, case=late, on=D(2026, 9, 29))
    with entered_on(D(2026, 10, 13)), pytest.raises(RuleViolation) as refused:
        services.case_licence_hearing_request(actor=p.officer, case=late, on=D(2026, 10, 13))
    assert refused.value.article == "《行政许可法》第四十七条"
    with entered_on(D(2026, 10, 12)):
        services.case_licence_hearing_request(actor=p.officer, case=case, on=D(2026, 10, 12))
        # 第四十八条: seven whole working days between notice and hearing (13–21 October).
        with pytest.raises(RuleViolation) as short:
            services.case_licence_hearing_notice(
                actor=p.officer,
                case=case,
                on=D(2026, 10, 12),
                hearing_on=D(2026, 10, 21),
                place="A",
            )
        assert short.value.article == "《行政许可法》第四十八条"
        # 第四十七条: held within 20 working days of the request (to 9 November).
        with pytest.raises(RuleViolation, match="二十个工作日内组织听证"):
            services.case_licence_hearing_notice(
                actor=p.officer,
                case=case,
                on=D(2026, 10, 12),
                hearing_on=D(2026, 11, 10),
                place="A",
            )
        services.case_licence_hearing_notice(
            actor=p.officer, case=case, on=D(2026, 10, 12), hearing_on=D(2026, 10, 22), place="A"
        )
    with entered_on(D(2026, 10, 21)), pytest.raises(RuleViolation) as early:
        services.case_licence_grant(
            actor=p.head,
            case=case,
            on=D(2026, 10, 21),
            content="x",
            valid_from=D(2026, 10, 21),
            valid_until=D(2031, 10, 20),
        )
    assert "第四十五条" in str(early.value.article)
    with entered_on(D(2026, 10, 22)):
        services.case_licence_hearing_hold(
            actor=p.officer, case=case, on=D(2026, 10, 22), summary="申请人陈述意见"
        )
    case.refresh_from_db()
    # Accepted 28 Sept: 20 working days end 30 October; the hearing's 9 working days
    # (12–22 October, both counted) push it to 12 November.
    assert case.decision_deadline == D(2026, 11, 12)


def test_a_hearing_the_law_requires_is_held_before_the_decision(
    personas: Personas, licence_item: PowerItem
) -> None:
    p = personas
    case = _accepted(p, D(2026, 9, 24), D(2026, 9, 28), hearing_required=True)
    with entered_on(D(2026, 9, 29)), pytest.raises(RuleViolation, match="听证尚未举行") as r:
        services.case_licence_refuse(actor=p.head, case=case, on=D(2026, 9, 29), reasons="x")
    assert r.value.article == "《行政许可法》第四十六条"


def test_verification_by_two_officers_where_required(
    personas: Personas, licence_item: PowerItem
) -> None:
    p = personas
    case = _accepted(p, D(2026, 9, 24), D(2026, 9, 28), verification_required=True)
    grant = {
        "content": "热食类食品制售",
        "valid_from": D(2026, 9, 30),
        "valid_until": D(2031, 9, 29),
    }
    with entered_on(D(2026, 9, 30)):
        with pytest.raises(RuleViolation, match="核查") as r:
            services.case_licence_grant(actor=p.head, case=case, on=D(2026, 9, 30), **grant)
        assert r.value.article == "《行政许可法》第三十四条"
        with pytest.raises(RuleViolation, match="不得少于两人"):
            services.case_licence_verify(
                actor=p.officer, case=case, on=D(2026, 9, 30), officers=_o(p)[:1], summary="场所"
            )
        services.case_licence_verify(
            actor=p.officer, case=case, on=D(2026, 9, 30), officers=_o(p), summary="场所符合"
        )
        services.case_licence_grant(actor=p.head, case=case, on=D(2026, 9, 30), **grant)


# -- 决定, 公示, 颁发 (第三十八、三十九、四十四条; 国办发〔2018〕118号) ----------------------


def test_grant_published_in_full_without_the_persons_data_and_the_licence_verified(
    personas: Personas, licence_item: PowerItem, evidence_dir: Path, client: Any
) -> None:
    p = personas
    case = _accepted(p, D(2026, 10, 9), D(2026, 10, 12), applicant=PERSON)
    with entered_on(D(2026, 11, 9)):
        with pytest.raises(RuleViolation, match="有效期限") as r:
            services.case_licence_grant(
                actor=p.head,
                case=case,
                on=D(2026, 11, 9),
                content="x",
                valid_from=D(2026, 11, 9),
                valid_until=D(2026, 11, 8),
            )
        assert r.value.article == "《行政许可法》第三十九条"
        services.case_licence_grant(
            actor=p.head,
            case=case,
            on=D(2026, 11, 9),
            content="预包装食品销售",
            valid_from=D(2026, 11, 9),
            valid_until=D(2031, 11, 8),
        )
    publication = Publication.objects.get(case=case)
    assert publication.kind == Publication.Kind.LICENSING
    assert publication.due_on == D(2026, 11, 18)  # 7 working days (118号)
    assert "准予行政许可决定书" in publication.original_text
    found = {
        (s["kind"], publication.original_text[s["start"] : s["end"]]) for s in publication.spans
    }
    assert ("id_number", PERSON.id_number) in found
    assert publication.draft_fields["target"] == "于某"
    assert "预包装食品销售" in publication.draft_fields["conclusion"]
    decision = _generate(p, case, CaseDocument.Kind.LICENCE_DECISION, D(2026, 11, 9))
    text = _pdf_text(decision)
    assert "准予行政许可决定书" in text and "2031年11月8日" in text
    case.refresh_from_db()
    assert decision.number == case.decision_number
    assert decision.number.startswith("示范甲市监许〔2026〕")

    # 第四十四条: the licence within 10 working days (to 23 November); on the day it is not late.
    with entered_on(D(2026, 11, 23)):
        licence = services.case_licence_issue(actor=p.officer, case=case, on=D(2026, 11, 23))
    case.refresh_from_db()
    assert case.state == S.ISSUED and not case.service_late
    assert licence.number.startswith("示范甲市监许证〔2026〕")
    printed = _generate(p, case, CaseDocument.Kind.LICENCE, D(2026, 11, 23))
    with evidence_open(printed.pdf.sha256) as f:
        reader = PdfReader(io.BytesIO(f.read()))
    assert reader.pages[0].images, "the licence carries its QR code"
    assert f"/public/licences/{licence.token}/" in _pdf_text(printed)

    page = client.get(f"/public/licences/{licence.token}/")
    body = page.content.decode()
    assert page.status_code == 200 and "今日有效" in body and "于某" in body
    assert PERSON.name not in body and PERSON.id_number not in body and PERSON.phone not in body
    assert client.get("/public/licences/not-a-token/").status_code == 404

    with entered_on(D(2027, 3, 1)):
        services.licence_end(
            actor=p.head,
            licence=licence,
            on=D(2027, 3, 1),
            state=Licence.State.REVOKED,
            reason="以欺骗手段取得",
        )
        assert "已撤销" in client.get(f"/public/licences/{licence.token}/").content.decode()
    assert list(selectors.licensing_replay_check(case_groups())) == []


def test_licence_issued_the_day_after_is_flagged_late(
    personas: Personas, licence_item: PowerItem
) -> None:
    p = personas
    case = _accepted(p, D(2026, 10, 9), D(2026, 10, 12))
    with entered_on(D(2026, 11, 9)):
        services.case_licence_grant(
            actor=p.head,
            case=case,
            on=D(2026, 11, 9),
            content="x",
            valid_from=D(2026, 11, 9),
            valid_until=D(2031, 11, 8),
        )
    with entered_on(D(2026, 11, 24)):
        services.case_licence_issue(actor=p.officer, case=case, on=D(2026, 11, 24))
    case.refresh_from_db()
    assert case.service_late


def test_refusal_has_reasons_and_remedies_and_is_published_only_by_setting(
    personas: Personas, licence_item: PowerItem, evidence_dir: Path, settings: Any
) -> None:
    p = personas
    quiet = _accepted(p, D(2026, 10, 9), D(2026, 10, 12))
    with entered_on(D(2026, 10, 13)):
        with pytest.raises(RuleViolation, match="说明理由") as r:
            services.case_licence_refuse(actor=p.head, case=quiet, on=D(2026, 10, 13), reasons="")
        assert r.value.article == "《行政许可法》第三十八条"
        services.case_licence_refuse(
            actor=p.head, case=quiet, on=D(2026, 10, 13), reasons="经营场所与污染源距离不足"
        )
    assert not Publication.objects.filter(case=quiet).exists()
    text = _docx_text(_generate(p, quiet, CaseDocument.Kind.LICENCE_DECISION, D(2026, 10, 13)))
    assert "不予行政许可决定书" in text and "污染源距离不足" in text
    assert "行政复议" in text and "行政诉讼" in text
    settings.ZHIFA_LICENSING_PUBLISH_REFUSALS = True
    told = _accepted(p, D(2026, 10, 9), D(2026, 10, 12))
    with entered_on(D(2026, 10, 13)):
        services.case_licence_refuse(actor=p.head, case=told, on=D(2026, 10, 13), reasons="x")
    assert Publication.objects.filter(case=told).exists()


# -- 延续 and the licence's standing (第五十条) ---------------------------------------------------


def _licence(p: Personas, valid_until: date) -> Licence:
    case = _accepted(p, D(2026, 10, 9), D(2026, 10, 12))
    with entered_on(D(2026, 10, 13)):
        services.case_licence_grant(
            actor=p.head,
            case=case,
            on=D(2026, 10, 13),
            content="x",
            valid_from=D(2026, 10, 13),
            valid_until=valid_until,
        )
        return services.case_licence_issue(actor=p.officer, case=case, on=D(2026, 10, 13))


def test_renewal_thirty_days_before_expiry_and_deemed_granted(
    personas: Personas, licence_item: PowerItem
) -> None:
    p = personas
    licence = _licence(p, D(2026, 12, 31))
    with entered_on(D(2026, 12, 2)), pytest.raises(RuleViolation) as late:
        services.licence_renewal_apply(actor=p.officer, licence=licence, on=D(2026, 12, 2))
    assert late.value.article == "《行政许可法》第五十条"
    with entered_on(D(2026, 12, 1)):  # the day of: 30 days left until 31 December
        licence = services.licence_renewal_apply(
            actor=p.officer, licence=licence, on=D(2026, 12, 1)
        )
    assert selectors.licence_status(licence, D(2026, 12, 31)).valid
    deemed = selectors.licence_status(licence, D(2027, 1, 1))
    assert deemed.valid and "视为准予延续" in deemed.note
    with entered_on(D(2027, 1, 1)), pytest.raises(RuleViolation, match="视为准予延续"):
        services.licence_renewal_decide(
            actor=p.head, licence=licence, on=D(2027, 1, 1), grant=False
        )
    # Not applied for: expired the day after.
    plain = _licence(p, D(2026, 12, 31))
    assert selectors.licence_status(plain, D(2026, 12, 31)).valid
    assert selectors.licence_status(plain, D(2027, 1, 1)).label == "已过有效期"


def test_renewal_refused_before_expiry_ends_the_licence_at_expiry(
    personas: Personas, licence_item: PowerItem
) -> None:
    p = personas
    licence = _licence(p, D(2026, 12, 31))
    with entered_on(D(2026, 11, 20)):
        services.licence_renewal_apply(actor=p.officer, licence=licence, on=D(2026, 11, 20))
    with entered_on(D(2026, 12, 30)):
        licence = services.licence_renewal_decide(
            actor=p.head, licence=licence, on=D(2026, 12, 30), grant=False
        )
    assert not selectors.licence_status(licence, D(2027, 1, 1)).valid
