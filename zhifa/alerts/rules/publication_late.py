"""行政执法决定未按期公示: an agency's decisions published late or not at all.

国办发〔2018〕118号 (行政许可、行政处罚 within 7 working days, others within 20; the deployment's
``ZHIFA_PUBLICITY_WORKDAYS`` and sector rules); the due day is the one the publicity app stored
for each decision. The rule counts, per agency, the decisions of the last ``period`` days whose
publication is overdue or was late, and fires at ``threshold`` of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from zhifa.publicity.policy import GUIDELINE

from .. import facts as f
from . import Fact, Finding, Rule, RuleSetting, fires, register_rule

CODE = "publication_late"
ARTICLE = f"{GUIDELINE}；《行政处罚法》第四十八条"


def evaluate(
    rows: Sequence[f.LatePublication],
    *,
    today: date,
    setting: RuleSetting,
    agency_names: dict[int, str],
) -> list[Finding]:
    """A finding per agency with at least ``threshold`` late or missing publications. Pure."""
    by_agency: dict[int, list[f.LatePublication]] = defaultdict(list)
    for row in rows:
        by_agency[row.agency_id].append(row)
    out = []
    for agency_id, pubs in sorted(by_agency.items()):
        if not fires(len(pubs), setting, "at_least"):
            continue
        missing = sum(1 for p in pubs if p.published_on is None)
        facts = tuple(
            Fact(
                "case",
                p.case_id,
                p.label,
                f"应于{p.due_on.isoformat()}前公示，"
                + (
                    f"逾期未公示（已逾期{(today - p.due_on).days}日）"
                    if p.published_on is None
                    else f"{p.published_on.isoformat()}公示（逾期）"
                ),
            )
            for p in sorted(pubs, key=lambda p: (p.due_on, p.id))
        )
        name = agency_names.get(agency_id, "")
        out.append(
            Finding(
                subject=f"agency:{agency_id}",
                agency_id=agency_id,
                division_code=pubs[0].division_code,
                title=(
                    f"{name}：近{setting.period}日内{len(pubs)}件行政执法决定未按期公示"
                    f"（其中{missing}件尚未公示）"
                ),
                measure=Decimal(len(pubs)),
                facts=facts,
            )
        )
    return out


def collect(setting: RuleSetting, today: date) -> Iterable[Finding]:
    rows = f.publications_late_or_missing(today - timedelta(days=setting.period), today)
    names = f.agencies_names(list({r.agency_id for r in rows}))
    return evaluate(rows, today=today, setting=setting, agency_names=names)


RULE = register_rule(
    Rule(
        code=CODE,
        label="行政执法决定未按期公示",
        article=ARTICLE,
        measure_label="未按期公示的决定件数",
        default=RuleSetting(enabled=True, threshold=Decimal(1), period=365, source=ARTICLE),
        collect=collect,
        period_label="统计近若干日作出的决定",
        order=20,
    )
)
