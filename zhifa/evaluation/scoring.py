"""Scoring a case file against a template (评查标准), pure: no Django, no clock.

A template's ``content`` (kept as data, edited in the UI, imported and exported) is::

    {"sections": [{"code", "name", "max_points",
                   "items": [{"code", "text", "max_points",
                              "rule": {"kind": "fixed", "points"}
                                    | {"kind": "per_occurrence", "points", "cap"}
                                    | {"kind": "range", "min", "max"},
                              "check": "<record check code or empty>", "source"}]}],
     "vetoes": [{"code", "text", "check", "source"}],
     "grade_bands": [{"from": "90", "grade": "优秀"}, …, {"from": "0", "grade": "不合格"}]}

Numbers are decimal strings. The rules it applies, each from its standard:

- an item's deduction is its rule's: ``fixed`` — the points once when it applies; ``per_occurrence``
  — the points for every occurrence, at most ``cap``; ``range`` — what the reviewer chooses between
  ``min`` and ``max`` (the typical deduction items of supervision.md §4.3, e.g. "−5~15");
  never more than the item's own maximum;
- a section scores its maximum less its deductions, "扣完为止，不计负分" (测绘地理信息行政处罚案卷
  评查标准): never below zero;
- the total is the sum of the sections (百分制, 《广东省行政执法案卷评查办法》第十六条);
- a veto item (否决项) that applies makes the file fail whatever its score (广东 第十七条) or sets
  the total to 0 (河南2022版基础标准, 测绘 基本标准) — the template's ``veto_effect`` says which;
- the grade is the band whose lower bound the total reaches (广东 第十六条: <60 不合格,
  60–<75 合格, 75–<90 良好, ≥90 优秀; configurable per template).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

RuleKind = Literal["fixed", "per_occurrence", "range"]
RULE_KINDS: dict[str, str] = {
    "fixed": "固定扣分",
    "per_occurrence": "按处扣分（设上限）",
    "range": "区间扣分（评查人员酌定）",
}
VETO_FAIL = "fail"  # 广东 第十七条: 不合格 whatever the score
VETO_ZERO = "zero"  # 河南2022, 测绘: the total is 0
CENT = Decimal("0.01")

GUANGDONG_BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(90), "优秀"),
    (Decimal(75), "良好"),
    (Decimal(60), "合格"),
    (Decimal(0), "不合格"),
)
GUANGDONG_BANDS_SOURCE = "《广东省行政执法案卷评查办法》第十六条"


class TemplateError(ValueError):
    """The template's content cannot be used; ``where`` names the section/item/field."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where


