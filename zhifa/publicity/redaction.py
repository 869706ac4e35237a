"""Redaction of personal data in decisions before publication.

国办发〔2018〕118号 (行政执法公示制度) and 《行政处罚法》第四十八条: a published decision must not
show a natural person's 身份证号, home address, phone and other contact details, bank account
numbers, property-certificate numbers, nor the names of natural persons other than the penalised
party (whose name is shown as the jurisdiction's setting says); organisations' bank accounts are
removed too. Organisation names, 统一社会信用代码, document numbers, officers' certificate
numbers, hotlines, legal citations, amounts, dates and registered business addresses stay.

Contract:

- ``find_spans(text, known, rules=...)`` returns the personal spans of ``text``: offsets into the
  original text (``str`` indices, end exclusive), sorted and non-overlapping, each with its kind,
  its replacement and where it came from (``known`` — a value the case knows; ``pattern`` — a
  checksum or a format that decides alone; ``context`` — a label such as 住址/账号/证人 decides).
- A span with ``ambiguous=True`` (an 18-digit number that is both a valid 居民身份证号 and a valid
  统一社会信用代码, or a valid 统一社会信用代码 that also passes Luhn, with no label deciding it)
  is reported but never applied: the publisher decides.
- ``redact`` applies every non-ambiguous span; ``apply_spans`` applies the spans it is given (the
  publisher's edited set) and refuses overlapping or out-of-range spans with ``ValueError``.

Names by context: after a name label (``Rules.name_contexts``: 当事人：张三, with a
colon or a space) or, for ``Rules.bare_name_contexts``, right after it (证人张三证实;
also after the copula: 联系人为张三 / 联系人是张三), a name is a surname (single or
compound) and one or two characters ending where a name ends (punctuation, 男/女, 证实,
称, 于, 系 …). Surnames that are also function words (向, 于, 和, 对, 在, 为 …; compound:
上官, 东方, 单于) count like any other, unless the characters after them read as prose
(向其证实, 于次日, 在场, 对此, 时年, 上述 …: kept). A name found so is removed wherever
else it occurs; a two-character one with a function-word surname (向阳, 和平) only where it
stands as a name, not inside a place name or a word (和平大街, 向阳花园). Where 为 after a
label may be the copula or the surname (联系人为张三), both readings go.

Order of evidence: the case's structured values first (they match wherever they occur, numbers
also when written with spaces or hyphens), then patterns with checksums (python-stdnum through
``zhifa.core.identifiers``), then labels. Where spans overlap they are merged into one span
covering both (privacy first), taking kind and replacement from the stronger source.

Speed: a handful of compiled regular expressions scan the text once each; checksums run only on
candidates; no per-character Python loops. ``bench/redact_bench.py`` measures it.

Pure: no models, no ``now()``. ``rules_for`` reads the setting ``ZHIFA_REDACTION_RULES``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from typing import Any

from django.conf import settings
from stdnum import luhn

from zhifa.core.identifiers import (
    division_contains,
    is_valid_credit_code,
    is_valid_resident_id,
    validate_division_code,
)

__all__ = [
    "DEFAULT_RULES",
    "KIND_LABELS",
    "Kind",
    "KnownValue",
    "Result",
    "Rules",
    "Span",
    "apply_spans",
    "find_spans",
    "redact",
    "rules_for",
]


class Kind(StrEnum):
    """What a removed span is."""

    ID_NUMBER = "id_number"  # 居民身份证号码, 18 digits (GB 11643) or the 15-digit pre-1999 form
    PHONE = "phone"  # mobile or landline number
    BANK_ACCOUNT = "bank_account"  # bank card or account number, persons' and organisations'
    PROPERTY_CERTIFICATE = "property_certificate"  # 不动产权证书号, 房产证号
    EMAIL = "email"  # e-mail address
    ADDRESS = "address"  # a natural person's home address below the district
    PERSON_NAME = "person_name"  # a natural person's name
    PERSONAL = "personal"  # any other value the case knows to be personal


KIND_LABELS: dict[str, str] = {
    Kind.ID_NUMBER: "居民身份证号",
    Kind.PHONE: "电话号码",
    Kind.BANK_ACCOUNT: "银行账号",
    Kind.PROPERTY_CERTIFICATE: "不动产权证书号",
    Kind.EMAIL: "电子邮箱",
    Kind.ADDRESS: "住址",
    Kind.PERSON_NAME: "自然人姓名",
    Kind.PERSONAL: "其他个人信息",
}

SOURCE_KNOWN = "known"
SOURCE_PATTERN = "pattern"
SOURCE_CONTEXT = "context"
_SOURCE_RANK = {SOURCE_KNOWN: 0, SOURCE_PATTERN: 1, SOURCE_CONTEXT: 2}


@dataclass(frozen=True)
class KnownValue:
    """A value the case knows (party name, ID number, phone, address, witness …).

    ``replacement=None`` means the default replacement of the kind (names "某某", else "×××");
    the caller passes e.g. ``replacement="张某"`` for the penalised person.
    """

    value: str
    kind: str
    replacement: str | None = None


@dataclass(frozen=True)
class Span:
    """A personal span: offsets into the ORIGINAL text, end exclusive."""

    start: int
    end: int
    kind: str
    ambiguous: bool = False
    replacement: str = ""
    source: str = ""  # "known" | "pattern" | "context"


# Labels after which a natural person's name follows (当事人：张三). Per jurisdiction: settings.
DEFAULT_NAME_CONTEXTS: tuple[str, ...] = (
    "当事人",
    "被处罚人",
    "被检查人",
    "被检查对象",
    "被调查人",
    "被询问人",
    "被申请人",
    "申请人",
    "证人",
    "见证人",
    "法定代表人",
    "负责人",
    "主要负责人",
    "经营者",
    "投资人",
    "委托代理人",
    "代理人",
    "联系人",
    "户主",
    "举报人",
    "投诉人",
    "监护人",
    "陪同人",
    "在场人",
)
# Labels after which a name may follow without a colon (证人张三证实…). "当事人" is not among them:
# in narrative text it is followed by verbs that start like surnames (当事人陈述、张贴、门店…).
DEFAULT_BARE_NAME_CONTEXTS: tuple[str, ...] = (
    "证人",
    "见证人",
    "法定代表人",
    "委托代理人",
    "联系人",
    "户主",
    "监护人",
    "举报人",
    "投诉人",
)
# Labels of a natural person's home address: always removed below the district.
DEFAULT_HOME_ADDRESS_CONTEXTS: tuple[str, ...] = (
    "家庭住址",
    "家庭地址",
    "现住址",
    "现住",
    "住址",
    "户籍地址",
    "户籍所在地",
    "户籍地",
    "居住地址",
    "经常居住地",
    "居住地",
    "暂住地",
)
# Labels used for persons and organisations alike (住所 of a person is the home, of a company the
# registered seat): removed when the party they follow is a natural person.
DEFAULT_PARTY_ADDRESS_CONTEXTS: tuple[str, ...] = ("住所", "地址", "送达地址", "联系地址")
# Registered business addresses: kept.
DEFAULT_BUSINESS_ADDRESS_CONTEXTS: tuple[str, ...] = (
    "住所地",
    "经营场所",
    "生产经营场所",
    "营业场所",
    "经营地址",
    "注册地址",
    "注册地",
    "办公地址",
    "单位地址",
    "企业地址",
    "生产地址",
)
# Public service numbers (政务服务便民热线 12345, 消费者投诉 12315, 生态环境 12369 …): kept even
# after a phone label, also behind an area code.
DEFAULT_KEEP_NUMBERS: tuple[str, ...] = (
    "110",
    "119",
    "120",
    "122",
    "12306",
    "12310",
    "12315",
    "12320",
    "12331",
    "12333",
    "12345",
    "12348",
    "12358",
    "12365",
    "12366",
    "12369",
    "12377",
    "12388",
    "12395",
    "96315",
)

DEFAULT_NAME_REPLACEMENT = "某某"
DEFAULT_REPLACEMENT = "×××"


@dataclass(frozen=True)
class Rules:
    """Redaction rules of one jurisdiction (``rules_for(division_code)`` reads the settings)."""

    name_contexts: tuple[str, ...] = DEFAULT_NAME_CONTEXTS
    bare_name_contexts: tuple[str, ...] = DEFAULT_BARE_NAME_CONTEXTS
    home_address_contexts: tuple[str, ...] = DEFAULT_HOME_ADDRESS_CONTEXTS
    party_address_contexts: tuple[str, ...] = DEFAULT_PARTY_ADDRESS_CONTEXTS
    business_address_contexts: tuple[str, ...] = DEFAULT_BUSINESS_ADDRESS_CONTEXTS
    keep_numbers: tuple[str, ...] = DEFAULT_KEEP_NUMBERS
    # Values never removed by a pattern or a label (e.g. the agency's own public phone number);
    # a value the case knows to be personal is removed all the same.
    keep_values: tuple[str, ...] = ()
    name_replacement: str = DEFAULT_NAME_REPLACEMENT
    replacement: str = DEFAULT_REPLACEMENT

    def replacement_for(self, kind: str) -> str:
        return self.name_replacement if kind == Kind.PERSON_NAME else self.replacement


DEFAULT_RULES = Rules()

_TUPLE_FIELDS = (
    "name_contexts",
    "bare_name_contexts",
    "home_address_contexts",
    "party_address_contexts",
    "business_address_contexts",
    "keep_numbers",
    "keep_values",
)
_STR_FIELDS = ("name_replacement", "replacement")


def _rules_apply(rules: Rules, overrides: Mapping[str, Any]) -> Rules:
    changes: dict[str, Any] = {}
    for name, value in overrides.items():
        if name in _TUPLE_FIELDS:
            changes[name] = tuple(str(v) for v in value)
        elif name.endswith("_add") and name[:-4] in _TUPLE_FIELDS:
            base = changes.get(name[:-4], getattr(rules, name[:-4]))
            changes[name[:-4]] = (*base, *(str(v) for v in value))
        elif name in _STR_FIELDS:
            changes[name] = str(value)
        else:
            raise ValueError(f"ZHIFA_REDACTION_RULES: unknown rule {name!r}")
    return replace(rules, **changes)


def rules_for(division_code: str | None = None) -> Rules:
    """The rules for the jurisdiction of ``division_code`` (GB/T 2260; None or "" → the default).

    Setting ``ZHIFA_REDACTION_RULES``: ``{"default": {...}, "130000": {...}, "130300": {...}}``;
    each entry overrides fields of :class:`Rules` (``"name_contexts": [...]`` replaces,
    ``"name_contexts_add": [...]`` appends). "default" applies first, then every entry whose
    division contains ``division_code``, the wider before the narrower. Raises
    ``InvalidIdentifier`` for an invalid division code.
    """
    division_code = validate_division_code(division_code) if division_code else None
    configured: Mapping[str, Mapping[str, Any]] = (
        getattr(settings, "ZHIFA_REDACTION_RULES", {}) if settings.configured else {}
    )
    rules = DEFAULT_RULES
    if "default" in configured:
        rules = _rules_apply(rules, configured["default"])
    if division_code is not None:
        matching = [
            key
            for key in configured
            if key != "default" and division_contains(validate_division_code(key), division_code)
        ]
        for key in sorted(matching, key=lambda k: len(k.rstrip("0"))):
            rules = _rules_apply(rules, configured[key])
    return rules


# -- patterns --------------------------------------------------------------------------------

_DIGIT = "[0-9０-９]"
_SEP_CHARS = " \u00a0\u3000-－"
_SEP_IN_CLASS = " \u00a0\u3000\\-－"  # the same inside [...], hyphen escaped
_SEP = "[ \u00a0\u3000\\-－]"
_CJK = "\u4e00-\u9fff"
_NOT_ALNUM_BEFORE = "(?<![0-9A-Za-z０-９Ｘ])"
_NOT_ALNUM_AFTER = "(?![0-9A-Za-z０-９])"
_COUNTRY = f"(?:\\+|＋|00){_SEP}?86{_SEP}?"

# One scan for every number-like candidate; the branches are tried in order at each position.
_NUMBER_SCAN = re.compile(
    _NOT_ALNUM_BEFORE
    + "(?:"
    # mobile: 1[3-9]x xxxx xxxx, optional +86/0086, groups of 3-4-4 with optional separators
    + f"(?P<mobile>(?:{_COUNTRY})?1[3-9]{_DIGIT}(?:{_SEP}?{_DIGIT}{{4}}){{2}})"
    # landline: area code (0xx / 0xxx, in brackets, or after +86 without its 0), 7-8 digits
    + "|(?P<landline>(?:"
    + f"{_COUNTRY}(?:[(（][1-9]{_DIGIT}{{1,2}}[)）]|[1-9]{_DIGIT}{{1,2}})"
    + f"|[(（]0{_DIGIT}{{2,3}}[)）]|0{_DIGIT}{{2,3}})"
    + f"{_SEP}?[2-9]{_DIGIT}{{2,3}}{_SEP}?{_DIGIT}{{4}}"
    + f"(?:(?:转|分机|{_SEP}){_DIGIT}{{1,6}})?)"
    # anything else of 6 to 30 digits (IDs, cards, accounts, codes, dates): classified below
    + f"|(?P<digits>{_DIGIT}(?:{_SEP}?{_DIGIT}){{5,29}}(?:{_SEP}?[XxＸ])?)"
    + ")"
    + _NOT_ALNUM_AFTER
)
_SEP_FIND = re.compile(_SEP)


def _words(stems: Iterable[str], suffixes: Iterable[str] = ("",)) -> tuple[str, ...]:
    return tuple(stem + suffix for stem in stems for suffix in suffixes)


# Labels before a number decide what it is. They are found by one scan of the text for every
# label (a flat alternation of literals, which the regex engine searches fastest); the text
# between a label and the number must be glue (colon, 为, a list of earlier items).
_NUMBER_LABELS: dict[str, str] = {
    # officers' certificates, organisations' codes, document and case numbers: kept
    **dict.fromkeys(
        (
            *_words(
                ("执法证", "执法证件", "执法检查证", "监督证", "监督检查证"),
                ("", "号", "号码", "编号"),
            ),
            *_words(("统一社会信用代码", "社会信用代码", "信用代码", "注册号", "文号", "案号")),
            *_words(("营业执照",), ("", "号", "号码", "编号")),
            *_words(
                ("案件", "立案", "报告", "检验报告", "检测报告", "决定书", "许可证", "登记证"),
                ("号", "编号"),
            ),
            *_words(("合同", "批准", "备案", "许可"), ("号", "编号")),
            "许可证",
        ),
        "keep",
    ),
    **dict.fromkeys(
        (
            *_words(
                ("身份证", "身份证件", "居民身份证", "居民身份证件"), ("", "号", "号码", "编号")
            ),
            "公民身份号码",
            "公民身份证号",
            "公民身份证号码",
            "身份号码",
            "证件号码",
            "证件号",
        ),
        "id",
    ),
    **dict.fromkeys(
        (
            *_words(
                ("", "银行", "收款", "开户", "对公", "缴款", "汇款", "付款", "转账"),
                ("账号", "帐号", "账户", "帐户", "账号号码"),
            ),
            "银行卡",
            "银行卡号",
            "卡号",
        ),
        "bank",
    ),
    # the bank's name stands between the label and the number (开户行：某银行某支行 6222…)
    **dict.fromkeys(("开户行", "开户银行", "开户行及账号", "开户银行及账号"), "branch"),
    **dict.fromkeys(
        (
            *_words(("", "联系", "办公", "住宅", "家庭", "固定", "移动"), ("电话", "电话号码")),
            "手机",
            "手机号",
            "手机号码",
            "座机",
            "联系方式",
            "传真",
            "微信",
            "微信号",
        ),
        "phone",
    ),
}
_GLUE = (
    "(?:分别)?(?:为|是)?[：:]?\\s*"
    f"(?:[{_CJK}]?[0-9A-Za-z０-９{_SEP_IN_CLASS}]{{4,30}}[、，,及和]\\s*){{0,4}}[{_CJK}]?"
)
_NUMBER_GLUE = re.compile(_GLUE)
_BRANCH_GLUE = re.compile(f"[：:]?[^，。；;\\n0-9０-９]{{0,30}}{_GLUE}")
_GLUE_MAX = 120

# Property certificates: labels whose value follows (房产证号：示房权证甲字第0012345号).
_PROPERTY_STEMS = ("不动产权证书", "不动产权证", "不动产证", "房产证", "房屋所有权证", "房权证")
_PROPERTY_STEMS_MORE = ("土地使用证", "土地使用权证", "产权证")
_PROPERTY_LABELS: dict[str, str] = {
    **dict.fromkeys(
        _words((*_PROPERTY_STEMS, *_PROPERTY_STEMS_MORE), ("号", "号码", "编号")), "property"
    ),
    **dict.fromkeys(_PROPERTY_STEMS, "property_colon"),
}
_PROPERTY_VALUE = re.compile("(?:为|是)?[：:]? ?(?P<value>[^\\s，。；;、,]{4,40})")
_PROPERTY_VALUE_COLON = re.compile("[：:] ?(?P<value>[^\\s，。；;、,]{4,40})")

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")

# 冀(2026)示范市不动产权第0001234号 (不动产登记暂行条例实施细则: 不动产权证书 / 不动产登记证明).
_PROPERTY_NUMBER = re.compile(
    f"[{_CJK}] ?[（(] ?{_DIGIT}{{4}} ?[）)][{_CJK}]{{0,12}}?不动产(?:权|证明) ?第? ?"
    f"{_DIGIT}{{4,10}} ?号"
)

# Province / city / district prefix of an address (kept; the detail below it is removed).
_ADMIN_UNIT_CHARS = f"[^\\s0-9０-９路街道巷弄号村镇乡组楼栋幢单元室层，。；;,、{_SEP_IN_CLASS}]"
_ADMIN_PREFIX = re.compile(
    f"(?:北京市|天津市|上海市|重庆市|[{_CJK}]{{2,7}}?(?:省|自治区))?"
    f"(?:{_ADMIN_UNIT_CHARS}{{2,8}}?(?:市|自治州|地区|盟))?"
    # 小区/社区/园区/校区/景区 are below the district
    f"(?:{_ADMIN_UNIT_CHARS}{{1,8}}?(?:(?<![小社园校景街])区|县|旗|市))?"
)
# What the detail of an address has (a house number, a road, a village …); "住所不详" has none.
_ADDRESS_DETAIL = re.compile("[0-9０-９号路街巷弄村镇乡组楼栋幢室院屯]")
_ADDRESS_VALUE = re.compile("(?:为|是|在)?[：:]?\\s*(?P<value>[^\\s，。；;、,（(]{2,80})")

# Common Chinese surnames (compound first). A name found by a label must start with one.
_COMPOUND_SURNAMES = (
    "欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|长孙|宇文|司徒|夏侯|令狐|端木|西门|南宫|独孤"
    "|百里|呼延|赫连|澹台|轩辕|钟离|闻人|万俟|申屠|太史|第五|公羊|濮阳|淳于|单于|仲孙|拓跋"
)
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦"
    "俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房"
    "滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应"
    "臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁"
    "胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰"
    "支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜"
    "印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧"
)
# Surnames that are also common function or everyday words (向 "towards", 于 "at", 和 "and",
# 对 "to", 在 "at", 时 "time", 曾 "once" …). The rare ones are surnames only here. A name with
# such a surname found by a label must pass ``_function_word_name`` (向其证实 / 于同日 / 在场 …
# after a label are prose, 向阳 / 于海涛 / 在伟 are names).
_RARE_FUNCTION_SURNAMES = "与同及对从在把被给为以由将让比跟上下东"
_FUNCTION_SURNAMES = frozenset(
    "向于和与同及对从在把被给为以由将让比跟高上下东方平时成全文明易万师常应来相都信海国公那曾"
)
_ALL_SURNAMES = _SURNAMES + _RARE_FUNCTION_SURNAMES
_COMPOUND_SET = frozenset(_COMPOUND_SURNAMES.split("|"))
# Characters that after a function-word surname start prose, not a given name: pronouns and
# determiners (向其, 对此, 于本), function words (于是, 及时, 从而), and the nouns and times that
# follow a preposition right after a label (在场, 于次日, 向执法人员, 时年, 上述, 明确 …).
_NOT_GIVEN_START = frozenset(
    "此该本我你他她它您各每这那是否所被把将从在对及由让比跟给于同当即已未都也并而等曾执调案现场"
    "事次日年前后内外时相关期告知随侧面任述确部体住上下证称"
)
# Characters that start prose as above but also given names (向其峰, 于向东, 和以琳, 高予曦):
# prose only as a one-character given name or before another character of prose (向其证实,
# 于向其证实, 与之系, 给予证实).
_NOT_GIVEN_START_ALONE = frozenset("其之以予向与为亦均")
# Two-character words that after a function-word surname are prose (于中午, 于月底, 向有关 …);
# their first characters also start given names (于中华, 于月华, 和有才).
_NOT_GIVEN_NAMES = frozenset(
    {"中午", "中途", "中间", "夜间", "晚上", "早上", "月底", "月初", "月中", "有关", "经营", "经查"}
)
# Words that start with a function-word surname and may follow a person's label (联系人信息,
# 委托代理人同意, 证人上午在场, 投诉人对方称 …): never a name. (A word that is also a common
# name — 向阳, 高峰, 平安 — is not listed: privacy first.)
_FUNCTION_WORD_LIST = """
    向来 于今 和解 和好 和谐 和睦 与会 与否 同意 同事 同学 同伴 同乡 同行 同居 同样 同类 同等 同一
    同志 同胞 及格 及早 及至 对方 对面 对象 对话 对接 对照 对比 对应 对待 从业 从未 从来 从不
    从中 在职 在岗 在家 在逃 在押 在册 在读 把关 把握 被告 被动 被害 被诉 给付 为了 为何 为止
    为主 以便 以免 以往 以来 让步 比较 比如 比例 跟进 跟踪 高度 高级 高价 高额 上诉 上交 上缴
    上班 上级 上访 下属 下级 下班 下落 下称 东西 东边 方面 方式 方便 方法 方案 平台 平均 平常
    时间 时候 时常 成年 成立 成为 成员 成本 全权 全额 全家 文件 文字 文书 文化 明显 明白 明示
    易燃 万一 万分 师傅 师生 师范 常见 常规 常驻 信息 信用 信件 信函 应当 应该 应诉 应对 来访
    来电 来信 来函 来到 海关 国家 公司 公安 公民 公开 公证 公示 那里 上午 下午 上门 上报 下发
    下列 将来 将近 曾称 曾经 曾任
