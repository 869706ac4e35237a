"""Offline check of an electronic case file (电子案卷) written by ``zhifa export-case``.

Pure: this module reads nothing but the ZIP (and, optionally, a verifier key given from
outside). It imports no Django and touches no database, so anyone holding the archive — a
court, a reviewing body, an auditor years later — can check it with ``python -m
zhifa.record.archive_check FILE.zip`` (or ``zhifa verify-archive FILE.zip``).

The archive (format ``zhifa-case-archive/1``)::

    index.json        the case summary written at export time (not signed: a convenience)
    entries.jsonl     one JSON object per line: {"seq", "leaf_hash", "leaf", "proof"}; ``leaf``
                      is the exact text whose UTF-8 bytes the log hashed (canonical JSON, see
                      ``canonical.entry_leaf_bytes``), ``proof`` the RFC 9162 inclusion proof
                      (hex hashes) of leaf ``seq`` in the tree of checkpoint.txt
    checkpoint.txt    the signed tree head (C2SP tlog-checkpoint signed note)
    public-key.txt    the log's verifier key (<origin>+<key id>+<base64 key>)
    documents/…       the generated PDF/DOCX of each document version (listed in the index)
    evidence/<sha256> every file any of the entries references, named by its SHA-256
    README.txt        what the archive is and how to check it (Chinese)

What is checked, each problem named by entry ``seq`` or file:

- the checkpoint's signature, with the key inside the ZIP (that proves only that the archive
  is consistent with itself) or with a key supplied from outside (the real trust anchor: the
  published key of the agency's log);
- each entry: its leaf hash recomputed from its bytes, its inclusion proof against the
  checkpoint's root and size, that it belongs to the case of the index;
- the entries against the index's list (an entry removed from entries.jsonl is named);
- every evidence file: its SHA-256 equals its name and every entry that references it, every
  referenced file is present, no file is there that no entry references;
- every document file: its SHA-256 equals the index and an entry references it.

Messages are Simplified Chinese literals (this module cannot use Django's translation
machinery; the Chinese text is the message id throughout zhifa anyway).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from . import merkle
from .checkpoint import Checkpoint, CheckpointError, Verifier, open_checkpoint

__all__ = [
    "ARCHIVE_FORMAT",
    "KEY_EMBEDDED",
    "KEY_EXTERNAL",
    "ArchiveProblem",
    "ArchiveReport",
    "archive_verify",
    "main",
    "report_lines",
]

ARCHIVE_FORMAT = "zhifa-case-archive/1"
INDEX = "index.json"
ENTRIES = "entries.jsonl"
CHECKPOINT = "checkpoint.txt"
PUBLIC_KEY = "public-key.txt"
README = "README.txt"
EVIDENCE_DIR = "evidence/"
DOCUMENTS_DIR = "documents/"
CHUNK_SIZE = 1 << 20  # files are hashed as they are read: a 2 GB video never sits in memory

KEY_EMBEDDED = "embedded"
KEY_EXTERNAL = "external"
KEY_STATEMENTS = {
    KEY_EMBEDDED: "使用压缩包内公钥（仅校验完整性）",
    KEY_EXTERNAL: "使用外部提供的公钥",
}


@dataclass(frozen=True)
class ArchiveProblem:
    """One thing found wrong: ``kind`` is a stable code, ``message`` is for people (Chinese);
    ``seq`` names the entry and ``file`` the archive member concerned, where there is one."""

    kind: str
    message: str
    seq: int | None = None
    file: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.seq is not None:
            out["seq"] = self.seq
        if self.file is not None:
            out["file"] = self.file
        out["message"] = self.message
        return out


@dataclass
class ArchiveReport:
    """The outcome of ``archive_verify``: ``ok`` when there are no problems."""

    source: str
    key_source: str = KEY_EMBEDDED
    key: str = ""
    case_id: int | None = None
    case_number: str = ""
    origin: str = ""
    checkpoint_size: int | None = None
    root_hash: str = ""
    checkpoint_verified: bool = False
    entries: int = 0
    evidence_files: int = 0
    documents: int = 0
    problems: list[ArchiveProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def key_statement(self) -> str:
        return KEY_STATEMENTS[self.key_source]

    def add(
        self, kind: str, message: str, *, seq: int | None = None, file: str | None = None
    ) -> None:
        self.problems.append(ArchiveProblem(kind, message, seq, file))

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "archive": self.source,
            "key_source": self.key_source,
            "key_statement": self.key_statement,
            "key": self.key,
            "case_id": self.case_id,
            "case_number": self.case_number,
            "checkpoint": {
                "origin": self.origin,
                "size": self.checkpoint_size,
                "root_hash": self.root_hash,
                "verified": self.checkpoint_verified,
            },
            "entries": self.entries,
            "evidence_files": self.evidence_files,
            "documents": self.documents,
            "problems": [p.as_dict() for p in self.problems],
        }


def report_lines(report: ArchiveReport) -> list[str]:
    """The report as the lines ``verify-archive`` prints (Chinese)."""
    lines = [
        f"电子案卷：{report.source}",
        f"{report.key_statement}：{report.key or '（无）'}",
    ]
    if report.key_source == KEY_EMBEDDED:
        lines.append(
            "提示：压缩包内的公钥可能与案卷一同被替换；请以 --key 或 --key-file 提供"
            "执法机关公布的公钥，方能确认案卷出自该机关的全过程记录。"
        )
    if report.checkpoint_size is not None:
        lines.append(
            f"签名树头：{report.origin}，{report.checkpoint_size}条，根哈希{report.root_hash}"
            + ("" if report.checkpoint_verified else "（签名未通过验证）")
        )
    lines.append(
        f"案件：{report.case_number or '（未知）'}；已校验{report.entries}条记录、"
        f"{report.evidence_files}个证据文件、{report.documents}个文书文件。"
    )
    lines.extend(f"  ✗ {p.message}" for p in report.problems)
    if report.ok:
        lines.append("校验通过。")
    else:
        lines.append(f"校验发现{len(report.problems)}个问题。")
    return lines


# -- reading the archive ----------------------------------------------------------------------


def _sha256_of(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with archive.open(name) as stream:
        while chunk := stream.read(CHUNK_SIZE):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def _text(archive: zipfile.ZipFile, name: str, report: ArchiveReport) -> str | None:
    try:
        return archive.read(name).decode("utf-8")
    except KeyError:
        report.add("member_missing", f"压缩包中缺少{name}", file=name)
    except UnicodeDecodeError:
        report.add("member_unreadable", f"{name}不是UTF-8文本", file=name)
    return None


def _is_hex(text: object, length: int) -> bool:
    return (
        isinstance(text, str)
        and len(text) == length
        and all(ch in "0123456789abcdef" for ch in text)
    )


def _checkpoint(
    archive: zipfile.ZipFile, report: ArchiveReport, key: str | None
) -> Checkpoint | None:
    """Open checkpoint.txt with the external key or the one in the ZIP.

    When the signature fails, the checkpoint's body is still parsed (unverified) so that each
    entry's proof can be checked against it and named: the report already fails.
    """
    if key is not None:
        report.key_source = KEY_EXTERNAL
        report.key = key.strip()
    else:
        report.key = (_text(archive, PUBLIC_KEY, report) or "").strip()
    verifier: Verifier | None = None
    if report.key:
        try:
            verifier = Verifier.from_key(report.key)
        except CheckpointError as exc:
            report.add("key_invalid", f"公钥格式无效：{exc}", file=None if key else PUBLIC_KEY)
    if verifier is not None and key is not None and PUBLIC_KEY in archive.namelist():
        inside = archive.read(PUBLIC_KEY).decode("utf-8", "replace").strip()
        if inside != report.key:
            report.add(
                "key_mismatch",
                "压缩包内的公钥与外部提供的公钥不同：案卷可能被替换或重新签名",
                file=PUBLIC_KEY,
            )
    note = _text(archive, CHECKPOINT, report)
    if note is None:
        return None
    if verifier is not None:
        try:
            checkpoint = open_checkpoint(note, verifier)
        except CheckpointError as exc:
            report.add(
                "checkpoint_signature",
                f"checkpoint.txt的签名不能用{'外部提供的' if key else '压缩包内的'}公钥验证"
                f"（{exc}）：签名树头不可信",
                file=CHECKPOINT,
            )
        else:
            report.checkpoint_verified = True
            return _describe(report, checkpoint)
    split = note.rfind("\n\n")
    try:
        checkpoint = Checkpoint.parse(note[: split + 1] if split >= 0 else note)
    except CheckpointError as exc:
        report.add("checkpoint_malformed", f"checkpoint.txt格式错误：{exc}", file=CHECKPOINT)
        return None
    return _describe(report, checkpoint)


def _describe(report: ArchiveReport, checkpoint: Checkpoint) -> Checkpoint:
    report.origin = checkpoint.origin
    report.checkpoint_size = checkpoint.size
    report.root_hash = checkpoint.root_hash.hex()
    return checkpoint


def _index(archive: zipfile.ZipFile, report: ArchiveReport) -> dict[str, Any]:
    text = _text(archive, INDEX, report)
    if text is None:
        return {}
    try:
        index = json.loads(text)
    except ValueError as exc:
        report.add("index_malformed", f"index.json不是有效的JSON：{exc}", file=INDEX)
        return {}
    if not isinstance(index, dict):
        report.add("index_malformed", "index.json应为JSON对象", file=INDEX)
        return {}
    if index.get("format") != ARCHIVE_FORMAT:
        report.add(
            "index_format",
            f"index.json的格式标识为{index.get('format')!r}，应为{ARCHIVE_FORMAT!r}",
            file=INDEX,
        )
    case = index.get("case")
    if not isinstance(case, dict):
        report.add("index_malformed", "index.json缺少案件信息（case）", file=INDEX)
        case = {}
    case_id = case.get("id")
    report.case_id = case_id if isinstance(case_id, int) else None
    report.case_number = str(case.get("number") or "")
    return index


@dataclass
class _Entry:
    seq: int
    leaf_hash: str
    fields: dict[str, Any]


def _parse_line(line: str, number: int, report: ArchiveReport) -> tuple[Any, ...] | None:
    where = f"entries.jsonl第{number}行"
    try:
        row = json.loads(line)
    except ValueError:
        report.add("entry_malformed", f"{where}不是有效的JSON", file=ENTRIES)
        return None
    if not isinstance(row, dict):
        report.add("entry_malformed", f"{where}应为JSON对象", file=ENTRIES)
        return None
    seq, leaf, stated, proof = (
        row.get("seq"),
        row.get("leaf"),
        row.get("leaf_hash"),
        row.get("proof"),
    )
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        report.add("entry_malformed", f"{where}缺少有效的序号（seq）", file=ENTRIES)
        return None
    if (
        not isinstance(leaf, str)
        or not isinstance(proof, list)
        or not all(_is_hex(h, 64) for h in proof)
    ):
        report.add(
            "entry_malformed",
            f"记录{seq}（{where}）缺少记录内容（leaf）或包含证明（proof）格式错误",
            seq=seq,
            file=ENTRIES,
        )
        return None
    return seq, leaf, stated, [bytes.fromhex(h) for h in proof]


def _entries(
    archive: zipfile.ZipFile,
    report: ArchiveReport,
    checkpoint: Checkpoint | None,
) -> dict[int, _Entry]:
    """Each line's leaf hash recomputed and its proof checked; the entries that parsed."""
    text = _text(archive, ENTRIES, report)
    found: dict[int, _Entry] = {}
    if text is None:
        return found
    # Split on "\n" only: a leaf's text may hold U+2028 and other characters that
    # str.splitlines() would take for line ends.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        parsed = _parse_line(line, number, report)
        if parsed is None:
            continue
        seq, leaf, stated, proof = parsed
        if seq in found:
            report.add("entry_duplicate", f"记录{seq}在entries.jsonl中出现了不止一次", seq=seq)
            continue
        leaf_bytes = leaf.encode("utf-8", "surrogatepass")
        computed = merkle.leaf_hash(leaf_bytes).hex()
        if stated != computed:
            report.add(
                "entry_hash",
                f"记录{seq}：按记录内容重新计算的叶哈希与所载叶哈希不符，记录内容被改动",
                seq=seq,
                file=ENTRIES,
            )
        try:
            fields = json.loads(leaf)
        except ValueError:
            fields = None
        if not isinstance(fields, dict):
            report.add("entry_malformed", f"记录{seq}的内容不是JSON对象", seq=seq, file=ENTRIES)
            fields = {}
        if fields and fields.get("seq") != seq:
            report.add(
                "entry_seq",
                f"记录{seq}：记录内容中的序号为{fields.get('seq')!r}，与所列序号不符",
                seq=seq,
                file=ENTRIES,
            )
        if report.case_id is not None and fields and fields.get("case_id") != report.case_id:
            report.add(
                "entry_case",
                f"记录{seq}属于案件{fields.get('case_id')!r}，不属于本案（{report.case_id}）",
                seq=seq,
                file=ENTRIES,
            )
        if checkpoint is not None:
            try:
                root = merkle.root_from_inclusion_proof(
                    bytes.fromhex(computed), seq, checkpoint.size, proof
                )
            except merkle.ProofError as exc:
                report.add(
                    "entry_proof",
                    f"记录{seq}：包含证明无效（{exc}）",
                    seq=seq,
                    file=ENTRIES,
                )
            else:
                if root != checkpoint.root_hash:
                    report.add(
                        "entry_proof",
                        f"记录{seq}：包含证明不成立，该记录不在签名树头"
                        f"（{checkpoint.size}条）所代表的全过程记录中",
                        seq=seq,
                        file=ENTRIES,
                    )
        found[seq] = _Entry(seq, computed, fields)
    report.entries = len(found)
    return found