class MarkError(ValueError):
    """A reviewer's mark cannot be scored (e.g. a range deduction outside its range)."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Rule:
    kind: RuleKind
    points: Decimal = Decimal(0)  # fixed, per_occurrence
    cap: Decimal | None = None  # per_occurrence: at most this much in all
    low: Decimal = Decimal(0)  # range
    high: Decimal = Decimal(0)  # range

    def text(self) -> str:
        if self.kind == "fixed":
            return f"扣{_fmt(self.points)}分"
        if self.kind == "per_occurrence":
            cap = f"，最多扣{_fmt(self.cap)}分" if self.cap is not None else ""
            return f"每处扣{_fmt(self.points)}分{cap}"
        return f"扣{_fmt(self.low)}～{_fmt(self.high)}分"


@dataclass(frozen=True)
class Item:
    code: str
    text: str
    max_points: Decimal
    rule: Rule
    check: str = ""
    source: str = ""


@dataclass(frozen=True)
class Section:
    code: str
    name: str
    max_points: Decimal
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Veto:
    code: str
    text: str
    check: str = ""
    source: str = ""


@dataclass(frozen=True)
class Spec:
    sections: tuple[Section, ...]
    vetoes: tuple[Veto, ...]
    bands: tuple[tuple[Decimal, str], ...]  # descending lower bounds, the last is 0
    veto_effect: str = VETO_FAIL

    @property
    def max_total(self) -> Decimal:
        return sum((s.max_points for s in self.sections), Decimal(0))

    @property
    def failing_grade(self) -> str:
        return self.bands[-1][1]

    def items(self) -> list[Item]:
        return [i for s in self.sections for i in s.items]

    def checked_codes(self) -> list[tuple[str, str]]:
        """(item or veto code, check code) for every item and veto naming a record check."""
        out = [(i.code, i.check) for i in self.items() if i.check]
        return out + [(v.code, v.check) for v in self.vetoes if v.check]


@dataclass(frozen=True)
class Result:
    total: Decimal
    grade: str
    vetoed_by: tuple[str, ...]  # codes of the veto items that apply
    sections: dict[str, Decimal] = field(default_factory=dict)  # section code -> score
    deductions: dict[str, Decimal] = field(default_factory=dict)  # item code -> deducted

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoed_by)


def _fmt(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def _num(value: Any, where: str, *, what: str = "分值") -> Decimal:
    try:
        out = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise TemplateError(f"{where}的{what}“{value}”不是数字", where) from None
    if not out.is_finite() or out < 0:
        raise TemplateError(f"{where}的{what}不能为负数", where)
    try:
        exact = out == out.quantize(CENT)
    except InvalidOperation:  # beyond the context's precision, e.g. "1e30"
        raise TemplateError(f"{where}的{what}“{value}”过大", where) from None
    if not exact:
        raise TemplateError(f"{where}的{what}最多保留两位小数", where)
    return out


def _text(raw: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = str(raw.get(key) or "").strip()
    if required and not value:
        raise TemplateError(f"{where}缺少{_FIELD_NAMES.get(key, key)}", where)
    return value


_FIELD_NAMES = {"code": "编号", "text": "内容", "name": "名称", "grade": "等次名称"}


def parse_rule(raw: Any, where: str, max_points: Decimal) -> Rule:
    if not isinstance(raw, Mapping):
        raise TemplateError(f"{where}缺少扣分规则", where)
    kind = str(raw.get("kind") or "")
    if kind == "fixed":
        points = _num(raw.get("points"), where, what="扣分")
        if points == 0 or points > max_points:
            raise TemplateError(f"{where}的扣分应大于0且不超过该项分值{_fmt(max_points)}分", where)
        return Rule("fixed", points=points)
    if kind == "per_occurrence":
        points = _num(raw.get("points"), where, what="每处扣分")
        cap_raw = raw.get("cap")
        cap = max_points if cap_raw in (None, "") else _num(cap_raw, where, what="扣分上限")
        if points == 0 or points > cap or cap > max_points:
            raise TemplateError(
                f"{where}的每处扣分应大于0，且不超过扣分上限；上限不超过该项分值{_fmt(max_points)}分",
                where,
            )
        return Rule("per_occurrence", points=points, cap=cap)
    if kind == "range":
        low = _num(raw.get("min"), where, what="最低扣分")
        high = _num(raw.get("max"), where, what="最高扣分")
        if low > high or high == 0 or high > max_points:
            raise TemplateError(
                f"{where}的扣分区间应为最低不超过最高、最高大于0且不超过该项分值{_fmt(max_points)}分",
                where,
            )
        return Rule("range", low=low, high=high)
    raise TemplateError(f"{where}的扣分方式应为固定扣分、按处扣分或区间扣分", where)


def parse_bands(raw: Any) -> tuple[tuple[Decimal, str], ...]:
    if not raw:
        return GUANGDONG_BANDS
    if not isinstance(raw, list):
        raise TemplateError("等次划分格式不正确", "等次")
    bands = []
    for n, band in enumerate(raw, 1):
        where = f"第{n}个等次"
        if not isinstance(band, Mapping):
            raise TemplateError(f"{where}格式不正确", where)
        bands.append((_num(band.get("from"), where, what="起点分"), _text(band, "grade", where)))
    bands.sort(key=lambda b: b[0], reverse=True)
    if len({b[0] for b in bands}) != len(bands) or len({b[1] for b in bands}) != len(bands):
        raise TemplateError("等次的起点分和名称不能重复", "等次")
    if bands[-1][0] != 0:
        raise TemplateError("最低等次的起点分应为0分，使每个得分都有等次", "等次")
    return tuple(bands)


def parse_template(content: Mapping[str, Any], *, veto_effect: str = VETO_FAIL) -> Spec:
    """The template's content as a :class:`Spec`; raises :class:`TemplateError` naming the
    section or item at fault (codes unique, numbers non-negative with at most two decimals, an
    item's rule within its points, the bands ending at 0)."""
    if veto_effect not in (VETO_FAIL, VETO_ZERO):
        raise TemplateError("否决项效果应为评为不合格或总分计为0分", "否决项")
    sections_raw = content.get("sections") if isinstance(content, Mapping) else None
    if not isinstance(sections_raw, list) or not sections_raw:
        raise TemplateError("评查标准至少应有一个评查项目（分部分）", "评查项目")
    seen: set[str] = set()

    def unique(code: str, where: str) -> str:
        if code in seen:
            raise TemplateError(f"{where}的编号“{code}”重复", where)
        seen.add(code)
        return code

    sections = []
    for sn, raw in enumerate(sections_raw, 1):
        where = f"第{sn}部分"
        if not isinstance(raw, Mapping):
            raise TemplateError(f"{where}格式不正确", where)
        code = unique(_text(raw, "code", where), where)
        max_points = _num(raw.get("max_points"), where)
        items_raw = raw.get("items") or []
        if not isinstance(items_raw, list):
            raise TemplateError(f"{where}的评查标准格式不正确", where)
        items = []
        for n, item in enumerate(items_raw, 1):
            iwhere = f"{where}第{n}项"
            if not isinstance(item, Mapping):
                raise TemplateError(f"{iwhere}格式不正确", iwhere)
            icode = unique(_text(item, "code", iwhere), iwhere)
            imax = _num(item.get("max_points"), iwhere)
            if imax == 0 or imax > max_points:
                raise TemplateError(
                    f"{iwhere}的分值应大于0且不超过所在部分的{_fmt(max_points)}分", iwhere
                )
            items.append(
                Item(
                    code=icode,
                    text=_text(item, "text", iwhere),
                    max_points=imax,
                    rule=parse_rule(item.get("rule"), iwhere, imax),
                    check=_text(item, "check", iwhere, required=False),
                    source=_text(item, "source", iwhere, required=False),
                )
            )
        sections.append(
            Section(
                code=code, name=_text(raw, "name", where), max_points=max_points, items=tuple(items)
            )
        )
    vetoes = []
    for n, raw in enumerate(content.get("vetoes") or [], 1):
        where = f"第{n}个否决项"
        if not isinstance(raw, Mapping):
            raise TemplateError(f"{where}格式不正确", where)
        vetoes.append(
            Veto(
                code=unique(_text(raw, "code", where), where),
                text=_text(raw, "text", where),
                check=_text(raw, "check", where, required=False),
                source=_text(raw, "source", where, required=False),
            )
        )
    return Spec(
        sections=tuple(sections),
        vetoes=tuple(vetoes),
        bands=parse_bands(content.get("grade_bands")),
        veto_effect=veto_effect,
    )


def grade_of(total: Decimal, bands: tuple[tuple[Decimal, str], ...] = GUANGDONG_BANDS) -> str:
    """The band whose lower bound ``total`` reaches (bands descending, the last from 0)."""
    for low, grade in bands:
        if total >= low:
            return grade
    return bands[-1][1]


def item_deduction(item: Item, mark: Mapping[str, Any] | None) -> Decimal:
    """What ``item`` deducts for the reviewer's ``mark`` ({"occurrences": n, "deduction": d}).

    ``fixed``: the points when occurrences ≥ 1; ``per_occurrence``: points × occurrences, at
    most the cap; ``range``: the chosen deduction, which must lie within the range when the item
    applies. Raises :class:`MarkError` for a negative count or a deduction outside the range."""
    if not mark:
        return Decimal(0)
    try:
        occurrences = int(mark.get("occurrences") or 0)
    except (TypeError, ValueError):
        raise MarkError(f"{item.code}的处数应为整数", item.code) from None
    if occurrences < 0:
        raise MarkError(f"{item.code}的处数不能为负数", item.code)
    if occurrences == 0:
        return Decimal(0)
    rule = item.rule
    if rule.kind == "fixed":
        out = rule.points
    elif rule.kind == "per_occurrence":
        cap = rule.cap if rule.cap is not None else item.max_points
        out = min(rule.points * occurrences, cap)
    else:
        try:
            out = Decimal(str(mark.get("deduction")))
        except (InvalidOperation, ValueError):
            raise MarkError(
                f"{item.code}请在{_fmt(rule.low)}～{_fmt(rule.high)}分之间选择扣分", item.code
            ) from None
        if not out.is_finite() or out < rule.low or out > rule.high:
            raise MarkError(
                f"{item.code}的扣分应在{_fmt(rule.low)}～{_fmt(rule.high)}分之间", item.code
            )
    return min(out, item.max_points)


def score(spec: Spec, marks: Mapping[str, Any]) -> Result:
    """Score ``marks`` ({"items": {code: mark}, "vetoes": {code: {"hit": bool}}}) on ``spec``.

    Unknown codes are refused (a mark for an item the template does not have is a mistake)."""
    item_marks = marks.get("items") or {}
    veto_marks = marks.get("vetoes") or {}
    known_items = {i.code for i in spec.items()}
    known_vetoes = {v.code for v in spec.vetoes}
    for code in item_marks:
        if code not in known_items:
            raise MarkError(f"评查标准中没有编号为{code}的评查项", code)
    for code in veto_marks:
        if code not in known_vetoes:
            raise MarkError(f"评查标准中没有编号为{code}的否决项", code)
    sections: dict[str, Decimal] = {}
    deductions: dict[str, Decimal] = {}
    for section in spec.sections:
        taken = Decimal(0)
        for item in section.items:
            d = item_deduction(item, item_marks.get(item.code))
            deductions[item.code] = d
            taken += d
        sections[section.code] = max(Decimal(0), section.max_points - taken)  # 扣完为止
    total = sum(sections.values(), Decimal(0))
    vetoed_by = tuple(
        v.code for v in spec.vetoes if bool((veto_marks.get(v.code) or {}).get("hit"))
    )
    if vetoed_by and spec.veto_effect == VETO_ZERO:
        total = Decimal(0)
    total = total.quantize(CENT)
    grade = spec.failing_grade if vetoed_by else grade_of(total, spec.bands)
    return Result(
        total=total, grade=grade, vetoed_by=vetoed_by, sections=sections, deductions=deductions
    )


def differs(a: Decimal, b: Decimal, threshold: Decimal) -> bool:
    """Two reviewers' totals differ beyond the campaign's threshold (strictly more than it)."""
    return abs(a - b) > threshold


def combine(results: list[Result], spec: Spec, threshold: Decimal) -> Result | None:
    """The file's result from its reviewers' signed results, or None when the team leader must
    reconcile them: their totals differ beyond ``threshold`` or they disagree on a veto item.
    Agreeing scorings give the mean of their totals (two decimals) and its grade."""
    if not results:
        return None
    if len({r.vetoed_by for r in results}) > 1:
        return None
    totals = [r.total for r in results]
    if differs(max(totals), min(totals), threshold):
        return None
    mean = (sum(totals, Decimal(0)) / len(totals)).quantize(CENT)
    vetoed_by = results[0].vetoed_by
    grade = spec.failing_grade if vetoed_by else grade_of(mean, spec.bands)
    return Result(total=mean, grade=grade, vetoed_by=vetoed_by)
