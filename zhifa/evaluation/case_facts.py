"""One case's facts for the record checks (the "checks" part fills this in): read once per
file through the cases, record and registry selectors."""

from __future__ import annotations

from datetime import date
from typing import Any


def case_facts(case_id: int, *, on: date) -> Any:
    """The facts the registered checks read. No check is registered by the core, so the core
    never calls this with a check to run; the checks part replaces it."""
    raise NotImplementedError("the record checks are not installed")
