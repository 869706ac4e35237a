"""The world the access matrix reads: objects of agency A and of agency B, made through the
services, and the ids that fill each URL's path parameters.

Agency A has a penalty case whose party is a natural person with known 身份证号码, phone and
address — written into the case's summary, a step's content and the review's facts too — with an
interview step carrying a photo and a video, a generated document, a review round concluded with
a suspected crime (so a crime transfer), two on-the-spot decisions (one publication still a
draft, one published with a correction report), a catalog line, and its registry rows. Agency B
has its own case (an on-the-spot decision by ``officer_b`` with a photo, a video and a generated
document), its draft publication and registry rows. ``Ids`` names them; ``MISSING`` is the same
shape with ids that exist nowhere.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.test import override_settings
from django.utils import timezone

from zhifa.cases import services as cases
from zhifa.cases.documents import document_generate
from zhifa.cases.models import Case, CaseDocument, CaseOfficer, CaseStep
from zhifa.cases.numbering import agency_short_name_set
from zhifa.cases.services_challenges import case_challenge_record
from zhifa.complaints import services as complaints
from zhifa.core.testing import Personas, credit_code, id_number, make_personas
from zhifa.filings import services as filings
from zhifa.licensing import services as licensing
from zhifa.licensing.models import Licence
from zhifa.publicity import services as publicity
from zhifa.publicity.models import Publication
from zhifa.record.evidence_uploads import EvidenceInput, evidence_receive
from zhifa.record.models import Entry, EvidenceUpload
from zhifa.record.services import Recording, head_sign
from zhifa.registry import services as registry
from zhifa.registry.models import (
    Account,
    Agency,
    Certificate,
    Domain,
    Officer,
    PowerItem,
    TrainingRecord,
)
from zhifa.review import services as review
from zhifa.review.checklist import POINTS
from zhifa.review.models import CrimeTransfer, Submission

SH = ZoneInfo("Asia/Shanghai")
# Every request of the matrix is made at this moment (a Thursday, after the world's last step).
NOW = datetime(2026, 4, 9, 10, tzinfo=SH)
# A named complainant: nobody but the region's supervisor and the administrator may see them
# (not the agency complained about: it did not consent).
COMPLAINANT = ("矩阵投诉人", "13912345678")

# The party of agency A's case: these exact strings must never reach a persona outside A.
PARTY = cases.PartyInput(
    kind="natural_person",
    name="欧阳某某",
    id_number=id_number(611, born=date(1979, 8, 23)),
    phone="13876543210",
    address="示范市甲区解放路188号7栋302室",
)
PARTY_B = cases.PartyInput(
    kind="natural_person",
    name="司马某某",
    id_number=id_number(612, born=date(1981, 2, 14), division="130303"),
    phone="13765432109",
    address="示范市乙区建设街66号",
)
PERSONAL_VALUES = (PARTY.id_number, PARTY.phone, PARTY.address)
# A word only agency A's case and its records carry (title and summary): whoever is outside A
# and its supervisors never reads it, on any page or list.
A_MARKER = "甲区内部线索X7"
PERSONAL_TEXT = (
    f"当事人{PARTY.name}（身份证{PARTY.id_number}，电话{PARTY.phone}，住{PARTY.address}）"
)

PENALTY = "330217"  # 食品经营者经营超过保质期的食品 (agency A)
PENALTY_B = "EP-101"  # 生态环境 on-the-spot penalty (agency B)
INSPECTION = "JC-001"
NO_ID = 987654  # an id no row has
NO_SHA = "0" * 64


@dataclass(frozen=True)
class Ids:
    """The objects of one agency (None: that agency has none of this kind in the world)."""

    agency: int
    officer: int
    certificate: int
    power_item: int
    case: int
    step: str  # a step of the case its officers may take now (the handle gate, not the head's)
    document: int
    photo: str
    video: str
    draft: int  # a publication the publisher still reviews
    published: int | None  # a publication the public reads
    report: int | None  # a correction report (纠错) on the published one
    submission: int | None  # a review round
    transfer: int | None  # a crime transfer (两法衔接)
    catalog_rule: int | None
    entry: int  # a record entry's seq, covered by a signed head
    filing: int  # a filed major decision (重大行政处罚决定备案) awaiting review
    filing_document: int  # the decision document that filing references
    complaint: int | None = None  # a complaint about the agency (A's accepted, B's received)
    complaint_file: str | None = None  # a file attached to A's complaint
    # A supervision matter about the agency (its opinion, the head's objection, the explanation
    # request, the opinion's PDF): agency A's only.
    matter: int | None = None
    matter_document: int | None = None
    matter_objection: int | None = None
    matter_request: int | None = None
    matter_file: str | None = None
    warning: int | None = None  # an early warning (alerts) about the agency
    licence_case: int | None = None  # a 行政许可 application (A's issued, B's just applied)
    licence_token: str | None = None  # the verification token of A's licence
    licensed_case: int | None = None  # the application whose licence was issued (A's only)
    # 涉企行政检查 (issue 14): A's approved inspection of an entity of the directory, its code
    inspection: int | None = None
    inspection_code: str | None = None
    entity: int | None = None  # the directory is shared: B sees the same entity
    # issue 14, directory part (A's only): an entity of the directory with a recorded 回避, a
    # draft and a published inspection plan, a joint inspection of A and B
    inspection_entity: int | None = None
    conflict: int | None = None
    plan: int | None = None
    published_plan: int | None = None
    joint: int | None = None
    draw_task: int | None = None  # a frozen 双随机 task the agency started (A's only)
    # issue 16: a 复议/诉讼 of the agency's decided case, still open
    challenge_case: int | None = None
    challenge: int | None = None
    stat_filing: int | None = None  # issue 16: a draft 统计季报 of the agency (A's only)
    # issue 15, templates part: a published scoring template shipped by the administrator (A's
    # side only: templates belong to no agency)
    eval_template: int | None = None
    # issue 15, evaluation outcomes (A's only): A's self-evaluation with a failed file, its team
    # report, the head's objection, and an accountability record about A's case
    eval_campaign: int | None = None
    eval_file: int | None = None
    eval_objection: int | None = None
    eval_report: int | None = None
    eval_accountability: int | None = None
    # issue 15, efficiency part: the city bureau's computed (unpublished) 效能评价, and a token
    # survey about agency A with its key
    efficiency_scheme: int | None = None
    efficiency_result: int | None = None  # the agency's result in it
    survey: int | None = None
    survey_key: str | None = None
    # issue 15, campaigns part (A's only): A's head's self-evaluation (census of its on-the-spot
    # decisions) with the reviewer and the publisher scoring, the head leading; one of its files
    eval_scoring_campaign: int | None = None
    eval_scoring_file: int | None = None


MISSING = Ids(
    agency=NO_ID,
    officer=NO_ID,
    certificate=NO_ID,
    power_item=NO_ID,
    case=NO_ID,
    step="case_notify",
    document=NO_ID,
    photo=NO_SHA,
    video=NO_SHA,
    draft=NO_ID,
    published=NO_ID,
    report=NO_ID,
    submission=NO_ID,
    transfer=NO_ID,
    catalog_rule=NO_ID,
    entry=NO_ID,
    filing=NO_ID,
    filing_document=NO_ID,
    complaint=NO_ID,
    complaint_file=NO_SHA,
    matter=NO_ID,
    matter_document=NO_ID,
    matter_objection=NO_ID,
    matter_request=NO_ID,
    matter_file=NO_SHA,
    warning=NO_ID,
    licence_case=NO_ID,
    licence_token="000000-no-such-licence",
    licensed_case=NO_ID,
    inspection=NO_ID,
    inspection_code="no-such-inspection-code",
    entity=NO_ID,
    inspection_entity=NO_ID,
    conflict=NO_ID,
    plan=NO_ID,
    published_plan=NO_ID,
    joint=NO_ID,
    draw_task=NO_ID,
    challenge_case=NO_ID,
    challenge=NO_ID,
    stat_filing=NO_ID,
    eval_template=NO_ID,
    eval_campaign=NO_ID,
    eval_file=NO_ID,
    eval_objection=NO_ID,
    eval_report=NO_ID,
    eval_accountability=NO_ID,
    efficiency_scheme=NO_ID,
    efficiency_result=NO_ID,
    survey=NO_ID,
    survey_key="NOSUCHSURVEY",
    eval_scoring_campaign=NO_ID,
    eval_scoring_file=NO_ID,
)


@dataclass(frozen=True)
class World:
    p: Personas
    a: Ids
    b: Ids
    second_b: Officer  # the second officer agency B needs for its two-officer steps


def _officer(p: Personas, agency: Agency, domain: Domain, n: int, name: str) -> Officer:
    officer = registry.officer_create(
        actor=p.admin,
        agency=agency,
        name=name,
        id_number=id_number(n),
        phone=f"1390013{n:04d}",
    )
    registry.certificate_register(
        actor=p.admin,
        officer=officer,
        number=f"13030{n:07d}",
        kind="enforcement",
        domains=[domain],
        region_code=agency.division_code,
        status=Certificate.Status.VALID,
        issued_on=date(2023, 1, 1),
        expires_on=date(2029, 12, 31),
        reason="导入",
        effective_on=date(2023, 1, 1),
    )
    for year in (2024, 2025, 2026):
        for kind in ("legal", "professional"):
            TrainingRecord.objects.create(officer=officer, year=year, kind=kind, hours=Decimal(30))
    return officer


def _item(p: Personas, agency: Agency, domain: Domain, code: str, name: str, cat: str) -> PowerItem:
    item = registry.power_item_create(
        actor=p.admin,
        agency=agency,
        code=code,
        name=name,
        category=cat,
        domain=domain,
        implementing_level="county",
        bases=[registry.Basis("中华人民共和国食品安全法", "第一百二十四条")],
    )
    return registry.power_item_publish(actor=p.admin, item=item, on=date(2025, 12, 1))


def _stat_filing(p: Personas, on: date) -> int:
    """Agency A's 2026 Q1 statistics filing, generated (a draft)."""
    from zhifa.statistics.services_filings import filing_generate

    return filing_generate(actor=p.head, agency=p.agency_a, year=2026, quarter=1, on=on).pk


