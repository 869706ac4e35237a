"""How core's own writes reach the record log, which core cannot import.

``record`` depends on ``core`` (STYLE.md: the dependency runs one way), yet the statutory
calendar's rows — entered by the system administrator in the Django admin — must be recorded
like every other write. So the record app registers its append function here at start-up
(``RecordConfig.ready``) and :func:`record_core_change` calls it inside the caller's
transaction. With no recorder registered it refuses to write unrecorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class Recorder(Protocol):
    def __call__(
        self, *, actor_id: int | None, actor_name: str, role: str, action: str, payload: Any
    ) -> object: ...


_recorder: list[Recorder] = []


def register_recorder(recorder: Recorder) -> None:
    """Register the function that appends an entry (the record app's ``record_append``)."""
    _recorder[:] = [recorder]


def record_core_change(actor: Any, action: str, payload: Mapping[str, Any]) -> object:
    """Append ``action`` with ``payload`` for ``actor`` (an account; None for the system).

    Raises RuntimeError when no recorder is registered: nothing is written unrecorded.
    """
    if not _recorder:
        raise RuntimeError("no record log registered: core changes cannot be recorded")
    if actor is None:
        actor_id, actor_name, role = None, "系统", "system"
    else:
        name = getattr(actor, "display_name", "") or actor.get_username()
        actor_id, actor_name, role = actor.pk, name, getattr(actor, "role", "") or "admin"
    return _recorder[0](
        actor_id=actor_id, actor_name=actor_name, role=role, action=action, payload=payload
    )
