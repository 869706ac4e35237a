"""Which scope a supervisor account may be given (《行政执法监督条例》第六条、第四十二条).

Pure: given the facts the registry holds of the account's agency, return quietly or raise
:class:`RuleViolation` naming the article. What each scope lets the account see and do is
``zhifa.supervision.scope``; the scope itself is explicit on the account
(``Account.supervision_scope``, docs/decisions.md), never guessed from a body's name.
"""

from __future__ import annotations

from zhifa.core.exceptions import RuleViolation

ORDER = "《行政执法监督条例》（国务院令第825号）"
SYSTEM_RULE = f"{ORDER}第四十二条"
ASSIST_RULE = f"{ORDER}第六条第二款"

REGION, SYSTEM, ASSIST = "region", "system", "assist"
SCOPES = (REGION, SYSTEM, ASSIST)


def scope_fits(
    *,
    scope: str,
    role: str,
    has_agency: bool,
    agency_level: str | None,
    parent_level: str | None,
) -> None:
    """- ``region`` (the default): the 司法局 of a region — nothing more to check here.
    - ``system`` (第四十二条): a department supervising its own system — the account belongs to
      that department (its agency); the system is the bodies below it through 上级主体.
    - ``assist`` (第六条第二款): a township 司法所 assisting the county 司法局 — the account's
      agency is a township-level body whose 上级主体 is a county-level body (the bureau)."""
    if scope not in SCOPES:
        raise RuleViolation(f"监督范围“{scope}”无效", field="supervision_scope")
    if scope == REGION:
        return
    if role != "supervisor":
        raise RuleViolation(
            "只有执法监督人员可以指定本系统内部监督或者司法所协助的监督范围",
            field="supervision_scope",
            article=SYSTEM_RULE if scope == SYSTEM else ASSIST_RULE,
        )
    if scope == SYSTEM and not has_agency:
        raise RuleViolation(
            "本系统内部监督的执法监督人员须属于实施监督的部门（所属主体）",
            field="agency",
            article=SYSTEM_RULE,
        )
    if scope == ASSIST and (agency_level != "township" or parent_level != "county"):
        raise RuleViolation(
            "司法所协助的执法监督人员须属于乡镇（街道）司法所，且该司法所的上级主体为县级司法行政部门",
            field="agency",
            article=ASSIST_RULE,
        )