"""
_FUNCTION_WORDS = frozenset(_FUNCTION_WORD_LIST.split())
# 同事们, 被告人, 公民的: a word of the list above goes on as a word, not as a given name.
_WORD_SUFFIXES = frozenset("们人员者方处家性")
_ETHNIC_NAME = f"[{_CJK}]{{1,8}}·[{_CJK}]{{1,8}}(?:·[{_CJK}]{{1,8}})?"
# After 当事人： a name is 2-4 characters ending at punctuation, 男/女, or a following verb.
_NAME_AFTER_COLON = re.compile(
    f"(?:[：:]\\s*|\\s+)(?:(?P<name>(?:{_COMPOUND_SURNAMES}|[{_ALL_SURNAMES}])[{_CJK}]{{1,2}}?)"
    f"(?=[\\s，。、；;,.（()）：:男女于在因系等的证称]|[^{_CJK}·]|$)"
    f"|(?P<ethnic>{_ETHNIC_NAME}))"
)
# After 证人 without a colon only a narrower set of endings (证人张三证实 / 证人张三、李四).
_NAME_BARE = re.compile(
    f"(?P<name>(?:{_COMPOUND_SURNAMES}|[{_ALL_SURNAMES}])[{_CJK}]{{1,2}}?)"
    f"(?=[\\s，。、；;,.（()）：:的于在系等证称]|[^{_CJK}·]|$)"
    f"|(?P<ethnic>{_ETHNIC_NAME})"
)
# 联系人为张三 / 联系人是张三: the copula between a label without a colon and the name.
_BARE_GLUE = frozenset("为是")
# What follows a word in a place name or a noun (向阳路, 和平大街, 向阳花园, 高峰期): not a name.
_PLACE_NEXT = frozenset("路街道巷弄园苑村庄屯镇乡里区县市省楼栋号花小大广桥湖山河城府期")
# What may follow a name in running text (向阳证实, 向阳称, 向阳于…, 向阳曾…, 向阳系…).
_NAME_ENDINGS = frozenset("证称于在因系等的曾男女")


def _function_word_name(name: str, *, bare: bool = True) -> bool:
    """Whether a name found after a label can be a name although its surname is a function
    word: its given name must not start like prose (向其, 于次日, 在场, 时年 …)."""
    if name[:2] in _COMPOUND_SET or name[0] not in _FUNCTION_SURNAMES:
        return True
    given = name[1:]
    if given[0] in _NOT_GIVEN_START or given in _NOT_GIVEN_NAMES:
        return False
    if bare and name[:2] in _FUNCTION_WORDS and (len(name) == 2 or name[2] in _WORD_SUFFIXES):
        return False
    return given[0] not in _NOT_GIVEN_START_ALONE or (
        len(given) > 1
        and given[1] not in _NOT_GIVEN_START
        and given[1] not in _NOT_GIVEN_START_ALONE
    )


_PARTY_VALUE = re.compile(f"[：:]\\s*(?P<value>[{_CJK}·]+)")
# Words a label may be followed by that start with a surname character.
_NOT_NAMES = frozenset(
    {"陈述", "申辩", "张贴", "门店", "本人", "不详", "同上", "单位", "车辆", "房屋", "万元", "项目"}
    | {"全程", "任职"}
)
_ORG_SUFFIX = re.compile(
    "(?:公司|厂|店|行|社|中心|合作社|企业|集团|医院|诊所|药房|学校|幼儿园|协会|学会|商会|馆|部|站"
    "|所|场|院|局|委员会|门市|超市|商场|市场|工作室|酒店|宾馆|饭店|餐厅|银行|支行|分行|基地|农场"
    "|车队|作坊|工作坊|个体工商户)"
)

_COMPACT = str.maketrans(
    {
        **{c: None for c in _SEP_CHARS},
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "Ｘ": "X",
        "x": "X",
    }
)
_NUMERIC_KNOWN = re.compile(r"(?:\+|00)?[0-9]{5,}X?")
_DIGIT_RUN = re.compile(f"{_DIGIT}(?:{_SEP}?{_DIGIT}){{4,}}(?:{_SEP}?[XxＸ])?")
_MOBILE_DIGITS = re.compile(r"(?:\+?86|0086)?(1[3-9][0-9]{9})")
_HOLDER_WINDOW = 300


@dataclass(frozen=True)
class _Compiled:
    labels: re.Pattern[str]  # every label of every role, one flat alternation
    roles: dict[str, str]  # label → role
    name_labels: frozenset[str]
    bare_name_labels: frozenset[str]
    keep_numbers: frozenset[str]
    keep_values: frozenset[str]


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex matching the longest of ``words``, factored as a trie: the engine then tries one
    branch per distinct next character instead of every word at every position."""
    trie: dict[str, Any] = {}
    for word in words:
        if word:
            node = trie
            for ch in word:
                node = node.setdefault(ch, {})
            node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word may end here: try the longer words first
            return ("(?:" + body + ")" if len(branches) == 1 else body) + "?"
        return body

    return pattern(trie)


