"""Document numbers (文书编号): gap-free per agency, document kind and year.

A number looks like ``示范市监罚〔2026〕12号``: the agency's short name (机关代字), the kind's
abbreviation, the year in 〔〕 and the serial. Serials come from one ``DocumentCounter`` row per
(agency, kind, year), locked with ``SELECT … FOR UPDATE`` (on SQLite the IMMEDIATE transaction
serialises writers). The counter is advanced inside the caller's transaction, so a refused or
failed step rolls its number back with it: no gaps, no duplicates.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, models, transaction

from zhifa.core.exceptions import RuleViolation
from zhifa.registry.access import require_registry_manager
from zhifa.registry.models import Account, Agency

from .models import DocumentCounter, NumberingPrefix


class DocumentKind(models.TextChoices):
    """Kinds of numbered enforcement documents (执法文书), with their abbreviation (文书代字)."""

    CASE_REGISTER = "case_register", "立案审批表"
    NO_REGISTER = "no_register", "不予立案审批表"
    PENALTY_NOTICE = "penalty_notice", "行政处罚事先告知书"
    HEARING_NOTICE = "hearing_notice", "听证通知书"
    PENALTY_DECISION = "penalty_decision", "行政处罚决定书"
    NO_PENALTY_DECISION = "no_penalty_decision", "不予行政处罚决定书"
    SIMPLE_DECISION = "simple_decision", "当场行政处罚决定书"
    TRANSFER = "transfer", "涉嫌犯罪案件移送书"
    INSPECTION = "inspection", "行政检查通知书"
    RECTIFICATION_ORDER = "rectification_order", "责令改正通知书"
    SEIZURE_DECISION = "seizure_decision", "查封（扣押）决定书"
    SEIZURE_EXTENSION = "seizure_extension", "延长查封（扣押）期限决定书"
    SEIZURE_RELEASE = "seizure_release", "解除查封（扣押）决定书"
    CASE_CLOSE = "case_close", "结案审批表"
    REVIEW_OPINION = "review_opinion", "法制审核意见书"
    # 行政许可
    LICENCE_ACCEPTANCE = "licence_acceptance", "受理通知书"
    LICENCE_NON_ACCEPTANCE = "licence_non_acceptance", "不予受理决定书"
    LICENCE_CORRECTION = "licence_correction", "补正材料通知书"
    LICENCE_HEARING_RIGHT = "licence_hearing_right", "行政许可听证告知书"
    LICENCE_EXTENSION = "licence_extension", "延期通知书"
    LICENCE_PAUSE = "licence_pause", "特别程序告知书"
    LICENCE_DECISION = "licence_decision", "行政许可决定书"
    LICENCE = "licence", "行政许可证件"
    # 涉企行政检查 (the 通知书 is INSPECTION, the 整改通知书 RECTIFICATION_ORDER)
    INSPECTION_RESULT = "inspection_result", "检查结果告知书"


ABBREVIATIONS: dict[str, str] = {
    DocumentKind.CASE_REGISTER: "立",
    DocumentKind.NO_REGISTER: "不立",
    DocumentKind.PENALTY_NOTICE: "罚告",
    DocumentKind.HEARING_NOTICE: "听通",
    DocumentKind.PENALTY_DECISION: "罚",
    DocumentKind.NO_PENALTY_DECISION: "不罚",
    DocumentKind.SIMPLE_DECISION: "简罚",
    DocumentKind.TRANSFER: "移",
    DocumentKind.INSPECTION: "检",
    DocumentKind.RECTIFICATION_ORDER: "责改",
    DocumentKind.SEIZURE_DECISION: "强",
    DocumentKind.SEIZURE_EXTENSION: "强延",
    DocumentKind.SEIZURE_RELEASE: "强解",
    DocumentKind.CASE_CLOSE: "结",
    DocumentKind.REVIEW_OPINION: "法审",
    DocumentKind.LICENCE_ACCEPTANCE: "许受",
    DocumentKind.LICENCE_NON_ACCEPTANCE: "许不受",
    DocumentKind.LICENCE_CORRECTION: "许补",
    DocumentKind.LICENCE_HEARING_RIGHT: "许听告",
    DocumentKind.LICENCE_EXTENSION: "许延",
    DocumentKind.LICENCE_PAUSE: "许特",
    DocumentKind.LICENCE_DECISION: "许",
    DocumentKind.LICENCE: "许证",
    DocumentKind.INSPECTION_RESULT: "检结",
}

# Department names and their customary short forms, used when an agency has no short name set.
_DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("市场监督管理局", "市监"),
    ("生态环境分局", "环"),
    ("生态环境局", "环"),
    ("综合行政执法局", "综执"),
    ("城市管理综合行政执法局", "城管"),
    ("城市管理局", "城管"),
    ("应急管理局", "应急"),
    ("交通运输局", "交"),
    ("农业农村局", "农"),
    ("文化和旅游局", "文旅"),
    ("卫生健康委员会", "卫健"),
    ("自然资源局", "自然资源"),
    ("住房和城乡建设局", "住建"),
    ("水务局", "水"),
    ("税务局", "税"),
)
_DIVISION_SUFFIXES = re.compile(r"(?<=.)[省市区县旗镇乡]")


def derived_short_name(name: str) -> str:
    """A short name from the agency's name: place without its 省/市/区/县 plus the department's
    short form, e.g. 示范市甲区市场监督管理局 → 示范甲市监. Agencies set their own when it differs.
    """
    for long, short in sorted(_DEPARTMENTS, key=lambda d: -len(d[0])):
        if name.endswith(long):
            place = _DIVISION_SUFFIXES.sub("", name[: -len(long)])
            return f"{place}{short}"
    return name


def agency_short_name(agency: Agency) -> str:
    """The 机关代字 of ``agency``: the one set for it, else :func:`derived_short_name`."""
    row = NumberingPrefix.objects.filter(agency=agency).first()
    return row.short_name if row is not None else derived_short_name(agency.name)


@transaction.atomic
def agency_short_name_set(*, actor: Account, agency: Agency, short_name: str) -> NumberingPrefix:
    """Set the agency's 机关代字 (system administrators of the region only)."""
    require_registry_manager(actor, agency)
    short_name = short_name.strip()
    if not short_name or any(c in short_name for c in "〔〕号 "):
        raise RuleViolation("机关代字不能为空，也不能含有〔〕、号或空格", field="short_name")
    row, _ = NumberingPrefix.objects.update_or_create(
        agency=agency, defaults={"short_name": short_name}
    )
    return row


