"""A deterministic generator of labelled decisions (行政处罚决定书) for the redaction engine.

Each ``LabelledDecision`` carries its text, the values the case knows (as the publication service
passes them), the personal spans that must be removed (by kind), the look-alikes that must stay
(credit codes, document numbers, officers' certificate numbers, hotlines, citations, amounts,
dates, registered addresses, organisation names, the province/city/district of a home address)
and the numbers that must be flagged as ambiguous. Used by the tests (recall per kind, keep rate)
and by ``bench/redact_bench.py``; the same seed gives the same corpus.

Names are placed after every context rule of the engine (``NAME_RULES``: each name label with a
colon, and those that also take a name without one), half of them with a surname that is also a
function word (向阳, 于海涛, 东方明); prose that starts with a function word follows the same
labels as a look-alike (证人向其证实, 委托代理人于2026年…). A name the case does not know carries
its rule, so ``Score`` reports name recall per context rule.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from stdnum import luhn
from stdnum.cn import ric, uscc

from zhifa.core.identifiers import is_valid_credit_code, is_valid_resident_id
from zhifa.publicity.redaction import (
    DEFAULT_BARE_NAME_CONTEXTS,
    DEFAULT_NAME_CONTEXTS,
    Kind,
    KnownValue,
    Result,
)

AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Label:
    start: int
    end: int
    what: str  # a Kind for personal spans, a description for look-alikes
    # the context rule a name was placed after (证人： / 证人 without a colon) when the case does
    # not know it: per-rule recall counts these
    rule: str = ""


@dataclass(frozen=True)
class LabelledDecision:
    text: str
    known: tuple[KnownValue, ...]
    personal: tuple[Label, ...]  # must be covered by applied (non-ambiguous) spans
    keep: tuple[Label, ...]  # must not be touched by any span
    ambiguous: tuple[Label, ...]  # must be covered by an ambiguous span, not applied


@dataclass
class _Builder:
    parts: list[str] = field(default_factory=list)
    pos: int = 0
    personal: list[Label] = field(default_factory=list)
    keep: list[Label] = field(default_factory=list)
    ambiguous: list[Label] = field(default_factory=list)

    def add(self, text: str) -> _Builder:
        self.parts.append(text)
        self.pos += len(text)
        return self

    def p(self, text: str, kind: str, rule: str = "") -> _Builder:
        self.personal.append(Label(self.pos, self.pos + len(text), kind, rule))
        return self.add(text)

    def k(self, text: str, what: str) -> _Builder:
        self.keep.append(Label(self.pos, self.pos + len(text), what))
        return self.add(text)

    def a(self, text: str) -> _Builder:
        self.ambiguous.append(Label(self.pos, self.pos + len(text), AMBIGUOUS))
        return self.add(text)

    def text(self) -> str:
        return "".join(self.parts)


_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕"
)
_COMPOUND = ("欧阳", "司马", "诸葛", "上官")
# Surnames that are also common function or everyday words (向 "towards", 于 "at", 和 "and" …),
# and compound surnames that start with one: a name with one found by context must be removed
# as surely as 张三 (issue 13).
_FUNCTION_SURNAMES = "向于和与同及对从在把被给为以由将让比跟高上下东方平时成全文明易万师常"
_FUNCTION_COMPOUND = ("上官", "东方", "万俟", "单于", "公孙", "司徒", "闻人", "第五")
_GIVEN = (
    "伟芳娜敏静丽强磊洋艳勇娟涛超霞鹏辉玲俊婷斌宇浩凯琳莹欣怡晨旭峰雪倩颖瑶璐琪昊皓睿轩梓萱"
    "嘉懿瑾彤妍楠铭泽煜晗韬骏岚蕾薇菁建华军志红春秀英玉兰梅桂金林德永"
)
_OFFICER_NAMES = (
    "严卫东",
    "孟建国",
    "顾志刚",
    "邵国庆",
    "钱红军",
    "陆振华",
    "汤立新",
    "柳学文",
    "于建民",
    "向红梅",
)
# The context rules for names: each label after a colon, and the labels that also take a name
# without one (证人张三证实). Named "证人：" and "证人（无冒号）".
NAME_RULES: tuple[tuple[str, bool], ...] = (
    *((label, True) for label in DEFAULT_NAME_CONTEXTS),
    *((label, False) for label in DEFAULT_BARE_NAME_CONTEXTS),
)


def rule_name(label: str, colon: bool) -> str:
    return f"{label}：" if colon else f"{label}（无冒号）"


def is_function_word_name(name: str) -> bool:
    return name[:2] in _FUNCTION_COMPOUND or name[0] in _FUNCTION_SURNAMES


# Prose that may follow a name label directly and must be kept (function words, not surnames).
_LOOK_ALIKES = (
    "向本局提交了书面材料",
    "于{date}向本局投诉",
    "对其作出的处理无异议",
    "经向{org}调查核实",
    "在场见证",
    "在场的情况下签字确认",
    "向其证实",
    "向当事人送达了相关材料",
    "于同日称",
    "于次日补充提交了材料",
    "对此称",
    "同时证实",
    "及其家属到场",
    "与当事人系亲属关系",
    "和当事人一同到场",
    "为本案利害关系人",
    "从事食品经营",
    "以上述理由提出申请",
    "由其本人签字",
    "将其购买的商品退回",
    "被告知有关权利",
    "给予配合",
    "上述证言属实",
    "平时在店内帮忙",
    "时年{age}岁",
    "全程在场",
    "明确称",
    "常住本地",
    "在现场证实",
    "向执法人员证实",
    "于当日下午",
    "为其配偶",
    "是其本人",
)
_COLON_TAILS = ("，男，", "，女，", "。", "证实，", "称，", "、")
_BARE_TAILS = ("证实，", "称，", "，", "系当事人的邻居，", "在现场")
_DIVISIONS = ("130302", "130303", "130304", "130321", "110105", "320102", "440305", "510104")
_ROADS = ("建设路", "和平大街", "迎宾路", "文化北街", "友谊路", "燕山大道", "河滨西路", "人民南路")
_ESTATES = ("幸福家园", "阳光花园", "金域华府", "和平里", "翠湖小区", "滨河新村")
_ORG_WORDS = ("鑫达", "恒通", "佳美", "福源", "瑞丰", "华联", "盛世", "康宁", "百味", "惠民")
_ORG_KINDS = (
    "商贸有限公司",
    "食品有限公司",
    "餐饮管理有限公司",
    "超市",
    "药房有限公司",
    "建材经营部",
)
_BANKS = ("中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "河北银行")
_MOBILE_PREFIXES = ("133", "135", "138", "139", "150", "158", "166", "177", "186", "189", "198")
_AREA_CODES = ("0311", "0312", "0335", "021", "0755", "022")
_HOTLINES = ("12315", "12345", "12369", "12331")
_DOMAINS = ("qq.com", "163.com", "126.com", "example.cn", "sina.com")
_PINYIN = ("zhang", "wang", "li", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu")

_FACTS = (
    "执法人员现场检查时发现，当事人经营场所内的货架上摆放有标签不符合规定的预包装食品共计{n}件，"
    "部分商品未标明生产日期和保质期，执法人员当场对上述商品予以登记保存。",
    "经查，当事人自{d1}起购进上述商品，截至{d2}共销售{n}件，销售单价为{p}元，"
    "货值金额合计人民币{amount}元，违法所得人民币{gain}元。",
    "当事人对上述违法事实无异议，并提供了进货单据、销售记录等材料，执法人员依法制作了现场检查笔录、"
    "询问笔录，并对相关物品拍照取证。",
    "本局于{d1}依法向当事人送达了行政处罚告知书，告知当事人拟作出行政处罚的内容及事实、理由、依据，"
    "并告知其依法享有陈述、申辩和要求听证的权利。当事人在法定期限内未提出陈述、申辩，也未要求听证。",
    "以上事实有现场检查笔录、询问笔录、证人证言、进货单据、销售记录、现场照片、检验报告等证据证实，"
    "事实清楚，证据确凿。",
    "本局认为，当事人的上述行为违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定，"
    "属于经营标注虚假生产日期、保质期或者超过保质期的食品的行为。",
    "鉴于当事人积极配合调查，主动提供证据材料，如实陈述违法事实，且系初次违法，"
    "依据《中华人民共和国行政处罚法》第三十二条第（一）项、第三十九条的规定，本局决定对当事人从轻处罚。",
    "依据《中华人民共和国食品安全法》第一百二十四条第一款第（五）项和《河北省市场监督管理行政处罚"
    "裁量权适用规则》第十二条的规定，结合当事人违法行为的事实、性质、情节和社会危害程度，作出如下处理。",
    "当事人在本局调查期间已停止销售涉案商品，并对库存商品进行了下架封存处理，"
    "未造成危害后果，社会危害性较小。",
    "执法人员向当事人出示了执法证件，表明了身份，告知了当事人依法享有的权利和应当履行的义务，"
    "当事人表示清楚，并在笔录上签字确认。",
)
_RIGHTS = (
    "当事人应当自收到本行政处罚决定书之日起十五日内，将罚没款缴至指定银行，逾期不缴纳罚款的，"
    "本局将依据《中华人民共和国行政处罚法》第七十二条第一款第（一）项的规定，每日按罚款数额的百分之三"
    "加处罚款。如不服本行政处罚决定，可以在收到本决定书之日起六十日内向示范市甲区人民政府申请行政复议，"
    "或者六个月内依法向示范市甲区人民法院提起行政诉讼。"
)


_VOCABULARY = "\n".join(
    (
        *_FACTS,
        _RIGHTS,
        *_ROADS,
        *_ESTATES,
        *_ORG_WORDS,
        *_ORG_KINDS,
        *_BANKS,
        *_LOOK_ALIKES,
        "示范市甲区乙区丙县河北省城关镇新华街道市场监督管理局财政局人民政府人民法院",
    )
)


def _date(rng: random.Random, start: date, days: int) -> date:
    return start + timedelta(days=rng.randrange(days))


def _person_name(rng: random.Random, taken: set[str], *, function_word: bool = False) -> str:
    """A new name, not part of another name nor of the generator's fixed text (a name that is a
    word of the text — 和平 of 和平大街 — would make the labels ambiguous)."""
    while True:
        if function_word:
            surname = (
                rng.choice(_FUNCTION_COMPOUND)
                if rng.random() < 0.15
                else rng.choice(_FUNCTION_SURNAMES)
            )
        else:
            surname = rng.choice(_COMPOUND) if rng.random() < 0.05 else rng.choice(_SURNAMES)
        given = "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))
        name = surname + given
        if name not in _VOCABULARY and all(name not in t and t not in name for t in taken):
            taken.add(name)
            return name


def id_number(rng: random.Random, *, born: date | None = None) -> str:
    division = rng.choice(_DIVISIONS)
    born = born or _date(rng, date(1950, 1, 1), 365 * 55)
    body = f"{division}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body + "0")


def _id_variants(rng: random.Random, number: str) -> str:
    style = rng.randrange(6)
    if style == 0:
        return f"{number[:6]} {number[6:14]} {number[14:]}"
    if style == 1:
        return f"{number[:6]}-{number[6:14]}-{number[14:]}"
    if style == 2 and number.endswith("X"):
        return number[:-1] + "x"
    return number


def old_id_number(rng: random.Random) -> str:
    born = _date(rng, date(1940, 1, 1), 365 * 50)
    return f"{rng.choice(_DIVISIONS)}{born:%y%m%d}{rng.randrange(1000):03d}"


def mobile(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _mobile_variant(rng: random.Random, number: str) -> str:
    style = rng.randrange(6)
    return (
        number,
        f"{number[:3]} {number[3:7]} {number[7:]}",
        f"{number[:3]}-{number[3:7]}-{number[7:]}",
        f"+86 {number}",
        f"+86-{number[:3]}-{number[3:7]}-{number[7:]}",
        f"0086{number}",
    )[style]


def landline(rng: random.Random) -> tuple[str, str]:
    """(area code, local number)."""
    area = rng.choice(_AREA_CODES)
    local = str(rng.randrange(2, 9)) + f"{rng.randrange(10**7):07d}"
    return area, local


def _landline_variant(rng: random.Random, area: str, local: str) -> str:
    style = rng.randrange(6)
    return (
        f"{area}-{local}",
        f"{area}-{local[:4]} {local[4:]}",
        f"（{area}）{local}",
        f"{area} {local}",
        f"+86 {area[1:]} {local[:4]} {local[4:]}",
        f"{area}-{local}转{rng.randrange(100, 999)}",
    )[style]


def bank_card(rng: random.Random, length: int = 19) -> str:
    body = "62" + "".join(str(rng.randrange(10)) for _ in range(length - 3))
    return body + luhn.calc_check_digit(body)


def org_account(rng: random.Random) -> str:
    """An organisation's account number that does not pass Luhn (found by its label only)."""
    while True:
        number = "".join(str(rng.randrange(10)) for _ in range(rng.choice((17, 18, 19, 20))))
        if not luhn.is_valid(number) and not is_valid_resident_id(number):
            return number


