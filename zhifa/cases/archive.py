"""The electronic case file (电子案卷) and the retention of case files (保管期限).

``case_export`` writes one case as a ZIP that ``zhifa.record.archive_check`` (``zhifa
verify-archive``) checks offline with nothing but the ZIP; the format is described there.
``case_retention`` says how long an archived case's file is kept: per case kind, a
``RetentionPolicy`` row or, without one, ``settings.ZHIFA_RETENTION_YEARS``.

An archived case is read-only (every service refuses it, ``guards.not_archived``); exporting
it is a read and stays allowed. The export records itself (``case.export``, with the ZIP's
SHA-256) after the ZIP is built, so that entry is never inside the ZIP it describes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from zhifa.core.exceptions import RuleViolation
from zhifa.law import coercion
from zhifa.record import archive_check, merkle
from zhifa.record.canonical import canonical_datetime
from zhifa.record.evidence import CHUNK_SIZE, evidence_open, file_digest
from zhifa.record.models import Entry, EvidenceFile, EvidenceUpload, SignedHead
from zhifa.record.selectors import entries_of_case, latest_head, tree_nodes
from zhifa.record.services import head_sign, public_verifier_key, record_append
from zhifa.record.upload_limits import is_audio_video
from zhifa.registry.models import Account
from zhifa.registry.selectors import is_system_admin

from .access import access_case
from .documents import case_documents
from .models import Case, CaseDocument, CaseOfficer, CaseStep, Extension, Party, RetentionPolicy
from .services import case_plain, extension_plain, party_plain, plain

__all__ = [
    "CaseExport",
    "Retention",
    "case_export",
    "case_for_export",
    "case_retention",
    "retain_until",
    "retention_policy_set",
]

SYSTEM_ACTOR = "系统"
SYSTEM_ROLE = "system"

# -- retention (保管期限) ----------------------------------------------------------------------

# Used when ZHIFA_RETENTION_YEARS does not name a kind. The tiers (永久, 定期30年, 定期10年) are
# those of 国家档案局《机关文件材料归档范围和文书档案保管期限规定》(国家档案局令第8号); which
# tier a kind of case file falls into is each agency's 档案保管期限表 — these are defaults.
DEFAULT_RETENTION_YEARS: dict[str, int | None] = {
    Case.Kind.PENALTY_GENERAL: 30,
    Case.Kind.PENALTY_SIMPLE: 10,
    Case.Kind.INSPECTION: 10,
    Case.Kind.SEIZURE: 30,
    # 行政许可: the file outlives the licence it issued (valid for years, then renewed).
    Case.Kind.LICENSING: 30,
}
DEFAULT_BASIS = (
    "《机关文件材料归档范围和文书档案保管期限规定》（国家档案局令第8号）规定保管期限为永久、"
    "定期30年、定期10年；本期限为系统默认值（设置项ZHIFA_RETENTION_YEARS），"
    "应以本机关档案保管期限表为准"
)
MAX_RETENTION_YEARS = 100


def retain_until(archived_on: date, years: int | None) -> date | None:
    """The last day a case file archived on ``archived_on`` is kept (None: permanently).

    The period runs in whole years from 1 January of the year after archiving (档案保管期限
    自归档次年1月1日起算, the archival practice), so 30 years from an archiving in 2026 end
    on 31 December 2056.
    """
    if years is None:
        return None
    return date(archived_on.year + years, 12, 31)


@dataclass(frozen=True)
class Retention:
    """How long the file of one case is kept: ``years`` (None: 永久) on ``basis``, from
    ``source`` ("policy": a RetentionPolicy row, "setting": ZHIFA_RETENTION_YEARS);
    ``retain_until`` once the case is archived (None while it is not, or when permanent)."""

    kind: str
    years: int | None
    basis: str
    source: str
    archived_on: date | None
    retain_until: date | None

    @property
    def permanent(self) -> bool:
        return self.years is None

    @property
    def label(self) -> str:
        period = "永久" if self.years is None else f"{self.years}年"
        if self.archived_on is None:
            return f"{period}（归档后起算）"
        if self.retain_until is None:
            return f"{period}（{self.archived_on.year}年归档）"
        return (
            f"{period}，自{self.archived_on.year + 1}年1月1日起算，"
            f"至{self.retain_until.year}年{self.retain_until.month}月{self.retain_until.day}日"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "years": self.years,
            "permanent": self.permanent,
            "basis": self.basis,
            "source": self.source,
            "archived_on": self.archived_on.isoformat() if self.archived_on else None,
            "retain_until": self.retain_until.isoformat() if self.retain_until else None,
            "label": self.label,
        }


def _setting_years(kind: str) -> int | None:
    configured: Mapping[str, int | None] = getattr(settings, "ZHIFA_RETENTION_YEARS", {})
    years = configured.get(kind, DEFAULT_RETENTION_YEARS.get(kind))
    return None if years is None else int(years)


def case_retention(case: Case) -> Retention:
    """The retention of ``case``'s file (one query: the kind's policy row, if any)."""
    policy = RetentionPolicy.objects.filter(kind=case.kind).first()
    if policy is not None:
        years, basis, source = policy.years, policy.basis, "policy"
    else:
        years, basis, source = _setting_years(case.kind), DEFAULT_BASIS, "setting"
    until = None if case.archived_on is None else retain_until(case.archived_on, years)
    return Retention(case.kind, years, basis, source, case.archived_on, until)


@transaction.atomic
def retention_policy_set(
    *, actor: Account, kind: str, years: int | None, basis: str, at: datetime | None = None
) -> RetentionPolicy:
    """Set the retention of one case kind (``years`` None: permanent); recorded as
    ``retention.set`` with the period before and after.

    Raises RuleViolation unless the actor is the system administrator, the kind exists, the
    period is 1 to 100 years or permanent and a basis is given.
    """
    if not is_system_admin(actor):
        raise RuleViolation("只有系统管理员可以设置案卷保管期限")
    if kind not in Case.Kind.values:
        raise RuleViolation(f"案件类别“{kind}”无效", field="kind")
    if years is not None and not 1 <= years <= MAX_RETENTION_YEARS:
        raise RuleViolation(
            f"保管期限应为1至{MAX_RETENTION_YEARS}年，或留空表示永久", field="years"
        )
    if not basis.strip():
        raise RuleViolation("须写明保管期限的依据", field="basis")
    now = timezone.now() if at is None else at
    before = RetentionPolicy.objects.select_for_update().filter(kind=kind).first()
    previous = before.years if before is not None else _setting_years(kind)
    row, _ = RetentionPolicy.objects.update_or_create(
        kind=kind,
        defaults={"years": years, "basis": basis.strip(), "updated_by": actor, "updated_at": now},
    )
    record_append(
        actor_id=actor.pk,
        actor_name=actor.display_name or actor.get_username(),
        role=actor.role,
        action="retention.set",
        payload={"kind": kind, "from": previous, "to": years, "basis": row.basis},
        at=now,
    )
    return row


# -- the export ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseExport:
    """What ``case_export`` wrote: the ZIP, its SHA-256 and size, what it holds, and the
    ``case.export`` entry recorded after it (which the ZIP does not contain)."""

    path: Path
    sha256: str
    size: int
    entries: int
    evidence_files: int
    documents: int
    head_size: int
    entry: Entry


def case_for_export(case_id: int, account: Account | None) -> Case:
    """The case to export: through the case gate for an account (Http404 alike for missing
    and not-yours), any case for the system (``account`` None, the command line)."""
    if account is not None:
        return access_case(account, case_id)
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def _check_exporter(actor: Account | None, case: Case) -> None:
    # The archive carries the parties' full personal fields: the agency's own archive.
    if actor is None or is_system_admin(actor):
        return
    if actor.agency_id != case.agency_id or actor.role not in (
        Account.Role.OFFICER,
        Account.Role.HEAD,
        Account.Role.ADMIN,
    ):
        raise RuleViolation("只有本机关的执法人员、负责人或系统管理员可以导出电子案卷")


def _head_covering(last_seq: int) -> SignedHead:
    head = latest_head()
    if head is None or head.size <= last_seq:
        head = head_sign()
    return head


def _leaf_text(entry: Entry) -> str:
    # The leaf is the entry as stored; its hash was just proved against the signed head.
    try:
        return entry.leaf_bytes.decode()
    except UnicodeDecodeError:
        raise RuleViolation(
            f"记录{entry.seq}的原文不是UTF-8文本，全过程记录可能已被改动；请先运行 zhifa verify"
        ) from None


def _entry_lines(entries: list[Entry], head: SignedHead) -> tuple[list[str], list[dict[str, Any]]]:
    """entries.jsonl's lines and the index's list of entries, proofs from one node query."""
    wanted = [node for e in entries for node in merkle.inclusion_proof_nodes(e.seq, head.size)]
    nodes = tree_nodes(wanted)
    root = bytes(head.root_hash)
    lines: list[str] = []
    listed: list[dict[str, Any]] = []
    for entry in entries:
        leaf_hash = entry.leaf_hash
        proof = merkle.inclusion_proof(entry.seq, head.size, lambda lv, ix: nodes[lv, ix])
        if not merkle.verify_inclusion(leaf_hash, entry.seq, head.size, proof, root):
            raise RuleViolation(
                f"记录{entry.seq}的包含证明与签名树头不符，日志树可能已损坏；请先运行 zhifa verify"
            )
        row = {
            "seq": entry.seq,
            "leaf_hash": leaf_hash.hex(),
            "leaf": _leaf_text(entry),
            "proof": [h.hex() for h in proof],
        }
        lines.append(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
        listed.append(
            {
                "seq": entry.seq,
                "action": entry.action,
                "recorded_at": canonical_datetime(entry.recorded_at),
                "actor_name": entry.actor_name,
                "role": entry.role,
                "leaf_hash": leaf_hash.hex(),
            }
        )
    return lines, listed


def _referenced(entries: Iterable[Entry]) -> dict[str, list[int]]:
    refs: dict[str, list[int]] = {}
    for entry in entries:
        for ref in entry.file_refs:
            refs.setdefault(ref.sha256, []).append(entry.seq)
    return refs


def _safe_name(name: str) -> str:
    cleaned = "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in name)
    return cleaned.strip(". ") or "document"


def _document_rows(
    documents: list[CaseDocument],
) -> tuple[list[dict[str, Any]], list[tuple[str, EvidenceFile]]]:
    """The index's documents and the (path, file) pairs to copy; paths are unique because each
    is prefixed with the seq of the entry that generated it."""
    rows: list[dict[str, Any]] = []
    copies: list[tuple[str, EvidenceFile]] = []
    for doc in documents:
        files = []
        for row in (doc.pdf, doc.docx):
            path = f"{archive_check.DOCUMENTS_DIR}{doc.entry_seq}-{_safe_name(row.original_name)}"
            files.append(
                {
                    "path": path,
                    "sha256": row.sha256,
                    "size": row.size,
                    "media_type": row.media_type,
                }
            )
            copies.append((path, row))
        rows.append(
            {
                "kind": doc.kind,
                "kind_label": doc.get_kind_display(),
                "title": doc.title,
                "number": doc.number,
                "version": doc.version,
                "generated_on": doc.generated_on,
                "step_id": doc.step_id,
                "template_source": doc.template_source,
                "entry_seq": doc.entry_seq,
                "files": files,
            }
        )
    return rows, copies


def _evidence_row(
    row: EvidenceFile, seqs: list[int], upload: EvidenceUpload | None
) -> dict[str, Any]:
    """A file of the case as the case knows it: its upload for this case (name, time,
    recording details, uploader) when there is one — the same bytes may have been stored
    first for another case —, else the stored file (a generated document)."""
    source: EvidenceFile | EvidenceUpload = row if upload is None else upload
    out: dict[str, Any] = {
        "path": archive_check.EVIDENCE_DIR + row.sha256,
        "sha256": row.sha256,
        "name": row.original_name if upload is None else upload.name,
        "size": row.size,
        "media_type": source.media_type,
        "uploaded_at": source.uploaded_at,
        "referenced_by": seqs,
    }
    if upload is not None:
        out["uploaded_by"] = upload.uploader_name
    if is_audio_video(source.media_type) or source.recording_device:
        out["recording"] = {
            "device": source.recording_device,
            "officer_name": source.officer_name,
            "started_at": source.started_at,
            "ended_at": source.ended_at,
            "place": source.place,
            "late_upload": source.late_upload,
        }
    return out


def _case_summary(case: Case) -> dict[str, Any]:
    agency = case.agency
    return {
        "id": case.pk,
        "number": case.number,
        "kind": case.kind,
        "kind_label": case.get_kind_display(),
        "state": case.state,
        "state_label": case.get_state_display(),
        "title": case.title,
        "summary": case.summary,
        "agency": {
            "id": agency.pk,
            "name": agency.name,
            "credit_code": agency.credit_code,
            "division_code": agency.division_code,
        },
        "domain": {"code": case.domain.code, "name": case.domain.name},
        "power_item": {"code": case.power_item.code, "name": case.power_item.name},
        "fields": case_plain(case),
    }


def _officer_rows(case: Case) -> list[dict[str, Any]]:
    rows = CaseOfficer.objects.filter(case=case).select_related("officer").order_by("role", "id")
    return [
        {
            "officer_id": a.officer_id,
            "name": a.officer.name,
            "role": a.role,
            "role_label": a.get_role_display(),
            "assigned_on": a.assigned_on,
        }
        for a in rows
    ]


def _step_rows(case: Case) -> list[dict[str, Any]]:
    steps = CaseStep.objects.filter(case=case).prefetch_related("officers").order_by("on", "id")
    return [
        {
            "id": s.pk,
            "kind": s.kind,
            "kind_label": s.get_kind_display(),
            "on": s.on,
            "at": s.at,
            "summary": s.summary,
            "data": s.data,
            "officers": [o.name for o in sorted(s.officers.all(), key=lambda o: o.pk)],
            "evidence": s.evidence,
            "entry_seq": s.entry_seq,
        }
        for s in steps
    ]


README_TEMPLATE = """电子案卷：{number}
================================