def _listed_entries(
    index: dict[str, Any], entries: dict[int, _Entry], report: ArchiveReport
) -> None:
    """The index's list of entries against entries.jsonl: a removed line is named by seq."""
    listed = index.get("entries")
    if not isinstance(listed, list):
        if index:
            report.add("index_malformed", "index.json缺少记录清单（entries）", file=INDEX)
        return
    seen: set[int] = set()
    for item in listed:
        seq = item.get("seq") if isinstance(item, dict) else None
        if not isinstance(seq, int):
            report.add("index_malformed", "index.json的记录清单中有无效条目", file=INDEX)
            continue
        seen.add(seq)
        entry = entries.get(seq)
        if entry is None:
            report.add(
                "entry_missing",
                f"记录{seq}缺失：索引列出了该记录，但entries.jsonl中没有",
                seq=seq,
                file=ENTRIES,
            )
        elif item.get("leaf_hash") != entry.leaf_hash:
            report.add(
                "index_entry_hash",
                f"记录{seq}：索引所载叶哈希与记录内容不符",
                seq=seq,
                file=INDEX,
            )
    for seq in sorted(set(entries) - seen):
        report.add("entry_unlisted", f"记录{seq}不在index.json的记录清单中", seq=seq, file=ENTRIES)


@dataclass(frozen=True)
class _Reference:
    seq: int
    name: str
    size: int | None