def _eval_template(p: Personas, on: date) -> int:
    """The shipped 广东 standard, published by the system administrator."""
    from zhifa.evaluation.standard_templates import standard_templates_install

    return standard_templates_install(p.admin, on)[0].pk


def _draw_task(p: Personas, on: date) -> int:
    """A frozen 双随机 task of agency A over two entities of the directory."""
    from zhifa.inspections import services_draws
    from zhifa.inspections.models import Entity

    item = registry.power_item_create(
        actor=p.admin,
        agency=p.agency_a,
        code="JC-MATRIX",
        name="食品经营随机抽查",
        category="inspection",
        domain=p.domain,
        implementing_level="county",
        bases=[registry.Basis("中华人民共和国食品安全法", "第一百一十条")],
        is_random_inspection=True,
    )
    item = registry.power_item_publish(actor=p.admin, item=item, on=on)
    for n in (1, 2):
        Entity.objects.create(
            credit_code=credit_code(950 + n, prefix="91"),
            name=f"矩阵企业{n}",
            division_code="130302",
            risk_class="A",
        )
    task = services_draws.random_task_create(
        actor=p.officer, title="矩阵抽查任务", items=[item], today=on
    )
    return services_draws.random_task_freeze(actor=p.officer, task=task, today=on).pk


def _evaluation_campaign(p: Personas, on: date) -> dict[str, int]:
    """A self-evaluation (《广东省行政执法案卷评查办法》第六条) by agency A's head over A's
    on-the-spot decisions: a shipped template, the head as leader, the reviewer and the
    publisher as reviewers; every file drawn (普查)."""
    from zhifa.evaluation import services as evaluation
    from zhifa.evaluation import services_campaigns as campaigns
    from zhifa.evaluation.tests.conftest import small_content

    template = evaluation.template_create(
        actor=p.admin,
        key="MATRIX-SIMPLE",
        name="简易程序处罚案卷评查标准（矩阵）",
        issuer="示范省司法厅",
        applies_to="penalty_simple",
        valid_from=date(2026, 1, 1),
        content=small_content(),
        on=on,
    )
    evaluation.template_publish(actor=p.admin, template=template, on=on)
    campaign = campaigns.campaign_plan(
        actor=p.head,
        name="甲区市场监管局2026年案卷自查",
        agencies=[p.agency_a],
        kinds=["penalty_simple"],
        decided_from=date(2026, 4, 1),
        decided_to=on,
        starts_on=on,
        ends_on=date(2026, 6, 30),
        sampling_mode="census",
        on=on,
    )
    for account, leader in ((p.head, True), (p.reviewer, False), (p.publisher, False)):
        campaigns.campaign_member_add(
            actor=p.head,
            campaign=campaign,
            kind="officer",
            account=account,
            is_leader=leader,
            on=on,
        )
    files = campaigns.campaign_draw(actor=p.head, campaign=campaign, on=on)
    return {"eval_scoring_campaign": campaign.pk, "eval_scoring_file": files[0].pk}