本压缩包是{agency}办理的案件“{title}”（{number}，{kind}）的电子案卷，由 zhifa 于{at}导出
（导出人：{by}）。案卷含当事人的完整个人信息，属本机关档案，只能在本机关及依法有权查阅的机关之间
传递和保存。保管期限：{retention}。

一、内容
- index.json：案件摘要——案号、类别、状态、执法主体、当事人、承办人员、办案步骤、执法文书（文件名与
  SHA-256）、证据文件清单、记录清单、保管期限。索引由导出程序生成，本身没有签名，只为便于阅读；
  具有证明力的是下面的全过程记录。
- entries.jsonl：本案的全过程记录，每行一条：序号（seq）、叶哈希（leaf_hash）、记录原文（leaf，
  即被哈希的规范JSON文本）及其包含证明（proof）。
- checkpoint.txt：签名树头（C2SP tlog-checkpoint 格式，Ed25519签名），包含证明都以它为准：
  {origin}，共{size}条记录。
- public-key.txt：全过程记录的验证公钥。
- documents/：各执法文书每一版的PDF与DOCX，文件名以生成该文书的记录序号开头。
- evidence/：本案记录引用的每一个证据文件，以其SHA-256命名。执法文书也是证据，
  documents/ 中的文件在此各有一份。

