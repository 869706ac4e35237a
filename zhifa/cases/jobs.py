"""The cases app's scheduled job (registered in ``CasesConfig.ready``, run by ``zhifa cron``):
once a day, count provisional deadlines again, so that a year's holidays entered by the
administrator reach every case without anyone running ``zhifa recount-deadlines``."""

from __future__ import annotations

from datetime import datetime

from .selectors import cases_with_provisional_deadlines
from .services import cases_deadlines_recount


def deadlines_recount_needed(now: datetime) -> bool:
    """Any case whose deadlines are still provisional."""
    return cases_with_provisional_deadlines().exists()


def deadlines_recount_job(now: datetime) -> str:
    return str(cases_deadlines_recount())
