"""Evidence uploads say what the file is (证据名称), where it came from (来源) and when and where
it was collected; the 证据清单 lists the description as 证据名称 (the file name only for files
uploaded without one)."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.models import Case, CaseDocument, CaseStep
from zhifa.core.exceptions import RuleViolation
from zhifa.record.evidence_uploads import Collection, EvidenceInput
from zhifa.record.models import Entry, EvidenceRef, EvidenceUpload
from zhifa.record.verification import log_verify

from .conftest import FileIn, World, bearer
from .test_documents import _generate, assert_reads, docx_text, pdf_text

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 15, 10, tzinfo=SH)
D = CaseDocument.Kind
PHOTO = FileIn(b"\xff\xd8photo" * 20, "IMG_20260612_0931.jpg", "image/jpeg")
RECEIPT = FileIn(b"\xff\xd8receipt" * 20, "scan0001.jpg", "image/jpeg")
COLLECTED = Collection(
    description="货架上过期牛奶的照片",
    source="执法人员现场拍摄",
    place="示范市甲区幸福路1号超市内",
    collected_at=datetime(2026, 6, 12, 9, 31, tzinfo=SH),
)


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _upload(world: World, case: Case, file: FileIn, collection: Collection | None) -> EvidenceRef:
    (row,) = services.case_evidence_upload(
        actor=world.p.officer,
        case=case,
        uploads=[
            EvidenceInput(
                stream=io.BytesIO(file.data),
                name=file.name,
                media_type=file.media_type,
                collection=collection,
            )
        ],
    )
    return row.ref


def _with_evidence(world: World, *files: EvidenceRef) -> Case:
    case = world.registered(date(2026, 6, 2))
    services.case_investigate(
        actor=world.p.officer,
        case=case,
        on=date(2026, 6, 12),
        kind=CaseStep.Kind.EVIDENCE,
        officers=[world.o1, world.o2],
        summary="现场取证",
        files=list(files),
    )
    return case


def test_the_evidence_list_names_each_file_by_its_description_source_time_and_place(
    world: World, evidence_dir: Any
) -> None:
    case = world.registered(date(2026, 6, 2))
    photo = _upload(world, case, PHOTO, COLLECTED)
    receipt = _upload(world, case, RECEIPT, None)  # no description: the file name stands in
    services.case_investigate(
        actor=world.p.officer,
        case=case,
        on=date(2026, 6, 12),
        kind=CaseStep.Kind.EVIDENCE,
        officers=[world.o1, world.o2],
        summary="现场取证",
        files=[photo, receipt],
    )
    listing = _generate(world, case, D.EVIDENCE_LIST, date(2026, 6, 15))
    assert_reads(
        listing,
        "1货架上过期牛奶的照片执法人员现场拍摄2026年6月12日9时31分（示范市甲区幸福路1号超市内）",
        "2scan0001.jpg证据材料2026年6月12日",
    )
    assert "IMG_20260612_0931" not in pdf_text(listing)
    assert "IMG_20260612_0931" not in docx_text(listing)


def test_the_description_is_recorded_with_the_upload_and_verifies(
    world: World, evidence_dir: Any
) -> None:
    case = world.registered(date(2026, 6, 2))
    _upload(world, case, PHOTO, COLLECTED)
    row = EvidenceUpload.objects.get(case_id=case.pk)
    assert (row.description, row.source, row.place) == (
        "货架上过期牛奶的照片",
        "执法人员现场拍摄",
        "示范市甲区幸福路1号超市内",
    )
    entry = Entry.objects.get(seq=row.entry_seq)
    assert entry.data["collection"]["description"] == "货架上过期牛奶的照片"
    assert "place" not in entry.data["collection"]  # often an address: not in the log
    assert log_verify().ok
    EvidenceUpload.objects.filter(pk=row.pk).update(description="改过的名称")
    assert {p.kind for p in log_verify().problems} == {"upload_mismatch"}


def test_a_collection_time_in_the_future_is_refused(world: World, evidence_dir: Any) -> None:
    case = world.registered(date(2026, 6, 2))
    later = Collection(description="照片", collected_at=datetime(2026, 6, 15, 11, tzinfo=SH))
    with pytest.raises(RuleViolation) as refused:
        _upload(world, case, PHOTO, later)
    assert refused.value.field == "collected_at"
    assert "第四十七条" in refused.value.article
    assert not EvidenceUpload.objects.exists()


def test_the_api_takes_the_description_source_place_and_time(
    world: World, evidence_dir: Any
) -> None:
    case = world.registered(date(2026, 6, 2))
    client = Client()
    response = client.post(
        f"/api/v1/cases/{case.pk}/evidence",
        {
            "file": SimpleUploadedFile(PHOTO.name, PHOTO.data, PHOTO.media_type),
            "description": "货架上过期牛奶的照片",
            "source": "执法人员现场拍摄",
            "place": "超市内",
            "collected_at": "2026-06-12T09:31+08:00",
        },
        headers=bearer(world.p.officer),
    )
    assert response.status_code == 201, response.content
    row = EvidenceUpload.objects.get(case_id=case.pk)
    assert row.description == "货架上过期牛奶的照片" and row.collected_at is not None
    bad = client.post(
        f"/api/v1/cases/{case.pk}/evidence",
        {
            "file": SimpleUploadedFile(RECEIPT.name, RECEIPT.data, RECEIPT.media_type),
            "collected_at": "昨天",
        },
        headers=bearer(world.p.officer),
    )
    assert bad.status_code == 422


def test_the_web_form_uploads_with_the_description_and_keeps_it_when_refused(
    world: World, evidence_dir: Any
) -> None:
    case = world.registered(date(2026, 6, 2))
    browser = Client()
    browser.force_login(world.p.officer)
    url = reverse("case_action", kwargs={"pk": case.pk, "service": "case_investigate"})
    data = {
        "case_investigate-on": "2026-06-12",
        "case_investigate-kind": CaseStep.Kind.EVIDENCE,
        "case_investigate-officers": [world.o1.pk, world.o2.pk],
        "case_investigate-summary": "现场取证",
        "case_investigate-rec_description": "货架上过期牛奶的照片",
        "case_investigate-rec_source": "执法人员现场拍摄",
        "case_investigate-rec_collected_at": "2026-06-16T09:31",  # tomorrow
    }
    refused = browser.post(
        url,
        {
            **data,
            "case_investigate-files": SimpleUploadedFile(PHOTO.name, PHOTO.data, "image/jpeg"),
        },
    )
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "货架上过期牛奶的照片" in page  # what was typed is kept
    assert "晚于当前时间" in page and "第四十七条" in page  # beside the field, with the article
    data["case_investigate-rec_collected_at"] = "2026-06-12T09:31"
    done = browser.post(
        url,
        {
            **data,
            "case_investigate-files": SimpleUploadedFile(PHOTO.name, PHOTO.data, "image/jpeg"),
        },
    )
    assert done.status_code == 302
    row = EvidenceUpload.objects.get(case_id=case.pk)
    assert (row.description, row.source) == ("货架上过期牛奶的照片", "执法人员现场拍摄")
