"""Warnings of repeated, many-agency and un-coded inspections (重复检查、多头检查、未亮码检查预警).

国办发〔2024〕54号 asks to "运用大数据预警重复检查、高频检查"; 宁波市政府令第280号第五条 to
"预警多头检查、重复检查、高频次检查". The numbers are local; the defaults are the rule sets found:

- **Same agency, 60 days** (海南 "审管法信" prototype: the same enterprise inspected 2 times within
  60 natural days; 有因检查 excluded): an inspection by an agency of an enterprise that agency
  inspected, or plans to, within ``period`` days before or after (the difference in days at
  most ``period``: day 60 warns, day 61 does not), the inspections counted reaching
  ``threshold``. 有因检查 — 个案线索核查 (complaints, referrals) and the enterprise's own request —
  neither warn nor count.
- **Several agencies, 30 days** (衢州: "同一企业30日内被不同部门检查" monitoring): at least
  ``threshold`` distinct agencies inspecting the enterprise within ``period`` days of one another
  (day 30 counts, day 31 does not).
- **Un-coded** (海南: a unit with 2 unjustified un-coded inspections): an agency's inspections
  whose visit was entered afterwards instead of scanned (补录) without an emergency reason,
  at least ``threshold`` within the last ``period`` days.

Each window and threshold is a setting with its source: these are the defaults of the alerts
rules registered by :mod:`.alert_rules` (``ZHIFA_ALERT_RULES`` changes them, naming the new
source), read alike at approval and by the supervisor's warnings. Pure: no Django, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

SAME_AGENCY = "inspection_same_agency_repeat"
MANY_AGENCIES = "inspection_many_agencies"
UNCODED = "inspection_uncoded"

# 有因检查: grounds that neither warn nor count toward the same-agency warning (海南 prototype).
CAUSED_GROUNDS = ("clue", "request")

HAINAN = (
    "海南省“审管法信”行政检查监测规则"
    "（频繁检查：60日内检查同一企业2次，有因检查除外；未亮码检查2次预警）"
)
QUZHOU = "衢州市涉企检查监测（同一企业30日内被不同部门检查）"
NATIONAL = (
    "《国务院办公厅关于严格规范涉企行政检查的意见》（国办发〔2024〕54号）："
    "运用大数据预警重复检查、高频检查"
)


@dataclass(frozen=True)
class Window:
    """One warning's setting: the window in days, the threshold and the source."""

    code: str
    label: str
    period: int
    threshold: int
    source: str
    excluded_grounds: tuple[str, ...] = ()
    enabled: bool = True

    def with_setting(
        self, *, period: int, threshold: int, source: str, enabled: bool = True
    ) -> Window:
        return replace(self, period=period, threshold=threshold, source=source, enabled=enabled)

    @property
    def text(self) -> str:
        return f"{self.period}日内{self.threshold}次（依据：{self.source}）"


DEFAULTS: dict[str, Window] = {
    SAME_AGENCY: Window(
        SAME_AGENCY,
        "同一部门短期内重复检查同一企业",
        60,
        2,
        f"{HAINAN}；{NATIONAL}",
        excluded_grounds=CAUSED_GROUNDS,
    ),
    MANY_AGENCIES: Window(
        MANY_AGENCIES, "多个部门短期内检查同一企业", 30, 3, f"{QUZHOU}；{NATIONAL}"
    ),
    UNCODED: Window(UNCODED, "未亮码（未扫码）检查", 365, 2, f"{HAINAN}；{NATIONAL}"),
}


@dataclass(frozen=True)
class Other:
    """Another inspection of the same enterprise, as the selectors read it."""

    inspection_id: int
    agency_id: int
    agency_name: str
    ground: str
    planned_on: date


@dataclass(frozen=True)
class Alert:
    """A warning about one inspection (or one agency's un-coded inspections)."""

    code: str
    message: str
    source: str
    ids: tuple[int, ...]  # the other inspections it rests on


def _within(a: date, b: date, period: int) -> bool:
    return abs((a - b).days) <= period


