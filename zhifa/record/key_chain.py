"""The chain of the log's signing keys: which key must have signed each tree head.

A key is replaced (``services.signing_key_rotate``, ``zhifa signing-key rotate``) by an entry
of the log itself, action ``KEY_ROTATE_ACTION``, whose payload names the new verifier key and
the one it replaces, with both keys' signatures over that statement (``rotation_statement``:
the old key approves the new one, the new key proves it is held). A head follows at once that
covers the entry and is signed by both keys — so a verifier holding either key accepts it —, and
every later head is signed by the new key. So whoever trusts the old key can follow the log to
the new one: the announcement carries the old key's signature and lies in a tree the old key
signed, and consistency proofs tie that tree to every later one. Someone who can write to the
database but does not hold the old key cannot announce a key of their own: the server signs
heads by itself, but never a statement of rotation. The old key is not revoked: heads it signed
stay valid.

The rules, for heads taken in order of size, with ``announced(s)`` the number of announcements
among the first ``s`` entries and ``p`` the size of the previous head (0 for the first):

- ``announced(s) == announced(p)``: the head is signed by key ``announced(s)``
  (key 0 is the log's first key);
- ``announced(s) == announced(p) + 1``: the head hands over — it carries valid signatures of
  key ``announced(p)``, the old one, and of the new one;
- more: two keys were announced without a head between them, which the service never does.

Key 0 is the key the first announcement replaces (with no announcement: the current key); each
announcement must be signed by the key it replaces and by the new key (one that is not is left
out of the chain and reported), must replace the key announced before it; and the last key
announced must be the key in the data folder. Pure Python: no Django.
"""

from __future__ import annotations

import base64
import binascii
import bisect
from dataclasses import dataclass
from typing import Any

from .checkpoint import (
    Checkpoint,
    CheckpointError,
    Signer,
    Verifier,
    open_checkpoint,
    open_note,
)

KEY_ROTATE_ACTION = "record.key_rotate"


@dataclass(frozen=True)
class Announcement:
    """A rotation entry: at ``seq``, ``key`` replaces ``previous_key`` (verifier key strings),
    with the two keys' signatures over ``rotation_statement`` (raw bytes; empty if absent)."""

    seq: int
    key: str
    previous_key: str
    signature: bytes = b""
    new_signature: bytes = b""


@dataclass(frozen=True)
class Finding:
    """Something wrong with the chain itself (``kind`` stable, ``message`` Chinese)."""

    kind: str
    message: str
    seq: int | None = None


def rotation_statement(previous_key: str, key: str) -> bytes:
    """The bytes both keys sign: ``zhifa signing key rotation``, the old and the new verifier
    key, one per line."""
    return f"zhifa signing key rotation\n{previous_key}\n{key}\n".encode()


def announcement_payload(old: Signer, new: Signer, reason: str = "") -> dict[str, Any]:
    """What a rotation entry records: the keys and their signatures of the statement."""
    statement = rotation_statement(old.verifier.key, new.verifier.key)
    return {
        "key": new.verifier.key,
        "previous_key": old.verifier.key,
        "reason": reason,
        "signature": base64.b64encode(old.sign(statement)).decode("ascii"),
        "new_signature": base64.b64encode(new.sign(statement)).decode("ascii"),
    }


def announcement_from(seq: int, payload: Any) -> Announcement | None:
    """The announcement in a rotation entry's payload, or None when it is not one."""
    if not isinstance(payload, dict):
        return None
    key, previous = payload.get("key"), payload.get("previous_key")
    if not isinstance(key, str) or not isinstance(previous, str):
        return None
    signatures = []
    for name in ("signature", "new_signature"):
        try:
            signatures.append(base64.b64decode(str(payload.get(name, "")), validate=True))
        except (binascii.Error, ValueError):
            signatures.append(b"")
    return Announcement(seq, key, previous, signatures[0], signatures[1])


