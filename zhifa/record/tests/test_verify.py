"""``zhifa verify`` finds every kind of tampering, each on its own copy of the data."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhifa.record import merkle, services, verification
from zhifa.record.models import Entry, EvidenceFile, SignedHead
from zhifa.record.services import evidence_store, record_append
from zhifa.record.verification import Problem, log_verify

from .conftest import T0, Append, edit_leaf, leaf_of, set_leaf
from .conftest import sql as _sql


def _kinds(report: verification.Report) -> set[str]:
    return {p.kind for p in report.problems}


@pytest.fixture
def log(append: Append, evidence_dir: Path) -> list[Entry]:
    """40 entries over three cases, two with a photo, and a signed head at the end."""
    photo = evidence_store(io.BytesIO(b"photo bytes"), name="现场照片.jpg", media_type="image/jpeg")
    entries = append(20, case_id=1) + append(10, case_id=2, start=20)
    for i in range(30, 40):
        entries.append(
            record_append(
                actor_id=8,
                actor_name="李四",
                role="officer",
                action="evidence.attach",
                payload={"i": i},
                case_id=3,
                files=[photo.ref] if i % 5 == 0 else [],
                at=T0 + timedelta(seconds=i),
            )
        )
    services.head_sign(at=T0 + timedelta(minutes=5))
    return entries


def test_a_clean_log_verifies(log: list[Entry]) -> None:
    report = log_verify()
    assert report.ok, report.problems
    assert (report.size, report.entries, report.files) == (40, 40, 1)
    assert report.nodes == 2 * 40 - (40).bit_count()
    assert report.heads == SignedHead.objects.count() >= 2


def test_an_edited_entry_is_named(log: list[Entry]) -> None:
    edit_leaf(17, b'"amount":"200.00"', b'"amount":"2000.00"')
    report = log_verify()
    assert [(p.kind, p.seq) for p in report.problems] == [
        ("entry_altered", 17),
        ("head_root", None),  # the head signed over entry 17, as a consequence
    ]
    assert [p.message for p in report.problems] == [
        "第17条记录的内容与其哈希不符（记录被篡改）",
        "1个签名树头因上述被改动的记录而与日志不符",
    ]


def test_an_entry_edited_together_with_its_leaf_node_is_caught_by_the_tree(
    log: list[Entry],
) -> None:
    edit_leaf(9, "张三".encode(), "王五".encode())
    _sql(
        'UPDATE record_treenode SET hash = %s WHERE level = 0 AND "index" = 9',
        [merkle.leaf_hash(leaf_of(9))],
    )
    report = log_verify()
    assert [(p.kind, p.seq) for p in report.problems] == [
        ("node_altered", 8),  # the pair's node no longer covers the pair
        ("head_root", None),  # nor does the head signed over the log
    ]
    assert "第1层第4个，覆盖第8至9条记录" in report.problems[0].message


def test_a_rewritten_leaf_node_is_told_from_an_edited_entry(log: list[Entry]) -> None:
    _sql('UPDATE record_treenode SET hash = %s WHERE level = 0 AND "index" = 12', [bytes(32)])
    report = log_verify()
    assert [(p.kind, p.seq) for p in report.problems] == [("node_altered", 12)]
    assert report.problems[0].message == "日志树中第12条记录的叶节点被篡改"


def test_a_deleted_entry_is_named(log: list[Entry]) -> None:
    _sql("DELETE FROM record_entry WHERE seq = %s", [23])
    report = log_verify()
    assert [(p.kind, p.seq) for p in report.problems] == [("entry_missing", 23)]
    assert report.problems[0].message == "第23条记录缺失（记录被删除）"


def test_the_last_entry_deleted_is_named(log: list[Entry]) -> None:
    _sql("DELETE FROM record_entry WHERE seq = %s", [39])
    report = log_verify()
    assert [(p.kind, p.seq) for p in report.problems] == [("entry_missing", 39)]


def test_an_inserted_entry_is_named(log: list[Entry]) -> None:
    _sql(
        "INSERT INTO record_entry (seq, leaf, case_id, action) "
        "SELECT 40, leaf, case_id, action FROM record_entry WHERE seq = 0",
        [],
    )
    assert [(p.kind, p.seq) for p in log_verify().problems] == [("entry_outside_log", 40)]


def test_a_rewritten_tree_node_is_reported(log: list[Entry]) -> None:
    _sql('UPDATE record_treenode SET hash = %s WHERE level = 2 AND "index" = 3', [bytes(32)])
    report = log_verify()
    assert ("node_altered", 12) in [(p.kind, p.seq) for p in report.problems]


def test_an_altered_evidence_file_is_named(log: list[Entry], evidence_dir: Path) -> None:
    photo = EvidenceFile.objects.get()
    path = evidence_dir / photo.storage_key
    os.chmod(path, 0o644)
    path.write_bytes(b"PHOTO bytes")
    report = log_verify()
    assert [(p.kind, p.sha256) for p in report.problems] == [("file_altered", photo.sha256)]
    assert report.problems[0].message == (f"证据文件{photo.sha256}的内容与其哈希不符（文件被篡改）")


def test_a_missing_evidence_file_is_named(log: list[Entry], evidence_dir: Path) -> None:
    photo = EvidenceFile.objects.get()
    (evidence_dir / photo.storage_key).unlink()
    report = log_verify()
    assert [(p.kind, p.sha256) for p in report.problems] == [("file_missing", photo.sha256)]


def test_an_evidence_row_deleted_behind_the_log_is_reported(log: list[Entry]) -> None:
    sha = EvidenceFile.objects.get().sha256
    _sql("DELETE FROM record_evidencefile WHERE sha256 = %s", [sha])
    assert [(p.kind, p.sha256) for p in log_verify().problems] == [("file_unknown", sha)]


def test_a_tampered_signed_head_is_reported(log: list[Entry]) -> None:
    head = SignedHead.objects.order_by("size").first()
    assert head is not None
    lines = head.note.split("\n")
    lines[1] = str(head.size + 1)  # claim a different size under the old signature
    _sql("UPDATE record_signedhead SET note = %s WHERE id = %s", ["\n".join(lines), head.pk])
    report = log_verify()
    assert [p.kind for p in report.problems] == ["head_signature"]
    assert f"签名树头（{head.size}条）的签名无效" in report.problems[0].message


def test_a_head_root_changed_in_its_column_is_reported(log: list[Entry]) -> None:
    head = SignedHead.objects.order_by("-size").first()
    assert head is not None
    _sql("UPDATE record_signedhead SET root_hash = %s WHERE id = %s", [bytes(32), head.pk])
    assert "head_altered" in _kinds(log_verify())


def test_a_replay_checkers_problem_is_reported_with_its_case(
    log: list[Entry], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, list[int]]] = []

    def fake_checker(groups: Iterable[tuple[int, list[Entry]]]) -> list[Problem]:
        problems = []
        for case_id, entries in groups:
            seen.append((case_id, [e.seq for e in entries]))
            if case_id == 2:
                problems.append(
                    Problem(
                        kind="case_mismatch",
                        case_id=2,
                        seq=entries[-1].seq,
                        message="案件2的状态与其记录重放的结果不符",
                    )
                )
        return problems

    monkeypatch.setattr(verification, "_replay_checkers", [])
    verification.register_replay_checker(fake_checker)
    verification.register_replay_checker(fake_checker)  # once is enough
    report = log_verify()
    assert [(case, seqs[0], len(seqs)) for case, seqs in seen] == [
        (1, 0, 20),
        (2, 20, 10),
        (3, 30, 10),
    ]
    assert [(p.kind, p.case_id, p.seq) for p in report.problems] == [("case_mismatch", 2, 29)]


def test_a_broken_replay_checker_is_reported_not_fatal(
    log: list[Entry], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(groups: Iterable[tuple[int, list[Entry]]]) -> list[Problem]:
        raise KeyError("status")

    monkeypatch.setattr(verification, "_replay_checkers", [broken])
    assert _kinds(log_verify()) == {"replay_error"}


def test_verify_command_signs_a_head_when_clean(log: list[Entry]) -> None:
    services.record_append(
        actor_id=1,
        actor_name="甲",
        role="officer",
        action="x",
        payload={},
        at=T0 + timedelta(seconds=41),
    )
    out = io.StringIO()
    call_command("verify", stdout=out)
    assert "已校验41条记录" in out.getvalue()
    assert "校验通过" in out.getvalue()
    assert SignedHead.objects.order_by("-size").values_list("size", flat=True).first() == 41


def test_verify_command_exits_non_zero_naming_the_entry(log: list[Entry]) -> None:
    edit_leaf(5, b'"role":"officer"', b'"role":"head"')
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("verify", stdout=out)
    assert excinfo.value.returncode == 1
    assert "第5条记录的内容与其哈希不符（记录被篡改）" in out.getvalue()


def test_verify_command_prints_json(log: list[Entry]) -> None:
    _sql("DELETE FROM record_entry WHERE seq = %s", [3])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["ok"] is False and result["size"] == 40
    assert result["problems"] == [
        {"kind": "entry_missing", "seq": 3, "message": "第3条记录缺失（记录被删除）"}
    ]


def test_verify_command_json_when_clean(log: list[Entry]) -> None:
    out = io.StringIO()
    call_command("verify", "--json", "--skip-files", stdout=out)
    result = json.loads(out.getvalue())
    assert result["ok"] is True and result["problems"] == [] and result["files"] == 0


def test_sign_head_command_prints_the_checkpoint(log: list[Entry]) -> None:
    out = io.StringIO()
    call_command("sign-head", stdout=out)
    assert out.getvalue().startswith(f"{services.log_origin()}\n40\n")


def test_a_case_id_column_changed_behind_the_log_is_named(log: list[Entry]) -> None:
    # Moving an entry to another case hides it from that case's pages: the leaf still says
    # which case it belongs to.
    _sql("UPDATE record_entry SET case_id = %s WHERE seq = %s", [2, 5])
    report = log_verify()
    assert [(p.kind, p.seq, p.case_id) for p in report.problems] == [("entry_index_mismatch", 5, 1)]
    assert report.problems[0].message == (
        "第5条记录的检索列（案件2，case.note）与其原文（案件1，case.note）不符（检索列被篡改）"
    )


def test_an_action_column_changed_behind_the_log_is_named(log: list[Entry]) -> None:
    _sql("UPDATE record_entry SET action = %s WHERE seq = %s", ["case.close", 6])
    assert [(p.kind, p.seq) for p in log_verify().problems] == [("entry_index_mismatch", 6)]


def test_a_leaf_that_is_not_canonical_json_is_named(log: list[Entry]) -> None:
    spaced = json.dumps(json.loads(leaf_of(7)), ensure_ascii=False, sort_keys=True).encode()
    set_leaf(7, spaced)
    report = log_verify()
    assert [(p.kind, p.seq) for p in report.problems] == [
        ("entry_not_canonical", 7),
        ("entry_altered", 7),
        ("head_root", None),
    ]
    assert report.problems[0].message == "第7条记录的原文不是记录时写入的规范JSON（记录被篡改）"


def test_leaves_swapped_between_rows_are_named_by_their_seq(log: list[Entry]) -> None:
    three, four = leaf_of(3), leaf_of(4)
    set_leaf(3, four)
    set_leaf(4, three)
    report = log_verify()
    assert [(p.kind, p.seq) for p in report.problems] == [
        ("entry_seq_mismatch", 3),
        ("entry_seq_mismatch", 4),
        ("entry_altered", 3),
        ("entry_altered", 4),
        ("head_root", None),
    ]
    assert report.problems[0].message == "第3条记录的原文写的是第4条（记录被挪动）"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL types refuse text ids")
def test_text_in_an_integer_column_is_caught(log: list[Entry]) -> None:
    _sql("UPDATE record_entry SET case_id = %s WHERE seq = %s", ['1,"x":2', 5])
    report = log_verify()
    assert ("entry_index_mismatch", 5) in [(p.kind, p.seq) for p in report.problems]


def test_record_append_refuses_nul_in_text_fields(db: None) -> None:
    with pytest.raises(ValueError, match="NUL"):
        record_append(
            actor_id=7, actor_name="张\x00三", role="officer", action="case.note", payload={}
        )
