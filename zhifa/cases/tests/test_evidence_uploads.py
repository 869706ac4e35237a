"""Evidence belongs to the case it was uploaded for (issue 10, findings 2, 5 and 6).

- A file crosses no case by its hash: a step carries only files uploaded to its case (or that
  the case's entries already carry), and serves no other; another case's file is refused and
  served exactly as a file that does not exist.
- A step whose files did not arrive whole is not recorded: a cut-off multipart body is refused
  before any form or service sees it.
- Every upload is recorded with its uploader, limited in size by its kind and by the agency's
  quota, and removed — on the record — when it was never attached.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.documents import document_generate
from zhifa.cases.models import Case, CaseDocument, CaseOfficer, CaseStep
from zhifa.cases.numbering import agency_short_name_set
from zhifa.core.testing import PASSWORD, id_number, without_csrf
from zhifa.record.evidence import evidence_key, evidence_open
from zhifa.record.evidence_uploads import evidence_receive
from zhifa.record.models import Entry, EvidenceFile, EvidenceUpload
from zhifa.record.verification import log_verify
from zhifa.registry import services as registry
from zhifa.registry.models import Account, Certificate, PowerItem

from .conftest import (
    COMPANY,
    INSPECTION_CODE,
    PENALTY_CODE,
    FileIn,
    World,
    actions_of,
    bearer,
    upload,
)

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 15, 10, tzinfo=SH)
API = "/api/v1/cases"
B_CODE = "HB-059"


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _evidence(evidence_dir: Path) -> Path:
    return evidence_dir


# -- agency B: 生态环境分局, with a case of its own ----------------------------------------------


@dataclass
class AgencyB:
    officer: Account
    officer2: Account
    head: Account
    case: Case


def _b_person(world: World, n: int, name: str, role: str) -> Account:
    p = world.p
    officer = registry.officer_create(
        actor=p.admin, agency=p.agency_b, name=name, id_number=id_number(n), phone=f"139001{n:05d}"
    )
    registry.certificate_register(
        actor=p.admin,
        officer=officer,
        number=f"13030{n:07d}",
        kind="enforcement",
        domains=[p.other_domain],
        region_code=p.agency_b.division_code,
        status=Certificate.Status.VALID,
        issued_on=date(2023, 1, 1),
        expires_on=date(2029, 12, 31),
        reason="导入",
        effective_on=date(2023, 1, 1),
    )
    for year in (2024, 2025, 2026):
        for kind in ("legal", "professional"):
            registry.training_record_add(
                actor=p.admin, officer=officer, year=year, kind=kind, hours=Decimal(30)
            )
    return registry.account_create(
        actor=p.admin,
        username=f"p{n}",
        password=PASSWORD,
        role=role,
        agency=p.agency_b,
        officer=officer,
    )


@pytest.fixture
def agency_b(world: World) -> AgencyB:
    p = world.p
    officer2 = _b_person(world, 7, "郑乙区", Account.Role.OFFICER)
    head = _b_person(world, 8, "冯分局长", Account.Role.HEAD)
    agency_short_name_set(actor=p.admin, agency=p.agency_b, short_name="示范乙环")
    item = registry.power_item_create(
        actor=p.admin,
        agency=p.agency_b,
        code=B_CODE,
        name="对超标排放污染物的行政处罚",
        category=PowerItem.Category.PENALTY,
        domain=p.other_domain,
        implementing_level="county",
        bases=[registry.Basis("中华人民共和国环境保护法", "第五十九条")],
    )
    registry.power_item_publish(actor=p.admin, item=item, on=date(2025, 12, 1))
    assert p.officer_b.officer is not None and officer2.officer is not None
    case = services.case_open(
        actor=p.officer_b,
        kind=Case.Kind.PENALTY_GENERAL,
        power_code=B_CODE,
        title="超标排放废水",
        summary="在线监测数据超标",
        on=date(2026, 6, 1),
        act_ended_on=date(2026, 5, 28),
        parties=[COMPANY],
        officers=[
            (p.officer_b.officer, CaseOfficer.Role.LEAD),
            (officer2.officer, CaseOfficer.Role.ASSISTANT),
        ],
    )
    case = services.case_register(actor=head, case=case, on=date(2026, 6, 2), opinion="同意立案")
    return AgencyB(officer=p.officer_b, officer2=officer2, head=head, case=case)


def a_decision(world: World) -> EvidenceFile:
    """Agency A's 行政处罚决定书 (PDF), generated for its decided case."""
    case = world.decided()
    document = document_generate(
        actor=world.p.officer,
        case=case,
        kind=CaseDocument.Kind.PENALTY_DECISION,
        on=date(2026, 4, 29),
    )
    return document.pdf


