"""Yearly caps on inspections of one enterprise (年度频次上限).

国办发〔2024〕54号（四）: the competent departments publish
"同一行政机关对同一企业实施行政检查的年度频次上限"; the caps found are set per inspection item
or field, per issuing level or for the levels combined, and sometimes per risk class, each by
its own document:

- 卫生健康 (one city, 2025-08-07): each of the 市、县 enforcement departments at most 2 a year per
  enterprise, 市+县 combined at most 4; 个案检查 are not capped (zgwg.gov.cn/contents/62884/715678).
- 河南省工业和信息化厅 (2025-06-06): 煤矿安全 on-site checks A/B/C/D at most 2/4/6/4 a year
  (gxt.henan.gov.cn/2025/06-06/3166641).

So a cap is data (the ``Cap`` rows, each with its ``source``) and this module decides, from the
facts the selectors read, which caps apply to an inspection, which earlier inspections count
toward each, and whether this one is over. Pure: no Django, no clock.

How a cap is read:

- **Applies to** an inspection when it is active, the inspection's item code equals the cap's
  (when the cap names one), its domain equals the cap's (when it names one), the inspecting
  agency is of the cap's level (when it names one; blank: the levels combined), the enterprise
  lies in the cap's region (when it names one) and is of the cap's risk class (when it names
  one), and the inspection's ground counts (``counted_grounds``; empty: every ground counts).
  An inspection whose ground does not count is outside the cap: it is neither limited nor
  counted (卫健's 个案检查; 重庆令第375号第二十九条 线索核查 "不受检查频次限制").
- **Counts**: the enterprise's earlier inspections in the same calendar year (of the planned
  day) that were approved or started in an emergency, that match the cap the same way (item,
  domain, level, counted ground) and are not marked as not counted (``counts_toward_cap``).
- **Over**: with ``count`` earlier inspections this one is number ``count + 1``; it is allowed
  while ``count + 1 <= limit`` (at n−1 and at n), and over the cap at n + 1.
- **Over the cap**: refused, naming the cap and its source; where the cap allows it
  (``override_allowed``) it may go ahead with a recorded reason and the head's approval.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from zhifa.core.exceptions import RuleViolation
from zhifa.core.identifiers import division_contains

RULE = "年度检查频次上限"
NATIONAL_SOURCE = "《国务院办公厅关于严格规范涉企行政检查的意见》（国办发〔2024〕54号）（四）"
COUNTED_STATES = ("approved", "emergency")  # Inspection.State values that used a slot


@dataclass(frozen=True)
class CapRule:
    """A cap row as the rule reads it."""

    id: int
    name: str
    limit: int
    source: str
    level: str = ""  # Agency.Level value; "": the levels combined
    domain_id: int | None = None
    power_code: str = ""
    region_code: str = ""
    risk_class: str = ""
    counted_grounds: tuple[str, ...] = ()  # empty: every ground counts
    override_allowed: bool = False
    active: bool = True

    def counts_ground(self, ground: str) -> bool:
        return not self.counted_grounds or ground in self.counted_grounds

    @property
    def scope_text(self) -> str:
        """e.g. "县级" / "各层级合计" — what the page shows beside the limit."""
        return {
            "province": "省级",
            "city": "市级",
            "county": "县级",
            "township": "乡镇（街道）",
        }.get(self.level, "各层级合计")


@dataclass(frozen=True)
class Planned:
    """The inspection being requested or approved."""

    agency_level: str
    domain_id: int
    power_code: str
    ground: str
    entity_division: str
    risk_class: str
    planned_on: date
    override_reason: str = ""


@dataclass(frozen=True)
class Earlier:
    """One earlier inspection of the same enterprise (any agency), as the selectors read it."""

    inspection_id: int
    agency_level: str
    domain_id: int
    power_code: str
    ground: str
    planned_on: date
    state: str
    counts_toward_cap: bool = True


@dataclass(frozen=True)
class CapCount:
    """One cap applying to the inspection: how many earlier inspections count and whether this
    one would be over."""

    cap: CapRule
    count: int  # earlier inspections counted this year
    counted_ids: tuple[int, ...] = ()

    @property
    def number(self) -> int:
        """This inspection's number under the cap this year (本年度第几次)."""
        return self.count + 1

    @property
    def over(self) -> bool:
        return self.number > self.cap.limit

    @property
    def reached(self) -> bool:
        """This inspection uses the last slot (at n)."""
        return self.number == self.cap.limit

    @property
    def text(self) -> str:
        """ "本年度第3次，上限4次（各层级合计；依据：…）" — on the notice and the code page."""
        return (
            f"{self.cap.name}：本年度第{self.number}次，上限{self.cap.limit}次"
            f"（{self.cap.scope_text}；依据：{self.cap.source}）"
        )


