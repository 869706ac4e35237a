"""行政处罚裁量基准 applied to a case: the grades (裁量阶次), the circumstances (情节), the bands.

Sources:

- 《行政处罚法》第三十二条 (应当从轻或者减轻), 第三十三条 (不予处罚), 第三十四条 (裁量基准).
- 国办发〔2022〕27号《关于进一步规范行政裁量权基准制定和管理工作的意见》: (五) a lower level
  refines only within the upper level's 阶次 and 幅度; (六) the elements of a 基准 (违法行为、
  法定依据、裁量阶次、适用条件、具体标准), multiples divided between the minimum and maximum
  multiple; (十二) a deviation needs the head's approval or 集体讨论.
- 国市监法规〔2022〕2号《关于规范市场监督管理行政处罚裁量权的指导意见》: 第八条 (deviation),
  第十条 (减轻 below the minimum; 从轻 "较低的30%部分", 从重 "较高的30%部分"), 第十一条 to
  第十六条 (the circumstances, kept as data in ``FACTORS``), 第十七条 (mixed circumstances:
  "综合考虑", no arithmetic).

Bands over the statutory range [min, max] (d = max − min), all amounts in yuan to the fen:

- 从轻 = [min, min + 0.3·d]  — both ends inclusive; the upper end rounded *down* to the fen so the
  band never exceeds the lowest 30 %.
- 一般 = (min + 0.3·d, max − 0.3·d) — both ends exclusive (the middle 40 %; not stated in 2号,
  it follows arithmetically).
- 从重 = [max − 0.3·d, max] — both ends inclusive; the lower end rounded *up* to the fen.
- 减轻 = [0, min) — below the statutory minimum (or a lighter kind), with its condition.

For a multiple of a base (货值金额、违法所得 …) the split is made on the multiple, then each end
is multiplied by the base entered and rounded as above. An entry's own grade bands (a sector or
local 基准 defining other bands) replace the 30 % defaults; they are inclusive at both ends.

Pure: no Django, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from enum import StrEnum

FEN = Decimal("0.01")
LIGHTER_SHARE = Decimal("0.3")  # 国市监法规〔2022〕2号第十条
RULE_BANDS = "国市监法规〔2022〕2号第十条"
RULE_REFINE = "国办发〔2022〕27号（五）"
RULE_DEVIATION = "国办发〔2022〕27号（十二）、国市监法规〔2022〕2号第八条"
RULE_MIXED = "国市监法规〔2022〕2号第十七条"


class Grade(StrEnum):
    """裁量阶次 (国办发〔2022〕27号（六）)."""

    NO_PENALTY = "no_penalty"  # 不予处罚: 《行政处罚法》第三十三条
    EXEMPT = "exempt"  # 免予处罚: a law exempts the act from the penalty
    MITIGATED = "mitigated"  # 减轻处罚: below the statutory minimum or a lighter kind
    LIGHTER = "lighter"  # 从轻处罚: the lowest 30 % of the range
    STANDARD = "standard"  # 一般处罚: the middle of the range
    HEAVIER = "heavier"  # 从重处罚: the highest 30 % of the range

    @property
    def label(self) -> str:
        return GRADE_LABELS[self]


GRADE_LABELS = {
    Grade.NO_PENALTY: "不予处罚",
    Grade.EXEMPT: "免予处罚",
    Grade.MITIGATED: "减轻处罚",
    Grade.LIGHTER: "从轻处罚",
    Grade.STANDARD: "一般处罚",
    Grade.HEAVIER: "从重处罚",
}
# Grades whose fine lies inside the statutory range.
IN_RANGE = (Grade.LIGHTER, Grade.STANDARD, Grade.HEAVIER)


class RangeKind(StrEnum):
    """How the statute states the penalty."""

    AMOUNT = "amount"  # a fine from min to max yuan
    MULTIPLE = "multiple"  # a fine of min to max times a base (货值金额、违法所得 …)
    KINDS = "kinds"  # penalty kinds only (警告、通报批评 …), no amount


RANGE_KIND_LABELS = {
    RangeKind.AMOUNT: "罚款数额幅度",
    RangeKind.MULTIPLE: "倍数罚款",
    RangeKind.KINDS: "处罚种类",
}


class Group(StrEnum):
    """The circumstance lists of 国市监法规〔2022〕2号第十一条至第十六条."""

    MUST_NOT = "must_not"  # 应当不予处罚 (第十一条)
    MAY_NOT = "may_not"  # 可以不予处罚 (第十二条)
    MUST_LIGHTER = "must_lighter"  # 应当从轻或者减轻 (第十三条)
    MAY_LIGHTER = "may_lighter"  # 可以从轻或者减轻 (第十四条)
    MUST_HEAVIER = "must_heavier"  # 应当从重 (第十五条)
    MAY_HEAVIER = "may_heavier"  # 可以从重 (第十六条)


GROUP_LABELS = {
    Group.MUST_NOT: "应当不予处罚",
    Group.MAY_NOT: "可以不予处罚",
    Group.MUST_LIGHTER: "应当从轻或者减轻处罚",
    Group.MAY_LIGHTER: "可以从轻或者减轻处罚",
    Group.MUST_HEAVIER: "应当从重处罚",
    Group.MAY_HEAVIER: "可以从重处罚",
}
LIGHTER_GROUPS = frozenset({Group.MUST_LIGHTER, Group.MAY_LIGHTER})
HEAVIER_GROUPS = frozenset({Group.MUST_HEAVIER, Group.MAY_HEAVIER})


@dataclass(frozen=True)
class Factor:
    """One circumstance (情节) an officer can find, with where the law states it."""

    code: str
    group: Group
    text: str
    article: str

    @property
    def group_label(self) -> str:
        return GROUP_LABELS[self.group]


_G2 = "国市监法规〔2022〕2号"
_LAW = "《行政处罚法》"
FACTORS: tuple[Factor, ...] = (
    Factor("minor_under_14", Group.MUST_NOT, "不满十四周岁的未成年人有违法行为的",
           f"{_G2}第十一条第（一）项、{_LAW}第三十条"),
    Factor("mental_incapable", Group.MUST_NOT,
           "精神病人、智力残疾人在不能辨认或者不能控制自己行为时有违法行为的",
           f"{_G2}第十一条第（二）项、{_LAW}第三十一条"),
    Factor("minor_corrected", Group.MUST_NOT, "违法行为轻微并及时改正，没有造成危害后果的",
           f"{_G2}第十一条第（三）项、{_LAW}第三十三条第一款"),
    Factor("no_fault", Group.MUST_NOT, "当事人有证据足以证明没有主观过错的",
           f"{_G2}第十一条第（四）项、{_LAW}第三十三条第二款"),
    Factor("time_barred", Group.MUST_NOT,
           "违法行为在二年内未被发现的（涉及公民生命健康安全、金融安全且有危害后果的，五年）",
           f"{_G2}第十一条第（五）项、{_LAW}第三十六条"),
    Factor("first_violation", Group.MAY_NOT, "初次违法且危害后果轻微并及时改正的",
           f"{_G2}第十二条、{_LAW}第三十三条第一款"),
    Factor("minor_14_18", Group.MUST_LIGHTER, "已满十四周岁不满十八周岁的未成年人有违法行为的",
           f"{_G2}第十三条第（一）项、{_LAW}第三十条"),
    Factor("removed_harm", Group.MUST_LIGHTER, "主动消除或者减轻违法行为危害后果的",
           f"{_G2}第十三条第（二）项、{_LAW}第三十二条第（一）项"),
    Factor("coerced", Group.MUST_LIGHTER, "受他人胁迫或者诱骗实施违法行为的",
           f"{_G2}第十三条第（三）项、{_LAW}第三十二条第（二）项"),
    Factor("confessed", Group.MUST_LIGHTER, "主动供述行政机关尚未掌握的违法行为的",
           f"{_G2}第十三条第（四）项、{_LAW}第三十二条第（三）项"),
    Factor("meritorious", Group.MUST_LIGHTER, "配合行政机关查处违法行为有立功表现的",
           f"{_G2}第十三条第（五）项、{_LAW}第三十二条第（四）项"),
    Factor("partial_capacity", Group.MAY_LIGHTER,
           "尚未完全丧失辨认或者控制自己行为能力的精神病人、智力残疾人有违法行为的",
           f"{_G2}第十四条第（一）项、{_LAW}第三十一条"),
    Factor("gave_evidence", Group.MAY_LIGHTER, "积极配合调查并主动提供证据材料的",
           f"{_G2}第十四条第（二）项"),
    Factor("minor_low_harm", Group.MAY_LIGHTER, "违法行为轻微，社会危害性较小的",
           f"{_G2}第十四条第（三）项"),
    Factor("secondary_role", Group.MAY_LIGHTER, "在共同违法行为中起次要或者辅助作用的",
           f"{_G2}第十四条第（四）项"),
    Factor("hardship", Group.MAY_LIGHTER, "当事人因残疾或者重大疾病等原因生活确有困难的",
           f"{_G2}第十四条第（五）项"),
    Factor("emergency_measures", Group.MUST_HEAVIER, "违反突发事件应对措施实施违法行为的",
           f"{_G2}第十五条、{_LAW}第四十九条"),
    Factor("serious_harm", Group.MAY_HEAVIER,
           "违法行为造成他人人身伤亡或者重大财产损失等严重危害后果的",
           f"{_G2}第十六条第（一）项"),
    Factor("instigated", Group.MAY_HEAVIER, "教唆、胁迫、诱骗他人实施违法行为的",
           f"{_G2}第十六条第（二）项"),
    Factor("repeat", Group.MAY_HEAVIER,
           "因同一性质的违法行为受过刑事处罚，或者一年内因同一种违法行为受过行政处罚的",
           f"{_G2}第十六条第（三）项"),
    # The last three are not counted again where the act was already punished on its own
    # (第十六条 proviso); the officer decides, the text says so.
    Factor("obstructed", Group.MAY_HEAVIER,
           "阻碍或者拒不配合行政执法人员依法执法的（已单独处罚的除外）",
           f"{_G2}第十六条第（四）项"),
    Factor("moved_seized", Group.MAY_HEAVIER,
           "隐藏、转移、损毁、使用、变卖已被依法查封、扣押的财物的（已单独处罚的除外）",
           f"{_G2}第十六条第（五）项"),
    Factor("destroyed_evidence", Group.MAY_HEAVIER, "伪造、隐匿、毁灭证据的（已单独处罚的除外）",
           f"{_G2}第十六条第（六）项"),
)  # fmt: skip
FACTORS_BY_CODE: Mapping[str, Factor] = {f.code: f for f in FACTORS}
REPEAT_FACTOR = "repeat"


def factor(code: str) -> Factor:
    """The circumstance with ``code``; KeyError for an unknown code."""
    return FACTORS_BY_CODE[code]


@dataclass(frozen=True)
class StatutoryRange:
    """The penalty the statute allows for the act: an amount range, a multiple of a base, or
    penalty kinds only. ``minimum``/``maximum`` are yuan (AMOUNT) or multiples (MULTIPLE)."""

    kind: RangeKind
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    base_name: str = ""  # 货值金额、违法所得 … (MULTIPLE only)

    def __post_init__(self) -> None:
        if self.kind == RangeKind.KINDS:
            return
        if self.minimum is None or self.maximum is None:
            raise ValueError("a fine range needs its minimum and maximum")
        if self.minimum < 0 or self.maximum < self.minimum:
            raise ValueError("a fine range runs from a minimum ≥ 0 up to a maximum ≥ it")
        if self.kind == RangeKind.MULTIPLE and not self.base_name:
            raise ValueError("a multiple names its base")

    @property
    def text(self) -> str:
        if self.kind == RangeKind.AMOUNT:
            return f"{yuan(self.minimum)}元以上{yuan(self.maximum)}元以下罚款"
        if self.kind == RangeKind.MULTIPLE:
            return f"{self.base_name}{num(self.minimum)}倍以上{num(self.maximum)}倍以下罚款"
        return "处罚种类（不涉及罚款数额）"


@dataclass(frozen=True)
class Band:
    """A stretch of fines (yuan) for one grade, with its ends' inclusion stated."""

    grade: Grade
    low: Decimal
    high: Decimal
    low_inclusive: bool = True
    high_inclusive: bool = True

    def contains(self, amount: Decimal) -> bool:
        above = amount >= self.low if self.low_inclusive else amount > self.low
        below = amount <= self.high if self.high_inclusive else amount < self.high
        return above and below

    @property
    def text(self) -> str:
        left = "" if self.low_inclusive else "（不含）"
        right = "" if self.high_inclusive else "（不含）"
        if self.grade == Grade.MITIGATED:
            return f"低于{yuan(self.high)}元（法定最低限额以下）"
        return f"{yuan(self.low)}元{left}至{yuan(self.high)}元{right}"