# -- the API ------------------------------------------------------------------------------------


def api_step(client: Client, case: Case, service: str, account: Account, **body: Any) -> Any:
    return client.post(
        f"{API}/{case.pk}/actions/{service}",
        body,
        content_type="application/json",
        headers=bearer(account),
    )


def api_upload(client: Client, case: Case, account: Account, file: Any, **fields: Any) -> Any:
    return client.post(
        f"{API}/{case.pk}/evidence", {"file": file, **fields}, headers=bearer(account)
    )


def investigate_b(client: Client, b: AgencyB, files: list[dict[str, Any]]) -> Any:
    assert b.officer.officer is not None and b.officer2.officer is not None
    return api_step(
        client,
        b.case,
        "case_investigate",
        b.officer,
        on="2026-06-10",
        kind="evidence",
        officers=[b.officer.officer.pk, b.officer2.officer.pk],
        summary="调取书证",
        files=files,
    )


def as_file(row: EvidenceFile) -> dict[str, Any]:
    return {
        "sha256": row.sha256,
        "name": row.original_name,
        "size": row.size,
        "media_type": row.media_type,
    }


def test_another_agencys_decision_attached_by_its_hash_answers_as_an_unknown_hash(
    client: Client, world: World, agency_b: AgencyB
) -> None:
    decision = a_decision(world)
    a_case = CaseDocument.objects.get(pdf=decision).case
    # The hash is no secret: the supervisor reads it in agency A's record.
    seen = client.get(f"{API}/{a_case.pk}/entries", headers=bearer(world.p.supervisor)).json()
    assert decision.sha256 in {f["sha256"] for e in seen for f in e["files"]}
    before = (actions_of(agency_b.case), Case.objects.get(pk=agency_b.case.pk).state)

    crossing = investigate_b(client, agency_b, [as_file(decision)])
    unknown = investigate_b(client, agency_b, [{**as_file(decision), "sha256": "ab" * 32}])

    assert crossing.status_code == unknown.status_code == 422
    assert crossing.json() == unknown.json()  # not a word, not a field apart
    assert "不是本案的证据" in crossing.json()["detail"]
    assert (actions_of(agency_b.case), Case.objects.get(pk=agency_b.case.pk).state) == before
    officer_b = Client()
    officer_b.force_login(agency_b.officer)
    mine = reverse("case_evidence_file", kwargs={"pk": agency_b.case.pk, "sha256": decision.sha256})
    assert officer_b.get(mine).status_code == 404


def test_a_file_of_another_case_of_the_same_agency_is_refused_too(
    client: Client, world: World
) -> None:
    photo = FileIn(b"\xff\xd8shelf" * 40, "货架.jpg", "image/jpeg")
    first = world.registered(date(2026, 6, 2))
    upload(world.p.officer, first, photo)
    second = world.registered(date(2026, 6, 3))
    response = api_step(
        client,
        second,
        "case_investigate",
        world.p.officer,
        on="2026-06-05",
        kind="evidence",
        officers=[world.o1.pk, world.o2.pk],
        summary="照片",
        files=[photo.ref.as_dict()],
    )
    assert response.status_code == 422 and response.json()["errors"]["files"]
    assert "case.investigate" not in actions_of(second)


def test_an_upload_is_recorded_with_its_uploader_and_the_step_carries_it_as_uploaded(
    client: Client, world: World
) -> None:
    case = world.registered(date(2026, 6, 2))
    response = api_upload(
        client,
        case,
        world.p.officer2,
        SimpleUploadedFile("书证.pdf", b"%PDF-1.7 " * 30, "application/pdf"),
    )
    assert response.status_code == 201, response.json()
    stored = response.json()
    entry = Entry.objects.filter(case_id=case.pk).order_by("seq").last()
    assert entry is not None and entry.action == "evidence.upload"
    assert entry.actor_name == "李执法" and entry.actor_id == world.p.officer2.pk
    assert entry.data["sha256"] == stored["sha256"] and entry.data["name"] == "书证.pdf"
    assert entry.file_refs == []  # an upload alone references nothing: it may still expire

    renamed = {**{k: stored[k] for k in ("sha256", "size", "media_type")}, "name": "别的名字.exe"}
    step = api_step(
        client,
        case,
        "case_investigate",
        world.p.officer,
        on="2026-06-05",
        kind="evidence",
        officers=[world.o1.pk, world.o2.pk],
        summary="书证",
        files=[renamed],
    )
    assert step.status_code == 200, step.json()
    assert step.json()["entry"]["files"] == [
        {k: stored[k] for k in ("sha256", "name", "size", "media_type")}
    ]
    assert EvidenceUpload.objects.get(case_id=case.pk).attached_seq == step.json()["entry"]["seq"]


