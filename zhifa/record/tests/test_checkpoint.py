"""Signed checkpoints: C2SP tlog-checkpoint bodies in signed notes readable by x/mod/sumdb/note.

The PeterNeumann / EnochRoot keys and signatures (tests/data/note_vectors.json) are the published
test vectors of golang.org/x/mod/sumdb/note; the example checkpoint is C2SP's.
"""

from __future__ import annotations

import base64
import hashlib
import json
import stat
from pathlib import Path
from typing import Any

import pytest

from zhifa.record.checkpoint import (
    Checkpoint,
    CheckpointError,
    Signer,
    Verifier,
    generate_signer,
    key_id,
    load_or_create_signer,
    open_checkpoint,
    open_note,
    sign_checkpoint,
    sign_note,
)
from zhifa.record.merkle import EMPTY_ROOT, Frontier, leaf_hash

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "note_vectors.json").read_text(encoding="utf-8")
)
PETER = VECTORS["peter"]
ENOCH = VECTORS["enoch"]
TEXT: str = VECTORS["text"]

# A fixed seed keeps golden outputs stable (Ed25519 signing is deterministic).
LOG_SIGNER = Signer("zhifa.example/record", bytes(range(32)))
LOG_VERIFIER = LOG_SIGNER.verifier
ROOT = bytes.fromhex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
CHECKPOINT = Checkpoint("zhifa.example/record", 8, ROOT)


def peter_verifier() -> Verifier:
    return Verifier.from_key(PETER["verifier_key"])


# -- the x/mod/sumdb/note vectors ---------------------------------------------------------------


def test_signing_with_the_published_private_key_reproduces_the_published_note() -> None:
    signer = Signer.from_key(PETER["signer_key"])
    assert signer.name == "PeterNeumann"
    assert signer.id.hex() == PETER["key_id"]
    assert sign_note(TEXT, signer) == TEXT + "\n" + PETER["signature_line"]


def test_the_published_keys_round_trip_and_belong_together() -> None:
    signer = Signer.from_key(PETER["signer_key"])
    assert signer.key == PETER["signer_key"]
    assert signer.verifier.key == PETER["verifier_key"]
    assert Verifier.from_key(PETER["verifier_key"]).key == PETER["verifier_key"]
    assert key_id("PeterNeumann", signer.public_key).hex() == PETER["key_id"]


def test_the_published_note_opens_with_the_published_verifier() -> None:
    note = TEXT + "\n" + PETER["signature_line"] + ENOCH["signature_line"]
    opened = open_note(note, [peter_verifier()])
    assert opened.text == TEXT
    assert [s.name for s in opened.verified] == ["PeterNeumann"]
    assert [(s.name, s.key_id.hex()) for s in opened.unverified] == [("EnochRoot", "af0cfe78")]

    both = open_note(note, [peter_verifier(), Verifier.from_key(ENOCH["verifier_key"])])
    assert [s.name for s in both.verified] == ["PeterNeumann", "EnochRoot"]
    assert both.unverified == ()


def test_a_note_signed_only_by_unknown_keys_is_refused_naming_them() -> None:
    note = TEXT + "\n" + PETER["signature_line"] + ENOCH["signature_line"]
    with pytest.raises(CheckpointError, match="no signature from a known key") as exc:
        open_note(note, [])
    assert "PeterNeumann+c74f20a3" in str(exc.value)
    assert "EnochRoot+af0cfe78" in str(exc.value)


def test_a_corrupted_signature_from_a_known_key_is_refused() -> None:
    line = PETER["signature_line"]
    note = TEXT + "\n" + line[:60] + "ABCD" + line[60:]
    with pytest.raises(CheckpointError, match="invalid signature for key PeterNeumann"):
        open_note(note, [peter_verifier()])


def test_a_corrupted_unknown_signature_beside_a_good_one_is_set_aside() -> None:
    enoch = ENOCH["signature_line"]
    note = TEXT + "\n" + PETER["signature_line"] + enoch + enoch[:60] + "ABCD" + enoch[60:]
    opened = open_note(note, [peter_verifier()])
    assert len(opened.verified) == 1
    assert len(opened.unverified) == 2