@lru_cache(maxsize=64)
def _compile(rules: Rules) -> _Compiled:
    roles: dict[str, str] = {
        **_NUMBER_LABELS,
        **_PROPERTY_LABELS,
        **dict.fromkeys(rules.business_address_contexts, "business"),
        **dict.fromkeys(rules.party_address_contexts, "party_address"),
        **dict.fromkeys(rules.home_address_contexts, "home"),
        **dict.fromkeys((*rules.name_contexts, *rules.bare_name_contexts), "name"),
    }
    return _Compiled(
        labels=re.compile(_trie_pattern(roles)),
        roles=roles,
        name_labels=frozenset(rules.name_contexts),
        bare_name_labels=frozenset(rules.bare_name_contexts),
        keep_numbers=frozenset(rules.keep_numbers),
        keep_values=frozenset(v.translate(_COMPACT).upper() for v in rules.keep_values),
    )


# -- classification ---------------------------------------------------------------------------


def _is_service_number(digits: str, compiled: _Compiled) -> bool:
    """Hotlines (12315, 0311-12345) and business service numbers (400/800) are public."""
    if digits in compiled.keep_numbers or digits in compiled.keep_values:
        return True
    if digits.startswith("0") and (
        digits[3:] in compiled.keep_numbers or digits[4:] in compiled.keep_numbers
    ):
        return True
    return len(digits) == 10 and digits[:3] in ("400", "800")


