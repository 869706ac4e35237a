"""The offline archive check (``archive_check``), on archives built here from first principles:
leaves by ``canonical.entry_leaf_bytes``, proofs by the RFC's recursive definition, a checkpoint
signed with a throw-away key. No test here has database access (pytest-django fails any query),
and the module itself is shown to import no Django at all."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from zhifa.record import archive_check, merkle
from zhifa.record.archive_check import archive_verify, main
from zhifa.record.canonical import canonical_text, entry_leaf_bytes
from zhifa.record.checkpoint import Checkpoint, Signer, generate_signer, sign_checkpoint

ORIGIN = "archive-test.example/record"
CASE = 42
PHOTO = b"\xff\xd8photo" * 40
VIDEO = b"\x00video" * 90
PDF = b"%PDF-1.7 decision"
OTHER = b"not in any entry"
ROOT = Path(__file__).resolve().parents[3]

Members = dict[str, bytes]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ref(data: bytes, name: str, media_type: str) -> dict[str, Any]:
    return {"sha256": sha(data), "name": name, "size": len(data), "media_type": media_type}


@dataclass
class Log:
    """A small log in which case 42 has entries 1, 3, 4 and 6 among other cases' entries."""

    signer: Signer
    key: str
    leaves: list[bytes] = field(default_factory=list)

    def add(self, case_id: int, action: str, payload: dict[str, Any], files: list[Any]) -> int:
        seq = len(self.leaves)
        self.leaves.append(
            entry_leaf_bytes(
                seq=seq,
                recorded_at=f"2026-11-20T02:00:{seq:02d}.000000Z",
                actor_id=7,
                actor_name="张执法",
                role="officer",
                case_id=case_id,
                action=action,
                payload=canonical_text(payload),
                files=canonical_text(files),
                corrects_seq=None,
            )
        )
        return seq

    def members(self, seqs: list[int]) -> Members:
        hashes = [merkle.leaf_hash(leaf) for leaf in self.leaves]
        size = len(hashes)
        checkpoint = Checkpoint(ORIGIN, size, merkle.reference_root(hashes))
        lines = [
            json.dumps(
                {
                    "seq": seq,
                    "leaf_hash": hashes[seq].hex(),
                    "leaf": self.leaves[seq].decode(),
                    "proof": [h.hex() for h in merkle.reference_inclusion_proof(seq, hashes)],
                },
                ensure_ascii=False,
            )
            for seq in seqs
        ]
        index = {
            "format": archive_check.ARCHIVE_FORMAT,
            "case": {"id": CASE, "number": "示范市监立〔2026〕7号"},
            "entries": [{"seq": s, "leaf_hash": hashes[s].hex()} for s in seqs],
            "documents": [
                {
                    "kind": "penalty_decision",
                    "files": [{"path": "documents/5-决定书.pdf", "sha256": sha(PDF)}],
                }
            ],
        }
        return {
            "index.json": json.dumps(index, ensure_ascii=False).encode(),
            "entries.jsonl": "".join(line + "\n" for line in lines).encode(),
            "checkpoint.txt": sign_checkpoint(checkpoint, self.signer).encode(),
            "public-key.txt": (self.key + "\n").encode(),
            "README.txt": "电子案卷".encode(),
            "documents/5-决定书.pdf": PDF,
            f"evidence/{sha(PHOTO)}": PHOTO,
            f"evidence/{sha(VIDEO)}": VIDEO,
            f"evidence/{sha(PDF)}": PDF,
        }