def credit_code(rng: random.Random, *, digits_only: bool = False) -> str:
    while True:
        if digits_only:
            body = rng.choice(("11", "12", "51", "52")) + rng.choice(_DIVISIONS[:4])
            body += f"{rng.randrange(10**9):09d}"
        else:
            body = (
                "91"
                + rng.choice(_DIVISIONS[:4])
                + "MA0"
                + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
            )
        code = body + uscc.calc_check_digit(body)
        if digits_only and (not code.isdigit() or luhn.is_valid(code)):
            continue
        if not is_valid_resident_id(code):
            return code


def ambiguous_number(rng: random.Random) -> str:
    """An 18-digit number valid both as 居民身份证号 and as 统一社会信用代码."""
    while True:
        number = id_number(rng)
        if number.isdigit() and is_valid_credit_code(number):
            return number


def _card_variant(rng: random.Random, number: str) -> str:
    if rng.random() < 0.5:
        return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return number


def _address(rng: random.Random) -> tuple[str, str]:
    """(province/city/district kept, detail removed)."""
    prefix = rng.choice(("河北省示范市甲区", "示范市乙区", "河北省示范市丙县", "示范市甲区"))
    road = rng.choice(_ROADS)
    style = rng.randrange(3)
    if style == 0:
        detail = (
            f"{road}{rng.randrange(1, 300)}号{rng.randrange(1, 9)}单元{rng.randrange(101, 1802)}室"
        )
    elif style == 1:
        detail = f"{road}{rng.choice(_ESTATES)}{rng.randrange(1, 30)}号楼{rng.randrange(101, 2602)}"
    else:
        detail = (
            f"{rng.choice(('城关镇', '新华街道'))}{rng.choice(_ESTATES)}{rng.randrange(1, 30)}号"
        )
    return prefix, detail