def _references(entries: dict[int, _Entry]) -> dict[str, list[_Reference]]:
    refs: dict[str, list[_Reference]] = {}
    for seq in sorted(entries):
        files = entries[seq].fields.get("files")
        for item in files if isinstance(files, list) else []:
            if isinstance(item, dict) and isinstance(item.get("sha256"), str):
                size = item.get("size")
                refs.setdefault(item["sha256"], []).append(
                    _Reference(
                        seq, str(item.get("name", "")), size if isinstance(size, int) else None
                    )
                )
    return refs


def _seqs(refs: Sequence[_Reference]) -> str:
    return "、".join(str(r.seq) for r in refs)


def _evidence(
    archive: zipfile.ZipFile,
    names: list[str],
    refs: dict[str, list[_Reference]],
    report: ArchiveReport,
) -> None:
    present: set[str] = set()
    for name in names:
        if not name.startswith(EVIDENCE_DIR) or name.endswith("/"):
            continue
        claimed = name[len(EVIDENCE_DIR) :]
        present.add(claimed)
        report.evidence_files += 1
        sha256, size = _sha256_of(archive, name)
        by = refs.get(claimed, [])
        if sha256 != claimed:
            report.add(
                "evidence_hash",
                f"证据文件{name}的内容与其SHA-256不符，文件被改动"
                + (f"（被记录{_seqs(by)}引用）" if by else ""),
                seq=by[0].seq if by else None,
                file=name,
            )
        elif by and any(r.size is not None and r.size != size for r in by):
            report.add(
                "evidence_size",
                f"证据文件{name}的大小与记录{_seqs(by)}所载不符",
                seq=by[0].seq,
                file=name,
            )
        if not by:
            report.add("evidence_unreferenced", f"证据文件{name}未被本案任何记录引用", file=name)
    for sha256 in sorted(set(refs) - present):
        ref = refs[sha256][0]
        report.add(
            "evidence_missing",
            f"记录{_seqs(refs[sha256])}引用的证据文件“{ref.name}”（{sha256}）不在压缩包中",
            seq=ref.seq,
            file=EVIDENCE_DIR + sha256,
        )


