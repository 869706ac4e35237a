"""The two scoring templates the platform ships, as data, each item naming where it comes from,
and ``standard_templates_install`` that creates and publishes them for a body (idempotent).

(a) ``GD231`` — the structure of 《广东省行政执法案卷评查办法》（广东省人民政府令第231号）: the
    contents of its 第十四条 as sections on the 百分制 of 第十六条, the five veto items of
    第十七条 (the file is 不合格 whatever its score) and the bands of 第十六条. 广东 fixes the
    contents and the 100-point scale only; how the 100 points are split between the contents,
    and the items inside each content, are this deployment's choice, and each item says so.
    第十四条's “其他” content is left to the reviewer's veto and range items.
(b) ``CF-PUTONG`` — a deduction-style template for 行政处罚（普通程序） files: 卷面 20 (the
    测绘地理信息行政处罚案卷评查标准's 卷面标准, filled to 20 by this deployment) + 内容 80 (the
    typical deduction items found in the research, supervision.md §4.3, and items the record
    can answer), 扣完为止; the 测绘 基本标准's nine veto items, any of which sets the total to 0.

Items the record can answer name a record check (``record_checks``); the codes are the checks
part's. Each source is the text a reviewer reads beside the item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from zhifa.cases.models import Case
from zhifa.registry.models import Account

from . import services
from .models import Template

GD = "《广东省行政执法案卷评查办法》（令第231号）"
GD_SPLIT = "分值由本部署设定（广东办法只规定评查内容和百分制）"
XZCF = "《中华人民共和国行政处罚法》"
CH = "测绘地理信息行政处罚案卷评查标准"
TYPICAL = "常见行政处罚案卷评查扣分项（所据评查标准未能确认）"
OWN = "本部署设定"

# The record checks the items name (implemented by the checks part).
CHECK_CODES = (
    "two_certified_officers",
    "power_published",
    "registration_approved_in_time",
    "decision_within_limit",
    "prior_notice",
    "no_heavier_than_notified",
    "legal_review_before_major",
    "collective_discussion",
    "service_in_time",
    "execution_recorded",
    "archived_in_time",
    "publication_on_time",
    "media_uploaded_in_time",
    "file_reads_logged",
)

BANDS = [
    {"from": "90", "grade": "优秀"},
    {"from": "75", "grade": "良好"},
    {"from": "60", "grade": "合格"},
    {"from": "0", "grade": "不合格"},
]


def _item(
    code: str, text: str, max_points: str, rule: dict[str, str], source: str, check: str = ""
) -> dict[str, Any]:
    item: dict[str, Any] = {"code": code, "text": text, "max_points": max_points, "rule": rule}
    if check:
        item["check"] = check
    item["source"] = source
    return item


def fixed(points: str) -> dict[str, str]:
    return {"kind": "fixed", "points": points}


def each(points: str, cap: str) -> dict[str, str]:
    return {"kind": "per_occurrence", "points": points, "cap": cap}


def between(low: str, high: str) -> dict[str, str]:
    return {"kind": "range", "min": low, "max": high}


def _gd(content: str, extra: str = "") -> str:
    return f"{GD}第十四条（{content}）；{GD_SPLIT}" + (f"；{extra}" if extra else "")


def _section(code: str, name: str, max_points: str, *items: dict[str, Any]) -> dict[str, Any]:
    return {"code": code, "name": name, "max_points": max_points, "items": list(items)}


GUANGDONG_CONTENT: dict[str, Any] = {
    "sections": [
        _section(
            "F",
            "事实证据",
            "20",
            _item("F1", "主要事实清楚，证据确凿、充分", "10", between("2", "10"), _gd("事实证据")),
            _item(
                "F2",
                "证据收集合法、形式完备（笔录签名、证据来源等齐全）",
                "5",
                each("1", "5"),
                _gd("事实证据", f"{XZCF}第四十六条"),
            ),
            _item("F3", "当事人认定准确，身份证明材料齐全", "5", fixed("5"), _gd("事实证据")),
        ),
        _section(
            "L",
            "法律依据",
            "15",
            _item(
                "L1",
                "违法行为定性准确，适用法律、法规、规章正确",
                "10",
                between("3", "10"),
                _gd("法律依据"),
            ),
            _item(
                "L2",
                "处罚决定书载明所依据的具体条、款、项",
                "5",
                fixed("5"),
                _gd("法律依据", f"{XZCF}第五十九条"),
            ),
        ),
        _section(
            "P",
            "程序",
            "20",
            _item(
                "P1",
                "立案经负责人批准且及时",
                "3",
                fixed("3"),
                _gd("程序", f"{XZCF}第五十四条"),
                "registration_approved_in_time",
            ),
            _item(
                "P2",
                "作出决定前告知拟处罚内容及陈述、申辩（听证）权利",
                "5",
                fixed("5"),
                _gd("程序", f"{XZCF}第四十四条、第六十二条、第六十三条"),
                "prior_notice",
            ),
            _item(
                "P3",
                "未作出重于告知内容的处罚",
                "4",
                fixed("4"),
                _gd("程序", f"{XZCF}第四十五条第二款"),
                "no_heavier_than_notified",
            ),
            _item(
                "P4",
                "在法定期限内作出处罚决定（延长的经批准）",
                "4",
                fixed("4"),
                _gd("程序", f"{XZCF}第六十条"),
                "decision_within_limit",
            ),
            _item(
                "P5",
                "依法复核陈述、申辩，依法组织听证",
                "4",
                between("1", "4"),
                _gd("程序", f"{XZCF}第四十五条、第六十四条"),
            ),
        ),
        _section(
            "S",
            "主体资格、人员资格和权限",
            "10",
            _item(
                "S1",
                "由两名以上持有效执法证件的执法人员调查取证",
                "5",
                fixed("5"),
                _gd("主体资格、人员资格、权限", f"{XZCF}第四十二条"),
                "two_certified_officers",
            ),
            _item(
                "S2",
                "执法事项在本机关公布的权责清单内",
                "5",
                fixed("5"),
                _gd("主体资格、人员资格、权限"),
                "power_published",
            ),
        ),
        _section(
            "R",
            "全过程记录和法制审核",
            "10",
            _item(
                "R1",
                "重大执法决定作出前经法制审核",
                "4",
                fixed("4"),
                _gd("全过程记录和法制审核", f"{XZCF}第五十八条"),
                "legal_review_before_major",
            ),
            _item(
                "R2",
                "情节复杂或者重大违法行为经负责人集体讨论",
                "3",
                fixed("3"),
                _gd("全过程记录和法制审核", f"{XZCF}第五十七条第二款"),
                "collective_discussion",
            ),
            _item(
                "R3",
                "音像记录及时上传归入执法全过程记录",
                "3",
                each("1", "3"),
                _gd("全过程记录和法制审核", f"{XZCF}第四十七条"),
                "media_uploaded_in_time",
            ),
        ),
        _section(
            "D",
            "自由裁量",
            "5",
            _item(
                "D1",
                "符合裁量基准、过罚相当，并说明裁量理由",
                "5",
                between("1", "5"),
                _gd("自由裁量", f"{XZCF}第三十四条"),
            ),
        ),
        _section(
            "W",
            "文书格式",
            "5",
            _item("W1", "使用统一格式的执法文书", "2", between("0.5", "2"), _gd("文书格式")),
            _item("W2", "文书填写规范、要素齐全", "3", each("0.5", "3"), _gd("文书格式")),
        ),
        _section(
            "SD",
            "送达",
            "5",
            _item(
                "SD1",
                "处罚决定书在法定期限内送达，送达回证齐全",
                "5",
                fixed("5"),
                _gd("送达", f"{XZCF}第六十一条"),
                "service_in_time",
            ),
        ),
        _section(
            "E",
            "执行",
            "5",
            _item(
                "E1",
                "罚款缴纳或者强制执行情况有记录",
                "5",
                fixed("5"),
                _gd("执行", f"{XZCF}第六十六条、第六十七条"),
                "execution_recorded",
            ),
        ),
        _section(
            "A",
            "归档",
            "5",
            _item(
                "A1",
                "案卷材料齐全并在规定期限内归档",
                "3",
                fixed("3"),
                _gd("归档", f"{XZCF}第四十七条"),
                "archived_in_time",
            ),
            _item(
                "A2",
                "具有一定社会影响的处罚决定按时公开",
                "2",
                fixed("2"),
                _gd("归档", f"{XZCF}第四十八条"),
                "publication_on_time",
            ),
        ),
    ],
    "vetoes": [
        {"code": "GV1", "text": "主要事实不清、证据不足", "source": f"{GD}第十七条"},
        {"code": "GV2", "text": "适用法律依据错误", "source": f"{GD}第十七条"},
        {"code": "GV3", "text": "违反法定程序", "source": f"{GD}第十七条"},
        {"code": "GV4", "text": "超越或者滥用职权", "source": f"{GD}第十七条"},
        {
            "code": "GV5",
            "text": "执法主体不合法、执法人员不具备执法资格",
            "check": "two_certified_officers",
            "source": f"{GD}第十七条",
        },
    ],
    "grade_bands": BANDS,
}


def _ch(extra: str = "") -> str:
    return f"{CH}（卷面标准）" + (f"；{extra}" if extra else "")


def _typ(extra: str = "") -> str:
    return TYPICAL + (f"；{extra}" if extra else "")


def _own(basis: str) -> str:
    return f"{OWN}，依据{basis}；可由系统核查"


PENALTY_CONTENT: dict[str, Any] = {
    "sections": [
        _section(
            "J",
            "卷面",
            "20",
            _item(
                "J1",
                "不使用统一（规定）文书",
                "2",
                between("0.5", "2"),
                _typ(f"{CH}卷面标准“规定文书”2分"),
            ),
            _item("J2", "文书填写不规范", "4", each("1", "4"), _ch("每项扣1分")),
            _item("J3", "未做到一案一卷", "2", fixed("2"), _ch()),
            _item("J4", "案卷封面不规范", "1", fixed("1"), _ch()),
            _item("J5", "卷内目录、页码不全", "2", fixed("2"), _ch()),
            _item("J6", "组卷顺序不当", "1", fixed("1"), _ch()),
            _item("J7", "未逐页编号", "2", fixed("2"), _ch()),
            _item(
                "J8",
                "案卷未在规定期限内归档",
                "3",
                fixed("3"),
                f"{OWN}（补足卷面20分），依据{XZCF}第四十七条；可由系统核查",
                "archived_in_time",
            ),
            _item(
                "J9",
                "案卷调阅未登记",
                "1",
                fixed("1"),
                f"{OWN}（补足卷面20分）；可由系统核查",
                "file_reads_logged",
            ),
            _item(
                "J10",
                "卷内材料缺失、签章不全",
                "2",
                between("1", "2"),
                f"{OWN}（补足卷面20分）",
            ),
        ),
        _section(
            "N",
            "内容",
            "80",
            _item("N1", "查处无管辖权的案件", "10", fixed("10"), _typ()),
            _item(
                "N2",
                "执法事项不在本机关公布的权责清单内",
                "5",
                fixed("5"),
                _own(f"{XZCF}第十七条"),
                "power_published",
            ),
            _item("N3", "无立（销）案审批表", "4", each("2", "4"), _typ("每处扣2分")),
            _item(
                "N4",
                "立案不及时或者未经负责人批准",
                "1",
                fixed("1"),
                _typ(f"{XZCF}第五十四条"),
                "registration_approved_in_time",
            ),
            _item("N5", "立案审批表填写不规范", "0.5", fixed("0.5"), _typ()),
            _item("N6", "违法使用行政强制措施", "15", between("5", "15"), _typ()),
            _item(
                "N7",
                "先行登记保存逾期未处理",
                "5",
                between("1", "5"),
                _typ(f"{XZCF}第五十六条"),
            ),
            _item("N8", "无调查终结报告", "3", fixed("3"), _typ()),
            _item(
                "N9",
                "事先告知或者听证告知有缺陷",
                "2",
                fixed("2"),
                _typ(f"{XZCF}第四十四条、第六十三条"),
                "prior_notice",
            ),
            _item("N10", "不按规定组织听证", "5", between("1", "5"), _typ(f"{XZCF}第六十四条")),
            _item("N11", "未复核当事人的陈述、申辩", "2", fixed("2"), _typ(f"{XZCF}第四十五条")),
            _item(
                "N12",
                "无送达手续或者未在法定期限内送达",
                "2",
                fixed("2"),
                _typ(f"{XZCF}第六十一条"),
                "service_in_time",
            ),
            _item(
                "N13",
                "超过法定期限作出处罚决定",
                "3",
                fixed("3"),
                _own(f"{XZCF}第六十条"),
                "decision_within_limit",
            ),
            _item(
                "N14",
                "作出重于告知内容的处罚",
                "5",
                fixed("5"),
                _own(f"{XZCF}第四十五条第二款"),
                "no_heavier_than_notified",
            ),
            _item(
                "N15",
                "重大执法决定未经法制审核",
                "5",
                fixed("5"),
                _own(f"{XZCF}第五十八条"),
                "legal_review_before_major",
            ),
            _item(
                "N16",
                "应当集体讨论而未集体讨论",
                "5",
                fixed("5"),
                _own(f"{XZCF}第五十七条第二款"),
                "collective_discussion",
            ),
            _item(
                "N17",
                "罚款缴纳或者强制执行情况无记录",
                "2",
                fixed("2"),
                _own(f"{XZCF}第六十六条、第六十七条"),
                "execution_recorded",
            ),
            _item(
                "N18",
                "处罚决定未按时公开",
                "2",
                fixed("2"),
                _own(f"{XZCF}第四十八条"),
                "publication_on_time",
            ),
            _item(
                "N19",
                "音像记录逾期上传",
                "3",
                each("1", "3"),
                _own(f"{XZCF}第四十七条"),
                "media_uploaded_in_time",
            ),
        ),
    ],
    "vetoes": [
        {"code": "CV1", "text": "执法主体不合法", "source": f"{CH}（基本标准）"},
        {"code": "CV2", "text": "执法人员不具备执法资格", "source": f"{CH}（基本标准）"},
        {"code": "CV3", "text": "涉嫌犯罪应当移送而未移送", "source": f"{CH}（基本标准）"},
        {"code": "CV4", "text": "证据不充分", "source": f"{CH}（基本标准）"},
        {"code": "CV5", "text": "事实不清", "source": f"{CH}（基本标准）"},
        {"code": "CV6", "text": "定性不准确", "source": f"{CH}（基本标准）"},
        {"code": "CV7", "text": "适用法律不正确", "source": f"{CH}（基本标准）"},
        {"code": "CV8", "text": "程序不合法", "source": f"{CH}（基本标准）"},
        {
            "code": "CV9",
            "text": "执法人员少于2人",
            "check": "two_certified_officers",
            "source": f"{CH}（基本标准）；{XZCF}第四十二条",
        },
    ],
    "grade_bands": BANDS,
}


@dataclass(frozen=True)
class Standard:
    key: str
    name: str
    issuer: str
    source: str
    applies_to: str
    veto_effect: str
    content: dict[str, Any]
    valid_from: date = date(2026, 1, 1)


STANDARDS: tuple[Standard, ...] = (
    Standard(
        key="GD231",
        name="行政处罚案卷评查标准（广东省评查办法结构）",
        issuer="广东省人民政府（评查内容、否决项、等次）；分值由本部署设定",
        source=f"{GD}第十四条、第十六条、第十七条",
        applies_to=Case.Kind.PENALTY_GENERAL,
        veto_effect=Template.VetoEffect.FAIL,
        content=GUANGDONG_CONTENT,
    ),
    Standard(
        key="CF-PUTONG",
        name="行政处罚（普通程序）案卷评查扣分标准",
        issuer="本部署（据测绘地理信息行政处罚案卷评查标准及常见扣分项整理）",
        source=f"{CH}；{TYPICAL}；等次参照{GD}第十六条",
        applies_to=Case.Kind.PENALTY_GENERAL,
        veto_effect=Template.VetoEffect.ZERO,
        content=PENALTY_CONTENT,
    ),
)


def key_for(standard: Standard, actor: Account) -> str:
    """The key under which ``actor``'s body keeps the standard (shipped: no suffix)."""
    return standard.key if actor.agency_id is None else f"{standard.key}-{actor.agency_id}"


@transaction.atomic
def standard_templates_install(actor: Account, on: date) -> list[Template]:
    """Create and publish the shipped templates for ``actor``'s body (or, for the system
    administrator, for the whole deployment). Idempotent: a key already present is left as it
    is (its latest version is returned)."""
    out = []
    for standard in STANDARDS:
        key = key_for(standard, actor)
        existing = Template.objects.filter(key=key).order_by("-version").first()
        if existing is not None:
            out.append(existing)
            continue
        draft = services.template_create(
            actor=actor,
            key=key,
            name=standard.name,
            issuer=standard.issuer,
            source=standard.source,
            applies_to=standard.applies_to,
            valid_from=standard.valid_from,
            veto_effect=standard.veto_effect,
            content=standard.content,
            on=on,
        )
        out.append(services.template_publish(actor=actor, template=draft, on=on))
    return out