def _classify_digits(digits: str, context: str | None) -> tuple[str, bool] | None:
    """Kind and ambiguity of a number that is neither a mobile nor a landline by format."""
    n = len(digits)
    if context == "id":
        return (Kind.ID_NUMBER, False) if n >= 8 else None
    if context == "bank":
        return (Kind.BANK_ACCOUNT, False) if n >= 6 else None
    if context == "phone" and 7 <= n <= 13:
        return Kind.PHONE, False
    all_digits = digits.isdigit()
    if n == 18:
        credit = is_valid_credit_code(digits)
        if is_valid_resident_id(digits):
            # Both readings hold and no label decides: the publisher decides (GB 11643 vs 32100).
            return Kind.ID_NUMBER, credit
        if credit:
            # A valid credit code is kept unless it could as well be a card number.
            return (Kind.BANK_ACCOUNT, True) if all_digits and luhn.is_valid(digits) else None
        return (Kind.BANK_ACCOUNT, False) if all_digits and luhn.is_valid(digits) else None
    if n == 15 and is_valid_resident_id(digits):
        return Kind.ID_NUMBER, False
    if 16 <= n <= 19 and all_digits and luhn.is_valid(digits):
        return Kind.BANK_ACCOUNT, False
    if n == 11 and digits[0] == "1" and digits[1] in "3456789":
        return Kind.PHONE, False
    return None