@dataclass
class Archive:
    log: Log
    members: Members
    tmp: Path

    @property
    def key(self) -> str:
        return self.log.key

    def write(self, change: Callable[[Members], None] | None = None, name: str = "a.zip") -> Path:
        members = dict(self.members)
        if change is not None:
            change(members)
        path = self.tmp / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for member, data in members.items():
                out.writestr(member, data)
        return path


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    skey, vkey = generate_signer(ORIGIN)
    log = Log(Signer.from_key(skey), vkey)
    log.add(1, "case.open", {"n": 0}, [])
    log.add(CASE, "case.open", {"title": "经营超过保质期的食品"}, [])
    log.add(2, "case.open", {"n": 2}, [])
    # A line separator inside a payload must not split entries.jsonl's line.
    log.add(
        CASE,
        "case.investigate",
        {"summary": "现场检查\u2028第二行", "fine": "200.00"},
        [ref(PHOTO, "现场.jpg", "image/jpeg"), ref(VIDEO, "执法记录仪.mp4", "video/mp4")],
    )
    log.add(
        CASE, "evidence.view", {"sha256": sha(VIDEO)}, [ref(VIDEO, "执法记录仪.mp4", "video/mp4")]
    )
    log.add(1, "case.register", {"n": 5}, [])
    log.add(
        CASE, "document.generate", {"pdf": sha(PDF)}, [ref(PDF, "决定书.pdf", "application/pdf")]
    )
    log.add(3, "case.open", {"n": 7}, [])
    return Archive(log, log.members([1, 3, 4, 6]), tmp_path)


def found(report: archive_check.ArchiveReport) -> list[tuple[str, int | None, str | None]]:
    return [(p.kind, p.seq, p.file) for p in report.problems]


# -- a sound archive ---------------------------------------------------------------------------


def test_a_sound_archive_passes_with_its_own_key_saying_it_checks_integrity_only(
    archive: Archive,
) -> None:
    report = archive_verify(archive.write())
    assert report.ok, report.problems
    assert report.key_statement == "使用压缩包内公钥（仅校验完整性）"
    assert (report.entries, report.evidence_files, report.documents) == (4, 3, 1)
    assert report.checkpoint_size == 8 and report.checkpoint_verified
    assert report.case_number == "示范市监立〔2026〕7号"
    text = "\n".join(archive_check.report_lines(report))
    assert "使用压缩包内公钥（仅校验完整性）" in text and "--key" in text and "校验通过" in text


def test_a_sound_archive_passes_with_the_external_key_as_trust_anchor(archive: Archive) -> None:
    report = archive_verify(archive.write(), key=archive.key)
    assert report.ok and report.key_statement == "使用外部提供的公钥"


# -- tampering, each on its own copy --------------------------------------------------------


def test_a_changed_byte_of_an_evidence_file_names_the_file_and_its_entries(
    archive: Archive,
) -> None:
    name = f"evidence/{sha(VIDEO)}"

    def flip(m: Members) -> None:
        m[name] = b"\x01" + m[name][1:]

    report = archive_verify(archive.write(flip))
    assert found(report) == [("evidence_hash", 3, name)]
    assert "记录3、4" in report.problems[0].message


def test_an_edited_entry_names_its_seq(archive: Archive) -> None:
    def edit(m: Members) -> None:
        m["entries.jsonl"] = m["entries.jsonl"].replace(b"200.00", b"20.00")

    assert found(archive_verify(archive.write(edit))) == [
        ("entry_hash", 3, "entries.jsonl"),
        ("entry_proof", 3, "entries.jsonl"),
        ("index_entry_hash", 3, "index.json"),
    ]


def test_a_removed_entry_names_its_seq_and_the_files_only_it_referenced(
    archive: Archive,
) -> None:
    def remove(m: Members) -> None:
        lines = m["entries.jsonl"].decode().split("\n")
        m["entries.jsonl"] = "\n".join(x for x in lines if '"seq": 6,' not in x).encode()

    report = archive_verify(archive.write(remove))
    assert found(report) == [
        ("entry_missing", 6, "entries.jsonl"),
        ("evidence_unreferenced", None, f"evidence/{sha(PDF)}"),
        ("document_unreferenced", None, "documents/5-决定书.pdf"),
    ]
    assert "记录6缺失" in report.problems[0].message


def test_a_swapped_checkpoint_root_fails_the_signature_and_each_proof(archive: Archive) -> None:
    def swap(m: Members) -> None:
        lines = m["checkpoint.txt"].decode().split("\n")
        lines[2] = base64.b64encode(b"\x01" * 32).decode()
        m["checkpoint.txt"] = "\n".join(lines).encode()

    report = archive_verify(archive.write(swap))
    assert found(report) == [
        ("checkpoint_signature", None, "checkpoint.txt"),
        *[("entry_proof", seq, "entries.jsonl") for seq in (1, 3, 4, 6)],
    ]
    assert not report.checkpoint_verified


