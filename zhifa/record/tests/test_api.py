"""/api/v1/record/: proof material is public, entries are not."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from zhifa.core.testing import Personas
from zhifa.record import merkle, services
from zhifa.record.checkpoint import Verifier, open_checkpoint

from .conftest import T0, Append

API = "/api/v1/record"


def test_public_key_is_public_text(client: Client, db: None) -> None:
    response = client.get(f"{API}/public-key")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    key = response.content.decode().strip()
    assert Verifier.from_key(key).name == services.log_origin()


def test_latest_head_is_public(client: Client, append: Append) -> None:
    assert client.get(f"{API}/heads/latest").status_code == 404
    append(3)
    services.head_sign(at=T0 + timedelta(minutes=1))
    body = client.get(f"{API}/heads/latest").json()
    key = Verifier.from_key(client.get(f"{API}/public-key").content.decode().strip())
    checkpoint = open_checkpoint(body["checkpoint"], key)
    assert body["size"] == checkpoint.size == 3
    assert body["root_hash"] == checkpoint.root_hash.hex()


def test_entry_proof_needs_a_login(client: Client, append: Append) -> None:
    append(2)
    assert client.get(f"{API}/entries/0/proof").status_code == 401


def test_entry_proof_verifies_against_its_checkpoint(
    client: Client, append: Append, personas: Personas
) -> None:
    entries = append(6)
    services.head_sign(at=T0 + timedelta(minutes=1))
    client.force_login(personas.officer_b)
    seq = entries[4].seq  # the personas' registry writes come first in the log
    body = client.get(f"{API}/entries/{seq}/proof").json()
    key = Verifier.from_key(services.public_verifier_key())
    checkpoint = open_checkpoint(body["checkpoint"], key)
    assert body["leaf_hash"] == entries[4].leaf_hash.hex()
    assert "payload" not in body  # the entry itself stays private
    assert merkle.verify_inclusion(
        bytes.fromhex(body["leaf_hash"]),
        seq,
        checkpoint.size,
        [bytes.fromhex(h) for h in body["proof"]],
        checkpoint.root_hash,
    )


def test_entry_proof_of_a_missing_entry_is_404(
    client: Client, append: Append, personas: Personas
) -> None:
    append(1)
    client.force_login(personas.officer)
    assert client.get(f"{API}/entries/99/proof").status_code == 404


def test_consistency_proof_is_public(client: Client, append: Append) -> None:
    append(4)
    old = services.head_sign(at=T0 + timedelta(minutes=1))
    append(7, start=4)
    new = services.head_sign(at=T0 + timedelta(minutes=2))
    body = client.get(f"{API}/consistency", {"old": 4, "new": 11}).json()
    assert merkle.verify_consistency(
        4, 11, bytes(old.root_hash), bytes(new.root_hash), [bytes.fromhex(h) for h in body["proof"]]
    )
    assert client.get(f"{API}/consistency", {"old": 5, "new": 99}).status_code == 422