# -- span collection --------------------------------------------------------------------------


@dataclass
class _Collector:
    text: str
    rules: Rules
    spans: list[Span] = field(default_factory=list)

    def add(
        self,
        start: int,
        end: int,
        kind: str,
        source: str,
        *,
        ambiguous: bool = False,
        replacement: str | None = None,
    ) -> None:
        if end > start:
            self.spans.append(
                Span(
                    start,
                    end,
                    kind,
                    ambiguous,
                    self.rules.replacement_for(kind) if replacement is None else replacement,
                    source,
                )
            )


def _known_digits(compact: str) -> str:
    """The digits a known number is searched by: a mobile without +86, a landline with its 0."""
    mobile = _MOBILE_DIGITS.fullmatch(compact)
    if mobile:
        return mobile.group(1)
    if compact.startswith("+86"):
        return "0" + compact[3:]
    if compact.startswith("0086"):
        return "0" + compact[4:]
    return compact.lstrip("+")


def _known_values(
    known: Iterable[KnownValue | str],
) -> tuple[list[tuple[str, int, str, str | None]], list[tuple[str, str, str | None]]]:
    """Split known values into literals (value, offset of the removed part, kind, replacement)
    and numbers (compact digits, kind, replacement)."""
    literals: list[tuple[str, int, str, str | None]] = []
    numbers: list[tuple[str, str, str | None]] = []
    for item in known:
        kv = item if isinstance(item, KnownValue) else KnownValue(item, Kind.PERSONAL)
        value = kv.value.strip()
        if len(value) < 2:
            continue
        if kv.kind == Kind.ADDRESS:
            # A home address keeps its province/city/district; its detail goes wherever it is.
            prefix = _admin_prefix_len(value)
            if prefix >= len(value):
                continue
            literals.append((value, prefix, kv.kind, kv.replacement))
            detail = value[prefix:]
            if prefix and len(detail) >= 4:
                literals.append((detail, 0, kv.kind, kv.replacement))
            continue
        literals.append((value, 0, kv.kind, kv.replacement))
        compact = value.translate(_COMPACT).upper()
        if _NUMERIC_KNOWN.fullmatch(compact):
            numbers.append((_known_digits(compact), kv.kind, kv.replacement))
    return literals, numbers