@dataclass(frozen=True)
class GradeBand:
    """An entry's own band for one grade (a sector or local 基准), in the range's unit (yuan
    or multiples); inclusive at both ends."""

    grade: Grade
    low: Decimal
    high: Decimal


def yuan(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    q = amount.quantize(FEN)
    return f"{q:,.2f}".rstrip("0").rstrip(".") if q != q.to_integral() else f"{q:,.0f}"


def num(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


def _down(v: Decimal) -> Decimal:
    return v.quantize(FEN, rounding=ROUND_FLOOR)


def _up(v: Decimal) -> Decimal:
    return v.quantize(FEN, rounding=ROUND_CEILING)


def _scale(rng: StatutoryRange, base: Decimal | None) -> Decimal:
    if rng.kind == RangeKind.MULTIPLE:
        if base is None or base < 0:
            raise ValueError(f"a multiple needs the {rng.base_name or 'base'} entered (≥ 0)")
        return base
    return Decimal(1)


def bands(
    rng: StatutoryRange,
    *,
    base: Decimal | None = None,
    own: Sequence[GradeBand] = (),
) -> dict[Grade, Band]:
    """The fine bands of each grade for ``rng`` (empty for a kinds-only range).

    ``own`` bands (the entry's own, in the range's unit) replace the default for their grade;
    the 减轻 band is always below the statutory minimum."""
    if rng.kind == RangeKind.KINDS:
        return {}
    assert rng.minimum is not None and rng.maximum is not None
    k = _scale(rng, base)
    lo, hi = rng.minimum, rng.maximum
    cut_low = lo + (hi - lo) * LIGHTER_SHARE
    cut_high = hi - (hi - lo) * LIGHTER_SHARE
    minimum, maximum = _up(lo * k), _down(hi * k)
    result = {
        Grade.MITIGATED: Band(Grade.MITIGATED, Decimal(0), minimum, True, False),
        Grade.LIGHTER: Band(Grade.LIGHTER, minimum, _down(cut_low * k)),
        Grade.STANDARD: Band(Grade.STANDARD, _down(cut_low * k), _up(cut_high * k), False, False),
        Grade.HEAVIER: Band(Grade.HEAVIER, _up(cut_high * k), maximum),
    }
    for g in own:
        if g.grade in IN_RANGE:
            result[g.grade] = Band(g.grade, _up(g.low * k), _down(g.high * k))
    return result


def grade_of(amount: Decimal, table: Mapping[Grade, Band]) -> Grade | None:
    """The grade whose band holds ``amount`` (None: above the maximum or no bands)."""
    for grade in (Grade.LIGHTER, Grade.STANDARD, Grade.HEAVIER, Grade.MITIGATED):
        band = table.get(grade)
        if band is not None and band.contains(amount):
            return grade
    return None


@dataclass(frozen=True)
class Proposal:
    """What the calculator proposes: the grade (None where the officer must judge, 第十七条),
    the grades the officer may choose, the band of the proposed grade, and why."""

    grade: Grade | None
    allowed: tuple[Grade, ...]
    band: Band | None
    reasons: tuple[str, ...]
    needs_judgement: bool = False

    @property
    def text(self) -> str:
        if self.grade is None:
            return "从轻与从重情节并存，须综合考虑后说明裁量理由并选择裁量阶次"
        return self.grade.label + (f"（{self.band.text}）" if self.band else "")


def propose(
    rng: StatutoryRange,
    found: Iterable[str],
    *,
    base: Decimal | None = None,
    own: Sequence[GradeBand] = (),
) -> Proposal:
    """The grade and band the circumstances ``found`` (factor codes) lead to.

    应当不予 → 不予处罚 (no other choice); 可以不予 → 不予处罚 proposed, every grade allowed;
    lighter circumstances only → 从轻 (减轻 allowed with its condition); heavier only → 从重;
    both → no grade: the officer states the overall judgement (第十七条); none → 一般.
    Raises KeyError for an unknown factor code, ValueError for a multiple without its base."""
    codes = [factor(c) for c in found]
    groups = {f.group for f in codes}
    table = bands(rng, base=base, own=own)
    why = tuple(f"{f.group_label}：{f.text}（{f.article}）" for f in codes)
    if Group.MUST_NOT in groups:
        return Proposal(Grade.NO_PENALTY, (Grade.NO_PENALTY,), None, why)
    every = (Grade.NO_PENALTY, Grade.EXEMPT, Grade.MITIGATED, *IN_RANGE)
    lighter = bool(groups & LIGHTER_GROUPS)
    heavier = bool(groups & HEAVIER_GROUPS)
    if lighter and heavier:
        return Proposal(None, every, None, why, needs_judgement=True)
    if Group.MAY_NOT in groups:
        return Proposal(Grade.NO_PENALTY, every, None, why)
    allowed: tuple[Grade, ...]
    if lighter:
        grade, allowed = Grade.LIGHTER, (Grade.LIGHTER, Grade.MITIGATED)
    elif heavier:
        grade, allowed = Grade.HEAVIER, (Grade.HEAVIER,)
    else:
        grade, allowed = Grade.STANDARD, (Grade.STANDARD,)
    return Proposal(grade, allowed, table.get(grade), why)


def fine_within(
    rng: StatutoryRange,
    grade: Grade,
    fine: Decimal | None,
    *,
    base: Decimal | None = None,
    own: Sequence[GradeBand] = (),
) -> bool:
    """Whether ``fine`` lies inside the band of ``grade`` (no fine for 不予/免予 and for a
    kinds-only range, where no fine is stated; none, or one below the minimum, for 减轻)."""
    if grade in (Grade.NO_PENALTY, Grade.EXEMPT):
        return fine is None or fine == 0
    if rng.kind == RangeKind.KINDS:
        return fine is None
    if fine is None:
        # 减轻 may be a lighter kind instead of a fine (2号第十条: 不并处罚款 …).
        return grade == Grade.MITIGATED
    band = bands(rng, base=base, own=own).get(grade)
    return band is not None and band.contains(fine)


def band_outside(
    child: StatutoryRange, parent: StatutoryRange, *, child_own: Sequence[GradeBand] = ()
) -> str | None:
    """Why a lower level's entry (``child``) does not lie within its upper level's (``parent``)
    band (国办发〔2022〕27号（五）), or None when it does. Multiples compare as multiples; an
    amount child of a multiple parent cannot be compared without the base and is refused."""
    if parent.kind == RangeKind.KINDS:
        return None
    if child.kind != parent.kind:
        return "下级裁量基准的罚款方式须与上级一致"
    assert child.minimum is not None and child.maximum is not None
    assert parent.minimum is not None and parent.maximum is not None
    if child.minimum < parent.minimum or child.maximum > parent.maximum:
        return f"下级裁量基准的幅度（{child.text}）超出上级裁量基准的幅度（{parent.text}）"
    for g in child_own:
        if g.low < parent.minimum or g.high > parent.maximum:
            return f"“{g.grade.label}”阶次的幅度超出上级裁量基准的幅度（{parent.text}）"
    return None


def grade_band_outside(
    child: GradeBand, parent_range: StatutoryRange, parent_own: Sequence[GradeBand]
) -> str | None:
    """Why a refined grade band lies outside the parent's band for the same grade (compared
    in the range's unit, ends included: a refinement may reach the parent's boundary)."""
    if parent_range.kind == RangeKind.KINDS or child.grade not in IN_RANGE:
        return None
    assert parent_range.minimum is not None and parent_range.maximum is not None
    lo, hi = parent_range.minimum, parent_range.maximum
    cut_low = lo + (hi - lo) * LIGHTER_SHARE
    cut_high = hi - (hi - lo) * LIGHTER_SHARE
    limits = {
        Grade.LIGHTER: (lo, cut_low),
        Grade.STANDARD: (cut_low, cut_high),
        Grade.HEAVIER: (cut_high, hi),
    } | {g.grade: (g.low, g.high) for g in parent_own if g.grade in IN_RANGE}
    low, high = limits[child.grade]
    if child.low < low or child.high > high:
        return (
            f"“{child.grade.label}”阶次的幅度（{num(child.low)}至{num(child.high)}）超出上级"
            f"裁量基准同一阶次的幅度（{num(low)}至{num(high)}）"
        )
    return None