def _documents(
    archive: zipfile.ZipFile,
    names: list[str],
    index: dict[str, Any],
    refs: dict[str, list[_Reference]],
    report: ArchiveReport,
) -> None:
    listed: dict[str, str] = {}
    documents = index.get("documents", [])
    for document in documents if isinstance(documents, list) else []:
        files = document.get("files", []) if isinstance(document, dict) else []
        for item in files if isinstance(files, list) else []:
            if isinstance(item, dict) and isinstance(item.get("path"), str):
                listed[item["path"]] = str(item.get("sha256", ""))
    present = {n for n in names if n.startswith(DOCUMENTS_DIR) and not n.endswith("/")}
    for path in sorted(present - set(listed)):
        report.add("document_unlisted", f"文书文件{path}未列入index.json", file=path)
    for path, sha256 in sorted(listed.items()):
        if path not in present:
            report.add("document_missing", f"index.json列出的文书文件{path}不在压缩包中", file=path)
            continue
        report.documents += 1
        actual, _ = _sha256_of(archive, path)
        if actual != sha256:
            report.add(
                "document_hash",
                f"文书文件{path}的SHA-256与index.json所载不符，文件被改动",
                file=path,
            )
        elif sha256 not in refs:
            report.add(
                "document_unreferenced",
                f"文书文件{path}未被本案任何记录引用（其SHA-256不在任何记录中）",
                file=path,
            )