def _file(
    content: bytes, name: str, media_type: str, recorded_on: date | None = None
) -> EvidenceInput:
    """A file an officer has at hand, to upload for a case."""
    recording = None
    if recorded_on is not None:
        recording = Recording(
            device="执法记录仪DSJ-01",
            officer_id=None,
            officer_name="执法记录仪",
            started_at=datetime.combine(recorded_on, time(9), tzinfo=SH),
            ended_at=datetime.combine(recorded_on, time(9, 30), tzinfo=SH),
            place="现场",
        )
    return EvidenceInput(
        stream=io.BytesIO(content),
        name=name,
        media_type=media_type,
        recording=recording,
        size=len(content),
    )


def _officer_of(account: Account) -> Officer:
    assert account.officer is not None
    return account.officer


def _day(day: date) -> Any:
    """The clock at 10:00 on ``day`` (Beijing): each step is entered on the day it is dated."""
    return time_machine.travel(datetime.combine(day, time(10), tzinfo=SH), tick=False)


def _case_a(p: Personas) -> tuple[Case, CaseDocument, EvidenceUpload, EvidenceUpload]:
    """Agency A's penalty case: registered, an interview with a photo and a video, a document,
    the investigation ended (案件审核: the officers may notify next)."""
    o1, o2 = _officer_of(p.officer), _officer_of(p.officer2)
    with _day(date(2026, 3, 2)):
        case = cases.case_open(
            actor=p.officer,
            kind=Case.Kind.PENALTY_GENERAL,
            power_code=PENALTY,
            title=f"经营超过保质期的食品（{A_MARKER}）",
            summary=f"{A_MARKER}：群众举报{PERSONAL_TEXT}销售过期牛奶",
            on=date(2026, 3, 2),
            act_ended_on=date(2026, 2, 20),
            parties=[PARTY],
            officers=[(o1, CaseOfficer.Role.LEAD), (o2, CaseOfficer.Role.ASSISTANT)],
        )
    with _day(date(2026, 3, 4)):
        case = cases.case_register(actor=p.head, case=case, on=date(2026, 3, 4), opinion="同意立案")
    interview = date(2026, 3, 5)
    with _day(interview):
        photo, video = cases.case_evidence_upload(
            actor=p.officer,
            case=case,
            uploads=[
                _file(b"\xff\xd8photo-a" * 32, "现场.jpg", "image/jpeg"),
                _file(b"\x00video-a" * 64, "询问录像.mp4", "video/mp4", recorded_on=interview),
            ],
        )
        cases.case_investigate(
            actor=p.officer,
            case=case,
            on=interview,
            kind=CaseStep.Kind.INTERVIEW_RECORD,
            officers=[o1, o2],
            summary=f"询问{PERSONAL_TEXT}，承认销售过期牛奶12盒",
            files=[photo.ref, video.ref],
        )
        case = Case.objects.get(pk=case.pk)
        document = document_generate(
            actor=p.officer, case=case, kind=CaseDocument.Kind.REGISTER_APPROVAL, on=interview
        )
    with _day(date(2026, 3, 20)):
        case = cases.case_submit_review(actor=p.officer, case=case, on=date(2026, 3, 20))
    return case, document, photo, video