def _find_literals(
    literals: Iterable[tuple[str, int, str, str | None]], collector: _Collector, source: str
) -> None:
    text = collector.text
    for value, offset, kind, replacement in literals:
        i = text.find(value)
        while i != -1:
            collector.add(i + offset, i + len(value), kind, source, replacement=replacement)
            i = text.find(value, i + len(value))


def _find_numbers(numbers: list[tuple[str, str, str | None]], collector: _Collector) -> None:
    """Known numbers wherever they occur among the text's digit runs, separators ignored."""
    text = collector.text
    runs = list(_DIGIT_RUN.finditer(text))
    if not runs:
        return
    compact = [m.group().translate(_COMPACT).upper() for m in runs]
    offsets: list[int] = []
    total = 0
    for c in compact:
        offsets.append(total)
        total += len(c) + 1
    joined = "|".join(compact)
    for digits, kind, replacement in numbers:
        i = joined.find(digits)
        while i != -1:
            r = bisect_right(offsets, i) - 1
            run, k = runs[r], i - offsets[r]
            raw = run.group()
            if len(raw) == len(compact[r]):
                start, end = run.start() + k, run.start() + k + len(digits)
            else:
                positions = [run.start() + j for j, ch in enumerate(raw) if ch not in _SEP_CHARS]
                start, end = positions[k], positions[k + len(digits) - 1] + 1
            collector.add(start, end, kind, SOURCE_KNOWN, replacement=replacement)
            i = joined.find(digits, i + len(digits))


