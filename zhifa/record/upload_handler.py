"""The first of ``FILE_UPLOAD_HANDLERS``: a multipart body reaches a view only when it arrived
whole, and no file part of it grows past its kind's limit.

Django's multipart parser takes a body that ends early (the client closed the connection after
20 MB of 50) as a shorter request: the file part being received is dropped (its handler told
``upload_interrupted``), the fields read before it are kept, and the view would take a valid
form without the file — a step recorded without its evidence. This handler parses the body
itself, through the remaining handlers, counting the bytes it reads; when fewer arrived than
``Content-Length`` announced, or a file part was cut off, the request is refused before any
view, form or service sees it (``IncompleteUpload``, 400). The same parse stops a file part as
soon as it passes the limit of its declared media type (``ZHIFA_UPLOAD_LIMITS``;
``UploadTooLarge``, 413), so an oversized file is not spooled to disk whole; services check
the limit again on the bytes they store.

Both errors are ``MultiPartParserError``: Django answers them with its 400 handler
(``zhifa.core.views.bad_request`` shows their Chinese message and status), the API with JSON
(``config.api``). They are raised while the request's data is first read — by the CSRF check,
before the view.
"""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, QueryDict
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.utils.datastructures import MultiValueDict

from .evidence_uploads import upload_limits
from .upload_limits import size_refusal


class UploadRequestError(MultiPartParserError):
    """A multipart request refused before the view: ``message`` in Chinese, HTTP ``status``."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class IncompleteUpload(UploadRequestError):
    """The body ended before ``Content-Length`` bytes, or a file part was cut off."""

    status = 400


class UploadTooLarge(UploadRequestError):
    """A file part passed the limit of its media kind."""

    status = 413


class _Counted:
    """A stream that counts the bytes read from it; a connection lost while reading (the
    server's socket raising) is an incomplete upload like a body that ends early."""

    def __init__(self, stream: Any, expected: int) -> None:
        self._stream = stream
        self._expected = expected
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        try:
            data: bytes = self._stream.read(size)
        except OSError as exc:
            raise IncompleteUpload(_incomplete(self.count, self._expected)) from exc
        self.count += len(data)
        return data


def _incomplete(received: int, expected: int) -> str:
    return (
        f"请求未完整到达（收到{received}字节，应为{expected}字节），连接可能已中断："
        "本次提交未办理，请重新提交"
    )


class _PartWatcher(FileUploadHandler):
    """Sees every file part first: counts it against its kind's limit and notes a part that
    never completed. Passes every chunk on; creates no file itself."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limits = upload_limits()
        self.interrupted = False
        self._name = ""
        self._kind_limit: tuple[Any, int] | None = None
        self._size = 0

    def new_file(self, field_name: str, file_name: str, content_type: str, *args: Any) -> None:
        self._name = file_name
        self._kind_limit = self.limits.limit_for(content_type or "")
        self._size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self._size += len(raw_data)
        if self._kind_limit is not None:
            kind, limit = self._kind_limit
            refusal = size_refusal(kind, limit, self._size)
            if refusal is not None:
                raise UploadTooLarge(f"{self._name}：{refusal}")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        self._kind_limit = None
        return None

    def upload_interrupted(self) -> None:
        self.interrupted = True


class CompleteUploadHandler(FileUploadHandler):
    """Parses the whole multipart body through the other handlers and refuses it unless it
    arrived whole (see the module docstring)."""

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, str],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> tuple[QueryDict, MultiValueDict[str, UploadedFile[Any]]]:
        watcher = _PartWatcher(self.request)
        others = [
            h for h in (self.request.upload_handlers if self.request else []) if h is not self
        ]
        counted = _Counted(input_data, content_length)
        parser = MultiPartParser(META, cast(Any, counted), [watcher, *others], encoding)
        post, files = parser.parse()
        if counted.count < content_length or watcher.interrupted:
            for _, uploaded in files.lists():
                for f in uploaded:
                    f.close()
            raise IncompleteUpload(_incomplete(counted.count, content_length))
        return post, files
