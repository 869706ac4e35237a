"""What is published is what was served: the public text of a decision is the served
document's text (its PDF and DOCX, read back) with the redacted spans replaced — the statement
paragraph and the 履行方式和期限 section included, nothing added — and the proof is of that
text."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from zhifa.cases import documents
from zhifa.cases.models import CaseDocument
from zhifa.cases.tests.conftest import PERSON, World, evidence_dir, world
from zhifa.cases.tests.test_documents import AT, FOOTER, _squash, docx_text, pdf_pages
from zhifa.publicity import services, verify
from zhifa.publicity import spans as sp
from zhifa.publicity.models import Publication
from zhifa.publicity.tests.publication_world import reviewed
from zhifa.record.services import head_sign

__all__ = ["evidence_dir", "world"]

pytestmark = pytest.mark.django_db

D = CaseDocument.Kind


def _served(world: World, case: Any, kind: str, on: date) -> CaseDocument:
    return documents.document_generate(actor=world.p.officer, case=case, kind=kind, on=on, at=AT)


def test_the_public_text_of_a_decision_is_the_served_document_with_spans_replaced(
    world: World,
) -> None:
    case = world.decided()
    publication = Publication.objects.get(case=case)
    served = _served(world, case, D.PENALTY_DECISION, date(2026, 4, 28))

    # The text the publication starts from is the served document's, as its files print it.
    original = publication.original_text
    assert _squash(original) == "".join(pdf_pages(served))
    assert _squash(original) == docx_text(served)
    assert original == documents.served_text(case, D.PENALTY_DECISION)

    # What the public reads is that text with the redacted spans replaced, and only that.
    public = services.public_text(publication)
    assert public == sp.redacted_text(original, publication.spans)
    assert world.p.agency_a.name in public
    for kept in (
        "当事人进行了陈述、申辩：当事人称系店员疏忽。经复核，本机关不予采纳当事人的陈述、申辩意见",
        "三、履行方式和期限",
        "自收到本决定书之日起15日内",
        "四、申请行政复议或者提起行政诉讼的途径和期限",
    ):
        assert kept in public, kept
    assert "执法人员：" not in public  # a line the served document does not have
    # The party's personal data is gone; the rest of the text is the served text's.
    assert PERSON.id_number not in public and PERSON.id_number in original
    removed = sp.applied(publication.spans)
    assert removed
    cuts = [0, *(p for s in removed for p in (int(s["start"]), int(s["end"]))), len(original)]
    for start, end in zip(cuts[::2], cuts[1::2], strict=True):
        assert original[start:end] in public  # everything between the spans is published


def test_the_public_text_of_an_on_the_spot_decision_is_its_served_document(world: World) -> None:
    from zhifa.cases import services as cases
    from zhifa.cases.tests.conftest import PENALTY_CODE, entered_on

    with entered_on(date(2026, 6, 10)):
        case = cases.case_simple_decide(
            actor=world.p.officer,
            power_code=PENALTY_CODE,
            title="占道经营",
            on=date(2026, 6, 10),
            party=PERSON,
            penalty_kind="fine",
            fine=Decimal(100),
            officers=[world.o1, world.o2],
            facts="当事人在幸福路占道摆摊",
            place="示范市甲区人民路与解放路路口",
        )
    publication = Publication.objects.get(case=case)
    served = _served(world, case, D.SIMPLE_DECISION, date(2026, 6, 10))
    assert _squash(publication.original_text) == "".join(pdf_pages(served))
    public = services.public_text(publication)
    assert "执法地点：示范市甲区人民路与解放路路口" in public
    assert PERSON.id_number not in public
    assert not FOOTER.search(_squash(public))


def test_the_proof_bundle_carries_the_served_text_redacted(world: World) -> None:
    case = world.decided()
    publication = Publication.objects.get(case=case)
    publication = reviewed(publication)
    published = services.publication_publish(
        actor=world.p.publisher, publication=publication, on=date(2026, 4, 30)
    )
    head_sign()
    bundle = json.loads(Client().get(f"/public/decisions/{published.pk}/proof.json").content)
    assert verify.verify_bundle(bundle).ok  # the offline check passes
    text = bundle["content"]["text"]
    assert text == sp.redacted_text(publication.original_text, publication.spans)
    served = _served(world, case, D.PENALTY_DECISION, date(2026, 4, 30))
    assert _squash(publication.original_text) == "".join(pdf_pages(served))
    # A text that is not the served one's redaction fails the check, naming the content.
    bundle["content"]["text"] = text.replace("三、履行方式和期限", "")
    assert "content_hash" in [p.kind for p in verify.verify_bundle(bundle).problems]
