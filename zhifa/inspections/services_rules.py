"""Writes of caps (年度频次上限) and quiet periods (企业安静期): data kept with their sources.

Each service is one transaction and appends one record entry (no case) naming the row with its
whole state, so ``zhifa verify`` replays every ``Cap`` and ``QuietPeriod`` row against its last
entry (:func:`rules_replay_check`). Nothing is deleted or overwritten: a row is ended (``active``
off, with the reason recorded; a quiet period also gets its ``valid_to``) and a changed rule is
a new row.

Who may write: the system administrator; an administrator or supervisor of a region for rows of
their region (a row without a region is province- or nation-wide: system administrator only).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from django.db import transaction

from zhifa.core.exceptions import RuleViolation
from zhifa.core.identifiers import division_contains, is_valid_division_code
from zhifa.record.models import Entry
from zhifa.record.services import record_append
from zhifa.record.verification import Problem
from zhifa.registry.models import Account, Agency, Domain
from zhifa.registry.selectors import is_system_admin

from . import quiet_periods as quiet_rule
from .models import Cap, Entity, Ground, Inspection, QuietPeriod, RiskClass

ACTION_LABELS: dict[str, str] = {
    "inspections.cap.create": "设定检查频次上限",
    "inspections.cap.end": "停用检查频次上限",
    "inspections.quiet_period.create": "设定企业安静期",
    "inspections.quiet_period.end": "终止企业安静期",
}
Role = Account.Role


def may_manage_rules(account: Account) -> bool:
    return (
        account.is_authenticated
        and account.is_active
        and (is_system_admin(account) or account.role in (Role.ADMIN, Role.SUPERVISOR))
        and (is_system_admin(account) or bool(account.region_code))
    )


def _require_manager(actor: Account, region_code: str) -> None:
    if not may_manage_rules(actor):
        raise RuleViolation("只有本辖区的系统管理员或执法监督人员可以维护检查频次上限和企业安静期")
    if is_system_admin(actor):
        return
    if not region_code:
        raise RuleViolation(
            "未限定区域的规则只能由系统管理员设定；请填写适用区域", field="region_code"
        )
    if not division_contains(actor.region_code, region_code):
        raise RuleViolation("只能为本辖区设定规则", field="region_code")


def _record(actor: Account | None, action: str, payload: dict[str, Any]) -> Entry:
    assert action in ACTION_LABELS, action
    if actor is None:  # the demo loader
        return record_append(
            actor_id=None, actor_name="系统", role="system", action=action, payload=payload
        )
    return record_append(
        actor_id=actor.pk,
        actor_name=actor.display_name or actor.get_username(),
        role=actor.role,
        action=action,
        payload=payload,
    )


def cap_state(cap: Cap) -> dict[str, Any]:
    """The row's whole state as recorded (and replayed)."""
    return {
        "model": "inspections.cap",
        "id": cap.pk,
        "name": cap.name,
        "domain": cap.domain_id,
        "power_code": cap.power_code,
        "level": cap.level,
        "region_code": cap.region_code,
        "risk_class": cap.risk_class,
        "limit": cap.limit,
        "counted_grounds": list(cap.counted_grounds),
        "override_allowed": cap.override_allowed,
        "source": cap.source,
        "active": cap.active,
    }


def quiet_period_state(period: QuietPeriod) -> dict[str, Any]:
    return {
        "model": "inspections.quiet_period",
        "id": period.pk,
        "name": period.name,
        "region_code": period.region_code,
        "days": [list(r) for r in period.days],
        "categories": list(period.categories),
        "entities": sorted(period.entities.values_list("pk", flat=True)),
        "exception_grounds": list(period.exception_grounds),
        "filing_lead_days": period.filing_lead_days,
        "filing_to": period.filing_to,
        "valid_from": period.valid_from.isoformat(),
        "valid_to": period.valid_to.isoformat() if period.valid_to else None,
        "source": period.source,
        "active": period.active,
    }


def _check_region(region_code: str) -> str:
    region_code = region_code.strip()
    if region_code and not is_valid_division_code(region_code):
        raise RuleViolation("适用区域应为6位行政区划代码", field="region_code")
    return region_code


@transaction.atomic
def cap_create(
    *,
    actor: Account | None,
    name: str,
    limit: int,
    source: str,
    counted_grounds: Sequence[str],
    domain: Domain | None = None,
    power_code: str = "",
    level: str = "",
    region_code: str = "",
    risk_class: str = "",
    override_allowed: bool = False,
) -> Cap:
    """A cap with its source. Refuses a cap without a source, a name or a positive limit, one
    that names neither a domain nor an item code, and unknown levels, classes or grounds.
    ``actor`` None: the demo loader."""
    region_code = _check_region(region_code)
    if actor is not None:
        _require_manager(actor, region_code)
    if not name.strip():
        raise RuleViolation("请填写上限名称", field="name")
    if not source.strip():
        raise RuleViolation("频次上限须注明依据（文件名称及文号）", field="source")
    if limit < 1:
        raise RuleViolation("年度上限至少为1次", field="limit")
    if domain is None and not power_code.strip():
        raise RuleViolation("请选择执法领域或填写检查事项编码", field="domain")
    if level and level not in Agency.Level.values:
        raise RuleViolation("实施层级无效", field="level")
    if risk_class and risk_class not in RiskClass.values:
        raise RuleViolation("信用风险分类无效", field="risk_class")
    unknown = set(counted_grounds) - set(Ground.values)
    if unknown or not counted_grounds:
        raise RuleViolation("请选择计入频次的检查类型", field="counted_grounds")
    cap = Cap.objects.create(
        name=name.strip(),
        domain=domain,
        power_code=power_code.strip(),
        level=level,
        region_code=region_code,
        risk_class=risk_class,
        limit=limit,
        counted_grounds=[g for g in Ground.values if g in counted_grounds],
        override_allowed=override_allowed,
        source=source.strip(),
    )
    _record(actor, "inspections.cap.create", cap_state(cap))
    return cap