@pytest.mark.parametrize(
    "note",
    [
        TEXT,
        TEXT + "\n",
        TEXT + "\n" + PETER["signature_line"][:-1],
        "\x01" + TEXT + "\n" + PETER["signature_line"],
        TEXT + "\n" + "— Bad Name " + PETER["signature_line"].split(" ")[2],
        TEXT + "\n" + PETER["signature_line"] + "Unexpected line.\n",
        TEXT + "\n" + PETER["signature_line"] * 101,
        TEXT + "\n" + "— PeterNeumann AAAA\n",
        TEXT + "\n" + "— PeterNeumann not*base64\n",
        TEXT + "\n" + "- PeterNeumann " + PETER["signature_line"].split(" ")[2],
    ],
    ids=[
        "no signatures",
        "blank line only",
        "no final newline",
        "control character",
        "space in key name",
        "trailing text",
        "too many signatures",
        "signature too short",
        "not base64",
        "hyphen for em dash",
    ],
)
def test_malformed_notes_are_refused(note: str) -> None:
    with pytest.raises(CheckpointError, match="malformed note"):
        open_note(note, [peter_verifier()])


def test_every_mangling_of_the_published_verifier_key_is_refused() -> None:
    vkey = PETER["verifier_key"]
    for i in range(len(vkey) + 1):
        for j in range(i + 1, len(vkey) + 1):
            if (i, j) != (0, len(vkey)):
                with pytest.raises(CheckpointError):
                    Verifier.from_key(vkey[i:j])
    for i in range(len(vkey)):
        with pytest.raises(CheckpointError):
            Verifier.from_key(vkey[:i] + chr(ord(vkey[i]) + 1) + vkey[i + 1 :])
    for bad in VECTORS["bad_verifier_keys"]:
        with pytest.raises(CheckpointError):
            Verifier.from_key(bad)


def test_every_mangling_of_the_published_signer_key_is_refused() -> None:
    skey = PETER["signer_key"]
    for i in range(len(skey) + 1):
        for j in range(i + 1, len(skey) + 1):
            if (i, j) != (0, len(skey)):
                with pytest.raises(CheckpointError):
                    Signer.from_key(skey[i:j])
    for i in range(len(skey)):
        with pytest.raises(CheckpointError):
            Signer.from_key(skey[:i] + chr(ord(skey[i]) + 1) + skey[i + 1 :])


# -- checkpoint bodies --------------------------------------------------------------------------


def test_the_c2sp_example_checkpoint_parses() -> None:
    example = VECTORS["c2sp_checkpoint"]
    body = example["note"].split("\n\n")[0] + "\n"
    checkpoint = Checkpoint.parse(body)
    assert checkpoint.origin == example["origin"]
    assert checkpoint.size == example["size"]
    assert checkpoint.root_hash == base64.b64decode(example["root_hash_base64"])
    assert checkpoint.extensions == ()
    assert checkpoint.body() == body


def test_the_c2sp_example_is_refused_without_its_log_key() -> None:
    with pytest.raises(CheckpointError, match=r"signed by example\.com/behind-the-sofa\+"):
        open_checkpoint(VECTORS["c2sp_checkpoint"]["note"], [LOG_VERIFIER])


def test_checkpoint_body_is_origin_size_and_base64_root() -> None:
    assert CHECKPOINT.body() == (
        "zhifa.example/record\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
    )
    with_extensions = Checkpoint("o", 0, EMPTY_ROOT, ("ext one", "ext two"))
    assert with_extensions.body() == (
        "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\next two\n"
    )
    assert Checkpoint.parse(with_extensions.body()) == with_extensions


def test_signed_checkpoint_has_the_exact_note_bytes() -> None:
    # Golden: Ed25519 is deterministic, so this key signs this body identically forever.
    assert sign_checkpoint(CHECKPOINT, LOG_SIGNER).encode("utf-8") == (
        b"zhifa.example/record\n"
        b"8\n"
        b"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
        b"\n"
        b"\xe2\x80\x94 zhifa.example/record "
        b"mxkuWyxjhU3JEJtDgJPLUE+fZePDFiALSbdY+YBYIzkFm3AkLd2kjIxcKiCdlpZuCmY4TB0KEnZuT/E7xfZWFjtmQAQ=\n"
    )


