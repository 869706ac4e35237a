"""The content-addressed evidence store: bytes are kept under the SHA-256 of their content.

A file is written once under ``ab/cd/<sha256>`` and never changed; uploading the same bytes
again stores nothing new. Uploads stream (``CHUNK_SIZE`` at a time) into a pending object while
being hashed, then are committed under their hash, so a 2 GB video never sits in memory.

The backend is an ``EvidenceStorage``, chosen by ``settings.ZHIFA_EVIDENCE_BACKEND``:
``LocalStorage`` (``"local"``, the default: a folder, ``settings.EVIDENCE_DIR``) or ``S3Storage``
(``"s3"``: a bucket of any S3-compatible service — AWS S3, MinIO, Ceph RGW, 阿里云 OSS, 腾讯云 COS).
S3 uploads are spooled to a local temporary file while hashed, then sent under their content key
as a multipart upload read part by part from that file (see ``S3Storage`` for why not a
temporary object); ``open`` is a streaming GET.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CHUNK_SIZE = 1 << 20  # 1 MiB


def evidence_key(sha256: str) -> str:
    """Where the file with this hash is stored: ``ab/cd/<sha256>``."""
    if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
        raise ValueError(f"not a lowercase hex SHA-256: {sha256!r}")
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


class PendingUpload(ABC):
    """Bytes being uploaded, not yet under their content key."""

    @abstractmethod
    def write(self, chunk: bytes) -> None: ...

    @abstractmethod
    def commit(self, key: str) -> None:
        """Make the bytes readable under ``key``, durably. Replaces whatever is there."""

    @abstractmethod
    def abort(self) -> None:
        """Discard the bytes (idempotent)."""


class EvidenceStorage(ABC):
    """Where evidence bytes live. Keys come from ``evidence_key``."""

    @abstractmethod
    def begin(self) -> PendingUpload: ...

    @abstractmethod
    def open(self, key: str) -> BinaryIO:
        """A binary stream of the stored bytes; raises ``FileNotFoundError``."""

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the bytes under ``key`` (nothing when there are none). Only the expiry of an
        upload that no entry carries calls it (``services.evidence_uploads_expire``)."""