def same_agency_repeat(
    window: Window, *, agency_id: int, ground: str, planned_on: date, others: Iterable[Other]
) -> Alert | None:
    """The same agency inspecting the enterprise again within the window (module docstring)."""
    if not window.enabled or ground in window.excluded_grounds:
        return None
    near = sorted(
        (
            o
            for o in others
            if o.agency_id == agency_id
            and o.ground not in window.excluded_grounds
            and _within(o.planned_on, planned_on, window.period)
        ),
        key=lambda o: (o.planned_on, o.inspection_id),
    )
    if 1 + len(near) < window.threshold:
        return None
    days = "、".join(f"{o.planned_on.month}月{o.planned_on.day}日" for o in near)
    return Alert(
        window.code,
        f"本部门在{window.period}日内已检查或拟检查该企业{len(near)}次（{days}），"
        f"连同本次共{1 + len(near)}次，达到重复检查预警线{window.threshold}次",
        window.source,
        tuple(o.inspection_id for o in near),
    )


def many_agencies(
    window: Window, *, agency_id: int, planned_on: date, others: Iterable[Other]
) -> Alert | None:
    """At least ``threshold`` agencies inspecting the enterprise within the window."""
    if not window.enabled:
        return None
    near = [
        o
        for o in others
        if o.agency_id != agency_id and _within(o.planned_on, planned_on, window.period)
    ]
    agencies: dict[int, str] = {}
    for o in sorted(near, key=lambda o: (o.planned_on, o.inspection_id)):
        agencies.setdefault(o.agency_id, o.agency_name)
    if 1 + len(agencies) < window.threshold:
        return None
    return Alert(
        window.code,
        f"{window.period}日内另有{len(agencies)}个部门（{'、'.join(agencies.values())}）检查或拟检查"
        f"该企业，连同本部门共{1 + len(agencies)}个，达到多头检查预警线{window.threshold}个；"
        "请考虑联合检查（综合查一次）",
        window.source,
        tuple(o.inspection_id for o in near),
    )


def uncoded(window: Window, *, uncoded_ids: Sequence[int]) -> Alert | None:
    """An agency's un-coded inspections in the window reaching the threshold."""
    if not window.enabled or len(uncoded_ids) < window.threshold:
        return None
    return Alert(
        window.code,
        f"本部门近{window.period}日有{len(uncoded_ids)}次检查未扫码入企（补录），"
        f"达到未亮码检查预警线{window.threshold}次",
        window.source,
        tuple(uncoded_ids),
    )


# -- the supervisor's view: windows ending on a day --------------------------------------------


@dataclass(frozen=True)
class Done:
    """An inspection carried out or approved, for the periodic warnings."""

    inspection_id: int
    entity_id: int
    entity_name: str
    agency_id: int
    agency_name: str
    division_code: str  # the entity's
    ground: str
    planned_on: date


def repeats_until(window: Window, rows: Sequence[Done], today: date) -> list[list[Done]]:
    """Groups (one per enterprise and agency) of at least ``threshold`` inspections planned in
    ``[today − period, today]`` by the same agency, 有因检查 left out."""
    since = today.toordinal() - window.period
    groups: dict[tuple[int, int], list[Done]] = {}
    for r in rows:
        if r.ground in window.excluded_grounds:
            continue
        if since <= r.planned_on.toordinal() <= today.toordinal():
            groups.setdefault((r.entity_id, r.agency_id), []).append(r)
    return [
        sorted(g, key=lambda r: (r.planned_on, r.inspection_id))
        for _, g in sorted(groups.items())
        if len(g) >= window.threshold
    ]


def many_until(window: Window, rows: Sequence[Done], today: date) -> list[list[Done]]:
    """Groups (one per enterprise) of inspections in ``[today − period, today]`` by at least
    ``threshold`` distinct agencies."""
    since = today.toordinal() - window.period
    groups: dict[int, list[Done]] = {}
    for r in rows:
        if since <= r.planned_on.toordinal() <= today.toordinal():
            groups.setdefault(r.entity_id, []).append(r)
    return [
        sorted(g, key=lambda r: (r.planned_on, r.inspection_id))
        for _, g in sorted(groups.items())
        if len({r.agency_id for r in g}) >= window.threshold
    ]
