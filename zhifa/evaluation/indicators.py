"""效能评价 indicators as data: a small formula language over named figures (metrics), its
evaluator, and the rule that no indicator may reward fines, confiscations or the number of
penalties. Pure: no Django, no clock.

A scheme (``EfficiencyScheme``) holds three weighted components — 执法质量, 监管履行率,
社会满意度 (鄂州's triad, supervision.md §5.1) — and a list of indicators, each::

    {"code": "D1", "component": "duty", "name": "行政执法决定按期公示率",
     "formula": "publications_on_time / publications_due",
     "unit": "rate", "better": "higher", "weight": "1"}

A formula is an arithmetic expression (``+ - * /``, parentheses, numbers, ``min(…)``,
``max(…)``) over the names of :data:`METRICS`, the figures the platform counts per agency and
year. A top-level division keeps its numerator and denominator, which the report shows and
drills into. Dividing by zero gives no value (无数据): the indicator is then left out of its
component, and a component without any value is left out of the total, whose weights are
rescaled over what remains (the page says so).

THE HARD RULE (:func:`indicator_check`): 《中华人民共和国行政处罚法》第七十四条 forbids
returning fines and confiscations to the agency or linking them to its funding, and the
《法治政府建设实施纲要（2021—2025年）》（二十六） says "严禁下达或者变相下达罚没指标，严禁将罚没收入
同作出行政处罚的行政机关及其工作人员的考核、考评直接或者变相挂钩"; 辽宁 forbids penalty quotas.
So the editor refuses any formula that names an amount of fines or confiscations or a count of
penalty decisions (also as a ratio, or under a name that hides one), and any formula in which
a count of enforcement acts (cases, decisions to publish) is rewarded by itself rather than as
the denominator-matched part of a rate ("decided within limits ÷ decided" is a rate; "decided"
alone, or "decided ÷ scored files", grows with the number of decisions).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

FINES_RULE = (
    "《中华人民共和国行政处罚法》第七十四条；《法治政府建设实施纲要（2021—2025年）》"
    "“严禁下达或者变相下达罚没指标”"
)
SCHEME_RULE = (
    "《行政执法监督条例》第十九条（评议标准、程序和结果公开）；"
    "鄂州市行政执法效能评价（执法质量、监管履行率、社会满意度）"
)

COMPONENTS: dict[str, str] = {
    "quality": "执法质量",
    "duty": "监管履行率",
    "satisfaction": "社会满意度",
}
UNITS = {"rate": "比率", "points": "分值（百分制）"}
BETTER = {"higher": "越高越好", "lower": "越低越好"}

MEASURE = "measure"  # a figure that may stand anywhere in a formula
VOLUME = "volume"  # a count of enforcement acts: only as part of a rate of two such counts
FORBIDDEN = "forbidden"  # fines, confiscations, penalty counts: never (第七十四条)
UNCONNECTED = "unconnected"  # the platform does not yet hold it: 未接入, not counted


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    kind: str
    source: str  # where the platform counts it (shown beside the formula)


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        # 执法质量: the year's 案卷评查 results (files whose result stands: 已评定)
        Metric("files_scored", "已评定案卷数", MEASURE, "本年度评查活动中已评定的案卷"),
        Metric("file_score_sum", "已评定案卷得分合计", MEASURE, "本年度评查活动中已评定的案卷"),
        Metric("files_failed", "不合格案卷数", MEASURE, "已评定案卷中等次为不合格的"),
        Metric("files_vetoed", "触发否决项案卷数", MEASURE, "已评定案卷中触发否决项的"),
        # 监管履行率: the platform's own data
        Metric(
            "publications_due",
            "应公示的行政执法决定数",
            VOLUME,
            "公示期限在本年度且已届满（截至评价日）的行政执法决定公示",
        ),
        Metric(
            "publications_on_time",
            "按期公示的行政执法决定数",
            VOLUME,
            "其中在公示期限内公开的",
        ),
        Metric(
            "cases_decided",
            "设有办案期限并于本年度作出决定的案件数",
            VOLUME,
            "决定日期在本年度（截至评价日）且有作出决定期限的案件",
        ),
        Metric(
            "cases_decided_in_time",
            "在办案期限内作出决定的案件数",
            VOLUME,
            "其中决定日期不晚于作出决定期限（含经批准延长的期限）的",
        ),
        Metric(
            "plan_inspections",
            "检查计划内应实施的检查数",
            VOLUME,
            "列入本年度检查计划、计划检查日期已到（截至评价日）且未被拒绝批准的检查",
        ),
        Metric(
            "plan_inspections_done",
            "检查计划内已实施的检查数",
            VOLUME,
            "其中已结束检查的",
        ),
        Metric(
            "statistics_due",
            "应报送的行政执法统计季报数",
            VOLUME,
            "本年度报送期限已届满（截至评价日）的季度统计（季后第15日，可设置）",
        ),
        Metric(
            "statistics_on_time",
            "按期报送的行政执法统计季报数",
            VOLUME,
            "其中在报送期限内报送的（鄂州：每季度向同级司法行政部门备案统计信息）",
        ),
        # 社会满意度
        Metric("survey_answers", "满意度问卷答卷数", MEASURE, "本年度本机关满意度问卷的有效答卷"),
        Metric(
            "survey_score_sum",
            "满意度问卷得分合计",
            MEASURE,
            "每份答卷按各题平均折算为百分制后合计",
        ),
        Metric(
            "third_party_score",
            "第三方评价得分",
            MEASURE,
            "导入的第三方满意度评价结果（百分制；同一年度以最后一次导入为准）",
        ),
        Metric(
            "third_party_count",
            "第三方评价结果数",
            MEASURE,
            "本年度导入了该机关第三方评价结果的为1，否则为0",
        ),
        # Named so that the refusal can name them: never usable (第七十四条).
        Metric("fine_amount", "罚款金额", FORBIDDEN, "—"),
        Metric("confiscation_amount", "没收违法所得、非法财物金额", FORBIDDEN, "—"),
        Metric("forfeiture_amount", "罚没收入", FORBIDDEN, "—"),
        Metric("penalty_count", "行政处罚决定数", FORBIDDEN, "—"),
        Metric("penalty_decisions", "行政处罚决定数", FORBIDDEN, "—"),
        Metric("penalty_cases", "行政处罚案件数", FORBIDDEN, "—"),
    )
}

# Names and wordings that hide a fine, a confiscation or a penalty count: refused even when the
# metric is not in the catalogue (a later metric, a typo, an indicator's own name).
_FORBIDDEN_NAME = re.compile(r"fine|penalt|confisc|forfeit|sanction|amount|money|yuan", re.I)
_FORBIDDEN_WORDS = re.compile(r"罚款|罚没|没收|处罚(?:数|量|件|案件数|决定数|金额|率)|收缴|入库")


class IndicatorError(ValueError):
    """A scheme or an indicator the editor refuses; ``message`` in Chinese, ``article`` the rule
    (the fines rule for the hard rule), ``code`` the indicator at fault."""

    def __init__(self, message: str, *, article: str = SCHEME_RULE, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.article = article
        self.code = code


@dataclass(frozen=True)
class Indicator:
    code: str
    component: str
    name: str
    formula: str
    unit: str
    better: str
    weight: Decimal
    names: tuple[str, ...] = field(default=())  # the metrics it reads

    @property
    def unconnected(self) -> bool:
        return any(METRICS[n].kind == UNCONNECTED for n in self.names)

    def as_json(self) -> dict[str, str]:
        return {
            "code": self.code,
            "component": self.component,
            "name": self.name,
            "formula": self.formula,
            "unit": self.unit,
            "better": self.better,
            "weight": str(self.weight),
        }


DEFAULT_INDICATORS: list[dict[str, str]] = [
    {
        "code": "Q1",
        "component": "quality",
        "name": "案卷评查平均分",
        "formula": "file_score_sum / files_scored",
        "unit": "points",
        "better": "higher",
        "weight": "2",
    },
    {
        "code": "Q2",
        "component": "quality",
        "name": "案卷不合格率",
        "formula": "files_failed / files_scored",
        "unit": "rate",
        "better": "lower",
        "weight": "1",
    },
    {
        "code": "Q3",
        "component": "quality",
        "name": "否决项案卷比率",
        "formula": "files_vetoed / files_scored",
        "unit": "rate",
        "better": "lower",
        "weight": "1",
    },
    {
        "code": "D1",
        "component": "duty",
        "name": "行政执法决定按期公示率",
        "formula": "publications_on_time / publications_due",
        "unit": "rate",
        "better": "higher",
        "weight": "1",
    },
    {
        "code": "D2",
        "component": "duty",
        "name": "案件按期办结率",
        "formula": "cases_decided_in_time / cases_decided",
        "unit": "rate",
        "better": "higher",
        "weight": "1",
    },
    {
        "code": "D3",
        "component": "duty",
        "name": "检查计划执行率",
        "formula": "plan_inspections_done / plan_inspections",
        "unit": "rate",
        "better": "higher",
        "weight": "1",
    },
    {
        "code": "D4",
        "component": "duty",
        "name": "行政执法统计按期报送率",
        "formula": "statistics_on_time / statistics_due",
        "unit": "rate",
        "better": "higher",
        "weight": "1",
    },
    {
        "code": "S1",
        "component": "satisfaction",
        "name": "问卷满意度",
        "formula": "survey_score_sum / survey_answers",
        "unit": "points",
        "better": "higher",
        "weight": "1",
    },
    {
        "code": "S2",
        "component": "satisfaction",
        "name": "第三方评价得分",
        "formula": "third_party_score / third_party_count",
        "unit": "points",
        "better": "higher",
        "weight": "1",
    },
]


# -- the formula language ------------------------------------------------------------------------

_OPS: dict[type[ast.operator], str] = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×", ast.Div: "÷"}
_FUNCS = {"min": "较小值", "max": "较大值"}
MAX_FORMULA = 300


def _parse(formula: str, code: str) -> ast.expr:
    if not formula.strip():
        raise IndicatorError(f"指标{code}未填写计算公式", code=code)
    if len(formula) > MAX_FORMULA:
        raise IndicatorError(f"指标{code}的计算公式过长", code=code)
    try:
        tree = ast.parse(formula.strip(), mode="eval")
    except SyntaxError:
        raise IndicatorError(
            f"指标{code}的计算公式无法识别：只能使用指标数据名称、数字、+ - * / 和括号", code=code
        ) from None
    for node in ast.walk(tree):
        if isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Name, ast.Load)):
            if isinstance(node, ast.BinOp) and type(node.op) not in _OPS:
                raise IndicatorError(f"指标{code}的计算公式只能使用 + - * /", code=code)
            if isinstance(node, ast.UnaryOp) and not isinstance(node.op, (ast.USub, ast.UAdd)):
                raise IndicatorError(f"指标{code}的计算公式只能使用 + - * /", code=code)
            continue
        if isinstance(node, ast.operator | ast.unaryop):
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            continue
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _FUNCS
            and not node.keywords
            and len(node.args) >= 2
        ):
            continue
        raise IndicatorError(
            f"指标{code}的计算公式无法识别：只能使用指标数据名称、数字、+ - * /、括号和min、max",
            code=code,
        )
    return tree.body


def _metric_names(node: ast.AST) -> list[str]:
    funcs = {id(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)}
    return [n.id for n in ast.walk(node) if isinstance(n, ast.Name) and id(n) not in funcs]


def _refuse_fines(code: str, name: str, what: str) -> IndicatorError:
    return IndicatorError(
        f"指标{code}不能以{what}计算：效能评价不得以罚没金额、罚没收入或者行政处罚数量为指标，"
        f"也不得变相挂钩（{FINES_RULE}）",
        article=FINES_RULE,
        code=code,
    )


def _volume_ok(node: ast.expr, target: ast.Name) -> bool:
    """Whether the volume name ``target`` sits in a ratio whose other side also counts acts."""
    if isinstance(node, ast.BinOp):
        in_left = any(n is target for n in ast.walk(node.left))
        in_right = any(n is target for n in ast.walk(node.right))
        if isinstance(node.op, ast.Div):
            other = node.right if in_left else node.left if in_right else None
            if other is not None and any(
                METRICS.get(n, Metric(n, "", MEASURE, "")).kind == VOLUME
                for n in _metric_names(other)
            ):
                return True
        if in_left:
            return _volume_ok(node.left, target)
        if in_right:
            return _volume_ok(node.right, target)
        return False
    if isinstance(node, ast.UnaryOp):
        return _volume_ok(node.operand, target)
    if isinstance(node, ast.Call):
        return any(
            _volume_ok(a, target) for a in node.args if any(n is target for n in ast.walk(a))
        )
    return False


def indicator_check(raw: Mapping[str, Any]) -> Indicator:
    """One indicator of the editor, checked; :class:`IndicatorError` names what is wrong.

    Refused with the fines rule (``article`` = :data:`FINES_RULE`): a name or a wording of an
    amount of fines or confiscations or a count of penalties, and a count of enforcement acts
    that is not part of a rate of two such counts."""
    if not isinstance(raw, Mapping):
        raise IndicatorError("指标应为对象")
    code = str(raw.get("code", "")).strip()
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,15}", code):
        raise IndicatorError("指标代码应以字母开头，由字母、数字组成（至多16个字符）", code=code)
    name = str(raw.get("name", "")).strip()
    if not name or len(name) > 100:
        raise IndicatorError(f"请填写指标{code}的名称（至多100字）", code=code)
    if _FORBIDDEN_WORDS.search(name):
        raise _refuse_fines(code, name, f"“{name}”")
    component = str(raw.get("component", ""))
    if component not in COMPONENTS:
        raise IndicatorError(f"指标{code}应属于执法质量、监管履行率或社会满意度", code=code)
    unit = str(raw.get("unit", "rate"))
    if unit not in UNITS:
        raise IndicatorError(f"指标{code}的计量方式应为比率或分值", code=code)
    better = str(raw.get("better", "higher"))
    if better not in BETTER:
        raise IndicatorError(f"指标{code}应注明越高越好或越低越好", code=code)
    try:
        weight = Decimal(str(raw.get("weight", "1")))
    except InvalidOperation:
        raise IndicatorError(f"指标{code}的权重应为数字", code=code) from None
    if not weight.is_finite() or weight <= 0 or weight > 100:
        raise IndicatorError(f"指标{code}的权重应大于0且不超过100", code=code)
    formula = str(raw.get("formula", ""))
    if _FORBIDDEN_WORDS.search(formula):
        raise _refuse_fines(code, formula, "罚没或者处罚数量")
    tree = _parse(formula, code)
    funcs = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    names: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Name) or id(node) in funcs:
            continue
        metric = METRICS.get(node.id)
        if (metric is not None and metric.kind == FORBIDDEN) or (
            metric is None and _FORBIDDEN_NAME.search(node.id)
        ):
            label = metric.label if metric is not None else node.id
            raise _refuse_fines(code, node.id, f"“{label}”")
        if metric is None:
            raise IndicatorError(f"指标{code}的计算公式中没有“{node.id}”这项数据", code=code)
        if metric.kind == VOLUME and not _volume_ok(tree, node):
            raise _refuse_fines(
                code,
                node.id,
                f"“{metric.label}”的多少（执法行为的数量只能作为两项数量之比计入，"
                "不能单独或者以其他数据为分母计分）",
            )
        if node.id not in names:
            names.append(node.id)
    return Indicator(
        code=code,
        component=component,
        name=name,
        formula=formula.strip(),
        unit=unit,
        better=better,
        weight=weight,
        names=tuple(names),
    )


def indicators_check(raw: Any) -> list[Indicator]:
    """Every indicator of a scheme, checked; codes unique; at least one."""
    if not isinstance(raw, list) or not raw:
        raise IndicatorError("请至少设置一项指标")
    if len(raw) > 60:
        raise IndicatorError("指标至多60项")
    out = [indicator_check(r) for r in raw]
    seen: set[str] = set()
    for ind in out:
        if ind.code in seen:
            raise IndicatorError(f"指标代码{ind.code}重复", code=ind.code)
        seen.add(ind.code)
    return out


def weights_check(weights: Mapping[str, Any]) -> dict[str, Decimal]:
    """The components' weights: each ≥ 0, summing to 100 (百分制, 国办发〔2005〕37号)."""
    out: dict[str, Decimal] = {}
    for key, label in COMPONENTS.items():
        try:
            w = Decimal(str(weights.get(key, "0")))
        except InvalidOperation:
            raise IndicatorError(f"{label}的权重应为数字") from None
        if not w.is_finite() or w < 0 or w > 100:
            raise IndicatorError(f"{label}的权重应在0至100之间")
        out[key] = w.quantize(Q2)  # as stored (two decimals), as the replay compares
    if sum(out.values()) != 100:
        raise IndicatorError("三部分权重之和应为100（百分制）")
    return out


