"""The indicator catalogue and the standard tables, as data; pure.

An indicator is one column a table can show: its code (what ``counting`` emits), Chinese name,
unit, what it counts in words, the date it counts by, and whether it is computed from zhifa's
cases or only filed by agencies whose work is not (yet) in zhifa. A table is an ordered list of
indicator codes; a deployment hides columns or defines its own tables from the same indicators
(``models.TableDefinition``) — so 秦皇岛's 10 headings / 39 items can be assembled without code.
"""

from __future__ import annotations

from dataclasses import dataclass

from .penalty_order import ORDER_2021, ORDER_SHANDONG, OTHER, Order

CASES = "cases"  # computed from the record
FILED = "filed"  # filed by form or upload only (zhifa has no such cases)
DERIVED = "derived"  # computed from other indicators (a rate)

DECISION = "决定日期"
REGISTRATION = "立案日期"
CLOSING = "结案日期"
FILING = "申请复议（起诉）日期"
CONCLUSION = "复议决定（裁判）日期"
MEASURE = "实施日期"
COMPLETION = "执行完毕或终结日期"
APPLICATION = "申请日期"
ACCEPTANCE = "受理日期"
CHECK = "检查日期"
YEAR_END = "统计期末"


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str  # 件, 次, 元, 人, %
    definition: str
    counted_by: str  # the date the indicator counts by
    origin: str = CASES
    source: str = ""


@dataclass(frozen=True)
class Table:
    code: str
    name: str
    columns: tuple[str, ...]
    source: str = ""
    kind: str = ""  # the power category (registry PowerItem.Category) whose holders file it


GZ = "广州市司法局行政执法数据统计说明（2019）"
DT = "大同市行政执法统计年报制度（2021、2024）"
SD = "曲阜市行政执法数据统计表（2021）"
HZ = "杭州市司法局行政强制统计说明（2019）"
QY = "庆元县行政执法统计说明（2024）"


def _penalty_kinds(order: Order) -> list[Indicator]:
    out = [
        Indicator(
            f"penalty.kind.{g.code}",
            g.name,
            "件",
            f"决定日期在统计期内、以{g.name}为最重处罚种类的处罚决定（一个决定只计一次）",
            DECISION,
            source=f"{QY}；{order.source}",
        )
        for g in order.groups
    ]
    return out


_KINDS_2021 = _penalty_kinds(ORDER_2021)
_KINDS_SD = [
    i for i in _penalty_kinds(ORDER_SHANDONG) if i.code not in {k.code for k in _KINDS_2021}
]

INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in [
        *_KINDS_2021,
        *_KINDS_SD,
        Indicator(
            f"penalty.kind.{OTHER}",
            "其他",
            "件",
            "仅处以法律、行政法规规定的其他行政处罚的决定（有具名种类的按具名种类计）",
            DECISION,
            source=GZ,
        ),
        Indicator(
            "penalty.total",
            "合计",
            "件",
            "决定日期在统计期内的行政处罚决定数（含后被复议、诉讼撤销的决定，可设置）",
            DECISION,
            source=GZ,
        ),
        Indicator(
            "penalty.amount",
            "罚没金额",
            "元",
            "处罚决定书载明的罚款、没收违法所得金额，以及能确定金额的没收非法财物",
            DECISION,
            source=GZ,
        ),
        Indicator(
            "penalty.registered",
            "立案",
            "件",
            "立案日期在统计期内的普通程序案件",
            REGISTRATION,
            source=SD,
        ),
        Indicator(
            "penalty.closed",
            "结案",
            "件",
            "结案日期在统计期内的处罚案件（含后被撤销的决定）",
            CLOSING,
            source=SD,
        ),
        Indicator(
            "penalty.simple",
            "简易程序",
            "件",
            "适用简易程序（当场）作出的处罚决定",
            DECISION,
            source=SD,
        ),
        Indicator(
            "penalty.general", "普通程序", "件", "适用普通程序作出的处罚决定", DECISION, source=SD
        ),
        Indicator(
            "penalty.legal_review",
            "法制审核",
            "件",
            "作出决定前经法制审核的处罚决定（《行政处罚法》第五十八条）",
            DECISION,
            source=SD,
        ),
        Indicator("penalty.hearing", "听证", "件", "举行听证后作出的处罚决定", DECISION, source=SD),
        Indicator(
            "penalty.not_penalised",
            "不予处罚",
            "件",
            "作出不予行政处罚决定的案件；金额为事先告知的拟罚款金额（不罚金额）",
            DECISION,
            source=SD,
        ),
        Indicator(
            "penalty.mitigated",
            "减轻处罚",
            "件",
            "适用减轻处罚裁量阶次作出的决定；金额为实际罚款（轻罚金额）",
            DECISION,
            source=SD,
        ),
        Indicator(
            "penalty.reconsidered",
            "被行政复议",
            "件",
            "当事人申请行政复议的处罚决定",
            FILING,
            source=SD,
        ),
        Indicator(
            "penalty.reconsideration_corrected",
            "复议纠错",
            "件",
            "复议机关撤销、变更、确认违法或责令履行的处罚决定",
            CONCLUSION,
            source=SD,
        ),
        Indicator(
            "penalty.litigated",
            "被行政诉讼",
            "件",
            "当事人提起行政诉讼的处罚决定",
            FILING,
            source=SD,
        ),
        Indicator(
            "penalty.litigation_lost",
            "行政诉讼败诉",
            "件",
            "人民法院判决撤销、变更、确认违法或责令履行的处罚决定",
            CONCLUSION,
            source=SD,
        ),
        Indicator(
            "penalty.transferred",
            "移送司法机关",
            "件",
            "涉嫌犯罪移送司法机关的案件",
            DECISION,
            source=SD,
        ),
        Indicator(
            "coercion.measure.seal",
            "查封场所、设施或者财物",
            "件",
            "实施日期在统计期内的查封决定（《行政强制法》第九条第一项）",
            MEASURE,
            source=HZ,
        ),
        Indicator(
            "coercion.measure.seize",
            "扣押财物",
            "件",
            "实施日期在统计期内的扣押决定（《行政强制法》第九条第二项）",
            MEASURE,
            source=HZ,
        ),
        Indicator(
            "coercion.measure.freeze",
            "冻结存款、汇款",
            "件",
            "冻结存款、汇款（《行政强制法》第九条第四项）",
            MEASURE,
            FILED,
            HZ,
        ),
        Indicator(
            "coercion.measure.other",
            "其他行政强制措施",
            "件",
            "其他行政强制措施（《行政强制法》第九条第五项）",
            MEASURE,
            FILED,
            HZ,
        ),
        Indicator(
            "coercion.execution.late_fee",
            "加处罚款或者滞纳金",
            "件",
            "加处罚款或者滞纳金执行完毕或终结执行（《行政强制法》第十二条第一项）",
            COMPLETION,
            source=HZ,
        ),
        Indicator(
            "coercion.execution.transfer",
            "划拨存款、汇款",
            "件",
            "《行政强制法》第十二条第二项",
            COMPLETION,
            FILED,
            HZ,
        ),
        Indicator(
            "coercion.execution.disposal",
            "拍卖或者依法处理查封、扣押的场所、设施或者财物",
            "件",
            "依法处理（没收、移送、销毁）查封、扣押物品完毕（《行政强制法》第十二条第三项）",
            COMPLETION,
            source=HZ,
        ),
        Indicator(
            "coercion.execution.restore",
            "排除妨碍、恢复原状",
            "件",
            "《行政强制法》第十二条第四项",
            COMPLETION,
            FILED,
            HZ,
        ),
        Indicator(
            "coercion.execution.substitute",
            "代履行",
            "件",
            "《行政强制法》第十二条第五项",
            COMPLETION,
            FILED,
            HZ,
        ),
        Indicator(
            "coercion.execution.other",
            "其他强制执行方式",
            "件",
            "《行政强制法》第十二条第六项",
            COMPLETION,
            FILED,
            HZ,
        ),
        Indicator(
            "coercion.court",
            "申请人民法院强制执行",
            "件",
            "申请日期在统计期内的申请法院强制执行",
            APPLICATION,
            source=HZ,
        ),
        Indicator(
            "inspection.count",
            "行政检查",
            "次",
            "检查1个检查对象，有完整、详细的检查记录，计为检查1次；无具体对象或无完整记录的巡查不计",
            CHECK,
            source="大同市文物局行政执法统计说明（2024）",
        ),
        Indicator(
            "licensing.applied",
            "申请",
            "件",
            "统计期内收到的行政许可申请（单纯咨询不计）",
            APPLICATION,
            source=GZ,
        ),
        Indicator("licensing.accepted", "受理", "件", "统计期内受理的申请", ACCEPTANCE, source=GZ),
        Indicator(
            "licensing.granted",
            "许可",
            "件",
            "统计期内作出的准予许可决定（含变更、延续）",
            DECISION,
            source=GZ,
        ),
        Indicator(
            "licensing.refused", "不予许可", "件", "统计期内作出的不予许可决定", DECISION, source=GZ
        ),
        Indicator(
            "licensing.revoked", "撤销许可", "件", "统计期内撤销的行政许可", DECISION, source=GZ
        ),
        Indicator(
            "expropriation.count", "行政征收", "件", "统计期内办结的行政征收", COMPLETION, FILED, DT
        ),
        Indicator(
            "requisition.count", "行政征用", "件", "统计期内办结的行政征用", COMPLETION, FILED, DT
        ),
        Indicator(
            "confirmation.count", "行政确认", "件", "统计期内办结的行政确认", COMPLETION, FILED, DT
        ),
        Indicator(
            "adjudication.count", "行政裁决", "件", "统计期内办结的行政裁决", COMPLETION, FILED, DT
        ),
        Indicator(
            "benefit.count", "行政给付", "件", "统计期内办结的行政给付", COMPLETION, FILED, DT
        ),
        Indicator(
            "reward.count", "行政奖励", "件", "统计期内办结的行政奖励", COMPLETION, FILED, DT
        ),
        Indicator(
            "other.count",
            "其他行政执法行为",
            "件",
            "统计期内办结的其他行政执法行为",
            COMPLETION,
            FILED,
            DT,
        ),
        Indicator(
            "officers.posts",
            "执法岗位人数",
            "人",
            "统计期末在岗的执法人员",
            YEAR_END,
            source="庆元县行政执法证持证率统计（2024）",
        ),
        Indicator(
            "officers.certified",
            "持证人数",
            "人",
            "统计期末持有效行政执法证件的执法人员",
            YEAR_END,
            source="庆元县行政执法证持证率统计（2024）",
        ),
        Indicator(
            "officers.certified_rate",
            "持证率",
            "%",
            "持证人数 ÷ 执法岗位人数",
            YEAR_END,
            DERIVED,
            "庆元县行政执法证持证率统计（2024）",
        ),
        Indicator(
            "officers.trained",
            "完成年度培训人数",
            "人",
            "统计年度内完成规定学时培训的执法人员",
            YEAR_END,
            source="法治政府建设实施纲要（2021—2025年）（三十四）",
        ),
    ]
}


