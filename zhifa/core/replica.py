"""Reads of the public portal from a PostgreSQL read replica (docs/deploy.md).

A province's public portal, search, feeds and statistics are read far more than anything is
written; a streaming replica takes those reads off the primary. What may go there is decided
per request, not per model: ``ReplicaReadsMiddleware`` marks a GET or HEAD request under one
of ``ZHIFA_REPLICA_PATHS`` (the public portal), and only while it is marked does
``ReplicaRouter`` send reads to the alias ``ZHIFA_READ_REPLICA_ALIAS`` — and even then:

- never a read inside a transaction on the primary (it must see that transaction's writes, and
  the record log's lock is taken there);
- never a read of the session, the account or its tokens (who is logged in must not lag);
- never a write: every write goes to the primary, and migrations run there only (the replica
  is a copy of it).

Nothing here is needed without a replica: with ``ZHIFA_READ_REPLICA_ALIAS`` empty the router
answers "primary" for everything. ``reads_from_replica()`` marks other read-only work (e.g. a
statistics export) the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse

_replica_reads: ContextVar[bool] = ContextVar("zhifa_replica_reads", default=False)

# Read on the primary even in a marked request: who is logged in, with which token.
PRIMARY_ONLY = {
    ("sessions", None),
    ("auth", None),
    ("registry", "account"),
    ("registry", "apitoken"),
}


def replica_alias() -> str:
    """The replica's database alias, or "" when the deployment has none."""
    return str(getattr(settings, "ZHIFA_READ_REPLICA_ALIAS", "") or "")


@contextmanager
def reads_from_replica() -> Iterator[None]:
    """Within this block, reads that may go to the replica do (when there is one)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def is_primary_only(model: type[Model]) -> bool:
    meta = model._meta
    return (meta.app_label, None) in PRIMARY_ONLY or (
        meta.app_label,
        meta.model_name,
    ) in PRIMARY_ONLY


class ReplicaRouter:
    """Django database router: reads of marked work to the replica, everything else primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        alias = replica_alias()
        if not alias or not _replica_reads.get():
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block or is_primary_only(model):
            return None
        return alias

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


def is_replica_path(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in settings.ZHIFA_REPLICA_PATHS)


class ReplicaReadsMiddleware:
    """Marks safe requests to the public portal's paths as replica reads."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in ("GET", "HEAD") and replica_alias() and is_replica_path(request.path):
            with reads_from_replica():
                response = self.get_response(request)
            if isinstance(response, StreamingHttpResponse):
                # A streamed download (the search's CSV) reads while it is sent.
                response.streaming_content = _marked(
                    cast(Iterable[Any], response.streaming_content)
                )
            return response
        return self.get_response(request)


def _marked(chunks: Iterable[Any]) -> Iterator[Any]:
    with reads_from_replica():
        yield from chunks