def test_key_id_is_sha256_of_name_newline_algorithm_and_public_key() -> None:
    expected = hashlib.sha256(b"zhifa.example/record\n\x01" + LOG_SIGNER.public_key).digest()
    assert LOG_SIGNER.id == expected[:4]
    assert LOG_VERIFIER.key == (
        "zhifa.example/record+9b192e5b+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4"
    )
    # The signature line carries the key ID in front of the 64-byte signature.
    line = sign_checkpoint(CHECKPOINT, LOG_SIGNER).split("\n\n")[1]
    raw = base64.b64decode(line.split(" ")[2])
    assert raw[:4] == LOG_SIGNER.id
    assert len(raw) == 4 + 64


def test_checkpoint_round_trips_through_its_signed_note() -> None:
    note = sign_checkpoint(CHECKPOINT, LOG_SIGNER)
    assert open_checkpoint(note, [LOG_VERIFIER]) == CHECKPOINT
    assert open_checkpoint(note, LOG_VERIFIER, origin="zhifa.example/record") == CHECKPOINT


def test_checkpoint_of_a_frontier_verifies_for_a_growing_log() -> None:
    frontier = Frontier()
    for i in range(20):
        frontier.append(leaf_hash(f"entry {i}".encode()))
        head = Checkpoint("zhifa.example/record", frontier.size, frontier.root())
        assert open_checkpoint(sign_checkpoint(head, LOG_SIGNER), [LOG_VERIFIER]) == head


@pytest.mark.parametrize(
    "body",
    [
        "o\n8\n",
        "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=",
        "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "o\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "o\n-8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "o\n+8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "o\n8 \nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "o\n\u0668\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQ\n",
        "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n",
        "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz-Nw7_RgQyg=\n",
        "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=\n",
        "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\next\n",
    ],
    ids=[
        "no root",
        "no final newline",
        "empty origin",
        "leading zero",
        "negative size",
        "plus sign",
        "trailing space",
        "non-ascii digit",
        "short root",
        "unpadded root",
        "url-safe base64",
        "non-canonical base64",
        "empty extension line",
    ],
)
def test_malformed_checkpoint_bodies_are_refused(body: str) -> None:
    with pytest.raises(CheckpointError, match="malformed checkpoint"):
        Checkpoint.parse(body)


def test_a_checkpoint_cannot_be_built_from_impossible_values() -> None:
    with pytest.raises(CheckpointError):
        Checkpoint("", 1, ROOT)
    with pytest.raises(CheckpointError):
        Checkpoint("two\nlines", 1, ROOT)
    with pytest.raises(CheckpointError):
        Checkpoint("o", -1, ROOT)
    with pytest.raises(CheckpointError):
        Checkpoint("o", 1, ROOT[:31])
    with pytest.raises(CheckpointError):
        Checkpoint("o", 1, ROOT, ("",))


# -- tampering ----------------------------------------------------------------------------------


def tamper(note: str, old: str, new: str) -> str:
    assert old in note
    return note.replace(old, new, 1)


def test_a_tampered_signed_checkpoint_is_refused() -> None:
    note = sign_checkpoint(CHECKPOINT, LOG_SIGNER)
    _body, signature_line = note.split("\n\n")
    b64 = signature_line.split(" ")[2].rstrip("\n")
    raw = bytearray(base64.b64decode(b64))
    raw[10] ^= 1
    flipped = base64.b64encode(bytes(raw)).decode()
    other_root = base64.b64encode(EMPTY_ROOT).decode()
    root_b64 = base64.b64encode(ROOT).decode()
    for tampered in (
        tamper(note, "\n8\n", "\n9\n"),
        tamper(note, "\n8\n", "\n7\n"),
        tamper(note, root_b64, other_root),
        tamper(note, "zhifa.example/record\n", "zhifa.example/recorc\n"),
        tamper(note, b64, flipped),
        tamper(note, "\n\n", "\nextension\n\n"),
    ):
        with pytest.raises(CheckpointError, match="invalid signature"):
            open_checkpoint(tampered, [LOG_VERIFIER])


