"""条例第三十一条 (通报、向社会公布) through the publicity app: issuing a 通报 with "publish" or
choosing to publish a document's result creates the supervisory body's own publication, which
its publisher reviews like a decision — the document's text with the parties' and the
complainant's personal data removed — and publishes in the portal's 执法监督结果公开 column with
body, number and date; the proof bundle verifies offline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.test import Client

from zhifa.complaints import services as complaints
from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import PASSWORD
from zhifa.notifications.models import Notification
from zhifa.publicity import services as publicity
from zhifa.publicity.models import Publication, PublicationVersion
from zhifa.publicity.selectors import publication_of_source, version_bundle
from zhifa.publicity.tests.publication_world import PERSON, World, reviewed, world
from zhifa.publicity.verify import verify_bundle
from zhifa.record.models import Entry
from zhifa.registry import services as registry
from zhifa.registry.models import Account
from zhifa.supervision import services
from zhifa.supervision.models import Document, Matter, Step
from zhifa.supervision.selectors import supervision_replay_check

from .conftest import Bureau

__all__ = ["world"]

pytestmark = pytest.mark.django_db

ON = date(2026, 10, 12)  # a Monday
COMPLAINANT = ("孙晓燕", "13611112222")


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2026-10-12 10:00 +08:00", tick=False):
        yield


@pytest.fixture
def body_publisher(bureau: Bureau) -> Account:
    """The 司法局's own publisher (公示管理员): it reviews the body's results."""
    return registry.account_create(
        actor=bureau.p.admin,
        username="sfj-publisher",
        password=PASSWORD,
        role=Account.Role.PUBLISHER,
        agency=bureau.body,
    )


def matter_from_a_complaint(bureau: Bureau, world: World) -> tuple[Matter, int]:
    """A named complaint about agency A → a matter that read the case of 欧阳晓明."""
    case = world.on_the_spot()
    complaint, _ = complaints.complaint_submit(
        agency=bureau.p.agency_a,
        facts="执法人员对欧阳晓明当场处罚时未出示证件",
        happened_on=date(2026, 9, 29),
        today=ON,
        anonymous=False,
        name=COMPLAINANT[0],
        contact=COMPLAINANT[1],
    )
    complaints.complaint_accept(actor=bureau.sup1, complaint=complaint, on=ON)
    complaint = complaints.complaint_open_matter(
        actor=bureau.sup1, complaint=complaint, title="当场处罚未出示证件", on=ON
    )
    matter = Matter.objects.get(pk=complaint.matter_id)
    if matter.state == Matter.State.REGISTERED:
        services.matter_accept(actor=bureau.sup1, matter=matter, on=ON)
    services.matter_measure_record(
        actor=bureau.sup1,
        matter=matter,
        kind=Step.Kind.INSPECTION,
        text="调取执法记录仪视频",
        supervisors=[bureau.sup1, bureau.sup2],
        on=ON,
    )
    services.matter_case_file_read(actor=bureau.sup1, matter=matter, case_id=case.pk, on=ON)
    return Matter.objects.get(pk=matter.pk), case.pk


FINDINGS = (
    f"经查，甲区市场监管局执法人员对当事人欧阳晓明（电话{PERSON.phone}）当场处罚时未出示执法证件。"
    f"投诉人{COMPLAINANT[0]}（电话{COMPLAINANT[1]}）反映属实。"
)


def notice(bureau: Bureau, matter: Matter, *, publish: bool) -> Document:
    return services.matter_document_issue(
        actor=bureau.sup1,
        matter=matter,
        kind=Document.Kind.NOTICE,
        findings=FINDINGS,
        requirement="全市执法机关对照检查，严格执行执法公示制度",
        fields={"scope": "全市各行政执法机关", **({"publish": True} if publish else {})},
        on=ON,
    )


def test_a_notice_with_publish_goes_to_the_bodys_redaction_review(
    bureau: Bureau, world: World, body_publisher: Account
) -> None:
    matter, case_id = matter_from_a_complaint(bureau, world)
    doc = notice(bureau, matter, publish=True)
    pub = publication_of_source(services.publication_ref(doc))
    assert pub is not None
    assert pub.source == Publication.Source.SUPERVISION and pub.case is None
    assert pub.agency == bureau.body  # the body's own publication, not the agency's
    assert pub.state == Publication.State.DRAFT and pub.decision_number == doc.number
    assert pub.known_cases == [case_id]
    # The draft is the document's text, personal data still in it, every value marked.
    for value in (PERSON.name, PERSON.phone, *COMPLAINANT):
        assert value in pub.original_text
    assert "行政执法监督通报" in pub.original_text and doc.number in pub.original_text
    assert pub.due_on == date(2026, 11, 9)  # 20 working days (政府信息公开条例第二十六条)
    propose = Entry.objects.filter(action="supervision.document.publish_propose").get()
    assert propose.data["publication"] == pub.pk and propose.data["matter"] == matter.pk
    draft = Entry.objects.filter(action="publicity.draft").latest("seq")
    assert draft.data["source_ref"] == services.publication_ref(doc)
    # Neither the supervisor nor the agency's publisher may publish it (条例第八条, 第三十一条).
    for actor in (bureau.sup1, bureau.p.publisher):
        with pytest.raises(RuleViolation, match="本监督机构的公示管理员"):
            publicity.publication_publish(actor=actor, publication=pub, on=ON)
    # The body's publisher reviews and publishes: no personal value reaches the public text.
    published = publicity.publication_publish(
        actor=body_publisher, publication=reviewed(pub), on=ON
    )
    assert published.state == Publication.State.PUBLISHED and published.on_time
    version = PublicationVersion.objects.get(publication=published)
    for value in (PERSON.name, PERSON.phone, *COMPLAINANT):
        assert value not in version.text
        assert all(value not in str(v) for v in version.fields.values())
    assert "行政执法监督通报" in version.text and "全市执法机关对照检查" in version.text
    assert version.fields["agency"] == bureau.body.name and version.fields["number"] == doc.number
    bundle = version_bundle(version)
    assert bundle is not None and verify_bundle(bundle).ok
    assert not list(supervision_replay_check([]))


def test_a_personal_value_left_in_the_text_refuses_publication(
    bureau: Bureau, world: World, body_publisher: Account
) -> None:
    matter, _ = matter_from_a_complaint(bureau, world)
    doc = notice(bureau, matter, publish=True)
    pub = reviewed(publication_of_source(services.publication_ref(doc)))  # type: ignore[arg-type]
    name = next(s for s in pub.spans if pub.original_text[s["start"] : s["end"]] == COMPLAINANT[0])
    pub = publicity.publication_span_undo(actor=body_publisher, publication=pub, span_id=name["id"])
    with pytest.raises(RuleViolation, match=r"个人隐私.*投诉举报人的姓名"):
        publicity.publication_publish(actor=body_publisher, publication=pub, on=ON)


def test_publishing_a_result_is_chosen_once_and_not_for_every_kind(
    bureau: Bureau, world: World
) -> None:
    matter, _ = matter_from_a_complaint(bureau, world)
    doc = notice(bureau, matter, publish=False)
    assert publication_of_source(services.publication_ref(doc)) is None
    with pytest.raises(RuleViolation, match="本监督机构"):
        services.document_publication_propose(actor=bureau.far, document=doc, on=ON)
    services.document_publication_propose(actor=bureau.sup1, document=doc, on=ON)
    with pytest.raises(RuleViolation, match=r"已提出公开.*第三十一条"):
        services.document_publication_propose(actor=bureau.sup1, document=doc, on=ON)
    clue = services.matter_document_issue(
        actor=bureau.sup1,
        matter=matter,
        kind=Document.Kind.CLUE_TRANSFER,
        findings="f",
        requirement="r",
        fields={"to_body": "示范市纪委监委"},
        on=ON,
    )
    with pytest.raises(RuleViolation, match="不向社会公布"):
        services.document_publication_propose(actor=bureau.sup1, document=clue, on=ON)


def test_the_portal_shows_results_in_their_own_column(
    bureau: Bureau, world: World, body_publisher: Account
) -> None:
    matter, _ = matter_from_a_complaint(bureau, world)
    doc = notice(bureau, matter, publish=True)
    pub = publication_of_source(services.publication_ref(doc))
    assert pub is not None
    publicity.publication_publish(actor=body_publisher, publication=reviewed(pub), on=ON)
    c = Client()
    column = c.get("/public/supervision-results/").content.decode()
    assert bureau.body.name in column and doc.number in column and "2026-10-12" in column
    assert COMPLAINANT[0] not in column
    decisions = c.get("/public/decisions/").content.decode()
    assert doc.number not in decisions  # not a decision of an agency
    page = c.get(f"/public/decisions/{pub.pk}/").content.decode()
    assert "执法监督结果公开" in page and doc.number in page
    for value in (PERSON.name, PERSON.phone, *COMPLAINANT):
        assert value not in page
    assert c.get(f"/public/decisions/{pub.pk}/proof.json").status_code == 200
    # The supervisor's workspace shows the state and links the public page.
    ws = Client()
    ws.force_login(bureau.sup1)
    text = ws.get(f"/supervision/matters/{matter.pk}/").content.decode()
    assert f"/public/decisions/{pub.pk}/" in text


def test_the_body_publisher_reviews_on_the_publish_pages(
    bureau: Bureau, world: World, body_publisher: Account
) -> None:
    matter, _ = matter_from_a_complaint(bureau, world)
    doc = notice(bureau, matter, publish=True)
    pub = publication_of_source(services.publication_ref(doc))
    assert pub is not None
    c = Client()
    c.force_login(body_publisher)
    assert doc.number in c.get("/publish/").content.decode()
    review = c.get(f"/publish/{pub.pk}/").content.decode()
    assert "监督机构" in review and "文号" in review
    other = Client()
    other.force_login(bureau.p.publisher)  # the agency's publisher: not its publication
    assert other.get(f"/publish/{pub.pk}/").status_code == 404


def test_issuing_a_notice_with_publish_ticked_on_the_workspace(
    bureau: Bureau, world: World, body_publisher: Account
) -> None:
    matter, _ = matter_from_a_complaint(bureau, world)
    c = Client()
    c.force_login(bureau.sup1)
    r = c.post(
        f"/supervision/matters/{matter.pk}/steps/matter_document_issue/",
        {
            "kind": "notice",
            "findings": FINDINGS,
            "requirement": "对照检查",
            "scope": "全市",
            "publish": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:500]
    doc = Document.objects.get(matter=matter, kind=Document.Kind.NOTICE)
    pub = publication_of_source(services.publication_ref(doc))
    assert pub is not None and pub.agency == bureau.body
    page = c.get(f"/supervision/matters/{matter.pk}/").content.decode()
    assert f'id="publication-{doc.pk}"' in page and "待审核" in page
    assert Notification.objects.filter(
        recipient=body_publisher, title__contains=doc.number
    ).exists()