def test_uploading_bytes_another_agency_holds_tells_nothing_of_its_copy(
    client: Client, world: World, agency_b: AgencyB
) -> None:
    decision = a_decision(world)
    with evidence_open(decision.sha256) as stream:
        content = stream.read()
    response = api_upload(
        client,
        agency_b.case,
        agency_b.officer,
        SimpleUploadedFile("我方取得的文书.pdf", content, "application/pdf"),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["sha256"] == decision.sha256
    assert body["name"] == "我方取得的文书.pdf" and decision.original_name not in response.text


# -- the web form and downloads ------------------------------------------------------------------


def client_for(account: Account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def action_url(case: Case, service: str) -> str:
    return reverse("case_action", kwargs={"pk": case.pk, "service": service})


def evidence_url(case: Case, sha256: str) -> str:
    return reverse("case_evidence_file", kwargs={"pk": case.pk, "sha256": sha256})


def test_the_web_form_naming_a_hash_attaches_nothing_and_answers_as_for_an_unknown_one(
    world: World, agency_b: AgencyB
) -> None:
    decision = a_decision(world)
    assert agency_b.officer.officer is not None and agency_b.officer2.officer is not None
    browser = client_for(agency_b.officer)

    def post(sha256: str) -> Any:
        return browser.post(
            action_url(agency_b.case, "case_investigate"),
            {
                "case_investigate-on": "2026-06-10",
                "case_investigate-kind": CaseStep.Kind.EVIDENCE,
                "case_investigate-officers": [
                    agency_b.officer.officer.pk,  # type: ignore[union-attr]
                    agency_b.officer2.officer.pk,  # type: ignore[union-attr]
                ],
                "case_investigate-summary": "调取书证",
                "case_investigate-files": sha256,  # a hash typed where a file goes
            },
        )

    crossing, unknown = post(decision.sha256), post("cd" * 32)
    assert crossing.status_code == unknown.status_code
    steps = Entry.objects.filter(case_id=agency_b.case.pk, action="case.investigate")
    assert [e.file_refs for e in steps] == [[], []]  # neither step carries any file
    assert browser.get(evidence_url(agency_b.case, decision.sha256)).status_code == 404


def test_another_cases_file_is_404_like_a_missing_one_and_is_not_played(
    world: World, agency_b: AgencyB
) -> None:
    video = FileIn(b"\x00\x00\x00\x18ftypmp42" * 30, "执法记录仪.mp4", "video/mp4")
    a_case = world.registered(date(2026, 6, 2))
    services.case_investigate(
        actor=world.p.officer,
        case=a_case,
        on=date(2026, 6, 3),
        kind=CaseStep.Kind.EVIDENCE,
        officers=[world.o1, world.o2],
        summary="视频",
        files=upload(world.p.officer, a_case, video),
    )
    browser = client_for(agency_b.officer)
    crossing = browser.get(evidence_url(agency_b.case, video.sha256))
    missing = browser.get(evidence_url(agency_b.case, "ef" * 32))
    assert crossing.status_code == missing.status_code == 404
    assert without_csrf(crossing.content.decode()) == without_csrf(missing.content.decode())
    play = reverse("case_media_play", kwargs={"pk": agency_b.case.pk, "sha256": video.sha256})
    assert browser.post(play).status_code == 404
    assert browser.get(evidence_url(a_case, video.sha256)).status_code == 404
    assert client_for(world.p.officer).get(evidence_url(a_case, video.sha256)).status_code == 200


def test_the_supervisor_still_sees_the_files_and_plays_the_video_but_downloads_nothing(
    world: World,
) -> None:
    video = FileIn(b"\x00\x00\x00\x18ftypmp42" * 30, "执法记录仪.mp4", "video/mp4")
    photo = FileIn(b"\xff\xd8photo" * 30, "现场.jpg", "image/jpeg")
    case = world.registered(date(2026, 6, 2))
    services.case_investigate(
        actor=world.p.officer,
        case=case,
        on=date(2026, 6, 3),
        kind=CaseStep.Kind.EVIDENCE,
        officers=[world.o1, world.o2],
        summary="视频和照片",
        files=upload(world.p.officer, case, video, photo),
    )
    supervisor = client_for(world.p.supervisor)
    page = supervisor.get(reverse("case_detail", kwargs={"pk": case.pk})).content.decode()
    for name in ("执法记录仪.mp4", "现场.jpg", video.sha256, photo.sha256, "上传证据文件"):
        assert name in page, name
    play = reverse("case_media_play", kwargs={"pk": case.pk, "sha256": video.sha256})
    assert supervisor.post(play).status_code == 200
    assert supervisor.get(evidence_url(case, photo.sha256)).status_code == 403


# -- finding 5: a step whose upload was cut off is not recorded ----------------------------------


def planned_inspection(world: World) -> Case:
    return services.case_open(
        actor=world.p.officer,
        kind=Case.Kind.INSPECTION,
        power_code=INSPECTION_CODE,
        title="食品经营日常检查",
        on=date(2026, 6, 1),
        parties=[COMPANY],
    )


def inspect_body(world: World, video: bytes) -> bytes:
    return encode_multipart(
        BOUNDARY,
        {
            "case_inspect-on": "2026-06-10",
            "case_inspect-officers": [str(world.o1.pk), str(world.o2.pk)],
            "case_inspect-summary": "现场检查，录像取证",
            "case_inspect-rec_device": "DSJ-01",
            "case_inspect-rec_started_at": "2026-06-10T09:00",
            "case_inspect-rec_ended_at": "2026-06-10T09:30",
            "case_inspect-files": SimpleUploadedFile("检查录像.mp4", video, "video/mp4"),
        },
    )


class DroppedConnection(io.RawIOBase):
    """A request body whose connection is lost after ``after`` bytes (the socket raises)."""

    def __init__(self, data: bytes, after: int) -> None:
        self._data = io.BytesIO(data[:after])

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self._data.read(size)
        if not chunk:
            raise ConnectionResetError("connection reset by peer")
        return chunk


@pytest.mark.parametrize("cut", ["body ends early", "connection raises"])
def test_a_cut_off_upload_leaves_the_case_and_the_record_as_they_were(
    world: World, cut: str
) -> None:
    case = planned_inspection(world)
    body = inspect_body(world, b"\x00\x01" * 25_000)  # 50 KB of video
    sent = len(body) * 2 // 5  # 20 of 50: the text fields arrived, the video did not
    stream: Any = (
        io.BytesIO(body[:sent]) if cut == "body ends early" else DroppedConnection(body, sent)
    )
    entries = Entry.objects.count()
    response = client_for(world.p.officer).generic(
        "POST",
        action_url(case, "case_inspect"),
        **{
            "CONTENT_TYPE": MULTIPART_CONTENT,
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": stream,
        },
    )
    assert response.status_code == 400
    assert "请求未完整到达" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == Case.State.PLANNED
    assert Entry.objects.count() == entries
    assert not EvidenceUpload.objects.exists() and not EvidenceFile.objects.exists()

    # The same request, whole, is recorded with its file.
    whole = client_for(world.p.officer).generic(
        "POST", action_url(case, "case_inspect"), body, content_type=MULTIPART_CONTENT
    )
    assert whole.status_code == 302
    inspected = Entry.objects.filter(case_id=case.pk, action="case.inspect").get()
    assert [f.name for f in inspected.file_refs] == ["检查录像.mp4"]
    # Sent once more (the browser retried): refused by the stage, nothing uploaded again.
    entries = Entry.objects.count()
    again = client_for(world.p.officer).generic(
        "POST", action_url(case, "case_inspect"), body, content_type=MULTIPART_CONTENT
    )
    assert again.status_code == 409 and Entry.objects.count() == entries


def test_a_cut_off_api_upload_stores_nothing(client: Client, world: World) -> None:
    case = world.registered(date(2026, 6, 2))
    body = encode_multipart(
        BOUNDARY, {"file": SimpleUploadedFile("书证.pdf", b"%PDF" * 10_000, "application/pdf")}
    )
    response = client.generic(
        "POST",
        f"{API}/{case.pk}/evidence",
        **{
            "CONTENT_TYPE": MULTIPART_CONTENT,
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body[: len(body) // 2]),
            **{f"HTTP_{k.upper()}": v for k, v in bearer(world.p.officer).items()},
        },
    )
    assert response.status_code == 400 and "请求未完整到达" in response.json()["detail"]
    assert not EvidenceUpload.objects.exists() and not EvidenceFile.objects.exists()


def test_a_file_whose_hash_is_not_the_one_the_client_computed_is_not_stored(
    client: Client, world: World
) -> None:
    case = world.registered(date(2026, 6, 2))
    response = api_upload(
        client,
        case,
        world.p.officer,
        SimpleUploadedFile("书证.pdf", b"%PDF-1.7 changed", "application/pdf"),
        sha256="00" * 32,
    )
    assert response.status_code == 400 and "未完整上传" in response.json()["detail"]
    assert not EvidenceUpload.objects.exists() and not EvidenceFile.objects.exists()


# -- finding 6: size limits by kind, the agency's quota ------------------------------------------

LIMITS = {"image": 1000, "audio_video": 3000, "document": 2000, "other": 500}
RECORDING = {"started_at": "2026-06-15T09:00+08:00", "ended_at": "2026-06-15T09:30+08:00"}


@pytest.mark.parametrize(
    ("media_type", "limit", "label"),
    [
        ("image/jpeg", 1000, "图片"),
        ("video/mp4", 3000, "音视频"),
        ("application/pdf", 2000, "文档"),
        ("application/zip", 500, "其他文件"),
    ],
)
def test_each_kind_of_file_is_accepted_at_its_limit_and_refused_one_byte_over(
    client: Client, world: World, settings: Any, media_type: str, limit: int, label: str
) -> None:
    settings.ZHIFA_UPLOAD_LIMITS = LIMITS
    case = world.registered(date(2026, 6, 2))
    extra = RECORDING if media_type.startswith("video/") else {}

    def send(size: int, name: str) -> Any:
        data = bytes([size % 251]) * size
        return api_upload(
            client, case, world.p.officer, SimpleUploadedFile(name, data, media_type), **extra
        )

    assert send(limit, "刚好.bin").status_code == 201
    over = send(limit + 1, "超出.bin")
    assert over.status_code == 413
    detail = over.json()["detail"]
    assert f"{label}文件每个不得超过" in detail and f"{limit} 字节" in detail
    assert "ZHIFA_UPLOAD_LIMITS" in detail
    assert list(EvidenceUpload.objects.values_list("name", flat=True)) == ["刚好.bin"]
    assert actions_of(case).count("evidence.upload") == 1


def test_the_web_form_refuses_a_photo_one_byte_over_its_limit_and_records_nothing(
    world: World, settings: Any
) -> None:
    settings.ZHIFA_UPLOAD_LIMITS = LIMITS
    case = world.registered(date(2026, 6, 2))
    browser = client_for(world.p.officer)

    def post(size: int) -> Any:
        return browser.post(
            action_url(case, "case_investigate"),
            {
                "case_investigate-on": "2026-06-10",
                "case_investigate-kind": CaseStep.Kind.EVIDENCE,
                "case_investigate-officers": [world.o1.pk, world.o2.pk],
                "case_investigate-summary": "现场照片",
                "case_investigate-files": SimpleUploadedFile(
                    "现场.jpg", b"\xff" * size, "image/jpeg"
                ),
            },
        )

    before = actions_of(case)
    refused = post(1001)
    assert refused.status_code == 413
    assert "图片文件每个不得超过1000 字节" in refused.content.decode()
    assert actions_of(case) == before and not EvidenceUpload.objects.exists()
    assert post(1000).status_code == 302
    assert actions_of(case)[-2:] == ["evidence.upload", "case.investigate"]


def test_the_agencys_quota_is_filled_exactly_and_never_passed(
    client: Client, world: World, agency_b: AgencyB, settings: Any
) -> None:
    settings.ZHIFA_EVIDENCE_QUOTA = 2500
    case = world.registered(date(2026, 6, 2))

    def send(account: Account, to: Case, data: bytes, name: str) -> Any:
        return api_upload(client, to, account, SimpleUploadedFile(name, data, "image/jpeg"))

    assert send(world.p.officer, case, b"a" * 1000, "一.jpg").status_code == 201
    assert send(world.p.officer, case, b"b" * 1500, "二.jpg").status_code == 201  # 2500 of 2500
    again = send(world.p.officer2, case, b"a" * 1000, "一（重传）.jpg")
    assert again.status_code == 201 and again.json()["name"] == "一.jpg"  # the same upload
    refused = send(world.p.officer, case, b"c", "三.jpg")
    assert refused.status_code == 413
    assert (
        "配额为2.4 KB" in refused.json()["detail"]
        and "ZHIFA_EVIDENCE_QUOTA" in refused.json()["detail"]
    )
    assert actions_of(case).count("evidence.upload") == 2
    # Another agency's quota is its own.
    assert send(agency_b.officer, agency_b.case, b"d" * 2000, "乙.jpg").status_code == 201


def test_the_web_form_over_the_quota_keeps_what_was_typed_and_records_nothing(
    world: World, settings: Any
) -> None:
    settings.ZHIFA_EVIDENCE_QUOTA = 100
    case = world.registered(date(2026, 6, 2))
    before = actions_of(case)
    response = client_for(world.p.officer).post(
        action_url(case, "case_investigate"),
        {
            "case_investigate-on": "2026-06-10",
            "case_investigate-kind": CaseStep.Kind.EVIDENCE,
            "case_investigate-officers": [world.o1.pk, world.o2.pk],
            "case_investigate-summary": "货架照片三张",
            "case_investigate-files": SimpleUploadedFile("现场.jpg", b"\xff" * 101, "image/jpeg"),
        },
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "本机关的证据存储配额为100 字节" in page and "货架照片三张" in page
    assert actions_of(case) == before and not EvidenceFile.objects.exists()


# -- finding 6: uploads never attached expire, on the record -------------------------------------


def cron_at(moment: datetime, clock: time_machine.Coordinates) -> str:
    clock.move_to(moment)
    out = io.StringIO()
    call_command("cron", stdout=out)
    return out.getvalue()


def test_an_upload_never_attached_is_removed_on_its_removal_day_with_an_entry(
    client: Client, world: World, frozen_time: time_machine.Coordinates, settings: Any
) -> None:
    settings.ZHIFA_UPLOAD_UNATTACHED_DAYS = 7
    frozen_time.move_to(datetime(2026, 6, 1, 16, tzinfo=SH))
    case = world.registered(date(2026, 6, 1))
    forgotten = FileIn(b"\xff\xd8forgotten" * 20, "忘了附上.jpg", "image/jpeg")
    kept = FileIn(b"\xff\xd8kept" * 20, "已附入.jpg", "image/jpeg")
    (forgotten_ref,) = upload(world.p.officer, case, forgotten)
    services.case_investigate(
        actor=world.p.officer,
        case=case,
        on=date(2026, 6, 1),
        kind=CaseStep.Kind.EVIDENCE,
        officers=[world.o1, world.o2],
        summary="照片",
        files=upload(world.p.officer, case, kept),
    )
    stored = Path(settings.EVIDENCE_DIR) / evidence_key(forgotten.sha256)
    assert stored.is_file()

    # Kept seven days, 06-01 to 06-07: the job has nothing to do on the last of them.
    assert "record.expire-uploads" not in cron_at(
        datetime(2026, 6, 7, 23, 59, tzinfo=SH), frozen_time
    )
    assert EvidenceUpload.objects.filter(sha256=forgotten.sha256).exists()

    # On 06-08 it goes, on the record.
    out = cron_at(datetime(2026, 6, 8, 2, 30, tzinfo=SH), frozen_time)
    assert "已删除1个到期未附入步骤的上传文件" in out
    assert not EvidenceUpload.objects.filter(sha256=forgotten.sha256).exists()
    assert not EvidenceFile.objects.filter(sha256=forgotten.sha256).exists()
    assert not stored.exists()
    removal = Entry.objects.filter(case_id=case.pk).order_by("seq").last()
    assert removal is not None and removal.action == "evidence.expire"
    assert removal.actor_name == "系统" and removal.actor_id is None
    assert removal.data["name"] == "忘了附上.jpg" and removal.data["file_removed"] is True
    assert removal.data["uploaded_on"] == "2026-06-01" and removal.data["days"] == 7
    assert EvidenceUpload.objects.filter(sha256=kept.sha256).exists()  # attached: kept
    page = client_for(world.p.officer).get(reverse("case_detail", kwargs={"pk": case.pk}))
    assert "删除逾期未使用的上传文件" in page.content.decode()

    # A step naming it now answers as for any file the case does not have.
    response = api_step(
        client,
        case,
        "case_investigate",
        world.p.officer,
        on="2026-06-08",
        kind="evidence",
        officers=[world.o1.pk, world.o2.pk],
        summary="补充照片",
        files=[forgotten_ref.as_dict()],
    )
    assert response.status_code == 422
    assert "record.expire-uploads" not in cron_at(datetime(2026, 6, 9, 3, tzinfo=SH), frozen_time)
    assert log_verify().ok


def test_bytes_another_case_still_holds_are_kept_when_an_upload_of_them_expires(
    world: World, frozen_time: time_machine.Coordinates, settings: Any
) -> None:
    frozen_time.move_to(datetime(2026, 6, 1, 16, tzinfo=SH))
    same = FileIn(b"\xff\xd8same" * 20, "同一张照片.jpg", "image/jpeg")
    idle = world.registered(date(2026, 6, 1))
    upload(world.p.officer, idle, same)  # never attached here
    used = world.registered(date(2026, 6, 1))
    services.case_investigate(
        actor=world.p.officer,
        case=used,
        on=date(2026, 6, 1),
        kind=CaseStep.Kind.EVIDENCE,
        officers=[world.o1, world.o2],
        summary="照片",
        files=upload(world.p.officer, used, same),
    )
    cron_at(datetime(2026, 6, 8, 3, tzinfo=SH), frozen_time)
    removal = Entry.objects.filter(case_id=idle.pk, action="evidence.expire").get()
    assert removal.data["file_removed"] is False
    assert (Path(settings.EVIDENCE_DIR) / evidence_key(same.sha256)).is_file()
    response = client_for(world.p.officer).get(evidence_url(used, same.sha256))
    assert response.status_code == 200
    assert client_for(world.p.officer).get(evidence_url(idle, same.sha256)).status_code == 404
    assert log_verify().ok


# -- 当场处罚: evidence for a case that does not exist yet -----------------------------------------


def test_an_on_the_spot_decision_carries_the_photo_uploaded_for_it(world: World) -> None:
    photo = FileIn(b"\xff\xd8spot" * 20, "当场.jpg", "image/jpeg")
    case = services.case_simple_decide(
        actor=world.p.officer,
        power_code=PENALTY_CODE,
        title="店外占道经营",
        on=date(2026, 6, 10),
        party=services.PartyInput(kind="natural_person", name="刘某某", id_number=id_number(501)),
        penalty_kind="warning",
        officers=[world.o1, world.o2],
        place="幸福路菜市场门前",
        evidence=[evidence_receive(photo.input())],
    )
    assert actions_of(case) == ["evidence.upload", "case.simple_decide"]
    opening = Entry.objects.get(case_id=case.pk, action="case.simple_decide")
    assert opening.file_refs == [photo.ref]
    assert EvidenceUpload.objects.get(case_id=case.pk).attached_seq == opening.seq


# -- zhifa verify: an upload bound behind the log's back is found --------------------------------


def test_verify_finds_an_upload_row_added_changed_or_removed_behind_the_logs_back(
    world: World, agency_b: AgencyB
) -> None:
    decision = a_decision(world)
    photo = FileIn(b"\xff\xd8photo" * 20, "现场.jpg", "image/jpeg")
    case = world.registered(date(2026, 6, 2))
    upload(world.p.officer, case, photo)
    assert log_verify().ok

    forged = EvidenceUpload.objects.create(  # agency A's decision "uploaded" to B's case
        case_id=agency_b.case.pk,
        agency_id=agency_b.case.agency_id,
        sha256=decision.sha256,
        size=decision.size,
        name="决定书.pdf",
        media_type="application/pdf",
        uploader_name="周乙区",
        uploaded_at=NOW,
        entry_seq=Entry.objects.order_by("-seq").values_list("seq", flat=True)[0],
    )
    kinds = {(p.kind, p.case_id) for p in log_verify().problems}
    assert ("upload_unrecorded", agency_b.case.pk) in kinds
    forged.delete()

    EvidenceUpload.objects.filter(case_id=case.pk).update(name="改过的名字.jpg")
    assert {p.kind for p in log_verify().problems} == {"upload_mismatch"}
    EvidenceUpload.objects.filter(case_id=case.pk).delete()
    assert {p.kind for p in log_verify().problems} == {"upload_missing"}