def archive_verify(source: str | Path | IO[bytes], *, key: str | None = None) -> ArchiveReport:
    """Check an exported case archive offline and return the report (never raises on a bad
    archive: every fault is a problem in the report).

    ``key`` is a verifier key supplied from outside (the published key of the agency's log);
    without it, the key inside the ZIP is used, which checks integrity only.
    """
    name = str(source) if isinstance(source, str | Path) else getattr(source, "name", "<stream>")
    report = ArchiveReport(source=str(name), key_source=KEY_EXTERNAL if key else KEY_EMBEDDED)
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        report.add("archive_unreadable", f"无法打开压缩包：{exc}", file=str(name))
        return report
    with archive:
        names = archive.namelist()
        for duplicate in sorted({n for n in names if names.count(n) > 1}):
            report.add("member_duplicate", f"压缩包中有多个同名文件{duplicate}", file=duplicate)
        index = _index(archive, report)
        checkpoint = _checkpoint(archive, report, key)
        entries = _entries(archive, report, checkpoint)
        _listed_entries(index, entries, report)
        refs = _references(entries)
        _evidence(archive, names, refs, report)
        _documents(archive, names, index, refs, report)
    return report


# -- command line -----------------------------------------------------------------------------


def read_key(key: str | None, key_file: str | None) -> str | None:
    """The external key: given as a string, or the first non-empty line of a file."""
    if key:
        return key.strip()
    if key_file:
        for line in Path(key_file).read_text(encoding="utf-8").splitlines():
            if line.strip():
                return line.strip()
        raise ValueError(f"{key_file}中没有公钥")
    return None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``verify-archive`` (shared by the management command)."""
    parser.add_argument("archive", help="电子案卷压缩包（ZIP）")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--key", help="外部提供的公钥（执法机关公布的公钥，真正的信任来源）")
    group.add_argument("--key-file", help="从文件读取外部提供的公钥")
    parser.add_argument("--json", action="store_true", help="以JSON输出结果")


def render(report: ArchiveReport, *, as_json: bool) -> str:
    if as_json:
        return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
    return "\n".join(report_lines(report))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m zhifa.record.archive_check FILE.zip [--key K|--key-file F] [--json]``;
    exit status 0 when the archive checks out, 1 when a problem was found, 2 on bad usage."""
    parser = argparse.ArgumentParser(
        prog="python -m zhifa.record.archive_check", description="离线校验电子案卷压缩包"
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        key = read_key(args.key, args.key_file)
    except (OSError, ValueError) as exc:
        print(f"无法读取公钥：{exc}", file=sys.stderr)
        return 2
    report = archive_verify(args.archive, key=key)
    print(render(report, as_json=args.json))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