def _business_address(rng: random.Random) -> str:
    return f"示范市{rng.choice('甲乙')}区{rng.choice(_ROADS)}{rng.randrange(1, 500)}号"


def _email(rng: random.Random) -> str:
    user = f"{rng.choice(_PINYIN)}{rng.choice(('', '.', '_'))}{rng.randrange(10, 9999)}"
    return f"{user}@{rng.choice(_DOMAINS)}"


def _property_number(rng: random.Random) -> str:
    open_, close = rng.choice((("(", ")"), ("（", "）")))
    return (
        f"冀{open_}{rng.randrange(2015, 2027)}{close}示范市不动产权第{rng.randrange(10**7):07d}号"
    )


def _officer_cert(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return f"1303J{rng.randrange(10**7):07d}"
    return f"1303{rng.randrange(10**8):08d}"


def _amount(rng: random.Random) -> str:
    value = rng.randrange(1, 200) * 500
    return rng.choice((f"{value:,}.00", f"{value}", f"{value:.2f}"))


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def generate(count: int, *, seed: int = 20261121) -> list[LabelledDecision]:
    rng = random.Random(seed)
    return [_decision(rng, i) for i in range(count)]


def _decision(rng: random.Random, serial: int) -> LabelledDecision:
    b = _Builder()
    known: list[KnownValue] = []
    use_known = rng.random() < 0.6  # the case's structured data, or text alone
    names: set[str] = set(_OFFICER_NAMES)
    decided = _date(rng, date(2026, 1, 5), 320)

    agency = rng.choice(("示范市甲区市场监督管理局", "示范市乙区市场监督管理局"))
    b.k(agency, "agency").add("\n行政处罚决定书\n")
    doc = f"示{rng.choice('甲乙')}市监罚〔{decided.year}〕{rng.randrange(1, 999)}号"
    b.k(doc, "document number").add("\n\n")

    person_party = rng.random() < 0.5
    if person_party:
        party = _person_name(rng, names)
        known.append(KnownValue(party, Kind.PERSON_NAME, replacement=party[0] + "某"))
        born = _date(rng, date(1955, 1, 1), 365 * 48)
        b.add("当事人：").p(party, Kind.PERSON_NAME, rule_name("当事人", True))
        b.add(f"，{rng.choice('男女')}，{_cn_date(born)}出生，汉族，")
        if rng.random() < 0.2:
            number = old_id_number(rng)
            b.add("公民身份号码：").p(number, Kind.ID_NUMBER)
        else:
            number = id_number(rng, born=born)
            b.add(rng.choice(("公民身份号码：", "身份证号：", "居民身份证号码："))).p(
                _id_variants(rng, number), Kind.ID_NUMBER
            )
        known.append(KnownValue(number, Kind.ID_NUMBER))
        prefix, detail = _address(rng)
        b.add("，" + rng.choice(("住址：", "住所：", "家庭住址：", "现住")))
        b.k(prefix, "district of a home address").p(detail, Kind.ADDRESS)
        known.append(KnownValue(prefix + detail, Kind.ADDRESS))
        phone = mobile(rng)
        b.add("，联系电话：").p(_mobile_variant(rng, phone), Kind.PHONE)
        known.append(KnownValue(phone, Kind.PHONE))
        if rng.random() < 0.4:
            b.add("，电子邮箱：").p(_email(rng), Kind.EMAIL)
        b.add("。\n")
        if rng.random() < 0.5:
            b.add("经营场所：").k(_business_address(rng), "business address")
            b.add("（个体工商户")
            b.add("，统一社会信用代码：").k(credit_code(rng, digits_only=True), "credit code")
            b.add("）。\n")
    else:
        org = "示范市" + rng.choice(_ORG_WORDS) + rng.choice(_ORG_KINDS)
        party = org
        b.add("当事人：").k(org, "organisation name").add("\n")
        b.add("统一社会信用代码：").k(
            credit_code(rng, digits_only=rng.random() < 0.4), "credit code"
        )
        b.add("\n" + rng.choice(("住所：", "住所地：", "经营场所："))).k(
            _business_address(rng), "registered address"
        )
        rep = _person_name(rng, names)
        b.add("\n法定代表人：").p(rep, Kind.PERSON_NAME, rule_name("法定代表人", True))
        if use_known:
            known.append(KnownValue(rep, Kind.PERSON_NAME))
        if rng.random() < 0.6:
            number = id_number(rng)
            b.add("，身份证号：").p(_id_variants(rng, number), Kind.ID_NUMBER)
            known.append(KnownValue(number, Kind.ID_NUMBER))
        area, local = landline(rng)
        b.add("\n联系电话：").p(_landline_variant(rng, area, local), Kind.PHONE)
        known.append(KnownValue(f"{area}-{local}", Kind.PHONE))
        b.add("\n")
    if not use_known:
        known = []

    # Body: facts, officers, a witness, evidence, reasoning.
    d1 = _date(rng, decided - timedelta(days=120), 60)
    d2 = d1 + timedelta(days=rng.randrange(1, 30))
    b.add("\n").k(_cn_date(d1), "date")
    officers = rng.sample(_OFFICER_NAMES, 2)
    b.add("，本局执法人员").k(officers[0], "officer name").add("（执法证号：")
    b.k(_officer_cert(rng), "officer certificate number").add("）、").k(officers[1], "officer name")
    b.add("（执法证号：").k(_officer_cert(rng), "officer certificate number").add("）")
    b.add("依法对当事人位于").k(_business_address(rng), "business address")
    b.add("的经营场所进行了检查。")
    facts = rng.sample(_FACTS, 9)
    fill = {
        "n": rng.randrange(5, 300),
        "d1": _cn_date(d1),
        "d2": _cn_date(d2),
        "p": rng.randrange(5, 90),
        "amount": _amount(rng),
        "gain": _amount(rng),
    }
    b.add(facts[0].format(**fill) + facts[1].format(**fill) + "\n")

    witness = _person_name(rng, names, function_word=rng.random() < 0.2)
    colon = rng.random() < 0.5
    b.add("证人：" if colon else "证人").p(witness, Kind.PERSON_NAME, rule_name("证人", colon))
    if use_known and rng.random() < 0.5:
        known.append(KnownValue(witness, Kind.PERSON_NAME))
    b.add("（身份证号：").p(id_number(rng), Kind.ID_NUMBER).add("，联系电话：")
    area, local = landline(rng) if rng.random() < 0.4 else ("", mobile(rng))
    if area:
        b.p(_landline_variant(rng, area, local), Kind.PHONE)
    else:
        b.p(_mobile_variant(rng, local), Kind.PHONE)
    b.add("）证实，").p(witness, Kind.PERSON_NAME).add("曾于").k(_cn_date(d2), "date")
    b.add("在当事人处购买涉案商品，并向本局提供了购物小票。")
    b.add(facts[2].format(**fill) + "\n" + facts[3].format(**fill))
    _other_persons(rng, b, names, d2)
    b.add("案件编号：").k(f"{d1:%Y%m%d}{rng.randrange(1000):04d}", "case number")
    b.add("，检验报告编号：").k(f"{d1:%Y%m%d}{rng.randrange(10**8):08d}", "report number")
    b.add("。\n")

    # Money: the party's card, an organisation's account, property.
    if rng.random() < 0.7:
        card = bank_card(rng, rng.choice((16, 19)))
        if rng.random() < 0.5:
            b.add("经查，当事人通过银行卡").p(_card_variant(rng, card), Kind.BANK_ACCOUNT)
        else:
            b.add("经查，当事人收取货款的个人账户为").p(_card_variant(rng, card), Kind.BANK_ACCOUNT)
        b.add("收取货款人民币").k(_amount(rng), "amount").add("元。")
        if use_known:
            known.append(KnownValue(card, Kind.BANK_ACCOUNT))
    if rng.random() < 0.3:
        b.add("当事人名下房产（不动产权证书号：").p(
            _property_number(rng), Kind.PROPERTY_CERTIFICATE
        )
        b.add("）已办理抵押登记。")
    elif rng.random() < 0.3:
        b.add("当事人提供的房产证号：")
        b.p(
            f"示房权证{rng.choice('甲乙')}字第{rng.randrange(10**7):07d}号",
            Kind.PROPERTY_CERTIFICATE,
        )
        b.add("。")
    if rng.random() < 0.25:
        b.add("另查明，当事人提交的单据中载有编码").a(ambiguous_number(rng))
        b.add("，其性质待核实。")
    if use_known and person_party and rng.random() < 0.5:
        plate = f"冀{rng.choice('ABCDEF')}{rng.randrange(10**5):05d}"
        b.add("当事人驾驶车牌号为").p(plate, Kind.PERSONAL).add("的车辆运输涉案商品。")
        known.append(KnownValue(plate, Kind.PERSONAL))
    b.add("\n" + facts[4].format(**fill) + facts[5].format(**fill) + "\n")
    b.add(facts[6].format(**fill) + facts[7].format(**fill) + facts[8].format(**fill) + "\n")

    # Decision, payment, rights, hotlines.
    b.add("本局决定：一、没收违法所得人民币").k(_amount(rng), "amount").add("元；二、罚款人民币")
    b.k(_amount(rng), "amount").add("元。\n")
    bank = rng.choice(_BANKS)
    account = org_account(rng)
    if rng.random() < 0.5:
        b.add(f"罚没款缴款银行：{bank}示范市分行，户名：示范市财政局，账号：")
    else:
        b.add(f"开户行：{bank}示范市分行 ")
    b.p(account, Kind.BANK_ACCOUNT).add("。\n")
    b.add(_RIGHTS + "\n")
    b.add("投诉举报电话：").k(rng.choice(_HOTLINES), "hotline").add("，政务服务便民热线：")
    b.k(rng.choice(("12345", "0311-12345")), "hotline").add("。\n")
    b.add("法律依据：").k("《中华人民共和国行政处罚法》第三十九条", "legal citation").add("、")
    b.k("第48条", "legal citation").add("。\n")
    b.k(agency, "agency").add("\n").k(_cn_date(decided), "date")
    b.add("（").k(f"{decided:%Y-%m-%d}", "date").add("）\n")

    text = b.text()
    # A name the case knows is not found by its context: per-rule recall leaves it out.
    known_names = {k.value for k in known if k.kind == Kind.PERSON_NAME}
    personal = tuple(
        replace(label, rule="")
        if label.rule and text[label.start : label.end] in known_names
        else label
        for label in b.personal
    )
    return LabelledDecision(text, tuple(known), personal, tuple(b.keep), tuple(b.ambiguous))


def _other_persons(rng: random.Random, b: _Builder, names: set[str], day: date) -> None:
    """Persons named after the name rules (every rule drawn alike), half of them with a surname
    that is also a function word, some named again later; and prose after the same labels that
    starts with a function word and must stay (证人向其证实, 委托代理人于2026年…)."""
    for _ in range(rng.choice((2, 3, 3))):
        label, colon = rng.choice(NAME_RULES)
        person = _person_name(rng, names, function_word=rng.random() < 0.5)
        b.add(label + ("：" if colon else "")).p(person, Kind.PERSON_NAME, rule_name(label, colon))
        tail = rng.randrange(5)
        if tail == 0:
            b.add("（身份证号：").p(_id_variants(rng, id_number(rng)), Kind.ID_NUMBER).add("）")
        elif tail == 1 and colon:
            b.add("，联系电话：").p(_mobile_variant(rng, mobile(rng)), Kind.PHONE).add("，")
        elif tail == 1:
            b.add("于").k(_cn_date(day), "date").add("到场，")
        else:
            b.add(rng.choice(_COLON_TAILS if colon else _BARE_TAILS))
        b.add("对上述事实予以确认。")
        if rng.random() < 0.3:
            b.add("经查，").p(person, Kind.PERSON_NAME).add("的陈述与现场情况一致。")
    for _ in range(rng.choice((0, 1, 2))):
        label, _colon = rng.choice(NAME_RULES)
        prose = rng.choice(_LOOK_ALIKES).format(
            date=_cn_date(day),
            org="示范市" + rng.choice(_ORG_WORDS) + rng.choice(_ORG_KINDS),
            age=rng.randrange(20, 80),
        )
        b.add(label).k(prose, "function-word prose after a name label").add("。")


# -- scoring ----------------------------------------------------------------------------------


@dataclass
class Score:
    """Recall per kind (labelled personal spans fully covered by applied spans), the keep rate
    (look-alikes touched by no span) and the ambiguity rate (ambiguous labels flagged, unapplied).
    """

    found: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    # names found by context (the case does not know them), by the rule they follow
    rule_found: Counter[str] = field(default_factory=Counter)
    rule_total: Counter[str] = field(default_factory=Counter)
    # of those, the names whose surname is also a function word (向阳, 于海涛, 东方明)
    function_word_found: int = 0
    function_word_total: int = 0
    kept: int = 0
    keep_total: int = 0
    flagged: int = 0
    ambiguous_total: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)  # (kind, text) — for messages
    damaged: list[tuple[str, str]] = field(default_factory=list)  # (what, text)

    def add(self, decision: LabelledDecision, result: Result) -> None:
        applied = [(s.start, s.end) for s in result.spans if not s.ambiguous]
        flagged = [(s.start, s.end) for s in result.spans if s.ambiguous]
        for label in decision.personal:
            self.total[label.what] += 1
            function_word = bool(label.rule) and is_function_word_name(
                decision.text[label.start : label.end]
            )
            if label.rule:
                self.rule_total[label.rule] += 1
                self.function_word_total += function_word
            if _covered(label, applied):
                self.found[label.what] += 1
                if label.rule:
                    self.rule_found[label.rule] += 1
                    self.function_word_found += function_word
            else:
                self.misses.append((label.what, decision.text[label.start : label.end]))
        for label in decision.keep:
            self.keep_total += 1
            if any(s < label.end and label.start < e for s, e in (*applied, *flagged)):
                self.damaged.append((label.what, decision.text[label.start : label.end]))
            else:
                self.kept += 1
        for label in decision.ambiguous:
            self.ambiguous_total += 1
            if _covered(label, flagged) and not _touched(label, applied):
                self.flagged += 1
            else:
                self.misses.append((AMBIGUOUS, decision.text[label.start : label.end]))

    def recall(self, kind: str) -> float:
        return self.found[kind] / self.total[kind] if self.total[kind] else 1.0

    def rule_recall(self, rule: str) -> float:
        total = self.rule_total[rule]
        return self.rule_found[rule] / total if total else 1.0

    @property
    def context_name_recall(self) -> float:
        """Recall on the names found by context alone, every rule together."""
        total = sum(self.rule_total.values())
        return sum(self.rule_found.values()) / total if total else 1.0

    @property
    def keep_rate(self) -> float:
        return self.kept / self.keep_total if self.keep_total else 1.0

    @property
    def flag_rate(self) -> float:
        return self.flagged / self.ambiguous_total if self.ambiguous_total else 1.0

    def report(self) -> str:
        lines = [
            f"  {kind:<22} recall {self.recall(kind):8.2%}  ({self.found[kind]}/{self.total[kind]})"
            for kind in Kind
        ]
        lines.append(
            f"  {'keep rate':<22}        {self.keep_rate:8.2%}  ({self.kept}/{self.keep_total})"
        )
        lines.append(
            f"  {'ambiguous flagged':<22}        {self.flag_rate:8.2%}  "
            f"({self.flagged}/{self.ambiguous_total})"
        )
        return "\n".join(lines)

    def rules_report(self) -> str:
        """Name recall per context rule (names the case does not know), then all together."""
        lines = []
        for label, colon in NAME_RULES:
            rule = rule_name(label, colon)
            found, total = self.rule_found[rule], self.rule_total[rule]
            lines.append(
                f"  recall {self.rule_recall(rule):8.2%}  {f'({found}/{total})':<13} {rule}"
            )
        found, total = sum(self.rule_found.values()), sum(self.rule_total.values())
        lines.append(
            f"  recall {self.context_name_recall:8.2%}  {f'({found}/{total})':<13} "
            "all rules (names found by context alone)"
        )
        share = (
            self.function_word_found / self.function_word_total if self.function_word_total else 1.0
        )
        lines.append(
            f"  recall {share:8.2%}  "
            f"{f'({self.function_word_found}/{self.function_word_total})':<13} "
            "of which surname a function word (向阳, 于海涛, 东方明 …)"
        )
        return "\n".join(lines)


def _covered(label: Label, spans: Iterable[tuple[int, int]]) -> bool:
    """Every character of the label lies in some span."""
    pos = label.start
    for s, e in sorted(spans):
        if s <= pos < e:
            pos = e
            if pos >= label.end:
                return True
    return pos >= label.end


def _touched(label: Label, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < label.end and label.start < e for s, e in spans)
