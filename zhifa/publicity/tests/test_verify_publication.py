"""``zhifa verify-publication``: a fresh bundle passes; a tampered text, proof or signature
fails, non-zero, naming what failed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from zhifa.publicity import services, verify
from zhifa.publicity.models import Publication

from .publication_world import World, publication_of, reviewed, world

__all__ = ["world"]


@pytest.fixture
def bundle(world: World) -> dict[str, Any]:
    publication = publication_of(world.on_the_spot())
    published = services.publication_publish(
        actor=world.p.publisher, publication=reviewed(publication), on=date(2026, 10, 9)
    )
    # A few more entries, so the proof has a path.
    for day in (date(2026, 9, 30), date(2026, 10, 8)):
        world.on_the_spot(day)
    from zhifa.record.services import head_sign

    head_sign()
    data: dict[str, Any] = json.loads(
        Client().get(f"/public/decisions/{published.pk}/proof.json").content
    )
    return data


def run(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        call_command("verify-publication", str(path))
    except CommandError as exc:
        return exc.returncode, capsys.readouterr().out + str(exc)
    return 0, capsys.readouterr().out


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "proof.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_fresh_bundle_verifies(
    bundle: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(write(tmp_path, bundle), capsys)
    assert code == 0, out
    assert "校验通过" in out
    assert bundle["content"]["fields"]["number"] in out


def test_the_bundle_proves_inclusion_under_a_later_head(bundle: dict[str, Any]) -> None:
    assert bundle["proof"]["tree_size"] > bundle["entry"]["seq"] + 1
    assert bundle["proof"]["hashes"]
    assert verify.verify_bundle(bundle).ok


def test_a_tampered_text_fails_naming_the_content(
    bundle: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle["content"]["text"] = bundle["content"]["text"].replace("200.00", "20.00")
    code, out = run(write(tmp_path, bundle), capsys)
    assert code == 1
    assert "公示内容被改动" in out and "content_hash" in out


def test_a_tampered_text_with_a_matching_hash_fails_on_the_entry(bundle: dict[str, Any]) -> None:
    bundle["content"]["text"] += "。"
    bundle["content_sha256"] = services.content_sha256(bundle["content"])
    report = verify.verify_bundle(bundle)
    assert [p.kind for p in report.problems] == ["entry_content"]


def test_a_tampered_proof_fails_naming_the_proof(
    bundle: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = bundle["proof"]["hashes"][0]
    bundle["proof"]["hashes"][0] = ("0" if first[0] != "0" else "1") + first[1:]
    code, out = run(write(tmp_path, bundle), capsys)
    assert code == 1
    assert "包含证明不成立" in out and "proof" in out


def test_a_tampered_signature_fails_naming_the_signature(
    bundle: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body, sig = bundle["checkpoint"].split("\n\n")
    name, value = sig.strip().rsplit(" ", 1)
    flipped = value[:10] + ("A" if value[10] != "A" else "B") + value[11:]
    bundle["checkpoint"] = f"{body}\n\n{name} {flipped}\n"
    code, out = run(write(tmp_path, bundle), capsys)
    assert code == 1
    assert "签名树头不可信" in out and "signature" in out


def test_a_key_from_outside_that_differs_is_named(bundle: dict[str, Any]) -> None:
    from zhifa.record.checkpoint import generate_signer

    _, other = generate_signer("zhifa.local/record")
    report = verify.verify_bundle(bundle, key=other)
    assert {p.kind for p in report.problems} == {"key_mismatch", "signature"}


def test_an_unreadable_source_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "x.json"
    bad.write_text("not json")
    code, out = run(bad, capsys)
    assert code == 2 and "无法读取公示证明" in out


def test_the_bundle_holds_no_personal_data(bundle: dict[str, Any]) -> None:
    from .publication_world import PERSON

    text = json.dumps(bundle, ensure_ascii=False)
    for value in (PERSON.name, PERSON.id_number, PERSON.phone, PERSON.address):
        assert value not in text
    assert Publication.objects.filter(state="published").count() == 1