class _LocalPending(PendingUpload):
    def __init__(self, root: Path) -> None:
        self._root = root
        tmp_dir = root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix="upload-", dir=tmp_dir)
        self._path = Path(name)
        self._file: IO[bytes] | None = os.fdopen(fd, "wb")

    def write(self, chunk: bytes) -> None:
        assert self._file is not None, "upload already finished"
        self._file.write(chunk)

    def commit(self, key: str) -> None:
        assert self._file is not None, "upload already finished"
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        self._file = None
        final = self._root / key
        final.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(self._path, 0o444)  # evidence is never rewritten in place
        os.replace(self._path, final)  # atomic on one filesystem: readers see all or nothing

    def abort(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        with contextlib.suppress(FileNotFoundError):
            self._path.unlink()


class LocalStorage(EvidenceStorage):
    """Evidence in a local folder: ``<root>/ab/cd/<sha256>``, uploads in ``<root>/tmp``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def begin(self) -> PendingUpload:
        return _LocalPending(self.root)

    def open(self, key: str) -> BinaryIO:
        return (self.root / key).open("rb")

    def exists(self, key: str) -> bool:
        return (self.root / key).is_file()

    def delete(self, key: str) -> None:
        (self.root / key).unlink(missing_ok=True)

    def path(self, key: str) -> Path:
        """The file's path (local storage only: for tests and serving with sendfile)."""
        return self.root / key


S3_PART_SIZE = 8 << 20  # 8 MiB: the multipart threshold and part size of S3 uploads
S3_CONCURRENCY = 4  # parts sent at once, each read from the spool file as it is sent


class _S3Pending(PendingUpload):
    """An upload spooled to ``<spool>/upload-*`` until its content key is known."""

    def __init__(self, storage: S3Storage) -> None:
        self._storage = storage
        storage.spool.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix="upload-", dir=storage.spool)
        self._path = Path(name)
        self._file: IO[bytes] | None = os.fdopen(fd, "wb")
        self._size = 0

    def write(self, chunk: bytes) -> None:
        assert self._file is not None, "upload already finished"
        self._file.write(chunk)
        self._size += len(chunk)

    def commit(self, key: str) -> None:
        """Upload the spooled bytes under ``key`` unless an object of their length is there.

        The key is the SHA-256 of the bytes, so an object already under it holds them (a row
        rolled back after its upload, or the same bytes uploaded concurrently): sending them
        again would only add a version. ``zhifa verify`` re-hashes every stored object.
        """
        assert self._file is not None, "upload already finished"
        self._file.close()
        self._file = None
        try:
            self._storage.put_file(self._path, key, self._size)
        finally:
            self._path.unlink(missing_ok=True)

    def abort(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._path.unlink(missing_ok=True)


class S3Storage(EvidenceStorage):
    """Evidence in an S3-compatible bucket: object ``<prefix>ab/cd/<sha256>``.

    An upload is written to a local spool file (``spool``, under ``EVIDENCE_DIR``) while the
    service hashes it; ``commit`` then sends it with boto3's managed transfer, a multipart
    upload of ``S3_PART_SIZE`` parts read from the file as they are sent, so memory stays
    bounded at any size (boto3 raises the part size itself past 10,000 parts). Nothing but
    finished evidence is ever written to the bucket: no temporary objects (which a bucket under
    object lock could not delete) and no abandoned multipart uploads; a duplicate upload costs
    no transfer at all (the service finds its row and aborts). See docs/decisions.md.

    ``client`` is a boto3 S3 client; credentials come from boto3's own chain
    (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, ``AWS_PROFILE``, instance roles).
    """

    def __init__(self, client: Any, bucket: str, *, prefix: str = "", spool: Path) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.spool = Path(spool)

    def object_key(self, key: str) -> str:
        """The bucket's object name for an evidence key."""
        return self.prefix + key

    def begin(self) -> PendingUpload:
        return _S3Pending(self)

    def open(self, key: str) -> BinaryIO:
        """The object's body, streamed from the server as it is read (``read(n)``, ``close``)."""
        from botocore.exceptions import ClientError  # type: ignore[import-untyped]

        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.object_key(key))
        except ClientError as exc:
            if _is_not_found(exc):
                raise FileNotFoundError(f"s3://{self.bucket}/{self.object_key(key)}") from exc
            raise
        # botocore's StreamingBody is an io.IOBase: read(n), close(), a context manager.
        return cast(BinaryIO, response["Body"])

    def exists(self, key: str) -> bool:
        return self._size(key) is not None

    def delete(self, key: str) -> None:
        """Delete the object. In a versioned bucket this adds a delete marker: the bytes stay
        as a noncurrent version until the bucket's lifecycle rule expires them (and, under
        object lock, not before their retention ends) — see docs/evidence.md."""
        self.client.delete_object(Bucket=self.bucket, Key=self.object_key(key))

    def put_file(self, path: Path, key: str, size: int) -> None:
        """Upload the file at ``path`` as ``key`` unless an object of ``size`` bytes is there."""
        if self._size(key) == size:
            return
        from boto3.s3.transfer import TransferConfig  # type: ignore[import-untyped]

        config = TransferConfig(
            multipart_threshold=S3_PART_SIZE,
            multipart_chunksize=S3_PART_SIZE,
            max_concurrency=S3_CONCURRENCY,
        )
        self.client.upload_file(
            str(path),
            self.bucket,
            self.object_key(key),
            ExtraArgs={"ContentType": "application/octet-stream"},
            Config=config,
        )

    def _size(self, key: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.object_key(key))
        except ClientError as exc:
            if _is_not_found(exc):
                return None
            raise
        return int(head["ContentLength"])


