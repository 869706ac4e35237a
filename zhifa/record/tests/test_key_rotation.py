"""Signing key rotation: the new key is announced by an entry that a head signed by the old key
covers; ``zhifa verify`` accepts heads under each key of the announced chain, and only those."""

from __future__ import annotations

import base64
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from zhifa.record import services
from zhifa.record.checkpoint import (
    Checkpoint,
    CheckpointError,
    Signer,
    generate_signer,
    open_checkpoint,
    sign_checkpoint,
)
from zhifa.record.key_chain import KEY_ROTATE_ACTION, announcement_payload, rotation_statement
from zhifa.record.models import Entry, SignedHead
from zhifa.record.services import (
    head_sign,
    log_origin,
    log_signer,
    public_verifier_key,
    record_append,
    signing_key_rotate,
)
from zhifa.record.verification import log_verify

from .conftest import T0, Append


@pytest.fixture
def key_path(settings: Any, tmp_path: Path) -> Path:
    """The log's own key file for this test (rotation replaces it)."""
    settings.SIGNING_KEY_PATH = tmp_path / "keys" / "signing-key.ed25519"
    log_signer()  # created, as migrate creates it
    return Path(settings.SIGNING_KEY_PATH)


def _rotate(at_minutes: int = 10, reason: str = "年度轮换") -> tuple[Entry, SignedHead]:
    return signing_key_rotate(
        actor_id=None,
        actor_name="系统管理员",
        role="system",
        reason=reason,
        at=T0 + timedelta(minutes=at_minutes),
    )


def _kinds(report: Any) -> list[str]:
    return [p.kind for p in report.problems]


def test_rotation_announces_the_new_key_under_the_old_one(append: Append, key_path: Path) -> None:
    append(5)
    old = log_signer()
    entry, handover = _rotate()
    new = log_signer()
    assert new.key != old.key
    assert key_path.read_text().strip() == new.key
    assert (key_path.parent / f"{key_path.name}.retired-{old.id.hex()}").read_text().strip() == (
        old.key
    )
    assert (entry.seq, entry.action, entry.case_id) == (5, KEY_ROTATE_ACTION, None)
    data = entry.data
    assert (data["key"], data["previous_key"], data["reason"]) == (
        new.verifier.key,
        old.verifier.key,
        "年度轮换",
    )
    statement = rotation_statement(old.verifier.key, new.verifier.key)
    assert old.verifier.verify(statement, base64.b64decode(data["signature"]))
    assert new.verifier.verify(statement, base64.b64decode(data["new_signature"]))
    # The handover head covers the announcement and verifies under either key alone.
    assert handover.size == 6
    origin = log_origin()
    for verifier in (old.verifier, new.verifier):
        assert open_checkpoint(handover.note, verifier, origin=origin).size == 6
    # Later heads are the new key's only.
    append(3, start=5)
    later = head_sign(at=T0 + timedelta(minutes=20))
    assert open_checkpoint(later.note, new.verifier, origin=origin).size == 9
    with pytest.raises(CheckpointError):
        open_checkpoint(later.note, old.verifier, origin=origin)
    assert public_verifier_key() == new.verifier.key
    report = log_verify()
    assert report.ok, report.problems


@pytest.mark.parametrize("head_age", [timedelta(seconds=1), timedelta(hours=1)])
def test_the_handover_head_is_signed_by_both_keys_whether_or_not_the_append_signs_it(
    append: Append, key_path: Path, head_age: timedelta
) -> None:
    """A head was due (the latest older than a minute: the append signs it) or not (signed
    by the rotation itself)."""
    append(3)
    head_sign(at=T0 + timedelta(seconds=5))
    old = log_signer()
    _entry, handover = signing_key_rotate(
        actor_id=None,
        actor_name="系统管理员",
        role="system",
        at=T0 + timedelta(seconds=5) + head_age,
    )
    assert handover.size == 4
    for verifier in (old.verifier, log_signer().verifier):
        assert open_checkpoint(handover.note, verifier, origin=log_origin()).size == 4
    assert SignedHead.objects.filter(size__gt=3).count() == 1
    assert log_verify().ok


@pytest.mark.django_db
def test_the_public_key_endpoint_serves_the_new_key(key_path: Path, client: Client) -> None:
    _rotate()
    response = client.get("/api/v1/record/public-key")
    assert response.content.decode().strip() == log_signer().verifier.key


