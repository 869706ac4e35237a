"""Writes of the directory part: the 检查对象名录库 (entities and 回避 conflicts), inspection plans
(年度检查计划, 专项检查计划) and joint inspections (综合查一次).

Every service runs in one transaction, checks who may act and the rule it applies (refusing
with :class:`RuleViolation` naming the rule and its source), writes its rows, and appends its
record entry carrying the rows it wrote (the entity, the conflict, the plan, the joint
inspection as they are after the change). Nothing is deleted: an entity that closes changes its
status, a conflict ends on a day, a plan is withdrawn with a reason, a merge is declined with a
reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction

from zhifa.core.exceptions import InvalidIdentifier, RuleViolation
from zhifa.core.identifiers import validate_credit_code, validate_division_code
from zhifa.record.models import Entry
from zhifa.record.services import record_append
from zhifa.registry.models import Account, Agency, Officer, PowerItem

from .models import (
    Conflict,
    Entity,
    Inspection,
    JointInspection,
    Plan,
    RiskClass,
    ScaleCategory,
)
from .selectors_directory import (
    directory_region,
    in_region,
    may_decide_joint,
    may_manage_directory,
    may_manage_plans,
)

ACTION_LABELS: dict[str, str] = {
    "inspections.entity.create": "登记检查对象",
    "inspections.entity.update": "变更检查对象信息",
    "inspections.entity.load": "批量载入检查对象",
    "inspections.conflict.register": "登记执法人员回避",
    "inspections.conflict.end": "解除执法人员回避",
    "inspections.plan.create": "制定检查计划",
    "inspections.plan.approve": "登记专项检查计划批准",
    "inspections.plan.publish": "公布检查计划",
    "inspections.plan.withdraw": "撤回检查计划",
    "inspections.joint.agree": "确定联合检查（综合查一次）",
    "inspections.joint.decline": "不予合并检查",
    # on each inspection's case, carrying the inspection row as the core's entries do
    "inspection.joint_agree": "列入联合检查（综合查一次）",
    "inspection.joint_decline": "决定不合并检查",
}

ENTITY_FIELDS = (
    "credit_code",
    "name",
    "legal_representative",
    "address",
    "division_code",
    "industry",
    "scale_category",
    "risk_class",
    "status",
)
_DIRECTORY_RULE = "国办发〔2015〕58号（二）检查对象名录库"
_SPECIAL_PLAN_RULE = "国办发〔2024〕54号（六）"
_JOINT_RULE = "《北京市优化营商环境条例》第七十条"


def _record(
    actor: Account | None, action: str, payload: Mapping[str, Any], case_id: int | None = None
) -> Entry:
    assert action in ACTION_LABELS, action
    if actor is None:  # the demo loader
        return record_append(
            actor_id=None,
            actor_name="系统",
            role="system",
            action=action,
            payload=payload,
            case_id=case_id,
        )
    return record_append(
        actor_id=actor.pk,
        actor_name=actor.display_name or actor.get_username(),
        role=actor.role,
        action=action,
        payload=payload,
        case_id=case_id,
    )


def entity_row(entity: Entity) -> dict[str, Any]:
    """The entity as its record entries carry it (what ``zhifa verify`` compares)."""
    return {"id": entity.pk, **{f: getattr(entity, f) for f in ENTITY_FIELDS}}


# -- 检查对象 ------------------------------------------------------------------------------


def entity_fields_clean(data: Mapping[str, Any]) -> dict[str, str]:
    """The entity's fields trimmed and checked; raises RuleViolation naming the field at fault
    (``field`` is the form/import column's key)."""
    out = {f: str(data.get(f, "") or "").strip() for f in ENTITY_FIELDS}
    for f, label in (
        ("name", "名称"),
        ("credit_code", "统一社会信用代码"),
        ("division_code", "行政区划代码"),
    ):
        if not out[f]:
            raise RuleViolation(f"{label}不能为空", field=f)
    try:
        out["credit_code"] = validate_credit_code(out["credit_code"])
    except InvalidIdentifier as exc:
        raise RuleViolation(exc.message, article=exc.article, field="credit_code") from None
    try:
        out["division_code"] = validate_division_code(out["division_code"])
    except InvalidIdentifier as exc:
        raise RuleViolation(exc.message, article=exc.article, field="division_code") from None
    out["risk_class"] = out["risk_class"].upper() or RiskClass.B
    if out["risk_class"] not in RiskClass.values:
        raise RuleViolation("信用风险分类应为A、B、C或D", field="risk_class")
    if out["scale_category"] and out["scale_category"] not in ScaleCategory.values:
        raise RuleViolation("规模类别无效", field="scale_category")
    out["status"] = out["status"] or Entity.Status.ACTIVE
    if out["status"] not in Entity.Status.values:
        raise RuleViolation("状态无效", field="status")
    return out


def _require_directory_manager(actor: Account, division_code: str) -> None:
    if not may_manage_directory(actor) or not in_region(directory_region(actor), division_code):
        raise RuleViolation(
            "只有本辖区的系统管理员可以维护检查对象名录库",
            article=_DIRECTORY_RULE,
            field="division_code",
        )


@transaction.atomic
def entity_create(*, actor: Account, **data: Any) -> Entity:
    """Register one entity (fields of :data:`ENTITY_FIELDS`); the 统一社会信用代码 is checked
    (GB 32100-2015) and unique. Refuses an actor who does not manage the directory of the
    entity's division."""
    fields = entity_fields_clean(data)
    _require_directory_manager(actor, fields["division_code"])
    if Entity.objects.filter(credit_code=fields["credit_code"]).exists():
        raise RuleViolation("该统一社会信用代码的检查对象已登记", field="credit_code")
    entity = Entity.objects.create(**fields)
    _record(actor, "inspections.entity.create", {"entity": entity_row(entity)})
    return entity


@transaction.atomic
def entity_update(*, actor: Account, entity: Entity, **data: Any) -> Entity:
    """Change an entity's fields (its status too: an entity is never deleted, it closes). The
    credit code stays. Records the entity before and after; an unchanged entity records
    nothing and is returned as it is."""
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    _require_directory_manager(actor, entity.division_code)
    merged = {**entity_row(entity), **data, "credit_code": entity.credit_code}
    fields = entity_fields_clean(merged)
    _require_directory_manager(actor, fields["division_code"])
    before = entity_row(entity)
    for f, value in fields.items():
        setattr(entity, f, value)
    after = entity_row(entity)
    if after == before:
        return entity
    entity.save()
    changed = sorted(k for k in after if after[k] != before[k])
    _record(
        actor,
        "inspections.entity.update",
        {"entity": after, "before": {k: before[k] for k in changed}, "changed": changed},
    )
    return entity


def entities_load(entities: Sequence[Entity]) -> int:
    """The demo's bulk load: create ``entities`` at once and record them, 500 rows an entry."""
    created = Entity.objects.bulk_create(entities, batch_size=1000)
    codes = [e.credit_code for e in created]
    for start in range(0, len(codes), 500):
        rows = Entity.objects.filter(credit_code__in=codes[start : start + 500]).order_by("pk")
        _record(None, "inspections.entity.load", {"entities": [entity_row(e) for e in rows]})
    return len(created)


# -- 回避 ----------------------------------------------------------------------------------

_RECUSAL_RULE = "国办发〔2015〕58号（二）；《行政处罚法》第四十三条"


def _may_register_conflict(actor: Account, officer: Officer) -> bool:
    if may_manage_directory(actor):
        return True
    return actor.role == Account.Role.HEAD and actor.agency_id == officer.agency_id


@transaction.atomic
def conflict_register(
    *, actor: Account, officer: Officer, entity: Entity, reason: str, on: date
) -> Conflict:
    """Record that ``officer`` has a conflict with ``entity`` from ``on`` (回避): the officer's
    agency head or a directory manager records it; the reason is required."""
    if not _may_register_conflict(actor, officer):
        raise RuleViolation("只有执法人员所在机关负责人或系统管理员可以登记回避")
    reason = reason.strip()
    if not reason:
        raise RuleViolation("请填写回避事由", field="reason")
    if Conflict.objects.filter(officer=officer, entity=entity, ended_on__isnull=True).exists():
        raise RuleViolation("该执法人员与该检查对象已登记回避", field="officer")
    conflict = Conflict.objects.create(
        officer=officer, entity=entity, reason=reason, declared_on=on, recorded_by=actor
    )
    _record(
        actor,
        "inspections.conflict.register",
        {"conflict": _conflict_row(conflict), "rule": _RECUSAL_RULE},
    )
    return conflict


@transaction.atomic
def conflict_end(*, actor: Account, conflict: Conflict, on: date, reason: str) -> Conflict:
    """End a conflict on ``on`` with a reason; the row stays."""
    conflict = Conflict.objects.select_for_update().select_related("officer").get(pk=conflict.pk)
    if not _may_register_conflict(actor, conflict.officer):
        raise RuleViolation("只有执法人员所在机关负责人或系统管理员可以解除回避")
    if conflict.ended_on is not None:
        raise RuleViolation("该回避已解除")
    if on < conflict.declared_on:
        raise RuleViolation("解除日期不能早于登记日期", field="on")
    if not reason.strip():
        raise RuleViolation("请填写解除理由", field="reason")
    conflict.ended_on = on
    conflict.save(update_fields=["ended_on"])
    _record(
        actor,
        "inspections.conflict.end",
        {"conflict": _conflict_row(conflict), "reason": reason.strip()},
    )
    return conflict


def _conflict_row(conflict: Conflict) -> dict[str, Any]:
    return {
        "id": conflict.pk,
        "officer": conflict.officer_id,
        "entity": conflict.entity_id,
        "reason": conflict.reason,
        "declared_on": conflict.declared_on,
        "ended_on": conflict.ended_on,
    }


# -- 检查计划 -------------------------------------------------------------------------------


def plan_row(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "agency": plan.agency_id,
        "kind": plan.kind,
        "year": plan.year,
        "title": plan.title,
        "items": sorted(plan.items.values_list("pk", flat=True)),
        "subjects": plan.subjects,
        "method": plan.method,
        "ratio": plan.ratio,
        "frequency": plan.frequency,
        "starts_on": plan.starts_on,
        "ends_on": plan.ends_on,
        "necessity": plan.necessity,
        "region": plan.region,
        "approved_by_body": plan.approved_by_body,
        "approval_document": plan.approval_document,
        "approved_on": plan.approved_on,
        "status": plan.status,
        "published_on": plan.published_on,
        "withdrawal_reason": plan.withdrawal_reason,
    }


def _required(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise RuleViolation(f"{label}不能为空", field=field)
    return value


@transaction.atomic
def plan_create(
    *,
    actor: Account,
    agency: Agency,
    kind: str,
    year: int,
    title: str,
    items: Sequence[PowerItem],
    subjects: str,
    method: str,
    ratio: str = "",
    frequency: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    necessity: str = "",
    region: str = "",
) -> Plan:
    """A draft plan of ``agency``: an annual plan (主体、对象范围、方式、事项、比例、频次 —
    北京条例第六十七条) or a 专项检查 plan, which also needs its necessity assessment and its
    area (54号（六）: 作评估、定计划). Its items must be the agency's published 行政检查 items."""
    if not may_manage_plans(actor, agency):
        raise RuleViolation("只有本机关的执法人员或负责人可以制定检查计划")
    if kind not in Plan.Kind.values:
        raise RuleViolation("计划类别无效", field="kind")
    fields = {
        "title": _required(title, "title", "计划名称"),
        "subjects": _required(subjects, "subjects", "检查对象范围"),
        "method": _required(method, "method", "检查方式"),
        "ratio": ratio.strip(),
        "frequency": frequency.strip(),
        "necessity": necessity.strip(),
        "region": region.strip(),
    }
    if kind == Plan.Kind.ANNUAL:
        _required(ratio, "ratio", "检查比例")
        _required(frequency, "frequency", "检查频次")
    else:
        _required(necessity, "necessity", "必要性评估")
        _required(region, "region", "地域范围")
    if starts_on and ends_on and ends_on < starts_on:
        raise RuleViolation("结束日期不能早于开始日期", field="ends_on")
    if not items:
        raise RuleViolation("请至少选择一个检查事项", field="items")
    foreign = [i for i in items if i.agency_id != agency.pk or i.status != "published"]
    if foreign:
        raise RuleViolation(
            f"检查事项“{foreign[0].name}”不是本机关已发布的事项（未经公布的，不得实施）",
            article="国办发〔2024〕54号（三）",
            field="items",
        )
    plan = Plan.objects.create(
        agency=agency, kind=kind, year=year, starts_on=starts_on, ends_on=ends_on, **fields
    )
    plan.items.set(items)
    _record(actor, "inspections.plan.create", {"plan": plan_row(plan)})
    return plan


def _plan_locked(plan: Plan, actor: Account) -> Plan:
    plan = Plan.objects.select_for_update().select_related("agency").get(pk=plan.pk)
    if not (may_manage_plans(actor, plan.agency) and actor.role in ("head", "admin")):
        raise RuleViolation("只有本机关负责人可以批准、公布或撤回检查计划")
    return plan


def special_plan_approver() -> tuple[str, str]:
    """Who approves a 专项检查 plan in this deployment, and the source of that setting."""
    return (
        getattr(settings, "ZHIFA_INSPECTION_SPECIAL_PLAN_APPROVER", "县级以上人民政府"),
        getattr(settings, "ZHIFA_INSPECTION_SPECIAL_PLAN_APPROVER_SOURCE", _SPECIAL_PLAN_RULE),
    )


@transaction.atomic
def plan_approve(
    *, actor: Account, plan: Plan, approved_by_body: str, approval_document: str, on: date
) -> Plan:
    """Record the approval of a 专项检查 plan by the government level the deployment sets
    (:func:`special_plan_approver`): the approving body, its document number and date."""
    plan = _plan_locked(plan, actor)
    if plan.kind != Plan.Kind.SPECIAL:
        raise RuleViolation("只有专项检查计划需要登记批准")
    if plan.status != Plan.Status.DRAFT:
        raise RuleViolation("只有草稿状态的计划可以登记批准")
    level, source = special_plan_approver()
    plan.approved_by_body = _required(approved_by_body, "approved_by_body", "批准机关")
    plan.approval_document = _required(approval_document, "approval_document", "批准文号")
    plan.approved_on = on
    plan.status = Plan.Status.APPROVED
    plan.save()
    _record(
        actor,
        "inspections.plan.approve",
        {"plan": plan_row(plan), "approver_level": level, "source": source},
    )
    return plan


@transaction.atomic
def plan_publish(*, actor: Account, plan: Plan, on: date) -> Plan:
    """Publish a plan on the portal on ``on``. A 专项检查 plan must be approved first (54号
    （六）: 经批准…向社会公布); an annual plan is published from its draft."""
    plan = _plan_locked(plan, actor)
    if plan.kind == Plan.Kind.SPECIAL and plan.status != Plan.Status.APPROVED:
        raise RuleViolation("专项检查计划须经批准后方可公布", article=_SPECIAL_PLAN_RULE)
    if plan.kind == Plan.Kind.ANNUAL and plan.status != Plan.Status.DRAFT:
        raise RuleViolation("只有草稿状态的年度检查计划可以公布")
    plan.status = Plan.Status.PUBLISHED
    plan.published_on = on
    plan.save()
    _record(actor, "inspections.plan.publish", {"plan": plan_row(plan)})
    return plan


@transaction.atomic
def plan_withdraw(*, actor: Account, plan: Plan, on: date, reason: str) -> Plan:
    """Take a published plan down with a reason; it stays on record (and its publication day
    stays: whether the agency published on time does not change)."""
    plan = _plan_locked(plan, actor)
    if plan.status != Plan.Status.PUBLISHED:
        raise RuleViolation("只有已公布的计划可以撤回")
    plan.withdrawal_reason = _required(reason, "reason", "撤回原因")
    plan.status = Plan.Status.WITHDRAWN
    plan.save()
    _record(actor, "inspections.plan.withdraw", {"plan": plan_row(plan), "on": on})
    return plan


# -- 综合查一次 -----------------------------------------------------------------------------

PLANNED_STATES = (Inspection.State.REQUESTED, Inspection.State.APPROVED)


def _joint_row(joint: JointInspection) -> dict[str, Any]:
    return {
        "id": joint.pk,
        "entity": joint.entity_id,
        "lead_agency": joint.lead_agency_id,
        "visit_on": joint.visit_on,
        "checklist": joint.checklist,
        "documents_requested": joint.documents_requested,
        "state": joint.state,
        "decline_reason": joint.decline_reason,
        "inspections": sorted(joint.inspections.values_list("pk", flat=True)),
    }


def _joint_inspections_locked(
    actor: Account, inspections: Sequence[Inspection]
) -> list[Inspection]:
    ids = sorted({i.pk for i in inspections})
    rows = list(
        Inspection.objects.select_for_update()
        .filter(pk__in=ids)
        .select_related("agency", "entity", "power_item", "case")
        .order_by("planned_on", "pk")
    )
    if len(rows) != len(ids) or len(rows) < 2:
        raise RuleViolation("联合检查至少包括两项检查")
    if len({i.entity_id for i in rows}) != 1:
        raise RuleViolation("联合检查的各项检查须针对同一检查对象", article=_JOINT_RULE)
    if len({i.agency_id for i in rows}) < 2:
        raise RuleViolation("联合检查须由两个以上部门参加", article=_JOINT_RULE)
    for i in rows:
        if i.joint_id is not None:
            raise RuleViolation(f"检查“{i}”已列入联合检查或已决定不合并")
        if i.state not in PLANNED_STATES or i.visits.exists():
            raise RuleViolation(f"检查“{i}”已实施或已结束，不能再合并")
    if not may_decide_joint(actor, rows):
        raise RuleViolation("只有参加检查的部门负责人或执法监督人员可以决定是否合并检查")
    return rows


@transaction.atomic
def joint_inspection_agree(
    *,
    actor: Account,
    inspections: Sequence[Inspection],
    visit_on: date,
    lead_agency: Agency,
    documents_requested: Sequence[str] = (),
) -> JointInspection:
    """Merge planned inspections of one entity by several agencies into one joint inspection:
    one visit day, one team (the officers of every inspection), one combined checklist (the
    agencies' items, each once) and the documents requested once. Each inspection keeps its
    case, where its agency records its own findings; its planned day becomes the visit day.
    Records on the record log and on every inspection's case."""
    rows = _joint_inspections_locked(actor, inspections)
    if lead_agency.pk not in {i.agency_id for i in rows}:
        raise RuleViolation("牵头部门须是参加联合检查的部门之一", field="lead_agency")
    checklist: list[dict[str, Any]] = []
    seen: set[int] = set()
    for i in rows:
        if i.power_item_id in seen:
            continue
        seen.add(i.power_item_id)
        checklist.append(
            {
                "agency": i.agency.name,
                "item_code": i.power_item.code,
                "item": i.power_item.name,
                "inspection": i.pk,
            }
        )
    documents = [d.strip() for d in documents_requested if d.strip()]
    joint = JointInspection.objects.create(
        entity=rows[0].entity,
        lead_agency=lead_agency,
        visit_on=visit_on,
        checklist=checklist,
        documents_requested=list(dict.fromkeys(documents)),
        state=JointInspection.State.AGREED,
    )
    for i in rows:
        i.joint = joint
        i.planned_on = visit_on
        i.save(update_fields=["joint", "planned_on"])
    _joint_record(actor, joint, rows, "agree")
    return joint


@transaction.atomic
def joint_inspection_decline(
    *, actor: Account, inspections: Sequence[Inspection], reason: str
) -> JointInspection:
    """Decide that the proposed inspections stay separate, with a reason (e.g. different
    specialities, a statutory deadline); they are then no longer proposed."""
    rows = _joint_inspections_locked(actor, inspections)
    reason = _required(reason, "reason", "不合并理由")
    joint = JointInspection.objects.create(
        entity=rows[0].entity,
        lead_agency=rows[0].agency,
        visit_on=rows[0].planned_on,
        state=JointInspection.State.DECLINED,
        decline_reason=reason,
    )
    for i in rows:
        i.joint = joint
        i.save(update_fields=["joint"])
    _joint_record(actor, joint, rows, "decline")
    return joint


def _joint_record(
    actor: Account, joint: JointInspection, rows: Sequence[Inspection], what: str
) -> None:
    """One entry for the joint inspection, and on every inspection's case one carrying the
    inspection row (what the core's replay compares) and the joint inspection."""
    from .services import inspection_plain

    joint_row = _joint_row(joint)
    _record(actor, f"inspections.joint.{what}", {"joint": joint_row})
    for i in rows:
        _record(
            actor,
            f"inspection.joint_{what}",
            {"inspection": inspection_plain(i), "joint": joint_row},
            case_id=i.case_id,
        )
