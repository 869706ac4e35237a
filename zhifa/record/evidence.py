"""The content-addressed evidence store: bytes are kept under the SHA-256 of their content.

A file is written once under ``ab/cd/<sha256>`` and never changed; uploading the same bytes
again stores nothing new. Uploads stream (``CHUNK_SIZE`` at a time) into a pending object while
being hashed, then are committed under their hash, so a 2 GB video never sits in memory.

The backend is an ``EvidenceStorage``. ``LocalStorage`` (a folder, ``settings.EVIDENCE_DIR``) is
the default. The interface is shaped so an S3-compatible backend fits without change to the
services: ``begin()`` would start a multipart upload to a temporary key, ``PendingUpload.write``
upload parts, ``commit(key)`` complete it and copy it server-side to the content key (or drop it
when that key exists), ``abort()`` abort the multipart upload; ``open`` is a streaming GET.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO

from django.conf import settings

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

    def path(self, key: str) -> Path:
        """The file's path (local storage only: for tests and serving with sendfile)."""
        return self.root / key


def evidence_storage() -> EvidenceStorage:
    """The configured backend (today always the local folder ``settings.EVIDENCE_DIR``)."""
    return LocalStorage(Path(settings.EVIDENCE_DIR))


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


def iter_chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK_SIZE):
        yield chunk
