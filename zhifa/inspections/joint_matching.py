"""综合查一次: which planned inspections of one entity by several agencies should be one visit.

北京市优化营商环境条例第七十条 (several departments inspecting one object: one inspection at one
time covering every item) and 浙江省综合行政执法条例第十三条 (联合执法 where checks can be made
together). An inspection is *planned* while it is requested or approved and not yet visited.
Planned inspections of the same entity by at least two different agencies whose planned days lie
within the window (calendar days, ``ZHIFA_INSPECTION_JOINT_WINDOW_DAYS``, 30 by default) of the
group's first day form one merge proposal. Pure: the candidates are given, no Django.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Planned:
    """One planned inspection: its id, entity, agency and planned day."""

    id: int
    entity_id: int
    agency_id: int
    planned_on: date


@dataclass(frozen=True)
class Proposal:
    """A merge proposal: the planned inspections of one entity by several agencies within the
    window, earliest first; ``first``/``last`` bound their planned days."""

    entity_id: int
    inspections: tuple[Planned, ...]

    @property
    def first(self) -> date:
        return self.inspections[0].planned_on

    @property
    def last(self) -> date:
        return self.inspections[-1].planned_on

    @property
    def agency_ids(self) -> tuple[int, ...]:
        return tuple(sorted({p.agency_id for p in self.inspections}))


def merge_proposals(planned: Iterable[Planned], window_days: int) -> list[Proposal]:
    """Group ``planned`` per entity into runs whose days lie within ``window_days`` of the
    run's first day (a day exactly ``window_days`` after it is still inside; one more is not);
    a run becomes a proposal when it holds inspections of at least two agencies. Proposals are
    ordered by their first day, then entity."""
    by_entity: dict[int, list[Planned]] = defaultdict(list)
    for p in planned:
        by_entity[p.entity_id].append(p)
    proposals: list[Proposal] = []
    for entity_id, items in by_entity.items():
        items.sort(key=lambda p: (p.planned_on, p.id))
        run: list[Planned] = []
        for p in items:
            if run and (p.planned_on - run[0].planned_on).days > window_days:
                _close(entity_id, run, proposals)
                run = []
            run.append(p)
        _close(entity_id, run, proposals)
    proposals.sort(key=lambda pr: (pr.first, pr.entity_id))
    return proposals


def _close(entity_id: int, run: Sequence[Planned], out: list[Proposal]) -> None:
    if len({p.agency_id for p in run}) >= 2:
        out.append(Proposal(entity_id=entity_id, inspections=tuple(run)))


def joint_rate(joint: int, total: int) -> str:
    """联合检查率 as a percentage with one decimal ("—" when nothing was inspected)."""
    if total == 0:
        return "—"
    tenths = (joint * 1000 + total // 2) // total
    return f"{tenths // 10}.{tenths % 10}%"