def _is_not_found(exc: Any) -> bool:
    error = exc.response.get("Error", {})
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return error.get("Code") in {"404", "NoSuchKey", "NotFound"} or status == 404


@functools.cache
def _s3_client(endpoint_url: str, region: str, addressing_style: str) -> Any:
    """One boto3 client per configuration (clients are thread-safe; creating one costs ~50 ms)."""
    import boto3  # type: ignore[import-untyped]  # only where the S3 backend is in use
    from botocore.config import Config  # type: ignore[import-untyped]

    config = Config(
        s3={"addressing_style": addressing_style},
        retries={"mode": "standard"},
        # botocore >= 1.36 sends CRC checksums on every upload by default, which several
        # S3-compatible services (older MinIO, Ceph RGW, OSS, COS) refuse; integrity is checked
        # by re-hashing every object (``zhifa verify``).
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    return boto3.session.Session().client(
        "s3", endpoint_url=endpoint_url or None, region_name=region or None, config=config
    )


def s3_storage_from_settings() -> S3Storage:
    """``S3Storage`` from the ``ZHIFA_S3_*`` settings; ImproperlyConfigured without a bucket."""
    bucket = getattr(settings, "ZHIFA_S3_BUCKET", "")
    if not bucket:
        raise ImproperlyConfigured("ZHIFA_S3_BUCKET must be set when ZHIFA_EVIDENCE_BACKEND=s3")
    style = getattr(settings, "ZHIFA_S3_ADDRESSING_STYLE", "") or "auto"
    if style not in {"auto", "path", "virtual"}:
        raise ImproperlyConfigured(
            f"ZHIFA_S3_ADDRESSING_STYLE must be auto, path or virtual: {style!r}"
        )
    prefix = getattr(settings, "ZHIFA_S3_PREFIX", "").strip("/")
    client = _s3_client(
        getattr(settings, "ZHIFA_S3_ENDPOINT_URL", ""),
        getattr(settings, "ZHIFA_S3_REGION", ""),
        style,
    )
    return S3Storage(
        client,
        bucket,
        prefix=f"{prefix}/" if prefix else "",
        spool=Path(settings.EVIDENCE_DIR) / "tmp",
    )


def evidence_storage() -> EvidenceStorage:
    """The configured backend: ``settings.ZHIFA_EVIDENCE_BACKEND`` is ``"local"`` (default, the
    folder ``settings.EVIDENCE_DIR``) or ``"s3"`` (``s3_storage_from_settings``).

    Raises ImproperlyConfigured for any other value.
    """
    backend = getattr(settings, "ZHIFA_EVIDENCE_BACKEND", "") or "local"
    if backend == "local":
        return LocalStorage(Path(settings.EVIDENCE_DIR))
    if backend == "s3":
        return s3_storage_from_settings()
    raise ImproperlyConfigured(f"ZHIFA_EVIDENCE_BACKEND must be local or s3: {backend!r}")


def evidence_open(sha256: str) -> BinaryIO:
    """The stored bytes of the file with this hash, as a stream (close it after use).

    Raises ``FileNotFoundError`` when the file is not (or no longer) in the store. Opening an
    audio/video record for a user must be logged: call ``services.evidence_view`` first.
    """
    return evidence_storage().open(evidence_key(sha256))


def hash_stream(stream: IO[bytes]) -> tuple[str, int]:
    """SHA-256 (hex) and length of a stream, read in ``CHUNK_SIZE`` pieces."""
    h = hashlib.sha256()
    size = 0
    for chunk in iter_chunks(stream):
        h.update(chunk)
        size += len(chunk)
    return h.hexdigest(), size


def file_digest(path: Path) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file, read ``CHUNK_SIZE`` at a time."""
    with path.open("rb") as stream:
        return hash_stream(stream)


def iter_chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK_SIZE):
        yield chunk