@dataclass
class _Labels:
    """The labels of one text, by role."""

    number_ends: list[int] = field(default_factory=list)
    number_roles: list[str] = field(default_factory=list)
    # (start, is_person) of each party label with a value: 当事人：张三 / 当事人：某公司
    parties: list[tuple[int, bool]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


def _scan_labels(collector: _Collector, compiled: _Compiled) -> _Labels:
    """One pass over every label: numbers' labels are noted for ``_scan_numbers``; names,
    addresses and property-certificate numbers after their labels become spans."""
    text = collector.text
    found = _Labels()
    roles = compiled.roles
    for m in compiled.labels.finditer(text):
        label = m.group()
        role = roles[label]
        end = m.end()
        if role == "name":
            nm = None
            # after a colon the value is a name or an organisation; else prose may follow
            bare = text[end : end + 1] not in ("：", ":")
            if label in compiled.name_labels:
                nm = _NAME_AFTER_COLON.match(text, end)
            if nm is None and label in compiled.bare_name_labels:
                if text[end : end + 1] in _BARE_GLUE:
                    nm = _NAME_BARE.match(text, end + 1)
                    if nm is not None and not _is_name(nm, bare):
                        nm = None
                    elif nm is not None and text[end] == "为" and _glue_is_surname(nm):
                        # 联系人为张三: 为 is the copula, or the surname of 为张三 (privacy first)
                        found.names.append("为" + nm.group("name"))
                if nm is None:
                    nm = _NAME_BARE.match(text, end)
            if nm is not None and _is_name(nm, bare):
                found.names.append(nm.group("name") or nm.group("ethnic"))
                found.parties.append((m.start(), True))
            elif _PARTY_VALUE.match(text, end):
                found.parties.append((m.start(), False))
        elif role in ("home", "party_address"):
            if role == "party_address" and not _holder_is_person(found.parties, m.start()):
                continue  # an organisation's 住所 is its registered seat: kept
            am = _ADDRESS_VALUE.match(text, end)
            if am is None:
                continue
            value = am.group("value")
            prefix = _admin_prefix_len(value)
            if prefix < len(value) and _ADDRESS_DETAIL.search(value, prefix):
                collector.add(
                    am.start("value") + prefix, am.end("value"), Kind.ADDRESS, SOURCE_CONTEXT
                )
        elif role in ("property", "property_colon"):
            pattern = _PROPERTY_VALUE if role == "property" else _PROPERTY_VALUE_COLON
            pm = pattern.match(text, end)
            if pm is not None and any(c.isdigit() for c in pm.group("value")):
                collector.add(
                    pm.start("value"), pm.end("value"), Kind.PROPERTY_CERTIFICATE, SOURCE_CONTEXT
                )
        elif role != "business":
            found.number_ends.append(end)
            found.number_roles.append(role)
    return found


def _is_name(nm: re.Match[str], bare: bool) -> bool:
    """Whether what a name pattern matched after a label is a natural person's name."""
    if nm.group("ethnic") is not None:
        return True
    name = nm.group("name")
    return (
        name not in _NOT_NAMES
        and not _ORG_SUFFIX.search(name)
        and _function_word_name(name, bare=bare)
    )


def _glue_is_surname(nm: re.Match[str]) -> bool:
    """Whether the 为 before a name after a label may be the name's surname (为张三)."""
    name = nm.group("name")
    return name is not None and len(name) == 2 and _function_word_name("为" + name)


def _holder_is_person(parties: list[tuple[int, bool]], at: int) -> bool:
    """Whether the party an address belongs to (the last party label before it) is a person;
    with nobody named nearby, privacy first."""
    if parties and at - parties[-1][0] <= _HOLDER_WINDOW:
        return parties[-1][1]
    return True


def _context_of(text: str, start: int, labels: _Labels) -> str | None:
    i = bisect_right(labels.number_ends, start) - 1
    if i < 0:
        return None
    end = labels.number_ends[i]
    if start - end > _GLUE_MAX:
        return None
    role = labels.number_roles[i]
    if role == "branch":
        return "bank" if _BRANCH_GLUE.fullmatch(text, end, start) else None
    return role if _NUMBER_GLUE.fullmatch(text, end, start) else None


def _scan_numbers(collector: _Collector, compiled: _Compiled, labels: _Labels) -> None:
    text = collector.text
    pos = 0
    search = _NUMBER_SCAN.search
    while True:
        m = search(text, pos)
        if m is None:
            return
        raw = m.group()
        digits = raw.translate(_COMPACT).upper()
        kind_group = m.lastgroup
        context = _context_of(text, m.start(), labels)
        decided: tuple[str, bool] | None = None
        source = SOURCE_PATTERN
        if context == "keep" or _is_service_number(digits, compiled):
            decided = None
        elif kind_group == "mobile":
            mobile = _MOBILE_DIGITS.fullmatch(digits.lstrip("+"))
            if mobile is not None and mobile.group(1) in compiled.keep_values:
                decided = None
            else:
                decided = (Kind.BANK_ACCOUNT if context == "bank" else Kind.PHONE, False)
        elif kind_group == "landline":
            decided = (Kind.BANK_ACCOUNT if context == "bank" else Kind.PHONE, False)
        else:
            decided = _classify_digits(digits, context)
            if context is not None:
                source = SOURCE_CONTEXT
        if decided is not None:
            collector.add(m.start(), m.end(), decided[0], source, ambiguous=decided[1])
            pos = m.end()
        else:
            # A kept run may have swallowed a number behind a separator ("2026-11-21 139…"):
            # look again from the next group.
            sep = _SEP_FIND.search(raw)
            pos = m.start() + sep.start() + 1 if sep else m.end()


def _admin_prefix_len(address: str) -> int:
    m = _ADMIN_PREFIX.match(address)
    return m.end() if m else 0


def _scan_property_numbers(collector: _Collector) -> None:
    text = collector.text
    if "不动产" in text:
        for m in _PROPERTY_NUMBER.finditer(text):
            collector.add(m.start(), m.end(), Kind.PROPERTY_CERTIFICATE, SOURCE_PATTERN)


def _scan_email(collector: _Collector) -> None:
    text = collector.text
    if "@" in text:
        for m in _EMAIL.finditer(text):
            collector.add(m.start(), m.end(), Kind.EMAIL, SOURCE_PATTERN)


def _merge(spans: list[Span]) -> list[Span]:
    """Sorted, non-overlapping spans: overlapping ones become one span covering both (privacy
    first), with the kind and replacement of the longer one (on a tie, of the stronger source:
    known > pattern > context); the merged span is ambiguous only if all its parts are."""
    if not spans:
        return []
    spans.sort(key=lambda s: (s.start, -s.end))
    merged: list[Span] = []
    current = spans[0]
    for span in spans[1:]:
        if span.start < current.end:
            lead = current
            if (span.start - span.end, _SOURCE_RANK[span.source]) < (
                current.start - current.end,
                _SOURCE_RANK[current.source],
            ):
                lead = span
            current = Span(
                current.start,
                max(current.end, span.end),
                lead.kind,
                current.ambiguous and span.ambiguous,
                lead.replacement,
                lead.source,
            )
        else:
            merged.append(current)
            current = span
    merged.append(current)
    return merged


def find_spans(
    text: str, known: Iterable[KnownValue | str] = (), *, rules: Rules | None = None
) -> list[Span]:
    """Every personal span of ``text``, sorted and non-overlapping (see the module contract)."""
    if rules is None:
        rules = rules_for(None)
    compiled = _compile(rules)
    collector = _Collector(text, rules)
    literals, numbers = _known_values(known)
    _find_literals(literals, collector, SOURCE_KNOWN)
    if numbers:
        _find_numbers(numbers, collector)
    labels = _scan_labels(collector, compiled)
    _scan_numbers(collector, compiled, labels)
    _scan_email(collector)
    _scan_property_numbers(collector)
    if labels.names:
        # A name found after a label is removed there and wherever else it occurs (证人：王五 …
        # 王五证实); a two-character name with a function-word surname (向阳, 和平, 高峰) only
        # where it stands apart from the words around it (not in 和平大街, 向阳花园, 高峰期).
        # The occurrence after the label is among them: a name pattern ends where a name's
        # ending or a character that is not an ideograph follows (``_NAME_ENDINGS``).
        known_strings = {lit[0] for lit in literals}
        names = [
            name
            for name in dict.fromkeys(labels.names)
            if name not in known_strings and name not in compiled.keep_values
        ]
        _find_literals(
            [(name, 0, Kind.PERSON_NAME, None) for name in names if not _word_like(name)],
            collector,
            SOURCE_CONTEXT,
        )
        for name in names:
            if _word_like(name):
                _find_apart(name, collector)
    return _merge(collector.spans)


def _word_like(name: str) -> bool:
    """A two-character name with a function-word surname may be a word of the text too."""
    return len(name) == 2 and name[0] in _FUNCTION_SURNAMES


def _find_apart(name: str, collector: _Collector) -> None:
    """``name`` wherever a name's ending or a character that is not a CJK ideograph follows it,
    or such a character stands before it and no place name goes on (…，向阳提供 / 向阳证实 /
    向阳、 — not 甲区和平大街 nor ，向阳花园)."""
    text = collector.text
    i = text.find(name)
    while i != -1:
        end = i + len(name)
        if (
            end == len(text)
            or not _is_cjk(text[end])
            or text[end] in _NAME_ENDINGS
            or ((i == 0 or not _is_cjk(text[i - 1])) and text[end] not in _PLACE_NEXT)
        ):
            collector.add(i, end, Kind.PERSON_NAME, SOURCE_CONTEXT)
        i = text.find(name, end)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def apply_spans(text: str, spans: Iterable[Span]) -> str:
    """``text`` with each span replaced by its replacement; overlapping or out-of-range spans
    are refused with ``ValueError``."""
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    pieces: list[str] = []
    pos = 0
    for span in ordered:
        if span.start < pos:
            raise ValueError(f"spans overlap at {span.start}")
        if span.start > span.end or span.end > len(text) or span.start < 0:
            raise ValueError(f"span {span.start}–{span.end} lies outside the text")
        pieces.append(text[pos : span.start])
        pieces.append(span.replacement)
        pos = span.end
    pieces.append(text[pos:])
    return "".join(pieces)


@dataclass(frozen=True)
class Result:
    text: str  # redacted text: every NON-ambiguous span replaced
    spans: tuple[Span, ...]  # all spans incl. ambiguous ones, sorted, non-overlapping

    @property
    def ambiguous(self) -> tuple[Span, ...]:
        return tuple(s for s in self.spans if s.ambiguous)


def redact(
    text: str, known: Iterable[KnownValue | str] = (), *, rules: Rules | None = None
) -> Result:
    """``text`` with every non-ambiguous personal span replaced, and all the spans."""
    spans = find_spans(text, known, rules=rules)
    return Result(apply_spans(text, (s for s in spans if not s.ambiguous)), tuple(spans))