def test_a_chain_of_rotations_verifies(append: Append, key_path: Path) -> None:
    append(3)
    _rotate(10)
    append(3, start=3)
    _rotate(20)
    append(3, start=6)
    head_sign(at=T0 + timedelta(minutes=30))
    report = log_verify()
    assert report.ok, report.problems
    out = io.StringIO()
    call_command("signing-key", "show", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"当前签名公钥：{public_verifier_key()}"
    assert [line.split("公告：")[1][:30] for line in lines if "公告：" in line] == [
        e.data["key"][:30] for e in Entry.objects.filter(action=KEY_ROTATE_ACTION).order_by("seq")
    ]


def _forge_head(signer: Signer, size: int) -> None:
    """A head signed by ``signer`` over the stored tree, as someone holding that key would."""
    root = services._stored_root(size)
    SignedHead.objects.create(
        size=size,
        root_hash=root,
        note=sign_checkpoint(Checkpoint(log_origin(), size, root), signer),
        signed_at=T0 + timedelta(hours=1),
    )


def test_a_head_signed_by_the_retired_key_after_the_handover_is_refused(
    append: Append, key_path: Path
) -> None:
    append(3)
    old = log_signer()
    _rotate()
    append(2, start=3)
    _forge_head(old, 6)
    report = log_verify()
    assert _kinds(report) == ["head_signature"]
    assert report.problems[0].message.startswith(
        "签名树头（6条）的签名无效：no signature from a known"
    )


def test_an_announcement_not_signed_by_the_old_key_is_left_out_of_the_chain(
    append: Append, key_path: Path
) -> None:
    """Someone with write access to the database but not the key announces a key of their own
    (signing the statement with it); the server's next head covers the entry."""
    append(3)
    head_sign(at=T0 + timedelta(minutes=1))
    theirs = Signer.from_key(generate_signer(log_origin())[0])
    payload = announcement_payload(theirs, theirs)
    payload["previous_key"] = public_verifier_key()
    entry = record_append(
        actor_id=None,
        actor_name="系统管理员",
        role="system",
        action=KEY_ROTATE_ACTION,
        payload=payload,
        at=T0 + timedelta(minutes=2),
    )
    assert SignedHead.objects.filter(size=4).exists()  # signed by the server, old key alone
    report = log_verify()
    assert [(p.kind, p.seq) for p in report.problems] == [("key_announcement_forged", entry.seq)]
    assert "公告是伪造的" in report.problems[0].message


def test_a_handover_head_needs_the_new_key_too(append: Append, key_path: Path) -> None:
    """A genuine announcement whose covering head only the old key signed (as the server signs
    its heads): the handover is incomplete, and the key file was never replaced."""
    append(3)
    head_sign(at=T0 + timedelta(minutes=1))
    new = Signer.from_key(generate_signer(log_origin())[0])
    record_append(
        actor_id=None,
        actor_name="系统管理员",
        role="system",
        action=KEY_ROTATE_ACTION,
        payload=announcement_payload(log_signer(), new),
        at=T0 + timedelta(minutes=1),
    )
    head_sign(at=T0 + timedelta(minutes=1))
    report = log_verify()
    assert _kinds(report) == ["key_not_announced", "head_signature"]
    assert "is not signed by the new key" in report.problems[1].message


def test_a_replaced_key_file_is_named(append: Append, key_path: Path) -> None:
    append(3)
    head_sign(at=T0 + timedelta(minutes=1))
    skey, _vkey = generate_signer(log_origin())
    key_path.write_text(skey + "\n")
    report = log_verify()
    # With no rotation announced, the key file is the only key there is: every head says so.
    assert _kinds(report) == ["head_signature", "head_signature"]
    assert all("no signature from a known key" in p.message for p in report.problems)


def test_a_missing_key_file_is_named_and_not_created(append: Append, key_path: Path) -> None:
    append(3)
    head_sign(at=T0 + timedelta(minutes=1))
    key_path.unlink()
    report = log_verify()
    assert _kinds(report) == ["signing_key_missing"]
    assert not key_path.exists()


def test_a_rotation_that_does_not_commit_leaves_the_old_key(
    append: Append, key_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    append(3)
    old_key = key_path.read_text()
    install = services._signing_key_install

    def install_then_fail(*args: Any) -> None:
        install(*args)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "_signing_key_install", install_then_fail)
    with pytest.raises(RuntimeError):
        _rotate()
    assert key_path.read_text() == old_key
    assert not list(key_path.parent.glob("*.retired-*"))
    assert not Entry.objects.filter(action=KEY_ROTATE_ACTION).exists()
    assert log_signer().key == old_key.strip()


def test_the_rotate_command_prints_the_new_key_and_what_to_do(
    append: Append, key_path: Path
) -> None:
    append(2)
    old = public_verifier_key()
    out = io.StringIO()
    call_command("signing-key", "rotate", "--reason", "人员变动", stdout=out)
    text = out.getvalue()
    assert f"原公钥：{old}" in text
    assert f"新公钥：{public_verifier_key()}" in text
    assert "公告记录：第2条；交接树头：3条" in text
    assert "运行 zhifa backup" in text
    assert log_verify().ok
