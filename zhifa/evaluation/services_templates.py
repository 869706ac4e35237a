"""Writes of the templates part: editing a draft, making the next version of a published one,
retiring a version, importing a template. Built on the core's ``template_create`` and
``template_publish`` (``services.py``) and following its contract: one transaction, the actor
and the day given, refusals name the rule, one record entry per call through
``recording.record_rows``.

The rule they keep (《广东省行政执法案卷评查办法》第十四条、第十六条、第十七条 give what a
standard holds; a campaign keeps the version it started with, issue 15): only a draft changes; a
published version is frozen — changing it means a new version, which becomes the standard when
it is published (the one before it is then retired, campaigns that used it keep it).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from zhifa.core.exceptions import RuleViolation
from zhifa.registry.models import Account

from . import services
from .models import Template
from .recording import record_rows
from .services import TEMPLATE_RULE, may_keep_templates, template_content_check

ACTION_LABELS = {
    "evaluation.template.update": "修改评查标准草稿",
    "evaluation.template.new_version": "建立评查标准新版本",
    "evaluation.template.retire": "停用评查标准",
}

FROZEN_RULE = "已发布的评查标准不能修改，评查活动沿用其开始时的版本；如需修改请建立新版本"

HEADER_FIELDS = (
    "name",
    "issuer",
    "source",
    "applies_to",
    "valid_from",
    "valid_until",
    "veto_effect",
    "content",
)


def may_edit(actor: Account, template: Template) -> bool:
    """The body that keeps the template (its supervisors), or the system administrator for the
    shipped ones (no owner)."""
    return may_keep_templates(actor) and template.owner_id == actor.agency_id


def _gate(actor: Account, template: Template) -> None:
    if not may_edit(actor, template):
        raise RuleViolation("只有制定该标准的机构可以维护评查标准", article=TEMPLATE_RULE)


def _locked(template: Template) -> Template:
    return Template.objects.select_for_update().get(pk=template.pk)


@transaction.atomic
def template_update(*, actor: Account, template: Template, on: date, **fields: Any) -> Template:
    """Change a draft's header fields and content (any of ``HEADER_FIELDS``), the content
    validated. A published or retired version is refused: it never changes. Recorded as
    ``evaluation.template.update``."""
    from zhifa.cases.models import Case

    template = _locked(template)
    _gate(actor, template)
    if template.status != Template.Status.DRAFT:
        raise RuleViolation(FROZEN_RULE, article=TEMPLATE_RULE)
    unknown = set(fields) - set(HEADER_FIELDS)
    if unknown:
        raise ValueError(f"unknown template fields: {sorted(unknown)}")
    for name, value in fields.items():
        if isinstance(value, str) and name != "content":
            value = value.strip()
        setattr(template, name, value)
    if not template.name or not template.issuer:
        raise RuleViolation("请填写名称和制定机关", article=TEMPLATE_RULE, field="name")
    if template.applies_to not in Case.Kind.values:
        raise RuleViolation("请选择适用的案卷类别", article=TEMPLATE_RULE, field="applies_to")
    if template.valid_until is not None and template.valid_until < template.valid_from:
        raise RuleViolation("废止日期不能早于施行日期", article=TEMPLATE_RULE, field="valid_until")
    template_content_check(template.content, template.veto_effect)
    template.save(update_fields=list(fields))
    record_rows(actor, "evaluation.template.update", [template], on=on)
    return template


@transaction.atomic
def template_new_version(*, actor: Account, template: Template, on: date) -> Template:
    """A draft of the next version, a copy of the published ``template`` to be edited. The
    published version stays as it is (and in use) until the draft is published. Recorded as
    ``evaluation.template.new_version``."""
    template = _locked(template)
    _gate(actor, template)
    if template.status == Template.Status.DRAFT:
        raise RuleViolation("草稿可以直接修改，无需建立新版本", article=TEMPLATE_RULE)
    following = Template.objects.filter(previous=template).first()
    if following is not None:
        raise RuleViolation(
            f"该版本已有后续版本（第{following.version}版），请在最新版本上修改",
            article=TEMPLATE_RULE,
        )
    draft = Template.objects.create(
        key=template.key,
        version=template.version + 1,
        previous=template,
        owner=template.owner,
        name=template.name,
        issuer=template.issuer,
        source=template.source,
        applies_to=template.applies_to,
        valid_from=template.valid_from,
        valid_until=template.valid_until,
        veto_effect=template.veto_effect,
        content=template.content,
        created_by=actor,
    )
    record_rows(actor, "evaluation.template.new_version", [draft], on=on, copied_from=template.pk)
    return draft


@transaction.atomic
def template_retire(*, actor: Account, template: Template, on: date, reason: str = "") -> Template:
    """Withdraw a published version: new campaigns can no longer choose it; campaigns that use it
    keep it. Recorded as ``evaluation.template.retire`` with the reason."""
    template = _locked(template)
    _gate(actor, template)
    if template.status == Template.Status.DRAFT:
        raise RuleViolation("草稿尚未发布，无需停用", article=TEMPLATE_RULE)
    if template.status == Template.Status.RETIRED:
        raise RuleViolation("该版本已停用", article=TEMPLATE_RULE)
    template.status = Template.Status.RETIRED
    template.save(update_fields=["status"])
    record_rows(actor, "evaluation.template.retire", [template], on=on, reason=reason.strip())
    return template


def latest_version(key: str) -> Template | None:
    return Template.objects.filter(key=key).order_by("-version").first()


@transaction.atomic
def template_import(*, actor: Account, header: dict[str, Any], on: date) -> Template:
    """Create the imported template (``template_transfer`` parsed it) as a draft: version 1 of a
    new key, or the next version of the key's latest version. Never overwrites a version: when
    the key's latest version is still a draft, the import is refused (edit or publish it)."""
    key = str(header.get("key") or "").strip()
    latest = latest_version(key) if key else None
    if latest is not None:
        _gate(actor, latest)
        if latest.status == Template.Status.DRAFT:
            raise RuleViolation(
                f"标准代码{key}已有未发布的草稿（第{latest.version}版），请先修改或发布该草稿",
                article=TEMPLATE_RULE,
                field="key",
            )
    return services.template_create(
        actor=actor,
        key=key,
        name=str(header.get("name") or ""),
        issuer=str(header.get("issuer") or ""),
        source=str(header.get("source") or ""),
        applies_to=str(header.get("applies_to") or ""),
        valid_from=header["valid_from"],
        valid_until=header.get("valid_until"),
        veto_effect=str(header.get("veto_effect") or Template.VetoEffect.FAIL),
        content=header["content"],
        previous=latest,
        on=on,
    )


def register_templates() -> None:
    """Called from ``apps.ready``: the part's action labels."""
    from zhifa.record.action_labels import register_action_labels

    register_action_labels(ACTION_LABELS)
