"""Offline check of a published decision's proof bundle (``proof.json``).

Pure: no Django, no database. Anyone holding the bundle (and, ideally, the log's published
key from elsewhere) can run ``python -m zhifa.publicity.verify FILE-or-URL`` or
``zhifa verify-publication FILE-or-URL``. The record's own pure modules do the work:
``record.canonical`` (the content's canonical JSON), ``record.merkle`` (RFC 9162 inclusion),
``record.checkpoint`` (the C2SP signed checkpoint, Ed25519).

The content's ``text`` is the decision document as it was served (the same blocks as its PDF and
DOCX, ``cases.documents.served_text``) with the personal data replaced: the proof is of what the
party received, redacted.

What is checked, each failure named:

- ``content_hash``: SHA-256 of the canonical JSON of ``content`` equals ``content_sha256``;
- ``entry_content``: the record entry's payload carries that content and hash;
- ``entry_hash``: SHA-256(0x00 ‖ entry bytes) equals the stated leaf hash;
- ``proof``: the inclusion proof leads from the leaf to the checkpoint's root and size;
- ``signature``: the checkpoint is signed by the log's key (the bundle's, or ``key``);
- ``key_mismatch``: a key given from outside differs from the bundle's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from zhifa.record import merkle
from zhifa.record.canonical import CanonicalError, canonical_json
from zhifa.record.checkpoint import Checkpoint, CheckpointError, Verifier, open_checkpoint
from zhifa.record.published_json import load_json

BUNDLE_FORMAT = "zhifa-publication-proof/1"
MAX_BUNDLE = 8 << 20  # 8 MB: a decision's text is far smaller


@dataclass(frozen=True)
class Problem:
    kind: str
    message: str


@dataclass
class Report:
    source: str
    publication: Any = None
    version: Any = None
    number: str = ""
    agency: str = ""
    seq: int | None = None
    tree_size: int | None = None
    origin: str = ""
    key: str = ""
    key_external: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, kind: str, message: str) -> None:
        self.problems.append(Problem(kind, message))


def load(source: str, *, timeout: float = 20) -> dict[str, Any]:
    """The bundle from an http(s) URL or a local file; raises ``ValueError`` when unreadable."""
    return load_json(source, limit=MAX_BUNDLE, what="公示证明", timeout=timeout)


def _content(bundle: dict[str, Any], report: Report) -> str:
    content = bundle.get("content")
    stated = str(bundle.get("content_sha256", ""))
    if not isinstance(content, dict):
        report.add("content_hash", "缺少公示内容（content）")
        return stated
    raw = content.get("fields")
    fields: dict[str, Any] = raw if isinstance(raw, dict) else {}
    report.number = str(fields.get("number", ""))
    report.agency = str(fields.get("agency", ""))
    try:
        digest = hashlib.sha256(canonical_json(content)).hexdigest()
    except CanonicalError as exc:
        report.add("content_hash", f"公示内容无法规范化：{exc}")
        return stated
    if digest != stated:
        report.add("content_hash", "公示内容的SHA-256与所载哈希不符：公示内容被改动")
    return stated


def _entry(bundle: dict[str, Any], report: Report, stated: str) -> bytes | None:
    entry = bundle.get("entry")
    if not isinstance(entry, dict) or not isinstance(entry.get("leaf"), str):
        report.add("entry_hash", "缺少记录内容（entry.leaf）")
        return None
    leaf_text: str = entry["leaf"]
    leaf = merkle.leaf_hash(leaf_text.encode("utf-8", "surrogatepass"))
    if leaf.hex() != entry.get("leaf_hash"):
        report.add("entry_hash", "按记录内容重新计算的叶哈希与所载叶哈希不符：记录被改动")
    try:
        fields = json.loads(leaf_text)
    except ValueError:
        report.add("entry_content", "记录内容不是有效的JSON")
        return leaf
    seq = fields.get("seq") if isinstance(fields, dict) else None
    report.seq = seq if isinstance(seq, int) else None
    if report.seq is None or report.seq != entry.get("seq"):
        report.add("entry_content", "记录内容中的序号与所列序号不符")
    payload = fields.get("payload") if isinstance(fields, dict) else None
    if not isinstance(payload, dict) or payload.get("content_sha256") != stated:
        report.add("entry_content", "记录中的内容哈希与公示内容的哈希不符")
    elif payload.get("content") != bundle.get("content"):
        report.add("entry_content", "记录中的公示内容与所给公示内容不符")
    return leaf


def _checkpoint(bundle: dict[str, Any], report: Report, key: str | None) -> Checkpoint | None:
    note = bundle.get("checkpoint")
    inside = str(bundle.get("public_key", "")).strip()
    report.key = (key or inside).strip()
    report.key_external = key is not None
    if key is not None and inside and inside != key.strip():
        report.add("key_mismatch", "证明中的公钥与外部提供的公钥不同：证明可能被替换或重新签名")
    if not isinstance(note, str):
        report.add("signature", "缺少签名树头（checkpoint）")
        return None
    try:
        verifier = Verifier.from_key(report.key)
        checkpoint = open_checkpoint(note, verifier)
    except CheckpointError as exc:
        report.add("signature", f"签名树头的签名不能用公钥验证（{exc}）：签名树头不可信")
        split = note.rfind("\n\n")
        try:
            checkpoint = Checkpoint.parse(note[: split + 1] if split >= 0 else note)
        except CheckpointError:
            return None
    report.origin = checkpoint.origin
    report.tree_size = checkpoint.size
    return checkpoint


def _proof(
    bundle: dict[str, Any], report: Report, leaf: bytes | None, checkpoint: Checkpoint | None
) -> None:
    proof = bundle.get("proof")
    if not isinstance(proof, dict):
        report.add("proof", "缺少包含证明（proof）")
        return
    if leaf is None or checkpoint is None or report.seq is None:
        report.add("proof", "无法校验包含证明：记录或签名树头缺失")
        return
    hashes = proof.get("hashes")
    try:
        if not isinstance(hashes, list):
            raise ValueError("hashes")
        path = [bytes.fromhex(h) for h in hashes]
        if proof.get("tree_size") != checkpoint.size:
            raise merkle.ProofError(
                f"证明的树大小{proof.get('tree_size')}与签名树头的{checkpoint.size}不同"
            )
        root = merkle.root_from_inclusion_proof(leaf, report.seq, checkpoint.size, path)
    except (ValueError, TypeError, merkle.ProofError) as exc:
        report.add("proof", f"包含证明无效（{exc}）")
        return
    if root != checkpoint.root_hash:
        report.add(
            "proof",
            f"包含证明不成立：该记录不在签名树头（{checkpoint.size}条）所代表的全过程记录中",
        )


def verify_bundle(bundle: dict[str, Any], *, source: str = "", key: str | None = None) -> Report:
    """Check everything in ``bundle`` offline; the report names each failure."""
    report = Report(source=source)
    if bundle.get("format") != BUNDLE_FORMAT:
        report.add("format", f"格式标识为{bundle.get('format')!r}，应为{BUNDLE_FORMAT!r}")
    report.publication = bundle.get("publication")
    report.version = bundle.get("version")
    stated = _content(bundle, report)
    leaf = _entry(bundle, report, stated)
    checkpoint = _checkpoint(bundle, report, key)
    _proof(bundle, report, leaf, checkpoint)
    return report


def report_lines(report: Report) -> list[str]:
    """The report in Chinese, as the command prints it."""
    lines = [f"公示证明：{report.source}"]
    if report.agency or report.number:
        lines.append(f"决定：{report.agency} {report.number}（第{report.version}版）")
    lines.append(
        f"{'外部提供的' if report.key_external else '证明所附的'}公钥：{report.key or '（无）'}"
    )
    if not report.key_external:
        lines.append("提示：证明所附公钥可能与证明一同被替换；请用 --key 提供执法机关公布的公钥。")
    if report.tree_size is not None:
        lines.append(f"签名树头：{report.origin}，{report.tree_size}条；记录序号{report.seq}")
    lines.extend(f"  ✗ {p.message}" for p in report.problems)
    if report.ok:
        lines.append(
            "校验通过：公示内容与全过程记录一致，记录包含在签名树头中，签名树头的签名有效。"
        )
    else:
        lines.append(f"校验发现{len(report.problems)}个问题。")
    return lines


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", help="proof.json 的网址（http/https）或本地文件")
    parser.add_argument("--key", help="执法机关公布的日志公钥（名称+密钥ID+密钥）")
    parser.add_argument("--json", action="store_true", help="以JSON输出校验结果")


def render(report: Report, *, as_json: bool) -> str:
    if as_json:
        return json.dumps(
            {
                "ok": report.ok,
                "source": report.source,
                "publication": report.publication,
                "version": report.version,
                "seq": report.seq,
                "tree_size": report.tree_size,
                "key": report.key,
                "problems": [{"kind": p.kind, "message": p.message} for p in report.problems],
            },
            ensure_ascii=False,
            indent=1,
        )
    return "\n".join(report_lines(report))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="离线校验公示的行政执法决定")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        bundle = load(args.source)
    except (OSError, ValueError) as exc:
        print(f"无法读取公示证明：{exc}", file=sys.stderr)
        return 2
    report = verify_bundle(bundle, source=args.source, key=args.key)
    print(render(report, as_json=args.json))
    return 0 if report.ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
