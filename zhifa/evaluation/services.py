"""Writes of the evaluation core: scoring templates. Each part of the app keeps its own
``services_<part>.py`` with the same contract.

Contract of every evaluation service:

- one transaction (``@transaction.atomic``), keyword-only ``actor=`` and the day ``on=`` (no
  rule reads the clock);
- it checks who acts and the rule, raising :class:`RuleViolation` with the Chinese message and
  the article or provincial rule it comes from; nothing is written when it refuses;
- it writes its rows and appends one record entry through ``recording.record_rows`` carrying
  them, so ``zhifa verify`` replays every evaluation table;
- nothing is deleted or overwritten: a published template version is frozen, a signed scoring
  never changes, a later result is a new fact with its reason.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from zhifa.core.exceptions import RuleViolation
from zhifa.registry.models import Account, Agency

from . import scoring
from .models import Template
from .recording import record_rows

ACTION_LABELS = {
    "evaluation.template.create": "新建评查标准",
    "evaluation.template.publish": "发布评查标准",
}

TEMPLATE_RULE = "《广东省行政执法案卷评查办法》第十四条、第十六条、第十七条"


def may_keep_templates(actor: Account) -> bool:
    """Supervisors keep their body's templates; the system administrator the shipped ones."""
    if actor.role == Account.Role.SUPERVISOR and actor.agency_id is not None:
        return True
    return actor.role == Account.Role.ADMIN and not actor.agency_id and not actor.region_code


def template_content_check(content: Any, veto_effect: str) -> scoring.Spec:
    """The parsed template, or RuleViolation naming the section or item at fault."""
    try:
        return scoring.parse_template(content, veto_effect=veto_effect)
    except scoring.TemplateError as exc:
        raise RuleViolation(exc.message, article=TEMPLATE_RULE, field="content") from exc


@transaction.atomic
def template_create(
    *,
    actor: Account,
    key: str,
    name: str,
    issuer: str,
    applies_to: str,
    valid_from: date,
    content: dict[str, Any],
    on: date,
    source: str = "",
    valid_until: date | None = None,
    veto_effect: str = Template.VetoEffect.FAIL,
    previous: Template | None = None,
) -> Template:
    """A new draft template (version 1, or the next version of ``previous``), its content
    validated. Recorded as ``evaluation.template.create``."""
    from zhifa.cases.models import Case

    if not may_keep_templates(actor):
        raise RuleViolation("只有行政执法监督机构的人员可以维护评查标准", article=TEMPLATE_RULE)
    if not key.strip() or not name.strip() or not issuer.strip():
        raise RuleViolation("请填写标准代码、名称和制定机关", article=TEMPLATE_RULE)
    if applies_to not in Case.Kind.values:
        raise RuleViolation("请选择适用的案卷类别", article=TEMPLATE_RULE, field="applies_to")
    if valid_until is not None and valid_until < valid_from:
        raise RuleViolation("废止日期不能早于施行日期", article=TEMPLATE_RULE, field="valid_until")
    template_content_check(content, veto_effect)
    version = 1
    if previous is not None:
        if previous.key != key:
            raise RuleViolation("新版本应沿用原标准代码", article=TEMPLATE_RULE, field="key")
        if Template.objects.filter(previous=previous).exists():
            raise RuleViolation("该版本已有后续版本", article=TEMPLATE_RULE)
        version = previous.version + 1
    elif Template.objects.filter(key=key).exists():
        raise RuleViolation(f"标准代码{key}已被使用", article=TEMPLATE_RULE, field="key")
    owner = Agency.objects.get(pk=actor.agency_id) if actor.agency_id else None
    template = Template.objects.create(
        key=key.strip(),
        version=version,
        previous=previous,
        owner=owner,
        name=name.strip(),
        issuer=issuer.strip(),
        source=source.strip(),
        applies_to=applies_to,
        valid_from=valid_from,
        valid_until=valid_until,
        veto_effect=veto_effect,
        content=content,
        created_by=actor,
    )
    record_rows(actor, "evaluation.template.create", [template], on=on)
    return template


@transaction.atomic
def template_publish(*, actor: Account, template: Template, on: date) -> Template:
    """Publish a draft: from now on it never changes and campaigns may use it. The previous
    version, if published, is retired (campaigns that use it keep it). Recorded as
    ``evaluation.template.publish`` with both rows."""
    template = Template.objects.select_for_update().get(pk=template.pk)
    if not may_keep_templates(actor) or (
        template.owner_id is not None and template.owner_id != actor.agency_id
    ):
        raise RuleViolation("只有制定该标准的机构可以发布评查标准", article=TEMPLATE_RULE)
    if template.status != Template.Status.DRAFT:
        raise RuleViolation(
            "该版本已发布，不能再次发布；如需修改请建立新版本", article=TEMPLATE_RULE
        )
    template_content_check(template.content, template.veto_effect)
    template.status = Template.Status.PUBLISHED
    template.published_on = on
    template.save(update_fields=["status", "published_on"])
    rows: list[Template] = [template]
    if template.previous_id is not None:
        prev = Template.objects.select_for_update().get(pk=template.previous_id)
        if prev.status == Template.Status.PUBLISHED:
            prev.status = Template.Status.RETIRED
            prev.save(update_fields=["status"])
            rows.append(prev)
    record_rows(actor, "evaluation.template.publish", rows, on=on)
    return template