def formula_text(formula: str) -> str:
    """The formula in words, for the page: names become their Chinese labels."""
    try:
        tree = ast.parse(formula.strip(), mode="eval").body
    except SyntaxError:
        return formula

    def show(node: ast.expr, top: bool = False) -> str:
        if isinstance(node, ast.Name):
            m = METRICS.get(node.id)
            return m.label if m else node.id
        if isinstance(node, ast.Constant):
            return str(node.value)
        if isinstance(node, ast.UnaryOp):
            return "−" + show(node.operand)
        if isinstance(node, ast.BinOp):
            s = f"{show(node.left)} {_OPS.get(type(node.op), '?')} {show(node.right)}"
            return s if top else f"（{s}）"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            inner = "，".join(show(a, True) for a in node.args)
            return f"{_FUNCS.get(node.func.id, node.func.id)}（{inner}）"
        return "?"

    return show(tree, True)


# -- evaluation --------------------------------------------------------------------------------

HUNDRED = Decimal(100)
Q4 = Decimal("0.0001")
Q2 = Decimal("0.01")


def _eval(node: ast.expr, figures: Mapping[str, Decimal | None]) -> Decimal | None:
    if isinstance(node, ast.Name):
        return figures.get(node.id)
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, figures)
        return None if v is None else (-v if isinstance(node.op, ast.USub) else v)
    if isinstance(node, ast.BinOp):
        a, b = _eval(node.left, figures), _eval(node.right, figures)
        if a is None or b is None:
            return None
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        return None if b == 0 else a / b
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        vals = [_eval(a, figures) for a in node.args]
        if any(v is None for v in vals):
            return None
        clean = [v for v in vals if v is not None]
        return min(clean) if node.func.id == "min" else max(clean)
    return None