class KeyChain:
    """The keys in order and the walk over the heads (call ``open_head`` in size order)."""

    def __init__(self, keys: list[Verifier], announced_at: list[int]) -> None:
        assert len(keys) == len(announced_at) + 1
        self.keys = keys
        self.announced_at = announced_at  # the seq of the announcement of keys[1:], ascending
        self._previous_size = 0

    @classmethod
    def build(
        cls, current: Verifier, announcements: list[Announcement], origin: str
    ) -> tuple[KeyChain, list[Finding]]:
        """The chain the announcements describe, and what is wrong with it.

        An announcement whose keys cannot be parsed is set aside (reported); the chain then
        goes on from the last good key."""
        findings: list[Finding] = []
        keys: list[Verifier] = []
        announced_at: list[int] = []
        for item in sorted(announcements, key=lambda a: a.seq):
            try:
                previous, new = Verifier.from_key(item.previous_key), Verifier.from_key(item.key)
            except CheckpointError as exc:
                findings.append(
                    Finding(
                        "key_announcement_invalid",
                        f"第{item.seq}条记录公告的签名密钥无法解析：{exc}",
                        item.seq,
                    )
                )
                continue
            statement = rotation_statement(item.previous_key, item.key)
            if not (
                previous.verify(statement, item.signature)
                and new.verify(statement, item.new_signature)
            ):
                findings.append(
                    Finding(
                        "key_announcement_forged",
                        f"第{item.seq}条记录公告的新签名密钥{item.key}没有原密钥与新密钥的"
                        "有效签名（公告是伪造的，未计入密钥链）",
                        item.seq,
                    )
                )
                continue
            if new.name != origin:
                findings.append(
                    Finding(
                        "key_announcement_invalid",
                        f"第{item.seq}条记录公告的签名密钥属于日志{new.name}，不是{origin}",
                        item.seq,
                    )
                )
                continue
            if not keys:
                keys.append(previous)
            elif previous.key != keys[-1].key:
                findings.append(
                    Finding(
                        "key_chain_broken",
                        f"第{item.seq}条记录公告的新密钥所接替的{previous.key}"
                        f"不是当时的签名密钥{keys[-1].key}",
                        item.seq,
                    )
                )
            keys.append(new)
            announced_at.append(item.seq)
        if not keys:
            keys.append(current)
        elif keys[-1].key != current.key:
            findings.append(
                Finding(
                    "key_not_announced",
                    f"数据目录中的签名密钥{current.key}不是日志最后公告的密钥{keys[-1].key}："
                    "密钥文件被替换，或是从较早的备份恢复的",
                )
            )
        return cls(keys, announced_at), findings

    def announced(self, size: int) -> int:
        """How many announcements lie among the first ``size`` entries."""
        return bisect.bisect_left(self.announced_at, size)

    def open_head(self, note: str, size: int, origin: str) -> Checkpoint:
        """Check the head of ``size`` (the next in size order) against the key that must have
        signed it; its checkpoint, or ``CheckpointError`` saying what is wrong."""
        before, now = self.announced(self._previous_size), self.announced(size)
        self._previous_size = size
        if now == before:
            return open_checkpoint(note, self.keys[now], origin=origin)
        if now > before + 1:
            raise CheckpointError(
                f"it covers {now - before} key announcements; each needs its own handover head"
            )
        old, new = self.keys[before], self.keys[now]
        opened = open_note(note, [old, new])  # every signature of either key must hold
        signed = {(s.name, s.key_id) for s in opened.verified}
        for key, what in ((old, "the key it replaces"), (new, "the new key")):
            if (key.name, key.id) not in signed:
                raise CheckpointError(
                    f"the handover to key {new.name}+{new.id.hex()} is not signed by {what} "
                    f"({key.name}+{key.id.hex()})"
                )
        checkpoint = Checkpoint.parse(opened.text)
        if checkpoint.origin != origin:
            raise CheckpointError(
                f"the checkpoint is for log {checkpoint.origin!r}, not {origin!r}"
            )
        return checkpoint
