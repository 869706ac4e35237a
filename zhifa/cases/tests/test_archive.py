"""电子案卷: ``zhifa export-case`` writes a case as a ZIP that ``zhifa verify-archive`` checks
offline — and that names each tampered entry or file; 保管期限 per case kind."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from zhifa.cases import services
from zhifa.cases.archive import case_export, case_retention, retain_until, retention_policy_set
from zhifa.cases.documents import document_generate
from zhifa.cases.models import Case, CaseDocument, CaseStep, RetentionPolicy
from zhifa.cases.numbering import agency_short_name_set
from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas, make_personas
from zhifa.record.checkpoint import Checkpoint, Signer, generate_signer, sign_checkpoint
from zhifa.record.models import Entry
from zhifa.record.selectors import latest_head
from zhifa.record.services import evidence_view, public_verifier_key

from .conftest import (
    COMPANY,
    INSPECTION_CODE,
    PENALTY_CODE,
    SEIZURE_CODE,
    FileIn,
    World,
    _publish,
    entries_of,
    upload,
)

BJ = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 6, 30, 10, tzinfo=BJ)
D = CaseDocument.Kind
EMBEDDED = "使用压缩包内公钥（仅校验完整性）"
EXTERNAL = "使用外部提供的公钥"


# -- a case walked through the procedure, with evidence and documents -------------------------


def _closed_case(world: World, photo: FileIn, video: FileIn) -> Case:
    p = world.p
    case = world.registered(date(2026, 3, 4))
    services.case_investigate(
        actor=p.officer,
        case=case,
        on=date(2026, 3, 5),
        kind=CaseStep.Kind.EVIDENCE,
        officers=[world.o1, world.o2],
        summary="提取货架照片和执法记录仪视频",
        files=upload(p.officer, case, photo, video),
    )
    case = world.investigated(case, date(2026, 3, 6))
    case = services.case_submit_review(actor=p.officer, case=case, on=date(2026, 3, 20))
    case = services.case_notify(
        actor=p.officer,
        case=case,
        on=date(2026, 4, 1),
        facts="2026年2月20日销售超过保质期的牛奶12盒",
        reasons="违反《食品安全法》第三十四条第（十）项",
        basis="《食品安全法》第一百二十四条第一款第（五）项",
        penalty_kinds=["warning", "fine"],
        fine=Decimal(20000),
    )
    case = services.case_statement_record(
        actor=p.officer,
        case=case,
        on=date(2026, 4, 2),
        content="当事人称系店员疏忽",
        adoption="rejected",
        adoption_reasons="店员的行为由当事人承担责任",
    )
    case = services.case_decide(
        actor=p.head,
        case=case,
        on=date(2026, 4, 28),
        penalty_kinds=["warning", "fine"],
        fine=Decimal(20000),
    )
    case = services.case_serve(
        actor=p.officer, case=case, on=date(2026, 5, 8), method=Case.ServiceMethod.DIRECT
    )
    case = services.case_payment_record(
        actor=p.officer, case=case, on=date(2026, 5, 20), amount=Decimal(20000)
    )
    case = services.case_close(actor=p.head, case=case, on=date(2026, 5, 28))
    for kind in (D.REGISTER_APPROVAL, D.EVIDENCE_LIST, D.PENALTY_DECISION, D.CLOSE_APPROVAL):
        document_generate(actor=p.officer, case=case, kind=kind, on=date(2026, 5, 29), at=AT)
    document_generate(  # a second version: both are in the archive
        actor=p.officer, case=case, kind=D.CLOSE_APPROVAL, on=date(2026, 5, 30), at=AT
    )
    return case


@dataclass
class Built:
    """An archived penalty case exported once for the module; what the database said about it
    is kept here, so the tests of the ZIP run with the database blocked."""

    path: Path
    case_id: int
    key: str
    seqs: dict[str, list[int]]
    leaf_hashes: list[str]
    photo: str
    video: str
    decision: list[str]
    officers: set[str]
    export: dict[str, Any]
    export_seq: int
    export_actor_id: int | None
    officer_id: int

    def seq(self, action: str) -> int:
        return self.seqs[action][0]

    def members(self) -> dict[str, bytes]:
        with zipfile.ZipFile(self.path) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    def index(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.members()["index.json"])
        return data

    def lines(self) -> list[dict[str, Any]]:
        text = self.members()["entries.jsonl"].decode()
        return [json.loads(line) for line in text.split("\n") if line]

    def copy(self, tmp: Path, name: str, change: Callable[[dict[str, bytes]], None]) -> Path:
        """A tampered copy of the archive: ``change`` edits its members."""
        members = self.members()
        change(members)
        out = tmp / name
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, data in members.items():
                archive.writestr(member, data)
        return out


def _world(p: Personas) -> World:
    agency_short_name_set(actor=p.admin, agency=p.agency_a, short_name="示范市监")
    return World(
        p=p,
        penalty_item=_publish(p, PENALTY_CODE, "对经营超过保质期食品的行政处罚", "penalty"),
        inspection_item=_publish(p, INSPECTION_CODE, "食品经营日常监督检查", "inspection"),
        seizure_item=_publish(p, SEIZURE_CODE, "查封扣押不符合食品安全标准的食品", "coercion"),
    )


@pytest.fixture(scope="module")
def built(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Built:
    """Walk, archive and export one case, note what the database says, then roll it all back."""
    tmp = tmp_path_factory.mktemp("archive")
    with (
        django_db_blocker.unblock(),
        override_settings(EVIDENCE_DIR=tmp / "evidence"),
        transaction.atomic(),
    ):
        world = _world(make_personas())
        photo = FileIn(b"\xff\xd8photo" * 32, "现场.jpg", "image/jpeg")
        video = FileIn(b"\x00video" * 64, "扣押现场.mp4", "video/mp4")
        case = services.case_archive(
            actor=world.p.head,
            case=_closed_case(world, photo, video),
            on=date(2026, 6, 1),
        )
        # Opening the video (调阅) is an entry of the case too, referencing the file.
        evidence_view(
            actor_id=world.p.officer.pk,
            actor_name="张执法",
            role="officer",
            evidence=video.ref,
            case_id=case.pk,
        )
        path = tmp / "case.zip"
        result = case_export(case=case, out=path, actor=world.p.officer)
        entries = entries_of(case)
        seqs: dict[str, list[int]] = {}
        for entry in entries:
            seqs.setdefault(entry.action, []).append(entry.seq)
        decision = CaseDocument.objects.get(case=case, kind=D.PENALTY_DECISION)
        built = Built(
            path=path,
            case_id=case.pk,
            key=public_verifier_key(),
            seqs=seqs,
            leaf_hashes=[e.leaf_hash_hex for e in entries if e.action != "case.export"],
            photo=photo.sha256,
            video=video.sha256,
            decision=[decision.pdf.sha256, decision.docx.sha256],
            officers={world.o1.name, world.o2.name},
            export=result.entry.data,
            export_seq=result.entry.seq,
            export_actor_id=result.entry.actor_id,
            officer_id=world.p.officer.pk,
        )
        transaction.set_rollback(True)
    return built


def verify(path: Path, *args: str) -> tuple[int, str]:
    """``zhifa verify-archive``: its exit status and output. Called from tests without database
    access, where pytest-django fails any query."""
    out = io.StringIO()
    try:
        call_command("verify-archive", str(path), *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def problems(path: Path, *args: str) -> list[dict[str, Any]]:
    status, out = verify(path, "--json", *args)
    report: dict[str, Any] = json.loads(out)
    assert status == (0 if report["ok"] else 1)
    found: list[dict[str, Any]] = report["problems"]
    return found


# -- the archive (no database from here on) -------------------------------------------------


def test_the_archive_holds_index_documents_evidence_entries_checkpoint_key_and_readme(
    built: Built,
) -> None:
    members = built.members()
    for name in ("index.json", "entries.jsonl", "checkpoint.txt", "public-key.txt", "README.txt"):
        assert name in members
    assert members["public-key.txt"].decode().strip() == built.key
    assert f"evidence/{built.photo}" in members
    assert members[f"evidence/{built.video}"] == b"\x00video" * 64
    documents = [n for n in members if n.startswith("documents/")]
    assert len(documents) == 10  # five versions, PDF and DOCX each
    assert any(n.endswith("示范市监立〔2026〕1号-立案审批表-第1版.pdf") for n in documents)
    assert sum("结案审批表-第2版" in n for n in documents) == 2
    readme = members["README.txt"].decode()
    assert "示范市监立〔2026〕1号" in readme and EMBEDDED in readme and EXTERNAL in readme
    assert "case.export" in readme and "不在本压缩包内" in readme


def test_the_index_summarises_the_case_with_full_parties_and_every_file(built: Built) -> None:
    index = built.index()
    case = index["case"]
    assert case["number"] == "示范市监立〔2026〕1号"
    assert case["kind"] == "penalty_general" and case["state"] == "archived"
    assert case["agency"]["name"] == "示范市甲区市场监督管理局"
    party = index["parties"][0]
    assert party["name"] == "刘某某" and len(party["id_number"]) == 18  # the agency's archive
    assert party["phone"] == "13800135001"
    assert {o["name"] for o in index["officers"]} == built.officers
    assert [s["kind"] for s in index["steps"]][:2] == ["evidence", "interview_record"]
    documents = index["documents"]
    assert [d["kind"] for d in documents].count("close_approval") == 2
    decision = next(d for d in documents if d["kind"] == "penalty_decision")
    assert [f["sha256"] for f in decision["files"]] == built.decision
    assert built.members()[decision["files"][0]["path"]].startswith(b"%PDF")
    assert {e["sha256"] for e in index["evidence"]} >= {built.photo, built.video}
    video = next(e for e in index["evidence"] if e["sha256"] == built.video)
    assert video["referenced_by"] == [built.seq("case.investigate"), built.seq("evidence.view")]
    assert video["uploaded_by"] == "张执法" and video["name"] == "扣押现场.mp4"  # its upload
    assert index["retention"]["years"] == 30
    assert index["retention"]["retain_until"] == "2056-12-31"


def test_entries_carry_their_exact_leaf_and_a_proof_against_the_archived_checkpoint(
    built: Built,
) -> None:
    lines = built.lines()
    assert [line["leaf_hash"] for line in lines] == built.leaf_hashes
    assert json.loads(lines[0]["leaf"])["action"] == "case.open"
    for line in lines:
        leaf = line["leaf"].encode()
        assert hashlib.sha256(b"\x00" + leaf).hexdigest() == line["leaf_hash"]
    size = int(built.members()["checkpoint.txt"].decode().split("\n")[1])
    assert size == built.export["checkpoint_size"] > lines[-1]["seq"]


def test_the_export_is_recorded_after_the_archive_with_its_sha256(built: Built) -> None:
    assert built.export["sha256"] == hashlib.sha256(built.path.read_bytes()).hexdigest()
    assert built.export["size"] == built.path.stat().st_size
    assert built.export_actor_id == built.officer_id
    assert built.seqs["case.export"] == [built.export_seq]
    assert built.export_seq not in {line["seq"] for line in built.lines()}
    assert built.export["entries"] == len(built.lines())


def test_verify_archive_passes_an_untouched_archive_offline(built: Built) -> None:
    status, out = verify(built.path)
    assert status == 0
    assert EMBEDDED in out and "校验通过" in out
    status, out = verify(built.path, "--key", built.key)
    assert status == 0 and EXTERNAL in out


def test_verify_archive_reads_the_external_key_from_a_file(built: Built, tmp_path: Path) -> None:
    key_file = tmp_path / "agency.pub"
    key_file.write_text(built.key + "\n")
    status, out = verify(built.path, "--key-file", str(key_file))
    assert status == 0 and EXTERNAL in out


def test_a_changed_byte_of_an_evidence_file_is_named_with_the_entries_that_reference_it(
    built: Built, tmp_path: Path
) -> None:
    name = f"evidence/{built.photo}"

    def flip(members: dict[str, bytes]) -> None:
        data = bytearray(members[name])
        data[3] ^= 0x01
        members[name] = bytes(data)

    found = problems(built.copy(tmp_path, "evidence.zip", flip))
    assert [(p["kind"], p["file"]) for p in found] == [("evidence_hash", name)]
    assert found[0]["seq"] == built.seq("case.investigate")


def test_an_edited_entry_line_is_named_by_its_seq(built: Built, tmp_path: Path) -> None:
    decide = built.seq("case.decide")

    def edit(members: dict[str, bytes]) -> None:
        text = members["entries.jsonl"].decode()
        assert '\\"fine\\":\\"20000.00\\"' in text
        members["entries.jsonl"] = text.replace(
            '\\"fine\\":\\"20000.00\\"', '\\"fine\\":\\"2000.00\\"'
        ).encode()

    copy = built.copy(tmp_path, "edited.zip", edit)
    found = problems(copy)
    assert {p["seq"] for p in found} == {decide}
    assert {p["kind"] for p in found} >= {"entry_hash", "entry_proof"}
    status, out = verify(copy)
    assert status == 1 and f"记录{decide}" in out


def test_an_edited_entry_with_a_recomputed_leaf_hash_still_fails_its_proof(
    built: Built, tmp_path: Path
) -> None:
    register = built.seq("case.register")

    def forge(members: dict[str, bytes]) -> None:
        lines = [json.loads(x) for x in members["entries.jsonl"].decode().split("\n") if x]
        for line in lines:
            if line["seq"] == register:
                line["leaf"] = line["leaf"].replace("同意立案", "不同意立案")
                line["leaf_hash"] = hashlib.sha256(b"\x00" + line["leaf"].encode()).hexdigest()
        members["entries.jsonl"] = "".join(
            json.dumps(x, ensure_ascii=False) + "\n" for x in lines
        ).encode()

    found = problems(built.copy(tmp_path, "forged.zip", forge))
    assert {(p["kind"], p["seq"]) for p in found} == {
        ("entry_proof", register),
        ("index_entry_hash", register),
    }


def test_a_removed_entry_is_named_by_its_seq(built: Built, tmp_path: Path) -> None:
    notify = built.seq("case.notify")

    def remove(members: dict[str, bytes]) -> None:
        lines = members["entries.jsonl"].decode().split("\n")
        members["entries.jsonl"] = "\n".join(
            x for x in lines if not x.startswith(f'{{"seq":{notify},')
        ).encode()

    found = problems(built.copy(tmp_path, "removed.zip", remove))
    assert [(p["kind"], p["seq"]) for p in found] == [("entry_missing", notify)]
    assert f"记录{notify}缺失" in found[0]["message"]


def test_a_swapped_checkpoint_root_fails_the_signature_and_every_proof(
    built: Built, tmp_path: Path
) -> None:
    def swap(members: dict[str, bytes]) -> None:
        lines = members["checkpoint.txt"].decode().split("\n")
        lines[2] = "A" * 43 + "="  # another 32-byte root, base64
        members["checkpoint.txt"] = "\n".join(lines).encode()

    found = problems(built.copy(tmp_path, "root.zip", swap))
    assert found[0]["kind"] == "checkpoint_signature" and found[0]["file"] == "checkpoint.txt"
    proofs = {p["seq"] for p in found if p["kind"] == "entry_proof"}
    assert proofs == {line["seq"] for line in built.lines()}


def test_a_re_signed_archive_passes_its_own_key_but_not_the_agency_s_published_key(
    built: Built, tmp_path: Path
) -> None:
    origin = built.members()["checkpoint.txt"].decode().split("\n")[0]
    skey, vkey = generate_signer(origin)
    forger = Signer.from_key(skey)

    def resign(members: dict[str, bytes]) -> None:
        note = members["checkpoint.txt"].decode()
        body = note[: note.rfind("\n\n") + 1]
        members["checkpoint.txt"] = sign_checkpoint(Checkpoint.parse(body), forger).encode()
        members["public-key.txt"] = (vkey + "\n").encode()

    copy = built.copy(tmp_path, "resigned.zip", resign)
    status, out = verify(copy)
    assert status == 0 and EMBEDDED in out  # integrity only: the key came with the archive
    status, out = verify(copy, "--key", built.key)
    assert status == 1 and EXTERNAL in out
    kinds = {(p["kind"], p.get("file")) for p in problems(copy, "--key", built.key)}
    assert kinds == {
        ("checkpoint_signature", "checkpoint.txt"),
        ("key_mismatch", "public-key.txt"),
    }


def test_a_document_file_that_differs_from_the_index_is_named(built: Built, tmp_path: Path) -> None:
    path = built.index()["documents"][0]["files"][1]["path"]

    def truncate(members: dict[str, bytes]) -> None:
        members[path] = members[path][:-10]

    found = problems(built.copy(tmp_path, "doc.zip", truncate))
    assert [(p["kind"], p["file"]) for p in found] == [("document_hash", path)]


# -- exporting (with the database) ----------------------------------------------------------


@pytest.mark.django_db
def test_verify_archive_makes_no_query_even_with_the_database_open(
    built: Built, tmp_path: Path
) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert verify(built.path, "--key", built.key)[0] == 0
        assert verify(built.copy(tmp_path, "bad.zip", lambda m: m.pop("index.json")))[0] == 1
    assert queries.captured_queries == []


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=BJ), tick=False)
def test_a_fresh_head_is_signed_when_the_latest_does_not_cover_the_case(
    world: World, evidence_dir: Path, tmp_path: Path
) -> None:
    case = world.registered(date(2026, 3, 4))
    last = entries_of(case)[-1].seq
    head = latest_head()
    assert head is not None and head.size <= last  # the clock stands still: no head is due
    case_export(case=case, out=tmp_path / "a.zip")
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        size = int(archive.read("checkpoint.txt").decode().split("\n")[1])
    assert size == last + 1
    assert verify(tmp_path / "a.zip")[0] == 0
    export = Entry.objects.filter(case_id=case.pk, action="case.export").get()
    assert export.actor_id is None and export.role == "system"


@pytest.mark.django_db
def test_export_case_command_writes_the_zip_and_says_where(
    world: World, evidence_dir: Path, tmp_path: Path
) -> None:
    case = world.registered(date(2026, 3, 4))
    out = io.StringIO()
    call_command(
        "export-case",
        str(case.pk),
        "--out",
        str(tmp_path / "x.zip"),
        "--as",
        world.p.officer.username,
        stdout=out,
    )
    assert "已导出电子案卷" in out.getvalue() and "case.export" in out.getvalue()
    assert verify(tmp_path / "x.zip")[0] == 0
    export = Entry.objects.filter(case_id=case.pk, action="case.export").get()
    assert export.actor_id == world.p.officer.pk


@pytest.mark.django_db
def test_export_case_refuses_another_agency_and_a_supervisor(
    world: World, evidence_dir: Path, tmp_path: Path
) -> None:
    case = world.registered(date(2026, 3, 4))
    with pytest.raises(CommandError, match="案件不存在或无权查看"):
        call_command(
            "export-case",
            str(case.pk),
            "--out",
            str(tmp_path / "b.zip"),
            "--as",
            world.p.officer_b.username,
        )
    with pytest.raises(CommandError, match="只有本机关"):
        call_command(
            "export-case",
            str(case.pk),
            "--out",
            str(tmp_path / "s.zip"),
            "--as",
            world.p.supervisor.username,
        )
    with pytest.raises(CommandError, match="案件不存在"):
        call_command("export-case", "999999", "--out", str(tmp_path / "n.zip"))
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".zip", ".tmp")]
    assert not Entry.objects.filter(action="case.export").exists()


# -- archived cases and retention ----------------------------------------------------------


@pytest.mark.django_db
def test_an_archived_case_exports_and_stays_read_only(
    world: World, evidence_dir: Path, tmp_path: Path
) -> None:
    p = world.p
    case = services.case_withdraw(
        actor=p.head, case=world.registered(date(2026, 3, 4)), on=date(2026, 3, 5), reason="重复"
    )
    case = services.case_archive(actor=p.head, case=case, on=date(2026, 3, 6))
    result = case_export(case=case, out=tmp_path / "archived.zip", actor=p.head)
    assert verify(result.path, "--key", public_verifier_key())[0] == 0
    with zipfile.ZipFile(result.path) as archive:
        index = json.loads(archive.read("index.json"))
    assert index["case"]["state"] == "archived"
    assert index["retention"]["retain_until"] == "2056-12-31"
    with pytest.raises(RuleViolation, match="案件已归档"):
        services.case_party_add(actor=p.officer, case=case, on=date(2026, 3, 7), party=COMPANY)
    with pytest.raises(RuleViolation, match="案件已归档"):
        services.case_archive(actor=p.head, case=case, on=date(2026, 3, 7))
    with pytest.raises(RuleViolation, match="案件已归档"):
        document_generate(
            actor=p.officer, case=case, kind=D.CLOSE_APPROVAL, on=date(2026, 3, 7), at=AT
        )
    assert Case.objects.get(pk=case.pk).state == Case.State.ARCHIVED
    assert [e.action for e in entries_of(case)][-2:] == ["case.archive", "case.export"]


@pytest.mark.parametrize(
    ("kind", "years"),
    [("penalty_general", 30), ("penalty_simple", 10), ("inspection", 10), ("seizure", 30)],
)
@pytest.mark.django_db
def test_each_case_kind_has_its_default_retention_from_the_settings(kind: str, years: int) -> None:
    retention = case_retention(Case(kind=kind, archived_on=date(2026, 6, 1)))
    assert retention.years == years and retention.source == "setting"
    assert retention.retain_until == date(2026 + years, 12, 31)
    assert "ZHIFA_RETENTION_YEARS" in retention.basis


@pytest.mark.django_db
def test_retention_follows_the_setting_and_counts_from_the_next_new_year(settings: Any) -> None:
    settings.ZHIFA_RETENTION_YEARS = {"inspection": 5, "seizure": None}
    assert case_retention(Case(kind="inspection", archived_on=date(2026, 12, 31))).retain_until == (
        date(2031, 12, 31)
    )
    permanent = case_retention(Case(kind="seizure", archived_on=date(2026, 1, 1)))
    assert permanent.permanent and permanent.retain_until is None and "永久" in permanent.label
    assert retain_until(date(2028, 2, 29), 10) == date(2038, 12, 31)
    open_case = case_retention(Case(kind="inspection"))
    assert open_case.retain_until is None and "归档后起算" in open_case.label


@pytest.mark.django_db
def test_a_retention_policy_row_overrides_the_setting_and_is_recorded(world: World) -> None:
    row = retention_policy_set(
        actor=world.p.admin, kind="penalty_simple", years=None, basis="本省档案保管期限表：永久"
    )
    assert RetentionPolicy.objects.get(kind="penalty_simple") == row
    retention = case_retention(Case(kind="penalty_simple", archived_on=date(2026, 6, 1)))
    assert retention.permanent and retention.source == "policy"
    assert retention.basis == "本省档案保管期限表：永久"
    entry = Entry.objects.filter(action="retention.set").get()
    assert entry.data == {
        "kind": "penalty_simple",
        "from": 10,
        "to": None,
        "basis": "本省档案保管期限表：永久",
    }


@pytest.mark.django_db
def test_only_the_system_administrator_sets_retention_and_within_bounds(world: World) -> None:
    with pytest.raises(RuleViolation, match="只有系统管理员"):
        retention_policy_set(actor=world.p.head, kind="inspection", years=5, basis="x")
    with pytest.raises(RuleViolation, match="1至100年"):
        retention_policy_set(actor=world.p.admin, kind="inspection", years=0, basis="x")
    with pytest.raises(RuleViolation, match="须写明"):
        retention_policy_set(actor=world.p.admin, kind="inspection", years=5, basis=" ")
    with pytest.raises(RuleViolation, match="无效"):
        retention_policy_set(actor=world.p.admin, kind="licence", years=5, basis="x")
    assert not RetentionPolicy.objects.exists()
