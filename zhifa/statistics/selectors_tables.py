"""Reads of the deployment's tables, the indicator catalogue as the pages show it, and the
officers' figures (执法人员、持证率、培训) computed from the registry on a day.

``tables_for(order)`` is the list of tables the filings, the reports and the publication
show: the standard tables (``catalogue.standard_tables``) with the deployment's newest version
of each applied (columns hidden or added, renamed, or the table deactivated), then the
deployment's own tables in their ``position`` order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Max

from zhifa.registry.models import (
    Agency,
    Certificate,
    CertificateStatusChange,
    Officer,
    TrainingRecord,
)
from zhifa.registry.selectors import training_rule_for

from . import catalogue, facts
from .models import TableDefinition
from .penalty_order import Order
from .selectors import Figure


def table_definitions_current() -> dict[str, TableDefinition]:
    """code -> the newest version of each table the deployment defined (active or not)."""
    newest = TableDefinition.objects.values("code").annotate(v=Max("version")).order_by()
    wanted = {(r["code"], r["v"]) for r in newest}
    rows = TableDefinition.objects.filter(code__in={c for c, _ in wanted})
    return {r.code: r for r in rows if (r.code, r.version) in wanted}


def _table(row: TableDefinition, kind: str = "") -> catalogue.Table:
    return catalogue.Table(row.code, row.name, tuple(row.columns), row.source, kind)


def tables_for(order: Order | None = None) -> list[catalogue.Table]:
    """The tables in force: the standard ones with the deployment's changes, then its own."""
    order = order or facts.rules().order
    defined = table_definitions_current()
    out: list[catalogue.Table] = []
    standard_codes: set[str] = set()
    for std in catalogue.standard_tables(order):
        standard_codes.add(std.code)
        row = defined.get(std.code)
        if row is None:
            out.append(std)
        elif row.active:
            out.append(_table(row, std.kind))
    own = sorted(
        (r for c, r in defined.items() if c not in standard_codes and r.active),
        key=lambda r: (r.position, r.code),
    )
    out.extend(_table(r) for r in own)
    return out


def table_history(code: str) -> list[TableDefinition]:
    return list(
        TableDefinition.objects.filter(code=code).select_related("created_by").order_by("-version")
    )


# -- the catalogue as the page shows it -----------------------------------------------------


ORIGIN_LABELS = {
    catalogue.CASES: "系统计算（来自案件记录）",
    catalogue.FILED: "填报",
    catalogue.DERIVED: "由其他指标计算",
}


@dataclass(frozen=True)
class CatalogueRow:
    indicator: catalogue.Indicator
    origin_label: str
    tables: tuple[str, ...]  # names of the tables in force that show it


def catalogue_rows(order: Order | None = None) -> list[CatalogueRow]:
    tables = tables_for(order)
    shown: dict[str, list[str]] = defaultdict(list)
    for t in tables:
        for c in t.columns:
            shown[c].append(t.name)
    return [
        CatalogueRow(i, ORIGIN_LABELS.get(i.origin, i.origin), tuple(shown.get(code, ())))
        for code, i in catalogue.INDICATORS.items()
    ]


@dataclass(frozen=True)
class Setting:
    name: str
    value: str
    setting: str  # the Django setting that changes it
    source: str


def counting_settings() -> list[Setting]:
    """The deployment's counting choices now, each with the rule it comes from."""
    r = facts.rules()
    return [
        Setting(
            "处罚种类轻重顺序",
            r.order.name,
            "ZHIFA_STATISTICS_PENALTY_ORDER",
            f"{facts.ORDER_SETTING_SOURCE}（{r.order.source}）",
        ),
        Setting(
            "被撤销的处罚决定",
            "仍计入作出决定的年度" if r.count_revoked else "不再计入",
            "ZHIFA_STATISTICS_COUNT_REVOKED",
            facts.REVOKED_SOURCE,
        ),
        Setting(
            "导致处罚的行政检查",
            "计入行政检查" if r.inspection_leading_to_penalty else "不计入行政检查",
            "ZHIFA_STATISTICS_COUNT_INSPECTIONS_WITH_PENALTY",
            facts.INSPECTION_PENALTY_SOURCE,
        ),
        Setting(
            "持证率的计算",
            "统计期末持有效行政执法证的在岗执法人员 ÷ 在岗执法人员",
            "—",
            "庆元县行政执法证持证率统计（2024）；有效期至当日仍有效（registry.eligibility）",
        ),
        Setting(
            "年度培训要求",
            "按所在地区的年度培训学时要求（未设定时公共法律知识30学时＋专业法律知识30学时）",
            "TrainingRequirement",
            "《法治政府建设实施纲要（2021—2025年）》；各地年度培训学时要求",
        ),
        Setting(
            "统计表",
            "标准表＋本地调整",
            "TableDefinition",
            str(getattr(settings, "ZHIFA_STATISTICS_TABLES_SOURCE", "")) or "本系统统计表设定",
        ),
    ]