def _review_with_crime(p: Personas, case: Case) -> tuple[Submission, CrimeTransfer]:
    """A review round of ``case`` whose reviewer finds a suspected crime: a transfer opens."""
    submitted, concluded = date(2026, 4, 3), date(2026, 4, 8)
    with _day(submitted):
        sub = review.review_submit(
            actor=p.officer,
            case=case,
            on=submitted,
            facts=f"{PERSONAL_TEXT}于2026年2月20日销售超过保质期的牛奶12盒",
            legal_basis="《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
            discretion="适用本局裁量基准第3档",
            proposal=review.Proposal(("warning", "fine"), fine=Decimal(20000)),
        )
        reviewer = _officer_of(p.reviewer)
        sub = review.review_assign(
            actor=p.reviewer, submission=sub, reviewer=reviewer, on=submitted
        )
    with _day(concluded):
        for point in POINTS:
            crime = point.value == "crime"
            review.review_checklist_answer(
                actor=p.reviewer,
                submission=sub,
                on=concluded,
                point=point.value,
                verdict="problem" if crime else "pass",
                comment=f"{PERSONAL_TEXT}涉嫌犯罪" if crime else "",
            )
        sub = review.review_conclude(
            actor=p.reviewer,
            submission=sub,
            on=concluded,
            outcome="other",
            opinion=f"经审核，{PERSONAL_TEXT}涉嫌犯罪",
            required_changes=(f"{PERSONAL_TEXT}涉嫌销售不符合安全标准的食品罪，应移送公安机关",),
        )
    return sub, CrimeTransfer.objects.get(case=case)


ON_THE_SPOT = date(2026, 4, 7)