def test_a_checkpoint_signed_with_another_key_fails_against_the_external_key(
    archive: Archive,
) -> None:
    skey, vkey = generate_signer(ORIGIN)

    def resign(m: Members) -> None:
        note = m["checkpoint.txt"].decode()
        body = Checkpoint.parse(note[: note.rfind("\n\n") + 1])
        m["checkpoint.txt"] = sign_checkpoint(body, Signer.from_key(skey)).encode()
        m["public-key.txt"] = vkey.encode()

    path = archive.write(resign)
    assert archive_verify(path).ok  # consistent with itself: only the real key can tell
    report = archive_verify(path, key=archive.key)
    assert found(report) == [
        ("key_mismatch", None, "public-key.txt"),
        ("checkpoint_signature", None, "checkpoint.txt"),
    ]
    assert report.key_statement == "使用外部提供的公钥"


def test_missing_extra_and_foreign_content_is_named(archive: Archive) -> None:
    foreign = archive.log.leaves[2]  # case 2's entry, with a valid proof

    def meddle(m: Members) -> None:
        del m[f"evidence/{sha(PHOTO)}"]
        m[f"evidence/{sha(OTHER)}"] = OTHER
        m["documents/extra.pdf"] = b"%PDF extra"
        hashes = [merkle.leaf_hash(x) for x in archive.log.leaves]
        line = {
            "seq": 2,
            "leaf_hash": hashes[2].hex(),
            "leaf": foreign.decode(),
            "proof": [h.hex() for h in merkle.reference_inclusion_proof(2, hashes)],
        }
        m["entries.jsonl"] += (json.dumps(line) + "\n").encode()

    assert sorted(found(archive_verify(archive.write(meddle))), key=str) == sorted(
        [
            ("entry_case", 2, "entries.jsonl"),
            ("entry_unlisted", 2, "entries.jsonl"),
            ("evidence_unreferenced", None, f"evidence/{sha(OTHER)}"),
            ("evidence_missing", 3, f"evidence/{sha(PHOTO)}"),
            ("document_unlisted", None, "documents/extra.pdf"),
        ],
        key=str,
    )


def test_malformed_archives_are_reported_not_raised(archive: Archive, tmp_path: Path) -> None:
    not_zip = tmp_path / "x.zip"
    not_zip.write_bytes(b"PK nothing")
    assert [p.kind for p in archive_verify(not_zip).problems] == ["archive_unreadable"]

    def gut(m: Members) -> None:
        del m["checkpoint.txt"]
        m["index.json"] = b"{"
        m["entries.jsonl"] = b'{"seq": 1}\nnot json\n'

    kinds = [p.kind for p in archive_verify(archive.write(gut)).problems]
    assert kinds[:3] == ["index_malformed", "member_missing", "entry_malformed"]
    assert archive_verify(archive.write(), key="not a key").problems[0].kind == "key_invalid"


# -- the command line, without Django ----------------------------------------------------------


def test_main_exits_non_zero_and_prints_each_problem(
    archive: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(archive.write()), "--key", archive.key]) == 0
    assert "使用外部提供的公钥" in capsys.readouterr().out

    def edit(m: Members) -> None:
        m["entries.jsonl"] = m["entries.jsonl"].replace("第二行".encode(), "第三行".encode())

    assert main([str(archive.write(edit)), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert not report["ok"] and {p["seq"] for p in report["problems"]} == {3}


def test_the_module_runs_as_a_script_and_imports_no_django(archive: Archive) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    path = archive.write()
    run = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "zhifa.record.archive_check", str(path), "--key", archive.key],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "使用外部提供的公钥" in run.stdout and "校验通过" in run.stdout
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, zhifa.record.archive_check; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    assert probe.stdout.strip() == "[]"