def test_a_checkpoint_signed_by_another_key_is_refused_as_unknown() -> None:
    impostor = Signer("zhifa.example/record", bytes(range(1, 33)))
    note = sign_checkpoint(CHECKPOINT, impostor)
    with pytest.raises(CheckpointError, match="no signature from a known key"):
        open_checkpoint(note, [LOG_VERIFIER])


def test_a_checkpoint_of_another_log_is_refused_when_the_origin_is_given() -> None:
    other = Checkpoint("other.example/log", 8, ROOT)
    note = sign_checkpoint(other, LOG_SIGNER)
    assert open_checkpoint(note, [LOG_VERIFIER]) == other
    with pytest.raises(CheckpointError, match=r"for log 'other\.example/log'"):
        open_checkpoint(note, [LOG_VERIFIER], origin="zhifa.example/record")


def test_a_witness_cosignature_is_kept_aside_when_the_witness_is_unknown() -> None:
    witness = Signer("witness.example/w1", bytes(range(2, 34)))
    note = sign_note(CHECKPOINT.body(), LOG_SIGNER, witness)
    opened = open_note(note, [LOG_VERIFIER])
    assert [s.name for s in opened.verified] == ["zhifa.example/record"]
    assert [s.name for s in opened.unverified] == ["witness.example/w1"]
    assert len(open_note(note, [LOG_VERIFIER, witness.verifier]).verified) == 2


def test_two_different_keys_with_the_same_name_and_id_are_ambiguous() -> None:
    forged = object.__new__(Verifier)
    for attr in ("name", "id", "_public"):
        object.__setattr__(forged, attr, getattr(LOG_VERIFIER, attr))
    object.__setattr__(forged, "public_key", b"\x00" * 32)
    note = sign_checkpoint(CHECKPOINT, LOG_SIGNER)
    with pytest.raises(CheckpointError, match="ambiguous key"):
        open_checkpoint(note, [LOG_VERIFIER, forged])


# -- keys ---------------------------------------------------------------------------------------


def test_generated_keys_sign_and_verify_each_other() -> None:
    skey, vkey = generate_signer("zhifa.example/record")
    signer, verifier = Signer.from_key(skey), Verifier.from_key(vkey)
    assert skey.startswith("PRIVATE+KEY+zhifa.example/record+")
    assert vkey.startswith("zhifa.example/record+")
    assert signer.id == verifier.id
    note = sign_checkpoint(CHECKPOINT, signer)
    assert open_checkpoint(note, [verifier]) == CHECKPOINT
    assert generate_signer("zhifa.example/record")[0] != skey


@pytest.mark.parametrize(
    "name", ["", "has space", "has+plus", "tab\there", "ideographic\u3000space"]
)
def test_key_names_with_spaces_or_pluses_are_refused(name: str) -> None:
    with pytest.raises(CheckpointError, match="invalid key name"):
        generate_signer(name)


def test_a_signer_never_shows_its_seed_in_its_repr() -> None:
    assert LOG_SIGNER.seed.hex() not in repr(LOG_SIGNER)
    assert "PRIVATE" not in repr(LOG_SIGNER)


def test_a_new_key_file_is_created_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "nested" / "record.key"
    signer = load_or_create_signer(path, "zhifa.example/record")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="ascii") == signer.key + "\n"
    assert signer.name == "zhifa.example/record"


def test_an_existing_key_is_reused_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "record.key"
    first = load_or_create_signer(path, "zhifa.example/record")
    content = path.read_bytes()
    second = load_or_create_signer(path, "zhifa.example/record")
    assert second.key == first.key
    assert path.read_bytes() == content


def test_a_key_file_for_another_name_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "record.key"
    load_or_create_signer(path, "zhifa.example/record")
    content = path.read_bytes()
    with pytest.raises(CheckpointError, match="refusing to replace it"):
        load_or_create_signer(path, "zhifa.example/other")
    assert path.read_bytes() == content
