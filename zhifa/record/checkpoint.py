"""Signed tree heads of the record log, as C2SP tlog-checkpoint signed notes.

A checkpoint (c2sp.org/tlog-checkpoint) is the note text::

    <origin>\\n<tree size, decimal>\\n<root hash, standard base64>\\n[<extension line>\\n …]

signed as a note (c2sp.org/signed-note, the format of golang.org/x/mod/sumdb/note): the text,
a blank line, then one line per signature, ``— <key name> <base64(key ID ‖ signature)>``, with
an em dash (U+2014). Signatures are Ed25519 (RFC 8032) over the note text; a key ID is the first
four bytes of ``SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key)``. Keys are written as x/mod does:
verifier ``<name>+<key ID hex>+<base64(0x01 ‖ public key)>``, signer
``PRIVATE+KEY+<name>+<key ID hex>+<base64(0x01 ‖ private seed)>``.

So the log's heads can be read, checked and cosigned by existing transparency-log tools and
witnesses. Pure Python: no Django.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALG_ED25519 = 0x01
KEY_SIZE = 32
SIGNATURE_SIZE = 64
HASH_SIZE = 32
MAX_SIGNATURES = 100  # as x/mod/sumdb/note; c2sp.org/signed-note requires accepting at least 16
SIGNATURE_PREFIX = "\N{EM DASH} "
_PRIVATE_KEY_PREFIX = "PRIVATE+KEY+"


class CheckpointError(ValueError):
    """A key, note or checkpoint is malformed, or its signatures do not verify."""


def is_valid_key_name(name: str) -> bool:
    """A key name is non-empty and holds neither Unicode spaces nor plus signs."""
    return bool(name) and "+" not in name and not any(ch.isspace() for ch in name)


def key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte key ID of an Ed25519 key (c2sp.org/signed-note, "Ed25519 signatures")."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([ALG_ED25519]) + public_key).digest()[:4]


def _b64decode(text: str) -> bytes:
    """Strict standard base64: no stray characters, canonical padding."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error) as exc:
        raise CheckpointError(f"not standard base64: {text!r}") from exc
    if base64.b64encode(raw).decode("ascii") != text:
        raise CheckpointError(f"not canonical base64: {text!r}")
    return raw