def _on_the_spot(
    actor: Account, officers: list[Officer], code: str, party: cases.PartyInput, **kw: Any
) -> Case:
    return cases.case_simple_decide(
        actor=actor,
        power_code=code,
        title="当场处罚",
        on=ON_THE_SPOT,
        party=party,
        penalty_kind="fine",
        officers=officers,
        place="幸福路菜市场门前",
        fine=Decimal(200),
        facts=f"当事人{party.name}销售过期食品，联系电话{party.phone}，住{party.address}",
        basis="《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
        **kw,
    )


def _publication(case: Case) -> Publication:
    return Publication.objects.get(case=case)


def _published(p: Personas, case: Case, on: date) -> Publication:
    """Publish the decision of ``case`` after removing every finding, as a careful publisher."""
    publication = _publication(case)
    for span in list(publication.spans):
        if span["state"] == "pending":
            publication = publicity.publication_span_resolve(
                actor=p.publisher, publication=publication, span_id=span["id"], remove=True
            )
    return publicity.publication_publish(actor=p.publisher, publication=publication, on=on)


def _supervision_matter(p: Personas, on: date) -> dict[str, Any]:
    """The 示范市司法局 opens a matter about agency A, asks for an explanation, issues an
    意见书; A's head objects. The persona supervisor (the city's, no 司法局) sees it, reads."""
    from zhifa.supervision import services as supervision

    body = registry.agency_create(
        actor=p.admin,
        name="示范市司法局",
        credit_code=credit_code(93, division="130300"),
        level=Agency.Level.CITY,
        division_code="130300",
        kind=Agency.Kind.STATUTORY,
        domains=[p.domain],
    )
    bureau = registry.account_create(
        actor=p.admin,
        username="bureau",
        password="zhifa-matrix-pass",
        role=Account.Role.SUPERVISOR,
        agency=body,
        region_code="130300",
        display_name="矩阵监督",
    )
    matter = supervision.matter_open(
        actor=bureau,
        agency=p.agency_a,
        origin="self_found",
        title="矩阵监督事项",
        summary="矩阵测试",
        on=on,
    )
    supervision.matter_accept(actor=bureau, matter=matter, on=on)
    request = supervision.matter_explanation_request(
        actor=bureau, matter=matter, text="请说明", on=on
    )
    document = supervision.matter_document_issue(
        actor=bureau, matter=matter, kind="opinion", findings="问题", requirement="纠正", on=on
    )
    objection = supervision.document_objection_file(
        actor=p.head, document=document, reasons="异议", on=on
    )
    assert document.pdf is not None
    return {
        "matter": matter.pk,
        "matter_document": document.pk,
        "matter_objection": objection.pk,
        "matter_request": request.pk,
        "matter_file": document.pdf.sha256,
    }


