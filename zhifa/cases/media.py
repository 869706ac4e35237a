"""Serving stored evidence in byte ranges (RFC 9110 §14), so a page's media player can seek.

A browser's ``<video>`` element asks for ``Range: bytes=N-`` and then for further pieces as the
viewer seeks; each answer is ``206 Partial Content`` with ``Content-Range``. Only a single range
is served (what media players ask for); a multi-range request gets the whole file (``200``), which
RFC 9110 allows. The bytes are streamed in ``CHUNK_SIZE`` pieces, never read into memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from zhifa.record.evidence import CHUNK_SIZE, evidence_open
from zhifa.record.models import EvidenceRef

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive, as in Content-Range

    @property
    def length(self) -> int:
        return self.end - self.start + 1


class Unsatisfiable(Exception):
    """The range lies wholly beyond the file (answer 416)."""


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The single byte range a ``Range`` header asks of a file of ``size`` bytes.

    None means "send the whole file": no header, another unit, several ranges, or a malformed
    value (RFC 9110 lets a server ignore a Range it does not understand). Raises
    ``Unsatisfiable`` for a range starting at or after the end of the file.
    """
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if not first:
        if not last:
            return None
        suffix = int(last)  # "bytes=-500": the last 500 bytes
        if suffix == 0:
            raise Unsatisfiable
        return ByteRange(max(0, size - suffix), size - 1) if size else None
    start = int(first)
    if start >= size:
        raise Unsatisfiable
    end = size - 1 if not last else min(int(last), size - 1)
    if end < start:
        return None
    return ByteRange(start, end)


def _skip(stream: BinaryIO, count: int) -> None:
    if stream.seekable():
        stream.seek(count)
        return
    while count > 0:  # object storage streams: read and drop up to the start
        chunk = stream.read(min(CHUNK_SIZE, count))
        if not chunk:
            break
        count -= len(chunk)


class _Pieces:
    """The bytes [start, start + length) of a stream, in pieces; closing it closes the stream
    (Django closes a streaming response's content even when it was never iterated)."""

    def __init__(self, stream: BinaryIO, start: int, length: int) -> None:
        self._stream = stream
        self._start = start
        self._left = length
        self._started = False

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        if not self._started:
            self._started = True
            _skip(self._stream, self._start)
        if self._left <= 0:
            raise StopIteration
        chunk = self._stream.read(min(CHUNK_SIZE, self._left))
        if not chunk:
            raise StopIteration
        self._left -= len(chunk)
        return chunk

    def close(self) -> None:
        self._stream.close()


def ranged_response(
    request: HttpRequest, stored: EvidenceRef
) -> HttpResponse | StreamingHttpResponse:
    """The stored file (or the asked range of it) for an inline media player, served as the
    media type the case knows it by.

    Raises ``FileNotFoundError`` when the bytes are not in the store.
    """
    size = stored.size
    try:
        wanted = parse_range(request.headers.get("Range"), size)
    except Unsatisfiable:
        refusal = HttpResponse(status=416)
        refusal["Content-Range"] = f"bytes */{size}"
        return refusal
    stream = evidence_open(stored.sha256)
    piece = wanted or ByteRange(0, size - 1)
    response = StreamingHttpResponse(
        _Pieces(stream, piece.start, piece.length if size else 0),
        status=206 if wanted else 200,
        content_type=stored.media_type,
    )
    response["Content-Length"] = str(piece.length if size else 0)
    response["Accept-Ranges"] = "bytes"
    if wanted:
        response["Content-Range"] = f"bytes {piece.start}-{piece.end}/{size}"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