二、如何校验
1. 运行 zhifa verify-archive 本文件.zip --key "执法机关公布的公钥"，或在没有数据库的环境中运行
   python -m zhifa.record.archive_check 本文件.zip --key "执法机关公布的公钥"。
   校验完全离线，只读取本压缩包，不访问任何数据库；发现问题时逐条指出记录序号或文件，并以非零状态退出。
2. 公钥是信任的来源。
   不提供 --key 时使用压缩包内的 public-key.txt，输出“使用压缩包内公钥（仅校验完整性）”：
   这只能说明案卷自身完整一致——改动案卷的人也可以换掉公钥并重新签名。
   要确认案卷出自本机关的全过程记录，须使用从执法机关公布渠道（如 /api/v1/record/public-key）
   取得的公钥，输出“使用外部提供的公钥”。导出时的公钥为：
   {key}
3. 手工校验：
   - 叶哈希 = SHA-256(0x00 ‖ leaf的UTF-8字节)（RFC 9162 第2.1.1节）；
   - 以 proof 按 RFC 9162 第2.1.3.2节由叶哈希和序号算出根哈希，应等于 checkpoint.txt 第三行
     （base64）的根哈希，树的大小为第二行；
   - checkpoint.txt 的签名按 C2SP signed-note 规范以公钥验证；
   - evidence/ 下每个文件的SHA-256应等于其文件名，也等于引用它的记录中 files 所载的 sha256；
     documents/ 下每个文件的SHA-256应等于 index.json 所载，并被某条记录引用。