def _filings(
    p: Personas, case_a: Case, case_b: Case, document_b: CaseDocument
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Both agencies' on-the-spot decisions filed with the supervisor, under a test that makes
    any fine of 100 元 major (the filings' own test would not)."""
    rows = [
        {"test": t, "amount": "100", "source": "矩阵测试"}
        for t in ("fine_person", "fine_organisation")
    ]
    with _day(date(2026, 4, 8)), override_settings(ZHIFA_MAJOR_PENALTY_TEST=rows):
        document_a = document_generate(
            actor=p.officer, case=case_a, kind=CaseDocument.Kind.SIMPLE_DECISION, on=ON_THE_SPOT
        )
        a = filings.filing_submit(actor=p.officer, case=case_a, on=date(2026, 4, 8))
        b = filings.filing_submit(actor=p.officer_b, case=case_b, on=date(2026, 4, 8))
    return (a.pk, document_a.pk), (b.pk, document_b.pk)


def _warning(case: Case) -> int:
    """An early warning about the case's agency, as the warning run stores one."""
    from zhifa.alerts.models import Warning

    return Warning.objects.create(
        rule="decision_overdue",
        subject=f"case:{case.pk}",
        agency_id=case.agency_id,
        division_code=case.agency.division_code,
        title=f"{case.number}：超过办案期限1日未作出决定",
        measure=1,
        facts=[{"kind": "case", "id": case.pk, "label": case.number, "note": ""}],
        first_seen_on=date(2026, 4, 8),
        last_seen_on=date(2026, 4, 8),
    ).pk


LICENCE, LICENCE_B = "XK-A", "XK-B"


def _licensing(p: Personas) -> tuple[Licence, Case]:
    """A's application accepted, granted and its licence issued; B's just applied for."""
    day = date(2026, 4, 8)

    def applied(actor: Account, code: str, name: str, n: int) -> Case:
        company = cases.PartyInput(
            kind="organisation", name=name, credit_code=credit_code(n, prefix="91")
        )
        return licensing.licence_apply(
            actor=actor,
            power_code=code,
            matter="许可申请",
            channel="online",
            on=day,
            applicant=company,
        )

    case_a = applied(p.officer, LICENCE, "示范市甲区许可餐饮有限公司", 801)
    licensing.case_licence_accept(actor=p.officer, case=case_a, on=day)
    licensing.case_licence_grant(
        actor=p.head,
        case=case_a,
        on=day,
        content="热食类食品制售",
        valid_from=day,
        valid_until=date(2031, 4, 7),
    )
    licence = licensing.case_licence_issue(actor=p.officer, case=case_a, on=day)
    return licence, applied(p.officer_b, LICENCE_B, "示范市乙区许可化工有限公司", 802)


def _inspection(p: Personas) -> Any:
    """A's inspection of an entity of the directory, requested and approved (2026-04-08)."""
    from zhifa.cases.models import CaseOfficer
    from zhifa.inspections import services as inspections
    from zhifa.inspections.services_directory import entity_create

    day = date(2026, 4, 8)
    entity = entity_create(
        actor=p.admin,
        credit_code=credit_code(803, prefix="91"),
        name="示范市甲区被检查食品有限公司",
        division_code="130302",
        industry="食品销售",
        risk_class="B",
    )
    row = inspections.inspection_request(
        actor=p.officer,
        entity=entity,
        power_code=INSPECTION,
        ground="routine",
        planned_on=day,
        on=day,
        officers=[
            (_officer_of(p.officer), CaseOfficer.Role.LEAD),
            (_officer_of(p.officer2), CaseOfficer.Role.ASSISTANT),
        ],
    )
    return inspections.inspection_approve(actor=p.head, inspection=row, on=day)


def _inspections_directory(p: Personas) -> dict[str, int]:
    """Issue 14's directory part: an entity with a 回避, A's draft and published plans, and a
    joint inspection of the entity by A and B (their inspections made directly)."""
    from zhifa.inspections import services_directory as directory
    from zhifa.inspections.models import Inspection

    entity = directory.entity_create(
        actor=p.admin,
        name="示范市甲区矩阵食品有限公司",
        credit_code=credit_code(901, prefix="91"),
        division_code="130302",
        risk_class="B",
    )
    conflict = directory.conflict_register(
        actor=p.head,
        officer=_officer_of(p.officer),
        entity=entity,
        reason="矩阵测试",
        on=date(2026, 4, 8),
    )
    item = PowerItem.objects.get(agency=p.agency_a, code=INSPECTION)
    plans = [
        directory.plan_create(
            actor=p.head,
            agency=p.agency_a,
            kind="annual",
            year=2026,
            title=f"矩阵测试年度检查计划{n}",
            items=[item],
            subjects="辖区内食品经营者",
            method="现场检查",
            ratio="5%",
            frequency="每年1次",
        )
        for n in (1, 2)
    ]
    directory.plan_publish(actor=p.head, plan=plans[1], on=date(2026, 3, 30))
    item_b = PowerItem.objects.filter(agency=p.agency_b).order_by("pk").first()
    assert item_b is not None
    rows = []
    for agency, power in ((p.agency_a, item), (p.agency_b, item_b)):
        case = Case.objects.create(
            agency=agency,
            kind=Case.Kind.INSPECTION,
            power_item=power,
            domain=power.domain,
            title="矩阵测试联合检查",
            state=Case.State.PLANNED,
            clue_on=date(2026, 4, 8),
            created_by=p.admin,
        )
        rows.append(
            Inspection.objects.create(
                case=case,
                agency=agency,
                entity=entity,
                power_item=power,
                domain=power.domain,
                ground="routine",
                planned_on=date(2026, 4, 20),
                year=2026,
                state="approved",
                requested_at=timezone.now(),
            )
        )
    joint = directory.joint_inspection_agree(
        actor=p.supervisor, inspections=rows, visit_on=date(2026, 4, 20), lead_agency=p.agency_a
    )
    return {
        "inspection_entity": entity.pk,
        "conflict": conflict.pk,
        "plan": plans[0].pk,
        "published_plan": plans[1].pk,
        "joint": joint.pk,
    }


def _efficiency(p: Personas, on: date) -> tuple[Any, Any]:
    """The 示范市司法局 of the supervision matter (its supervisor ``bureau``: the persona
    supervisor has no body) computes its 效能评价 of A and B; a token survey about A."""
    from zhifa.evaluation import services_efficiency as eff
    from zhifa.evaluation.models import Survey

    sup = Account.objects.get(username="bureau")
    scheme = eff.scheme_create(actor=sup, year=on.year, on=on)
    eff.efficiency_compute(actor=sup, scheme=scheme, on=on)
    survey = eff.survey_create(
        actor=sup,
        agency=p.agency_a,
        year=on.year,
        mode=Survey.Mode.TOKEN,
        opens_on=on,
        closes_on=on,
        on=on,
    )
    eff.survey_tokens_issue(actor=sup, survey=survey, count=2, on=on)
    return scheme, survey


def _result_of(scheme: Any, agency: Agency) -> int:
    from zhifa.evaluation.models import EfficiencyResult

    scheme.refresh_from_db()
    return EfficiencyResult.objects.get(scheme=scheme, run=scheme.run, agency=agency).pk


def world_build() -> World:
    """Build both agencies' objects (call with database access). Each step runs with the clock
    on its own day, from the registry (2025-12-01) to the last publication (2026-04-08)."""
    with _day(date(2025, 12, 1)):
        p = make_personas()
        agency_short_name_set(actor=p.admin, agency=p.agency_a, short_name="示范市监")
        agency_short_name_set(actor=p.admin, agency=p.agency_b, short_name="示范乙环")
        item_a = _item(
            p, p.agency_a, p.domain, PENALTY, "对经营超过保质期食品的行政处罚", "penalty"
        )
        _item(p, p.agency_a, p.domain, INSPECTION, "食品经营日常监督检查", "inspection")
        item_b = _item(p, p.agency_b, p.other_domain, PENALTY_B, "对超标排放的行政处罚", "penalty")
        second_b = _officer(p, p.agency_b, p.other_domain, 7, "郑乙区")
        _item(p, p.agency_a, p.domain, LICENCE, "食品经营许可", "licensing")
        _item(p, p.agency_b, p.other_domain, LICENCE_B, "排污许可", "licensing")
    with _day(date(2026, 1, 5)):
        rule = review.catalog_rule_add(
            actor=p.admin,
            agency=p.agency_a,
            on=date(2026, 1, 5),
            kind="fine_person",
            amount=Decimal(10000),
            source="甲区市场监管局重大执法决定法制审核目录清单（2026年版）第1项",
        )
    case_a, document_a, photo, video = _case_a(p)
    submission, transfer = _review_with_crime(p, case_a)

    a_officers = [_officer_of(p.officer), _officer_of(p.officer2)]
    b_officers = [_officer_of(p.officer_b), second_b]
    with _day(ON_THE_SPOT):
        draft_a = _publication(_on_the_spot(p.officer, a_officers, PENALTY, PARTY))
        decided_a = _on_the_spot(p.officer, a_officers, PENALTY, PARTY)
        # No case to upload to before an on-the-spot decision: received first, bound by it.
        photo_b = evidence_receive(_file(b"\xff\xd8photo-b" * 32, "乙区现场.jpg", "image/jpeg"))
        video_b = evidence_receive(
            _file(b"\x00video-b" * 64, "乙区现场.mp4", "video/mp4", recorded_on=ON_THE_SPOT)
        )
        case_b = _on_the_spot(
            p.officer_b, b_officers, PENALTY_B, PARTY_B, evidence=[photo_b, video_b]
        )
        document_b = document_generate(
            actor=p.officer_b, case=case_b, kind=CaseDocument.Kind.SIMPLE_DECISION, on=ON_THE_SPOT
        )
    with _day(date(2026, 4, 1)):
        matter = _supervision_matter(p, date(2026, 4, 1))
    filing_a, filing_b = _filings(p, decided_a, case_b, document_b)
    with _day(date(2026, 4, 8)):
        published_a = _published(p, decided_a, date(2026, 4, 8))
        report = publicity.correction_report_submit(
            publication=published_a, text="决定书日期有误", contact="13900000000"
        )
        head_sign()
    with _day(date(2026, 4, 8)):
        complaint_a, _code = complaints.complaint_submit(
            agency=p.agency_a,
            facts=f"{COMPLAINANT[0]}投诉执法人员未出示证件",
            happened_on=date(2026, 4, 1),
            today=date(2026, 4, 8),
            anonymous=False,
            name=COMPLAINANT[0],
            contact=COMPLAINANT[1],
            uploads=[complaints.Upload("现场.pdf", b"%PDF-1.4 matrix complaint")],
        )
        complaints.complaint_accept(actor=p.supervisor, complaint=complaint_a, on=date(2026, 4, 8))
        complaint_b, _code = complaints.complaint_submit(
            agency=p.agency_b,
            facts="乙区执法人员态度粗暴",
            happened_on=date(2026, 4, 2),
            today=date(2026, 4, 8),
            anonymous=False,
            name=COMPLAINANT[0],
            contact=COMPLAINANT[1],
        )

    with _day(date(2026, 4, 8)):
        licence_a, licence_b = _licensing(p)
        inspection_a = _inspection(p)
        directory = _inspections_directory(p)
    with _day(date(2026, 4, 8)):
        draw_task = _draw_task(p, date(2026, 4, 8))
    with _day(date(2026, 4, 8)):
        challenge = case_challenge_record(
            actor=p.officer,
            case=decided_a,
            kind="reconsideration",
            body="示范市人民政府",
            filed_on=date(2026, 4, 8),
            on=date(2026, 4, 8),
        )
        challenge_b = case_challenge_record(
            actor=p.officer_b,
            case=case_b,
            kind="litigation",
            body="示范市乙区人民法院",
            filed_on=date(2026, 4, 8),
            on=date(2026, 4, 8),
        )
        stat_filing = _stat_filing(p, date(2026, 4, 8))
        eval_template = _eval_template(p, date(2026, 4, 8))
    with _day(date(2026, 4, 8)):
        from zhifa.evaluation.tests.outcomes_world import matrix_outcomes

        eval_outcomes = matrix_outcomes(p, case_a, date(2026, 4, 8))
    with _day(date(2026, 4, 8)):
        scheme, survey = _efficiency(p, date(2026, 4, 8))
    with _day(date(2026, 4, 8)):
        evaluation_ids = _evaluation_campaign(p, date(2026, 4, 8))

    def certificate(account: Account) -> int:
        return Certificate.objects.filter(officer=_officer_of(account)).values_list(
            "pk", flat=True
        )[0]

    def first_entry(case: Case) -> int:
        seq = Entry.objects.filter(case_id=case.pk).order_by("seq").values_list("seq", flat=True)
        return seq[0]

    a = Ids(
        agency=p.agency_a.pk,
        officer=_officer_of(p.officer).pk,
        certificate=certificate(p.officer),
        power_item=item_a.pk,
        case=case_a.pk,
        step="case_notify",
        document=document_a.pk,
        photo=photo.sha256,
        video=video.sha256,
        draft=draft_a.pk,
        published=published_a.pk,
        report=report.pk,
        submission=submission.pk,
        transfer=transfer.pk,
        catalog_rule=rule.pk,
        entry=first_entry(case_a),
        complaint=complaint_a.pk,
        complaint_file=complaint_a.attachments.get().sha256,
        **matter,
        filing=filing_a[0],
        filing_document=filing_a[1],
        warning=_warning(case_a),
        licence_case=licence_a.case_id,
        licence_token=licence_a.token,
        licensed_case=licence_a.case_id,
        inspection=inspection_a.pk,
        inspection_code=inspection_a.code,
        entity=inspection_a.entity_id,
        **directory,
        draw_task=draw_task,
        challenge_case=decided_a.pk,
        challenge=challenge.pk,
        stat_filing=stat_filing,
        eval_template=eval_template,
        **eval_outcomes,
        efficiency_scheme=scheme.pk,
        efficiency_result=_result_of(scheme, p.agency_a),
        survey=survey.pk,
        survey_key=survey.key,
        **evaluation_ids,
    )
    b = Ids(
        agency=p.agency_b.pk,
        officer=_officer_of(p.officer_b).pk,
        certificate=certificate(p.officer_b),
        power_item=item_b.pk,
        case=case_b.pk,
        step="case_serve",
        document=document_b.pk,
        photo=photo_b.sha256,
        video=video_b.sha256,
        draft=_publication(case_b).pk,
        published=None,
        report=None,
        submission=None,
        transfer=None,
        catalog_rule=None,
        entry=first_entry(case_b),
        filing=filing_b[0],
        filing_document=filing_b[1],
        complaint=complaint_b.pk,
        warning=_warning(case_b),
        licence_case=licence_b.pk,
        entity=inspection_a.entity_id,
        challenge_case=case_b.pk,
        challenge=challenge_b.pk,
        efficiency_scheme=scheme.pk,
        efficiency_result=_result_of(scheme, p.agency_b),
    )
    return World(p=p, a=a, b=b, second_b=second_b)