def penalty_table(order: Order = ORDER_2021) -> Table:
    return Table(
        "penalty",
        "行政处罚实施情况统计表",
        (
            *(f"penalty.kind.{g.code}" for g in order.groups),
            f"penalty.kind.{OTHER}",
            "penalty.total",
            "penalty.amount",
        ),
        source=f"{GZ}；{order.source}",
        kind="penalty",
    )


PENALTY_EXTENDED = Table(
    "penalty_extended",
    "行政处罚案件办理情况统计表（扩展）",
    (
        "penalty.registered",
        "penalty.closed",
        "penalty.simple",
        "penalty.general",
        "penalty.legal_review",
        "penalty.hearing",
        "penalty.not_penalised",
        "penalty.mitigated",
        "penalty.reconsidered",
        "penalty.reconsideration_corrected",
        "penalty.litigated",
        "penalty.litigation_lost",
        "penalty.transferred",
    ),
    source=SD,
    kind="penalty",
)
COERCION = Table(
    "coercion",
    "行政强制实施情况统计表",
    tuple(c for c in INDICATORS if c.startswith("coercion.")),
    source=HZ,
    kind="coercion",
)
INSPECTION = Table("inspection", "行政检查实施情况统计表", ("inspection.count",), DT, "inspection")
LICENSING = Table(
    "licensing",
    "行政许可实施情况统计表",
    tuple(c for c in INDICATORS if c.startswith("licensing.")),
    source=GZ,
    kind="licensing",
)
OTHERS = Table(
    "others",
    "其他行政执法行为统计表",
    (
        "expropriation.count",
        "requisition.count",
        "confirmation.count",
        "adjudication.count",
        "benefit.count",
        "reward.count",
        "other.count",
    ),
    source=DT,
)
OFFICERS = Table(
    "officers",
    "行政执法人员持证情况统计表",
    ("officers.posts", "officers.certified", "officers.certified_rate", "officers.trained"),
    source="庆元县行政执法证持证率统计（2024）",
)


def standard_tables(order: Order = ORDER_2021) -> list[Table]:
    return [
        penalty_table(order),
        PENALTY_EXTENDED,
        COERCION,
        INSPECTION,
        LICENSING,
        OTHERS,
        OFFICERS,
    ]


MONEY = frozenset(c for c, i in INDICATORS.items() if i.unit == "元") | {
    "penalty.not_penalised",
    "penalty.mitigated",
}  # indicators that carry an amount beside their count