@transaction.atomic
def cap_end(*, actor: Account, cap: Cap, reason: str) -> Cap:
    """Stop applying a cap (kept, with the reason recorded)."""
    cap = Cap.objects.select_for_update().get(pk=cap.pk)
    _require_manager(actor, cap.region_code)
    if not cap.active:
        raise RuleViolation("该频次上限已停用")
    if not reason.strip():
        raise RuleViolation("请说明停用理由", field="reason")
    cap.active = False
    cap.save(update_fields=["active"])
    _record(actor, "inspections.cap.end", {**cap_state(cap), "reason": reason.strip()})
    return cap


@transaction.atomic
def quiet_period_create(
    *,
    actor: Account | None,
    name: str,
    region_code: str,
    days: Sequence[Sequence[int]],
    source: str,
    valid_from: date,
    exception_grounds: Sequence[str],
    categories: Sequence[str] = (),
    entities: Iterable[Entity] = (),
    filing_lead_days: int | None = None,
    filing_to: str = "",
    valid_to: date | None = None,
) -> QuietPeriod:
    """A quiet period of a region with its source. Refuses bad day ranges, a period ending
    before it starts, unknown categories or exception grounds, a negative lead time, and
    entities outside the region."""
    region_code = _check_region(region_code)
    if not region_code:
        raise RuleViolation("请填写适用区域", field="region_code")
    if actor is not None:
        _require_manager(actor, region_code)
    if not name.strip():
        raise RuleViolation("请填写名称", field="name")
    if not source.strip():
        raise RuleViolation("企业安静期须注明依据（文件名称及文号）", field="source")
    ranges = quiet_rule.validate_days(days)
    if valid_to is not None and valid_to < valid_from:
        raise RuleViolation("失效日期不得早于生效日期", field="valid_to")
    from .models import ScaleCategory

    if set(categories) - set(ScaleCategory.values):
        raise RuleViolation("适用企业类别无效", field="categories")
    if set(exception_grounds) - set(Inspection.QuietException.values):
        raise RuleViolation("例外情形无效", field="exception_grounds")
    if filing_lead_days is not None and filing_lead_days < 0:
        raise RuleViolation("提前报备天数不得为负数", field="filing_lead_days")
    named = list(entities)
    outside = [e for e in named if not division_contains(region_code, e.division_code)]
    if outside:
        raise RuleViolation(f"{outside[0].name}不在适用区域内", field="entities")
    period = QuietPeriod.objects.create(
        name=name.strip(),
        region_code=region_code,
        days=[list(r) for r in ranges],
        categories=[c for c in ScaleCategory.values if c in categories],
        exception_grounds=[g for g in Inspection.QuietException.values if g in exception_grounds],
        filing_lead_days=filing_lead_days,
        filing_to=filing_to.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        source=source.strip(),
    )
    if named:
        period.entities.set(named)
    _record(actor, "inspections.quiet_period.create", quiet_period_state(period))
    return period


@transaction.atomic
def quiet_period_end(*, actor: Account, period: QuietPeriod, on: date, reason: str) -> QuietPeriod:
    """End a quiet period on ``on`` (its last day; kept, with the reason recorded)."""
    period = QuietPeriod.objects.select_for_update().get(pk=period.pk)
    _require_manager(actor, period.region_code)
    if not period.active or (period.valid_to is not None and period.valid_to <= on):
        raise RuleViolation("该企业安静期已终止")
    if not reason.strip():
        raise RuleViolation("请说明终止理由", field="reason")
    if on < period.valid_from:
        raise RuleViolation("终止日期不得早于生效日期", field="on")
    period.valid_to = on
    period.save(update_fields=["valid_to"])
    _record(
        actor,
        "inspections.quiet_period.end",
        {**quiet_period_state(period), "reason": reason.strip()},
    )
    return period


# -- zhifa verify ------------------------------------------------------------------------------


def rules_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """Every cap and quiet-period row against the state its last entry recorded, and every row
    recorded. Case groups are not read: these entries have no case."""
    del groups
    last: dict[tuple[str, int], tuple[dict[str, Any], int]] = {}
    for entry in Entry.objects.filter(action__in=list(ACTION_LABELS)).order_by("seq"):
        data = dict(entry.data)
        data.pop("reason", None)
        last[(str(data["model"]), int(data["id"]))] = (data, entry.seq)
    rows: list[tuple[str, Any]] = [("inspections.cap", c) for c in Cap.objects.order_by("pk")]
    rows += [
        ("inspections.quiet_period", p)
        for p in QuietPeriod.objects.prefetch_related("entities").order_by("pk")
    ]
    for model, row in rows:
        state = cap_state(row) if model == "inspections.cap" else quiet_period_state(row)
        known = last.get((model, row.pk))
        if known is None:
            yield Problem(
                kind="inspection_rule_unrecorded", message=f"{model} {row.pk}未见于全过程记录"
            )
        elif known[0] != state:
            yield Problem(
                kind="inspection_rule_mismatch",
                seq=known[1],
                message=f"{model} {row.pk}与全过程记录不一致",
            )