def _b64encode(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _parse_key_fields(name: str, id_hex: str, key64: str, *, what: str) -> tuple[bytes, bytes]:
    if not is_valid_key_name(name):
        raise CheckpointError(f"{what}: invalid key name {name!r}")
    if len(id_hex) != 8 or any(ch not in "0123456789abcdefABCDEF" for ch in id_hex):
        raise CheckpointError(f"{what}: the key ID must be 8 hex digits, got {id_hex!r}")
    key = _b64decode(key64)
    if not key or key[0] != ALG_ED25519:
        raise CheckpointError(f"{what}: only Ed25519 keys (algorithm 0x01) are supported")
    if len(key) != 1 + KEY_SIZE:
        raise CheckpointError(f"{what}: an Ed25519 key is {KEY_SIZE} bytes")
    return bytes.fromhex(id_hex), key[1:]


class Verifier:
    """A public key that checks signatures made by one named key."""

    __slots__ = ("_public", "id", "name", "public_key")

    def __init__(self, name: str, public_key: bytes) -> None:
        if not is_valid_key_name(name):
            raise CheckpointError(f"invalid key name {name!r}")
        if len(public_key) != KEY_SIZE:
            raise CheckpointError(f"an Ed25519 public key is {KEY_SIZE} bytes")
        self.name = name
        self.public_key = public_key
        self.id = key_id(name, public_key)
        self._public = Ed25519PublicKey.from_public_bytes(public_key)

    @classmethod
    def from_key(cls, vkey: str) -> Verifier:
        """Parse ``<name>+<key ID hex>+<base64(0x01 ‖ public key)>``; the ID must match the key."""
        parts = vkey.split("+", 2)
        if len(parts) != 3:
            raise CheckpointError("a verifier key is <name>+<key ID>+<key>")
        name, id_hex, key64 = parts
        claimed_id, public_key = _parse_key_fields(name, id_hex, key64, what="verifier key")
        verifier = cls(name, public_key)
        if verifier.id != claimed_id:
            raise CheckpointError("verifier key: the key ID does not match the name and key")
        return verifier

    @property
    def key(self) -> str:
        """The verifier key string, to publish so others can check the log's checkpoints."""
        raw = bytes([ALG_ED25519]) + self.public_key
        return f"{self.name}+{self.id.hex()}+{_b64encode(raw)}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Whether ``signature`` (without the key ID) is this key's Ed25519 signature."""
        try:
            self._public.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def __repr__(self) -> str:
        return f"<Verifier {self.name}+{self.id.hex()}>"


class Signer:
    """A named Ed25519 private key that signs notes."""

    __slots__ = ("_private", "id", "name", "public_key", "seed")

    def __init__(self, name: str, seed: bytes) -> None:
        if not is_valid_key_name(name):
            raise CheckpointError(f"invalid key name {name!r}")
        if len(seed) != KEY_SIZE:
            raise CheckpointError(f"an Ed25519 private seed is {KEY_SIZE} bytes")
        self.name = name
        self.seed = seed
        self._private = Ed25519PrivateKey.from_private_bytes(seed)
        self.public_key = self._private.public_key().public_bytes_raw()
        self.id = key_id(name, self.public_key)

    @classmethod
    def from_key(cls, skey: str) -> Signer:
        """Parse ``PRIVATE+KEY+<name>+<key ID hex>+<base64(0x01 ‖ seed)>``."""
        if not skey.startswith(_PRIVATE_KEY_PREFIX):
            raise CheckpointError("a signer key starts with PRIVATE+KEY+")
        parts = skey[len(_PRIVATE_KEY_PREFIX) :].split("+", 2)
        if len(parts) != 3:
            raise CheckpointError("a signer key is PRIVATE+KEY+<name>+<key ID>+<key>")
        name, id_hex, key64 = parts
        claimed_id, seed = _parse_key_fields(name, id_hex, key64, what="signer key")
        signer = cls(name, seed)
        # The ID names the public key, so it can only be checked once the key is derived.
        if signer.id != claimed_id:
            raise CheckpointError("signer key: the key ID does not match the name and key")
        return signer

    @property
    def key(self) -> str:
        """The private signer key string. Secret: store it with mode 0600."""
        raw = bytes([ALG_ED25519]) + self.seed
        return f"{_PRIVATE_KEY_PREFIX}{self.name}+{self.id.hex()}+{_b64encode(raw)}"

    @property
    def verifier(self) -> Verifier:
        """The matching verifier."""
        return Verifier(self.name, self.public_key)

    def sign(self, message: bytes) -> bytes:
        """The Ed25519 signature of ``message`` (deterministic, RFC 8032)."""
        return self._private.sign(message)

    def __repr__(self) -> str:  # never the seed
        return f"<Signer {self.name}+{self.id.hex()}>"


def generate_signer(name: str) -> tuple[str, str]:
    """A fresh key pair for ``name``: ``(signer key, verifier key)`` strings."""
    signer = Signer(name, os.urandom(KEY_SIZE))
    return signer.key, signer.verifier.key


# -- signed notes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteSignature:
    """One signature line: key name, key ID and the raw signature."""

    name: str
    key_id: bytes
    signature: bytes


@dataclass(frozen=True)
class Note:
    """An opened note: its text, the signatures that verified, and those from unknown keys."""

    text: str
    verified: tuple[NoteSignature, ...]
    unverified: tuple[NoteSignature, ...]


def _check_note_characters(text: str) -> None:
    for ch in text:
        if ch < " " and ch != "\n":
            raise CheckpointError(f"malformed note: control character {ch!r}")
        if "\ud800" <= ch <= "\udfff":
            raise CheckpointError("malformed note: not valid UTF-8")


def sign_note(text: str, *signers: Signer) -> str:
    """The signed note: ``text``, a blank line, one signature line per signer."""
    if not text.endswith("\n"):
        raise CheckpointError("malformed note: the text must end with a newline")
    _check_note_characters(text)
    if not signers:
        raise CheckpointError("a note needs at least one signer")
    message = text.encode()
    lines = [f"{SIGNATURE_PREFIX}{s.name} {_b64encode(s.id + s.sign(message))}\n" for s in signers]
    return text + "\n" + "".join(lines)


def open_note(note: str, verifiers: Verifier | Iterable[Verifier]) -> Note:
    """Parse ``note`` and check its signatures against the known ``verifiers``.

    Signatures from keys not among the verifiers are kept aside, unchecked (witness
    cosignatures, rotated keys). Raises ``CheckpointError`` when the note is malformed, a known
    key's signature does not verify, or no known key signed it.
    """
    known: dict[tuple[str, bytes], Verifier] = {}
    for candidate in [verifiers] if isinstance(verifiers, Verifier) else verifiers:
        k = (candidate.name, candidate.id)
        if k in known and known[k].public_key != candidate.public_key:
            raise CheckpointError(f"ambiguous key {candidate.name}+{candidate.id.hex()}")
        known[k] = candidate

    _check_note_characters(note)
    split = note.rfind("\n\n")
    if split < 0:
        raise CheckpointError("malformed note: no blank line before the signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block or not block.endswith("\n"):
        raise CheckpointError("malformed note: no signature lines, or no final newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise CheckpointError(f"malformed note: more than {MAX_SIGNATURES} signatures")

    message = text.encode()
    verified: list[NoteSignature] = []
    unverified: list[NoteSignature] = []
    seen: set[tuple[str, bytes, bytes]] = set()
    for line in lines:
        if not line.startswith(SIGNATURE_PREFIX):
            raise CheckpointError(f"malformed note: not a signature line: {line[:40]!r}")
        name, sep, b64 = line[len(SIGNATURE_PREFIX) :].partition(" ")
        if not sep or not is_valid_key_name(name):
            raise CheckpointError(f"malformed note: bad signature line for {name!r}")
        try:
            raw = _b64decode(b64)
        except CheckpointError as exc:
            raise CheckpointError(f"malformed note: signature of {name} is not base64") from exc
        if len(raw) < 5:
            raise CheckpointError(f"malformed note: signature of {name} is too short")
        sig = NoteSignature(name, raw[:4], raw[4:])
        if (sig.name, sig.key_id, sig.signature) in seen:
            continue
        seen.add((sig.name, sig.key_id, sig.signature))
        verifier = known.get((sig.name, sig.key_id))
        if verifier is None:
            unverified.append(sig)
            continue
        if not verifier.verify(message, sig.signature):
            raise CheckpointError(f"invalid signature for key {sig.name}+{sig.key_id.hex()}")
        verified.append(sig)

    if not verified:
        keys = ", ".join(f"{s.name}+{s.key_id.hex()}" for s in unverified)
        raise CheckpointError(f"no signature from a known key (the note is signed by {keys})")
    return Note(text=text, verified=tuple(verified), unverified=tuple(unverified))


# -- checkpoints --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: the log's origin, its size and the RFC 9162 root hash at that size."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin or "\n" in self.origin:
            raise CheckpointError("a checkpoint origin is one non-empty line")
        if self.size < 0:
            raise CheckpointError("a tree size cannot be negative")
        if len(self.root_hash) != HASH_SIZE:
            raise CheckpointError(f"a root hash is {HASH_SIZE} bytes")
        object.__setattr__(self, "extensions", tuple(self.extensions))
        for line in self.extensions:
            if not line or "\n" in line:
                raise CheckpointError("an extension line is one non-empty line")
        _check_note_characters(self.body())

    def body(self) -> str:
        """The note text to sign."""
        lines = [self.origin, str(self.size), _b64encode(self.root_hash), *self.extensions]
        return "".join(line + "\n" for line in lines)

    @classmethod
    def parse(cls, body: str) -> Checkpoint:
        """Parse a checkpoint note text (no signatures); raises ``CheckpointError``."""
        if not body.endswith("\n"):
            raise CheckpointError("malformed checkpoint: the text must end with a newline")
        lines = body[:-1].split("\n")
        if len(lines) < 3:
            raise CheckpointError("malformed checkpoint: origin, size and root hash are needed")
        origin, size_text, root64, *extensions = lines
        if not origin:
            raise CheckpointError("malformed checkpoint: empty origin")
        if not (size_text.isascii() and size_text.isdigit()) or (
            len(size_text) > 1 and size_text[0] == "0"
        ):
            raise CheckpointError(f"malformed checkpoint: tree size {size_text!r}")
        try:
            root_hash = _b64decode(root64)
        except CheckpointError as exc:
            raise CheckpointError("malformed checkpoint: the root hash is not base64") from exc
        if any(not line for line in extensions):
            raise CheckpointError("malformed checkpoint: empty extension line")
        return cls(origin, int(size_text), root_hash, tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, signer: Signer) -> str:
    """The signed note of ``checkpoint``."""
    return sign_note(checkpoint.body(), signer)


def open_checkpoint(
    note: str, verifiers: Verifier | Iterable[Verifier], *, origin: str | None = None
) -> Checkpoint:
    """Verify a signed checkpoint and parse it.

    At least one signature must come from a known verifier and every known verifier's signature
    must hold (see ``open_note``); with ``origin`` given, the checkpoint must be that log's.
    Raises ``CheckpointError`` saying which.
    """
    checkpoint = Checkpoint.parse(open_note(note, verifiers).text)
    if origin is not None and checkpoint.origin != origin:
        raise CheckpointError(f"the checkpoint is for log {checkpoint.origin!r}, not {origin!r}")
    return checkpoint


# -- key storage --------------------------------------------------------------------------------


def load_or_create_signer(path: Path, name: str) -> Signer:
    """The log's signer, read from ``path``, or generated and written there on first use.

    A new key file is created exclusively with mode 0600 (parent folders 0700); an existing key
    is never overwritten. Raises ``CheckpointError`` if the file holds a key for another name.
    """
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        skey, _ = generate_signer(name)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # created meanwhile by another process: use theirs
        else:
            with os.fdopen(fd, "w", encoding="ascii") as f:
                os.fchmod(f.fileno(), 0o600)  # in case the umask was stricter than needed
                f.write(skey + "\n")
                f.flush()
                os.fsync(f.fileno())
    signer = Signer.from_key(path.read_text(encoding="ascii").strip())
    if signer.name != name:
        raise CheckpointError(
            f"the key in {path} is for {signer.name!r}, not {name!r}; refusing to replace it"
        )
    return signer