4. 以后可向执法机关索取本树头到其最新树头的一致性证明（/api/v1/record/consistency），确认日志
   此后只增未改。

三、说明
- 本次导出本身也记入全过程记录（动作 case.export，载有本压缩包的SHA-256与大小）。该记录在压缩包
  生成之后才追加，所以不在本压缩包内；可在本机关的全过程记录中查到，用以证明本压缩包就是当时导出的那一份。
- 本压缩包含导出时本案已有的全部记录（序号小于签名树头的大小）。删去某条记录会因与 index.json 的
  记录清单不符而被发现；若记录与索引同时被删改，只能以本机关的全过程记录核对（zhifa verify）。
- 已归档的案件只读：归档后任何办案操作都会被拒绝，导出案卷不改变案件。
"""


def _readme(
    case: Case, head: SignedHead, key: str, by: str, at: datetime, retention: Retention
) -> str:
    local = at.astimezone(coercion.LOCAL_TIME)
    origin = head.note.split("\n", 1)[0]
    return README_TEMPLATE.format(
        number=case.number or f"案件{case.pk}",
        agency=case.agency.name,
        title=case.title,
        kind=case.get_kind_display(),
        at=f"{local:%Y年%m月%d日 %H:%M}",
        by=by,
        retention=retention.label,
        origin=origin,
        size=head.size,
        key=key,
    )


class _Writer:
    """Adds members to the ZIP with one timestamp; files are streamed and hashed on the way."""

    def __init__(self, archive: zipfile.ZipFile, at: datetime) -> None:
        self.archive = archive
        local = at.astimezone(coercion.LOCAL_TIME)
        self.stamp = (local.year, local.month, local.day, local.hour, local.minute, local.second)

    def _info(self, name: str, compress: int) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, self.stamp)
        info.compress_type = compress
        info.external_attr = 0o644 << 16
        return info

    def text(self, name: str, text: str) -> None:
        self.archive.writestr(self._info(name, zipfile.ZIP_DEFLATED), text.encode())

    def evidence(self, name: str, row: EvidenceFile) -> None:
        """Copy a stored file, refusing when its bytes no longer match its hash."""
        info = self._info(name, zipfile.ZIP_STORED)  # photos, video, PDF: already compressed
        info.file_size = row.size  # lets zipfile choose ZIP64 up front for files over 2 GB
        h = hashlib.sha256()
        try:
            source = evidence_open(row.sha256)
        except FileNotFoundError as exc:
            raise RuleViolation(
                f"证据文件“{row.original_name}”（{row.sha256}）不在证据库中；请先运行 zhifa verify"
            ) from exc
        with source, self.archive.open(info, "w") as target:
            while chunk := source.read(CHUNK_SIZE):
                h.update(chunk)
                target.write(chunk)
        if h.hexdigest() != row.sha256:
            raise RuleViolation(
                f"证据文件“{row.original_name}”（{row.sha256}）的内容与其哈希不符；"
                "请先运行 zhifa verify"
            )


def _dumps(value: Any) -> str:
    return json.dumps(plain(value), ensure_ascii=False, indent=2) + "\n"


def case_export(
    *, case: Case, out: Path, actor: Account | None = None, at: datetime | None = None
) -> CaseExport:
    """Write ``case``'s electronic file to ``out`` (a ZIP) and record the export.

    Guarantees: the ZIP holds every entry of the case below the size of a signed head that
    covers the case's last entry (one is signed first when the latest does not), each with its
    leaf text and inclusion proof against that head; every file those entries reference, its
    bytes checked against its hash while copied; each document version's PDF and DOCX; the
    index, the verifier key and a README. The file appears at ``out`` complete or not at all.
    Then one ``case.export`` entry records the ZIP's SHA-256 and size (it is not in the ZIP).

    ``actor`` None is the system (the command line without ``--as``); otherwise an officer,
    head or administrator of the case's agency, or the system administrator. Raises
    RuleViolation when the actor may not export, or when an entry, the tree or an evidence file
    no longer matches its hash (the archive would not verify: run ``zhifa verify``).
    """
    _check_exporter(actor, case)
    now = timezone.now() if at is None else at
    by = SYSTEM_ACTOR if actor is None else actor.display_name or actor.get_username()
    case = Case.objects.select_related("agency", "domain", "power_item").get(pk=case.pk)

    last = entries_of_case(case.pk).values_list("seq", flat=True).last()
    head = _head_covering(-1 if last is None else last)
    entries = list(entries_of_case(case.pk).filter(seq__lt=head.size))
    lines, listed = _entry_lines(entries, head)
    refs = _referenced(entries)
    evidence = {row.sha256: row for row in EvidenceFile.objects.filter(sha256__in=list(refs))}
    uploads = {u.sha256: u for u in EvidenceUpload.objects.filter(case_id=case.pk)}
    missing = sorted(set(refs) - set(evidence))
    if missing:
        raise RuleViolation(f"记录引用的证据文件{missing[0]}不在证据库中；请先运行 zhifa verify")
    documents = [d for d in case_documents(case) if d.entry_seq < head.size]
    document_rows, copies = _document_rows(documents)
    retention = case_retention(case)
    key = public_verifier_key()
    index = {
        "format": archive_check.ARCHIVE_FORMAT,
        "exported": {
            "at": now,
            "by": by,
            "role": SYSTEM_ROLE if actor is None else actor.role,
            "note": (
                "本次导出记入全过程记录（动作case.export，载有本压缩包的SHA-256），"
                "该记录在压缩包生成之后追加，故不在本压缩包内"
            ),
        },
        "log": {
            "origin": head.note.split("\n", 1)[0],
            "checkpoint_size": head.size,
            "root_hash": head.root_hash_hex,
            "public_key": key,
        },
        "case": _case_summary(case),
        "retention": retention.as_dict(),
        "parties": [
            {**party_plain(p), "kind_label": p.get_kind_display()}
            for p in Party.objects.filter(case=case).order_by("id")
        ],
        "officers": _officer_rows(case),
        "steps": _step_rows(case),
        "extensions": [
            extension_plain(e) for e in Extension.objects.filter(case=case).order_by("id")
        ],
        "documents": document_rows,
        "evidence": [
            _evidence_row(evidence[sha], refs[sha], uploads.get(sha)) for sha in sorted(refs)
        ],
        "entries": listed,
    }

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", allowZip64=True) as zf:
            writer = _Writer(zf, now)
            writer.text(archive_check.README, _readme(case, head, key, by, now, retention))
            writer.text(archive_check.INDEX, _dumps(index))
            writer.text(archive_check.ENTRIES, "".join(line + "\n" for line in lines))
            writer.text(archive_check.CHECKPOINT, head.note)
            writer.text(archive_check.PUBLIC_KEY, key + "\n")
            for path, row in copies:
                writer.evidence(path, row)
            for sha in sorted(refs):
                writer.evidence(archive_check.EVIDENCE_DIR + sha, evidence[sha])
        sha256, size = file_digest(tmp)
        os.chmod(tmp, 0o640)  # the parties' personal data: not world-readable
        with transaction.atomic():
            entry = record_append(
                actor_id=None if actor is None else actor.pk,
                actor_name=by,
                role=SYSTEM_ROLE if actor is None else actor.role,
                action="case.export",
                payload={
                    "sha256": sha256,
                    "size": size,
                    "file_name": out.name,
                    "checkpoint_size": head.size,
                    "root_hash": head.root_hash_hex,
                    "entries": len(entries),
                    "last_seq": entries[-1].seq if entries else None,
                    "evidence_files": len(refs),
                    "documents": len(documents),
                },
                case_id=case.pk,
                at=now,
            )
        # After the commit: a ZIP never appears without its entry.
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return CaseExport(
        path=out,
        sha256=sha256,
        size=size,
        entries=len(entries),
        evidence_files=len(refs),
        documents=len(documents),
        head_size=head.size,
        entry=entry,
    )