@dataclass(frozen=True)
class Value:
    """One indicator's outcome for one agency: the value, and for a ratio its numerator and
    denominator; ``score`` on 0–100; None where there is no data (or 未接入)."""

    code: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    score: Decimal | None
    unconnected: bool = False

    def as_json(self) -> dict[str, Any]:
        def s(d: Decimal | None) -> str | None:
            return None if d is None else str(d)

        return {
            "value": s(self.value),
            "numerator": s(self.numerator),
            "denominator": s(self.denominator),
            "score": s(self.score),
            "unconnected": self.unconnected,
        }


def _clamp(v: Decimal) -> Decimal:
    return max(Decimal(0), min(HUNDRED, v))


def indicator_value(ind: Indicator, figures: Mapping[str, Decimal | None]) -> Value:
    """Evaluate ``ind`` on one agency's figures. A rate scores 100 × value (or 100 × (1 −
    value) when lower is better), points score as they are (or 100 − points); both clamped to
    0–100. An indicator reading an unconnected figure has no value (未接入)."""
    if ind.unconnected:
        return Value(ind.code, None, None, None, None, unconnected=True)
    tree = ast.parse(ind.formula, mode="eval").body
    numerator = denominator = None
    if isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Div):
        numerator, denominator = _eval(tree.left, figures), _eval(tree.right, figures)
    value = _eval(tree, figures)
    if value is None:
        return Value(ind.code, None, numerator, denominator, None)
    value = value.quantize(Q4)
    if ind.unit == "rate":
        raw = value * HUNDRED if ind.better == "higher" else (1 - value) * HUNDRED
    else:
        raw = value if ind.better == "higher" else HUNDRED - value
    return Value(ind.code, value, numerator, denominator, _clamp(raw).quantize(Q2))


