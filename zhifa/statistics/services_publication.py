"""Publishing an accepted annual report on the portal (年度数据公开); recorded.

``filing_publish`` marks the filing 已公开 with its date and appends one entry in the same
transaction, whose payload carries the filing's row as now stored (the shape the statistics'
replay reads: ``rows: {"statistics.filing:<id>": {...}}``) and the digest of the frozen figures
the portal shows. The figures themselves are not touched: the portal reads them as frozen.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhifa.record.services import record_append
from zhifa.registry.models import Account

from .models import Filing
from .publication import check_publishable

ACTION_PUBLISH = "statistics.filing_publish"
ACTION_LABELS = {ACTION_PUBLISH: "公开年度行政执法统计数据"}


def _value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj: Filing) -> dict[str, Any]:
    return {
        f.attname: _value(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if not f.primary_key and f.name != "entry_seq"
    }


@transaction.atomic
def filing_publish(*, actor: Account, filing: Filing, on: date) -> Filing:
    """Publish ``filing`` (an accepted annual report) on ``on``. Locks the filing; raises
    ``RuleViolation`` (``publication.check_publishable``) otherwise; records
    ``statistics.filing_publish``."""
    locked = Filing.objects.select_for_update().get(pk=filing.pk)
    check_publishable(state=locked.state, quarter=locked.quarter, year=locked.year, on=on)
    locked.state = Filing.State.PUBLISHED
    locked.published_on = on
    locked.updated_by = actor
    entry = record_append(
        actor_id=actor.pk,
        actor_name=actor.display_name or actor.get_username(),
        role=actor.role,
        action=ACTION_PUBLISH,
        payload={
            "filing": locked.pk,
            "agency": locked.agency_id,
            "year": locked.year,
            "on": on.isoformat(),
            "figures_sha256": locked.figures_sha256,
            "rows": {f"statistics.filing:{locked.pk}": _row(locked)},
        },
    )
    locked.entry_seq = entry.seq
    locked.save(update_fields=["state", "published_on", "updated_by", "entry_seq"])
    return locked
