"""The S3-compatible evidence backend, against a real S3 server on loopback (moto in server mode).

The server runs in its own process, so that what it keeps in memory is not counted when the
upload's memory is measured, and so that nothing of zhifa is mocked: boto3 speaks HTTP to it.
"""

from __future__ import annotations

import hashlib
import io
import socket
import subprocess
import sys
import time
import tracemalloc
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any, cast

import boto3  # type: ignore[import-untyped]
import pytest
from django.core.exceptions import ImproperlyConfigured

from zhifa.record.evidence import (
    CHUNK_SIZE,
    LocalStorage,
    S3Storage,
    evidence_key,
    evidence_open,
    evidence_storage,
)
from zhifa.record.models import EvidenceFile
from zhifa.record.services import evidence_store
from zhifa.record.verification import log_verify

from .conftest import T0

PREFIX = "zhifa/evidence/"


class GeneratedStream(io.RawIOBase):
    """``size`` reproducible bytes made as they are read: the test itself holds no copy."""

    def __init__(self, size: int, seed: bytes = b"video") -> None:
        self.remaining = size
        self.seed = seed
        self.block = 0
        self.largest_read = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        assert size != -1, "the whole stream was read at once"
        self.largest_read = max(self.largest_read, size)
        n = min(size, self.remaining)
        pattern = hashlib.sha256(self.seed + self.block.to_bytes(8, "big")).digest()
        self.block += 1
        self.remaining -= n
        return (pattern * (n // len(pattern) + 1))[:n]


def _sha256_of(stream: IO[bytes]) -> str:
    h = hashlib.sha256()
    while chunk := stream.read(CHUNK_SIZE):
        h.update(chunk)
    return h.hexdigest()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """An S3-compatible server (moto) on a free loopback port, for the whole session."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/moto-api/", timeout=1):  # noqa: S310
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the moto S3 server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(
    s3_endpoint: str, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> _Bucket:
    """A fresh versioned bucket, and zhifa configured to keep evidence in it under PREFIX."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "zhifa-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "zhifa-test-secret")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    name = f"evidence-{uuid.uuid4().hex[:12]}"
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    settings.ZHIFA_EVIDENCE_BACKEND = "s3"
    settings.ZHIFA_S3_ENDPOINT_URL = s3_endpoint
    settings.ZHIFA_S3_BUCKET = name
    settings.ZHIFA_S3_REGION = "us-east-1"
    settings.ZHIFA_S3_PREFIX = PREFIX
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=name)
    # What docs/decisions.md asks of a production bucket: every overwrite keeps the old version.
    client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return _Bucket(client, name)


class _Bucket:
    """The test's own view of the bucket, straight through boto3."""

    def __init__(self, client: Any, name: str) -> None:
        self.client = client
        self.name = name

    def object_key(self, sha256: str) -> str:
        return PREFIX + evidence_key(sha256)

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def versions(self, key: str) -> int:
        listing = self.client.list_object_versions(Bucket=self.name, Prefix=key)
        return len(listing.get("Versions", []))

    def get(self, key: str) -> bytes:
        return bytes(self.client.get_object(Bucket=self.name, Key=key)["Body"].read())

    def etag(self, key: str) -> str:
        return str(self.client.head_object(Bucket=self.name, Key=key)["ETag"])


def _spooled(settings: Any) -> list[Path]:
    return [p for p in Path(settings.EVIDENCE_DIR).rglob("*") if p.is_file()]


def test_the_default_backend_is_the_local_evidence_folder(settings: Any) -> None:
    assert settings.ZHIFA_EVIDENCE_BACKEND == "local"
    storage = evidence_storage()
    assert isinstance(storage, LocalStorage)
    assert storage.root == Path(settings.EVIDENCE_DIR)