@dataclass(frozen=True)
class Outcome:
    """One agency's evaluation: every indicator's value, each component's score (None when no
    indicator of it had data) and the total on 0–100 (weights rescaled over the components
    that have a score)."""

    values: dict[str, Value]
    components: dict[str, Decimal | None]
    total: Decimal | None


def evaluate(
    indicators: Sequence[Indicator],
    weights: Mapping[str, Decimal],
    figures: Mapping[str, Decimal | None],
) -> Outcome:
    values = {ind.code: indicator_value(ind, figures) for ind in indicators}
    components: dict[str, Decimal | None] = {}
    for comp in COMPONENTS:
        scored = [
            (ind.weight, values[ind.code].score)
            for ind in indicators
            if ind.component == comp and values[ind.code].score is not None
        ]
        wsum = sum((w for w, _ in scored), Decimal(0))
        components[comp] = (
            (sum((w * s for w, s in scored if s is not None), Decimal(0)) / wsum).quantize(Q2)
            if wsum
            else None
        )
    present = [(weights[c], s) for c, s in components.items() if s is not None and weights[c]]
    wsum = sum((w for w, _ in present), Decimal(0))
    total = (
        (sum((w * s for w, s in present if s is not None), Decimal(0)) / wsum).quantize(Q2)
        if wsum
        else None
    )
    return Outcome(values, components, total)


def ranks(totals: Iterable[tuple[int, Decimal | None]]) -> dict[int, int | None]:
    """Competition ranking (1, 2, 2, 4) by total, highest first; no total, no rank."""
    scored = sorted(((t, k) for k, t in totals if t is not None), key=lambda x: -x[0])
    out: dict[int, int | None] = {}
    prev: Decimal | None = None
    rank = 0
    for i, (t, k) in enumerate(scored, start=1):
        if t != prev:
            rank, prev = i, t
        out[k] = rank
    return out


def metrics_read(indicators: Iterable[Indicator]) -> set[str]:
    return {n for ind in indicators for n in ind.names}


__all__ = [
    "COMPONENTS",
    "DEFAULT_INDICATORS",
    "FINES_RULE",
    "METRICS",
    "Indicator",
    "IndicatorError",
    "Outcome",
    "Value",
    "evaluate",
    "formula_text",
    "indicator_check",
    "indicators_check",
    "ranks",
    "weights_check",
]