def format_number(short_name: str, kind: str, year: int, serial: int) -> str:
    """``{short name}{abbreviation}〔{year}〕{serial}号``."""
    return f"{short_name}{ABBREVIATIONS[kind]}〔{year}〕{serial}号"


@transaction.atomic
def next_number(agency: Agency, kind: str, year: int) -> int:
    """The next serial for (agency, kind, year), starting at 1; gap-free and unique.

    Call it inside the transaction that uses the number: the counter row stays locked until
    that transaction ends, and rolls back with it.
    """
    if kind not in ABBREVIATIONS:
        raise ValueError(f"unknown document kind {kind!r}")
    counters = DocumentCounter.objects.select_for_update()
    counter = counters.filter(agency=agency, kind=kind, year=year).first()
    if counter is None:
        try:
            # A concurrent first number of the year collides on the unique constraint; that
            # writer's row is then read (and locked) below.
            with transaction.atomic():
                counter = DocumentCounter.objects.create(agency=agency, kind=kind, year=year)
        except IntegrityError:
            counter = counters.get(agency=agency, kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def document_number(agency: Agency, kind: str, year: int) -> str:
    """Take the next number and format it, e.g. ``示范市监立〔2026〕12号``."""
    return format_number(agency_short_name(agency), kind, year, next_number(agency, kind, year))