def test_evidence_store_on_s3_keeps_the_bytes_under_their_content_hash(
    db: None, bucket: _Bucket, settings: Any
) -> None:
    data = b"\xff\xd8\xff\xe0 JPEG " + "现场照片".encode() * 5000
    sha = hashlib.sha256(data).hexdigest()
    stored = evidence_store(io.BytesIO(data), name="现场照片.jpg", media_type="image/jpeg", at=T0)
    assert isinstance(evidence_storage(), S3Storage)
    assert stored.sha256 == sha and stored.size == len(data)
    assert stored.storage_key == evidence_key(sha)  # the prefix belongs to the bucket, not the row
    assert bucket.keys() == [f"zhifa/evidence/{sha[:2]}/{sha[2:4]}/{sha}"]
    assert bucket.get(bucket.object_key(sha)) == data
    assert _spooled(settings) == []  # the local spool file is gone once uploaded


def test_a_20mb_stream_goes_to_s3_in_parts_with_memory_far_below_its_size(
    db: None, bucket: _Bucket, settings: Any
) -> None:
    size = 20 * 1024 * 1024 + 17
    sha = _sha256_of(cast(IO[bytes], GeneratedStream(size)))
    stream = GeneratedStream(size)
    # The boto3 client is made once per process (parsing its S3 model takes a few MB, whatever
    # the upload): make it before measuring the upload.
    evidence_storage()
    tracemalloc.start()
    try:
        stored = evidence_store(
            cast(IO[bytes], stream), name="执法记录仪.mp4", media_type="video/mp4", at=T0
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 * 1024 * 1024, f"peak {peak} bytes while storing {size}"
    assert stream.largest_read <= CHUNK_SIZE
    assert stored.sha256 == sha and stored.size == size
    key = bucket.object_key(sha)
    assert bucket.etag(key).endswith('-3"')  # a multipart upload of three 8 MiB parts
    with evidence_open(sha) as body:
        assert _sha256_of(body) == sha
    assert _spooled(settings) == []


def test_the_same_bytes_stored_twice_on_s3_are_one_object_and_one_row(
    db: None, bucket: _Bucket
) -> None:
    data = b"%PDF-1.7 " + b"x" * 100_000
    first = evidence_store(io.BytesIO(data), name="a.pdf", media_type="application/pdf", at=T0)
    second = evidence_store(io.BytesIO(data), name="b.pdf", media_type="application/pdf", at=T0)
    assert second.pk == first.pk and second.original_name == "a.pdf"
    assert EvidenceFile.objects.count() == 1
    assert bucket.keys() == [bucket.object_key(first.sha256)]
    assert bucket.versions(bucket.object_key(first.sha256)) == 1


def test_an_object_already_in_the_bucket_is_not_uploaded_again(db: None, bucket: _Bucket) -> None:
    # As after a transaction that rolled back its row: the object is there, the row is not.
    data = b"interview audio " * 4096
    sha = hashlib.sha256(data).hexdigest()
    storage = evidence_storage()
    for _ in range(2):
        pending = storage.begin()
        pending.write(data)
        pending.commit(evidence_key(sha))
    assert bucket.versions(bucket.object_key(sha)) == 1
    assert bucket.get(bucket.object_key(sha)) == data


def test_a_failed_upload_leaves_nothing_in_the_bucket_or_the_spool(
    db: None, bucket: _Bucket, settings: Any
) -> None:
    class Broken(GeneratedStream):
        def read(self, size: int = -1) -> bytes:
            if self.block == 3:
                raise ConnectionResetError("the client went away")
            return super().read(size)

    with pytest.raises(ConnectionResetError):
        evidence_store(
            cast(IO[bytes], Broken(10 * CHUNK_SIZE)), name="断开.mp4", media_type="video/mp4", at=T0
        )
    assert bucket.keys() == []
    assert _spooled(settings) == []
    assert not EvidenceFile.objects.exists()


def test_evidence_open_streams_the_object_back_and_refuses_a_missing_one(
    db: None, bucket: _Bucket
) -> None:
    data = bytes(range(256)) * 10_000
    stored = evidence_store(io.BytesIO(data), name="笔录.docx", media_type="", at=T0)
    storage = evidence_storage()
    assert storage.exists(stored.storage_key)
    pieces = []
    with evidence_open(stored.sha256) as body:
        while piece := body.read(100_000):
            pieces.append(piece)
    assert b"".join(pieces) == data and max(len(p) for p in pieces) == 100_000
    missing = hashlib.sha256(b"never stored").hexdigest()
    assert not storage.exists(evidence_key(missing))
    with pytest.raises(FileNotFoundError):
        evidence_open(missing)


def test_log_verify_names_an_object_altered_in_the_bucket(db: None, bucket: _Bucket) -> None:
    data = b"on-site video " * 50_000
    stored = evidence_store(io.BytesIO(data), name="现场.mp4", media_type="video/mp4", at=T0)
    assert log_verify(check_replay=False).ok
    bucket.client.put_object(
        Bucket=bucket.name, Key=bucket.object_key(stored.sha256), Body=b"edited " + data[7:]
    )
    report = log_verify(check_replay=False)
    assert [(p.kind, p.sha256) for p in report.problems] == [("file_altered", stored.sha256)]
    assert stored.sha256 in report.problems[0].message


def test_log_verify_names_an_object_deleted_from_the_bucket(db: None, bucket: _Bucket) -> None:
    kept = evidence_store(io.BytesIO(b"kept photo"), name="a.jpg", media_type="image/jpeg", at=T0)
    gone = evidence_store(io.BytesIO(b"gone photo"), name="b.jpg", media_type="image/jpeg", at=T0)
    bucket.client.delete_object(Bucket=bucket.name, Key=bucket.object_key(gone.sha256))
    report = log_verify(check_replay=False)
    assert report.files == 2
    assert [(p.kind, p.sha256) for p in report.problems] == [("file_missing", gone.sha256)]
    assert gone.sha256 in report.problems[0].message
    assert kept.sha256 not in report.problems[0].message


def test_the_s3_backend_without_a_bucket_is_a_configuration_error(settings: Any) -> None:
    settings.ZHIFA_EVIDENCE_BACKEND = "s3"
    settings.ZHIFA_S3_BUCKET = ""
    with pytest.raises(ImproperlyConfigured, match="ZHIFA_S3_BUCKET"):
        evidence_storage()


def test_an_unknown_backend_is_a_configuration_error(settings: Any) -> None:
    settings.ZHIFA_EVIDENCE_BACKEND = "ftp"
    with pytest.raises(ImproperlyConfigured, match="ZHIFA_EVIDENCE_BACKEND"):
        evidence_storage()


def test_an_expired_upload_on_s3_is_deleted_and_bytes_an_entry_carries_are_kept(
    db: None, bucket: _Bucket, settings: Any
) -> None:
    from zhifa.record.evidence_uploads import (
        EvidenceInput,
        evidence_bind,
        evidence_receive,
        evidence_uploads_expire,
    )
    from zhifa.record.models import EvidenceUpload
    from zhifa.record.services import record_append

    def bind(data: bytes, case_id: int) -> EvidenceUpload:
        received = evidence_receive(EvidenceInput(io.BytesIO(data), "照片.jpg", "image/jpeg"))
        (upload,) = evidence_bind(
            [received],
            case_id=case_id,
            agency_id=1,
            actor_id=7,
            actor_name="张三",
            role="officer",
            at=T0,
        )
        return upload

    idle = bind(b"\xff\xd8idle" * 100, case_id=1)
    carried = bind(b"\xff\xd8carried" * 100, case_id=2)
    record_append(
        actor_id=7,
        actor_name="张三",
        role="officer",
        action="case.investigate",
        payload={},
        case_id=2,
        files=[carried.ref],
        at=T0,
    )
    bind(b"\xff\xd8carried" * 100, case_id=3)  # the same bytes, never attached on case 3

    result = evidence_uploads_expire(today=date(2026, 11, 27))
    assert (result.uploads, result.files) == (2, 1)
    assert bucket.keys() == [bucket.object_key(carried.sha256)]
    assert bucket.versions(bucket.object_key(idle.sha256)) == 1  # kept as a noncurrent version
    assert log_verify().ok
