"""A log whose signing key file is gone never gets a second key behind its back: steps are
still recorded, heads wait until the key is restored, and everyone who asks is told why."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from zhifa.record.models import SignedHead
from zhifa.record.services import SigningKeyMissing, head_sign, log_signer
from zhifa.record.verification import log_verify

from .conftest import T0, Append


@pytest.fixture
def key_path(settings: Any, tmp_path: Path) -> Path:
    settings.SIGNING_KEY_PATH = tmp_path / "keys" / "signing-key.ed25519"
    log_signer()
    return Path(settings.SIGNING_KEY_PATH)


def test_a_missing_key_defers_heads_but_not_the_steps(append: Append, key_path: Path) -> None:
    append(3)
    head_sign(at=T0 + timedelta(minutes=1))
    heads = SignedHead.objects.count()
    aside = key_path.with_name("offline-copy")
    shutil.move(key_path, aside)

    # A step two minutes later makes a head due: the entry is recorded, the head is not signed,
    # and no new key is made.
    entries = append(2, start=120)
    assert entries[-1].seq == 4
    assert SignedHead.objects.count() == heads
    assert not key_path.exists()

    with pytest.raises(SigningKeyMissing, match=r"签名密钥文件不存在.*不会另行生成新密钥"):
        head_sign(at=T0 + timedelta(minutes=5))
    report = log_verify(check_files=False)
    assert not report.ok

    # Restored from the offline copy, the next head covers what was recorded meanwhile.
    shutil.move(aside, key_path)
    head = head_sign(at=T0 + timedelta(minutes=6))
    assert head.size == 5
    assert log_verify(check_files=False).ok


def test_the_public_key_endpoint_says_the_key_is_missing(append: Append, key_path: Path) -> None:
    append(1)
    head_sign(at=T0 + timedelta(minutes=1))
    key_path.unlink()
    response = Client().get("/api/v1/record/public-key")
    assert response.status_code == 503
    assert "签名密钥文件不存在" in response.json()["detail"]


def test_a_log_without_heads_gets_its_first_key(db: None, settings: Any, tmp_path: Path) -> None:
    settings.SIGNING_KEY_PATH = tmp_path / "new" / "signing-key.ed25519"
    log_signer()
    assert Path(settings.SIGNING_KEY_PATH).exists()
