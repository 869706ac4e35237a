"""企业安静期: days of the month on which the enterprises a region names are not to be inspected.

No national rule exists; the periods are regional pilots, each its own source:

- 交口县双池镇《"企业安静期"制度（试行）》 (2025-07-14, implementing 晋政办函〔2024〕53号): the
  categories of art 2 (规上工业, 资质建筑业, 限上批零住餐, 规上服务业, 重点项目); art 3 — 20 days a
  month, "可分时间段或分片实施", 行政执法原则上不得入企检查, except (一) 上级部署的检查和专项整治;
  (二) 安全生产/生态环境/食品药品等 events or hazards; (三) 投诉举报、案件查处、媒体曝光; (四)
  checks due within statutory deadlines; (五) 税务; (六) 其他.
- 商丘 (2023-07) "企业宁静日" the 1st–20th; inspections *outside* the quiet days need a prior
  报备 3 days before, with the 《入企行政执法报备表》 (186biznews.com/archives/39438).
- 内蒙古 / 安庆: 授益性 checks the enterprise asks for (e.g. a licence verification) are not
  执法检查 (qianlima.com/bid-548895798; yybnet.net/anqing/news/201811/8369316).

A period is a ``QuietPeriod`` row; this module decides from its facts. Pure: no Django, no clock.

- **Quiet day**: the day of the month lies in one of the period's ``[first, last]`` ranges
  (both inclusive: the 1st–20th has the 1st and the 20th quiet, the 21st not); the period is in
  force on the day (``valid_from`` ≤ day ≤ ``valid_to``, open-ended without ``valid_to``).
- **Covers** an enterprise in the period's region whose scale category is one of the period's
  categories or that the period names; a period naming neither covers every enterprise of the
  region.
- **Inside**: an inspection planned on a quiet day of a period covering the enterprise needs an
  exception ground the period lists (``other`` with a written reason), else it is refused naming
  the period and its source. An inspection the enterprise asked for (ground ``request``,
  授益性) is not an enforcement inspection and is not held back.
- **报备** (where ``filing_lead_days`` is set): an inspection of a covered enterprise planned
  *outside* the quiet days is filed at least that many calendar days before the planned day
  (商丘: filed on day − 3 is in time, on day − 2 is late).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from zhifa.core.exceptions import RuleViolation
from zhifa.core.identifiers import division_contains

RULE = "企业安静期"
FILING_RULE = "入企行政执法报备"
FILING_FORM = "《入企行政执法报备表》"
OTHER = "other"  # Inspection.QuietException.OTHER: needs a reason
REQUEST = "request"  # Ground.REQUEST: the enterprise asked (授益性)
REQUEST_SOURCE = (
    "内蒙古自治区有关执法部门“安静生产期”规定；安庆市“宁静生产日”规定"
    "（企业申请的授益性检查不属执法检查）"
)


@dataclass(frozen=True)
class Period:
    """A quiet period as the rule reads it."""

    id: int
    name: str
    region_code: str
    days: tuple[tuple[int, int], ...]  # ((1, 20),) or ((1, 10), (16, 25)): inclusive ranges
    source: str
    valid_from: date
    valid_to: date | None = None
    categories: tuple[str, ...] = ()
    entity_ids: frozenset[int] = field(default_factory=frozenset)  # named (as far as read)
    names_entities: bool = False  # the period names entities (a list the check need not read)
    exception_grounds: tuple[str, ...] = ()
    filing_lead_days: int | None = None
    filing_to: str = ""
    active: bool = True

    def in_force(self, day: date) -> bool:
        if not self.active or day < self.valid_from:
            return False
        return self.valid_to is None or day <= self.valid_to

    def is_quiet_day(self, day: date) -> bool:
        """The day of the month lies in one of the ranges, and the period is in force."""
        return self.in_force(day) and any(a <= day.day <= b for a, b in self.days)

    def covers(self, *, entity_id: int, division_code: str, scale_category: str) -> bool:
        if not division_contains(self.region_code, division_code):
            return False
        if not self.categories and not self.entity_ids and not self.names_entities:
            return True
        return entity_id in self.entity_ids or (
            bool(scale_category) and scale_category in self.categories
        )

    @property
    def days_text(self) -> str:
        """ "每月1日至20日" / "每月1日至10日、16日至25日"."""
        parts = [f"{a}日至{b}日" if a != b else f"{a}日" for a, b in self.days]
        return "每月" + "、".join(parts)

    def filing_due(self, planned_on: date) -> date | None:
        """The last day the 报备 is in time for an inspection on ``planned_on``."""
        if self.filing_lead_days is None:
            return None
        return planned_on - timedelta(days=self.filing_lead_days)


def validate_days(days: Sequence[Sequence[int]]) -> tuple[tuple[int, int], ...]:
    """The ranges as stored: each ``[first, last]`` within 1–31, first ≤ last, not overlapping.
    Raises :class:`RuleViolation` (field ``days``) otherwise."""
    out: list[tuple[int, int]] = []
    for r in days:
        if len(r) != 2:
            raise RuleViolation("安静日应写作“起日-止日”，如 1-20", field="days")
        a, b = int(r[0]), int(r[1])
        if not (1 <= a <= b <= 31):
            raise RuleViolation(f"安静日 {a}-{b} 不是每月1日至31日之间的有效区间", field="days")
        out.append((a, b))
    out.sort()
    for (_, b1), (a2, _) in pairwise(out):
        if a2 <= b1:
            raise RuleViolation("安静日区间不得重叠", field="days")
    if not out:
        raise RuleViolation("请填写安静日", field="days")
    return tuple(out)


def parse_days(text: str) -> tuple[tuple[int, int], ...]:
    """ "1-20" or "1-10, 16-25" (also "1–20", "1至20", "５-２０") → ranges; refuses bad text."""
    cleaned = text.translate(str.maketrans("０１２３４５６７８９，、；–—至~", "0123456789,,,----"))
    ranges: list[list[int]] = []
    for part in cleaned.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        bits = [b.strip() for b in part.split("-")]
        try:
            if len(bits) == 1:
                ranges.append([int(bits[0]), int(bits[0])])
            elif len(bits) == 2:
                ranges.append([int(bits[0]), int(bits[1])])
            else:
                raise ValueError
        except ValueError:
            raise RuleViolation(
                f"无法识别安静日“{part}”，应写作“起日-止日”，如 1-20", field="days"
            ) from None
    return validate_days(ranges)


@dataclass(frozen=True)
class QuietVerdict:
    """What the periods say about one inspection."""

    period: Period | None  # the period whose quiet day it is (None: no quiet day)
    exception: str = ""  # the exception ground relied on, inside a quiet day
    filing_period: Period | None = None  # a period asking for 报备 (planned outside its days)
    filing_due: date | None = None
    notices: tuple[str, ...] = ()


def quiet_check(
    periods: Iterable[Period],
    *,
    entity_id: int,
    division_code: str,
    scale_category: str,
    ground: str,
    planned_on: date,
    exception: str,
    exception_reason: str,
    exception_labels: dict[str, str],
    filed_on: date | None,
    filing_required: bool,
) -> QuietVerdict:
    """Refuse an inspection planned on a quiet day without an exception ground the period lists,
    and (``filing_required``: at approval) one outside the quiet days of a period asking for a
    报备 that was not filed in time. Returns the verdict with the notices the head sees.

    Raises :class:`RuleViolation` naming the period (``企业安静期``) or the 报备 rule and the
    period's source.
    """
    covering = [
        p
        for p in periods
        if p.in_force(planned_on)
        and p.covers(
            entity_id=entity_id, division_code=division_code, scale_category=scale_category
        )
    ]
    if not covering or ground == REQUEST:
        return QuietVerdict(None)
    quiet = next((p for p in covering if p.is_quiet_day(planned_on)), None)
    if quiet is not None:
        day = f"{planned_on.month}月{planned_on.day}日"
        if not exception:
            raise RuleViolation(
                f"{day}在“{quiet.name}”的安静期（{quiet.days_text}）内，"
                "行政执法原则上不得入企检查；如属例外情形，请选择例外情形",
                article=quiet.source,
                field="quiet_exception",
            )
        if exception not in quiet.exception_grounds:
            label = exception_labels.get(exception, exception)
            raise RuleViolation(
                f"“{label}”不是“{quiet.name}”规定的例外情形，{day}不得入企检查",
                article=quiet.source,
                field="quiet_exception",
            )
        if exception == OTHER and not exception_reason.strip():
            raise RuleViolation(
                "以“其他”情形在安静期内检查，须说明理由",
                article=quiet.source,
                field="quiet_exception_reason",
            )
        label = exception_labels.get(exception, exception)
        return QuietVerdict(
            quiet,
            exception=exception,
            notices=(
                f"{day}在“{quiet.name}”安静期内，按例外情形“{label}”检查（依据：{quiet.source}）",
            ),
        )
    # Outside the quiet days: a period may ask for a 报备 ahead of the inspection (商丘).
    filing = next((p for p in covering if p.filing_lead_days is not None), None)
    if filing is None:
        return QuietVerdict(None)
    due = filing.filing_due(planned_on)
    assert due is not None
    to = f"向{filing.filing_to}" if filing.filing_to else ""
    what = (
        f"“{filing.name}”要求安静期外入企检查提前{filing.filing_lead_days}日{to}报备"
        f"{FILING_FORM}，最迟{due.year}年{due.month}月{due.day}日"
    )
    if filed_on is not None and filed_on <= due:
        return QuietVerdict(
            None,
            filing_period=filing,
            filing_due=due,
            notices=(f"已于{filed_on.month}月{filed_on.day}日报备（{what}）",),
        )
    if filing_required:
        late = "报备日期晚于期限" if filed_on is not None else "尚未报备"
        raise RuleViolation(f"{late}：{what}", article=filing.source, field="filed_on")
    return QuietVerdict(None, filing_period=filing, filing_due=due, notices=(f"尚未报备：{what}",))
