"""The record checks run on one case: gather the case's facts once through the cases, record
and registry selectors, run the checks a template names, return their findings.

The core of the app ships this entry point; the checks themselves and the facts they read are
the "checks" part (``checks_*.py``), registered with ``record_checks.register_check``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .record_checks import CHECKS, Finding


def findings_for(case_id: int, codes: Iterable[str], *, on: date) -> dict[str, Finding]:
    """The findings of the checks ``codes`` on case ``case_id`` as the record stands on ``on``,
    keyed by check code; codes no check is registered for are left out."""
    wanted = [c for c in dict.fromkeys(codes) if c in CHECKS]
    if not wanted:
        return {}
    from .case_facts import case_facts  # the checks part

    facts = case_facts(case_id, on=on)
    return {code: CHECKS[code].run(facts) for code in wanted}