# -- officers: 执法岗位人数、持证人数、持证率、完成年度培训人数 ---------------------------------


def _status_on(cert: Certificate, changes: list[CertificateStatusChange], on: date) -> str:
    """The stored status the certificate had on ``on``: the last move effective by then, or the
    status it was registered with (a registration row, ``from_status`` empty, is the baseline
    whatever its date: an imported certificate was valid from its issue day, which
    ``_certified_on`` checks)."""
    moves = [c for c in changes if c.from_status]
    registered = next((c.to_status for c in changes if not c.from_status), None)
    before = [c for c in moves if c.effective_on <= on]
    if before:
        return before[-1].to_status
    if moves:
        return moves[0].from_status
    return registered or cert.status


def _certified_on(cert: Certificate, changes: list[CertificateStatusChange], on: date) -> bool:
    """An enforcement certificate, issued by ``on``, not expired (the expiry day still counts:
    ``registry.eligibility``), with status 有效 on that day."""
    return (
        cert.kind == Certificate.Kind.ENFORCEMENT
        and cert.issued_on is not None
        and cert.issued_on <= on
        and (cert.expires_on is None or cert.expires_on >= on)
        and _status_on(cert, changes, on) == Certificate.Status.VALID
    )


def certified_rate(certified: int, posts: int) -> Decimal | None:
    """持证率 in percent with one decimal (half up), None without posts."""
    if posts == 0:
        return None
    return (Decimal(100) * certified / posts).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def officer_figures(agency_ids: Iterable[int], on: date) -> dict[str, Figure]:
    """The officers' figures of the agencies on ``on`` (the period's last day):

    - ``officers.posts``: officers serving (``Officer.Status.SERVING``; the registry keeps no
      history of posts, so this is the roll as it stands);
    - ``officers.certified``: those of them with a valid enforcement certificate on ``on``;
    - ``officers.certified_rate``: certified ÷ posts in percent, in ``amount`` (one decimal;
      ``count`` repeats the certified officers it is computed from);
    - ``officers.trained``: those who met the year's training hours of their agency's region
      (``TrainingRecord`` of ``on.year`` against ``training_rule_for``).
    """
    ids = list(agency_ids)
    officers = list(
        Officer.objects.filter(agency_id__in=ids, status=Officer.Status.SERVING).values_list(
            "pk", "agency_id"
        )
    )
    officer_ids = [pk for pk, _ in officers]
    certs: dict[int, list[Certificate]] = defaultdict(list)
    for cert in Certificate.objects.filter(officer_id__in=officer_ids):
        certs[cert.officer_id].append(cert)
    changes: dict[int, list[CertificateStatusChange]] = defaultdict(list)
    for ch in CertificateStatusChange.objects.filter(
        certificate__officer_id__in=officer_ids
    ).order_by("effective_on", "pk"):
        changes[ch.certificate_id].append(ch)
    certified = sum(
        1
        for pk, _ in officers
        if any(_certified_on(c, changes[c.pk], on) for c in certs.get(pk, []))
    )
    hours: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for officer_id, kind, h in TrainingRecord.objects.filter(
        officer_id__in=officer_ids, year=on.year
    ).values_list("officer_id", "kind", "hours"):
        hours[officer_id][kind] += h
    divisions = dict(Agency.objects.filter(pk__in=ids).values_list("pk", "division_code"))
    rules = {a: training_rule_for(d) for a, d in divisions.items()}
    trained = sum(
        1
        for pk, agency_id in officers
        if rules[agency_id].is_met(
            hours[pk][TrainingRecord.Kind.LEGAL], hours[pk][TrainingRecord.Kind.PROFESSIONAL]
        )
    )
    posts = len(officers)
    return {
        "officers.posts": Figure(posts),
        "officers.certified": Figure(certified),
        "officers.certified_rate": Figure(certified, certified_rate(certified, posts)),
        "officers.trained": Figure(trained),
    }