def cap_applies(cap: CapRule, planned: Planned) -> bool:
    """Whether ``cap`` limits ``planned`` (module docstring: "Applies to")."""
    if not cap.active:
        return False
    if cap.power_code and cap.power_code != planned.power_code:
        return False
    if cap.domain_id is not None and cap.domain_id != planned.domain_id:
        return False
    if cap.level and cap.level != planned.agency_level:
        return False
    if cap.region_code and not division_contains(cap.region_code, planned.entity_division):
        return False
    if cap.risk_class and cap.risk_class != planned.risk_class:
        return False
    return cap.counts_ground(planned.ground)


def counts_toward(cap: CapRule, row: Earlier, year: int) -> bool:
    """Whether an earlier inspection of the enterprise uses a slot of ``cap`` in ``year``."""
    if row.planned_on.year != year or row.state not in COUNTED_STATES:
        return False
    if not row.counts_toward_cap or not cap.counts_ground(row.ground):
        return False
    if cap.power_code and cap.power_code != row.power_code:
        return False
    if cap.domain_id is not None and cap.domain_id != row.domain_id:
        return False
    return not (cap.level and cap.level != row.agency_level)


def cap_counts(
    caps: Iterable[CapRule], planned: Planned, earlier: Sequence[Earlier]
) -> list[CapCount]:
    """Every cap that applies to ``planned`` with its count this year, tightest first."""
    year = planned.planned_on.year
    out = []
    for cap in caps:
        if not cap_applies(cap, planned):
            continue
        ids = tuple(r.inspection_id for r in earlier if counts_toward(cap, r, year))
        out.append(CapCount(cap, len(ids), ids))
    out.sort(key=lambda c: (c.cap.limit - c.number, c.cap.id))
    return out


def cap_check(counts: Sequence[CapCount], *, override_reason: str) -> list[tuple[str, str]]:
    """Refuse an inspection over a cap, or allow it with the reason where the cap permits.

    Returns the messages the head sees, each with its cap's source (the count and the cap of
    every cap that applies; an override noted). Raises :class:`RuleViolation` naming the cap
    and its source when a cap is exceeded and either the cap allows no override or no reason
    is given.
    """
    messages: list[tuple[str, str]] = []
    for c in counts:
        if not c.over:
            messages.append((c.text, c.cap.source))
            continue
        if not c.cap.override_allowed:
            raise RuleViolation(
                f"该企业本年度已接受{c.count}次“{c.cap.name}”范围内的检查，已达上限{c.cap.limit}次"
                f"（{c.cap.scope_text}），不得再次检查",
                article=c.cap.source,
                field="cap_override_reason",
            )
        if not override_reason.strip():
            raise RuleViolation(
                f"该企业本年度已接受{c.count}次“{c.cap.name}”范围内的检查，已达上限{c.cap.limit}次"
                f"（{c.cap.scope_text}）；超过上限检查须说明理由并经负责人批准",
                article=c.cap.source,
                field="cap_override_reason",
            )
        messages.append(
            (f"{c.text}；超过上限，须经负责人批准，理由：{override_reason.strip()}", c.cap.source)
        )
    return messages
