"""The redaction engine, rule by rule (国办发〔2018〕118号: no personal data in published
decisions). Pure: no database."""

from __future__ import annotations

import itertools

import pytest
from pytest_django.fixtures import Settings

from zhifa.core.exceptions import InvalidIdentifier
from zhifa.publicity.redaction import (
    DEFAULT_BARE_NAME_CONTEXTS,
    DEFAULT_NAME_CONTEXTS,
    KIND_LABELS,
    Kind,
    KnownValue,
    Rules,
    Span,
    apply_spans,
    find_spans,
    redact,
    rules_for,
)

ID_18 = "130302198506150124"
ID_18_X = "13030219850615001X"
ID_15 = "130302850615012"
CARD = "6222021234567890128"  # passes Luhn
ORG_ACCOUNT = "0402012345678901234"  # fails Luhn
CREDIT_DIGITS = "111303020000000071"  # all-digit 统一社会信用代码, fails Luhn, no ID
CREDIT_DIGITS_LUHN = "111303020000000361"  # all-digit 统一社会信用代码 that also passes Luhn
ID_AND_CREDIT = "130302198506150087"  # valid 居民身份证号 and valid 统一社会信用代码


def kinds(text: str, known: list[KnownValue | str] | None = None) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in find_spans(text, known or [])]


# -- 居民身份证号 --


def test_18_digit_id_number_is_removed():
    result = redact(f"身份证号：{ID_18}，")
    assert result.text == "身份证号：×××，"
    assert result.spans[0].kind == Kind.ID_NUMBER


def test_id_number_with_check_letter_x_in_lower_case_is_removed_without_label():
    assert kinds(f"持有{ID_18_X.lower()}的人") == [(ID_18_X.lower(), Kind.ID_NUMBER)]


def test_15_digit_id_number_is_removed_without_label():
    assert redact(f"旧证号码{ID_15}已换发").text == "旧证号码×××已换发"


@pytest.mark.parametrize(
    "written", ["130302 19850615 0124", "130302-19850615-0124", "1303 0219 8506 1501 24"]
)
def test_id_number_written_with_spaces_or_hyphens_is_removed(written: str):
    assert redact(f"公民身份号码：{written}。").text == "公民身份号码：×××。"


def test_18_digit_number_failing_the_check_digit_is_removed_after_an_id_label():
    assert redact("身份证号：130302198506150125").text == "身份证号：×××"


# -- phones --


@pytest.mark.parametrize(
    "written",
    [
        "13912345678",
        "139 1234 5678",
        "139-1234-5678",
        "+86 139 1234 5678",
        "+8613912345678",
        "0086 13912345678",
    ],
)
def test_mobile_numbers_in_every_spelling_are_removed(written: str):
    assert redact(f"电话{written}，").text == "电话×××，"


@pytest.mark.parametrize(
    "written",
    [
        "0311-8888 1234",
        "0311-88881234",
        "（0311）88881234",
        "(0311) 8888-1234",
        "+86 311 8888 1234",
        "0311-88881234转801",
    ],
)
def test_landline_numbers_with_area_code_are_removed(written: str):
    result = redact(f"联系方式为{written}。")
    assert result.text == "联系方式为×××。"
    assert [s.kind for s in result.spans] == [Kind.PHONE]


def test_landline_without_area_code_is_removed_after_a_phone_label():
    assert redact("联系电话：88881234").text == "联系电话：×××"


@pytest.mark.parametrize("hotline", ["12315", "12345", "12369", "110", "0311-12345"])
def test_hotlines_are_kept_even_after_a_phone_label(hotline: str):
    text = f"投诉举报电话：{hotline}。"
    assert redact(text).text == text


def test_the_agencys_own_number_in_the_keep_list_is_kept():
    rules = Rules(keep_values=("0311-86661234",))
    text = "咨询电话：0311-8666 1234"
    assert redact(text, rules=rules).text == text


# -- bank cards and accounts --


def test_card_number_passing_luhn_is_removed_without_label():
    assert redact(f"通过{CARD}收款").text == "通过×××收款"


def test_card_number_in_groups_of_four_is_removed():
    assert redact("卡号 6222 0212 3456 7890 128。").text == "卡号 ×××。"


def test_organisations_account_failing_luhn_is_removed_by_its_label():
    text = f"户名：示范市财政局，账号：{ORG_ACCOUNT}。"
    result = redact(text)
    assert result.text == "户名：示范市财政局，账号：×××。"
    assert result.spans[0].kind == Kind.BANK_ACCOUNT
    assert result.spans[0].source == "context"


def test_account_after_the_bank_branch_is_removed():
    assert (
        redact(f"开户行：中国工商银行示范市分行 {ORG_ACCOUNT}").text
        == "开户行：中国工商银行示范市分行 ×××"
    )


def test_long_number_without_label_or_checksum_is_kept():
    text = f"单据流水{ORG_ACCOUNT}"
    assert redact(text).text == text


# -- look-alikes kept --


def test_all_digit_credit_code_is_kept():
    text = f"统一社会信用代码：{CREDIT_DIGITS}；另据{CREDIT_DIGITS}号备案"
    assert redact(text).spans == ()


def test_credit_code_with_letters_is_kept():
    text = "统一社会信用代码：91130302MA0ABCDE1X"
    assert redact(text).text == text


def test_credit_code_that_also_passes_luhn_is_kept_after_its_label():
    text = f"统一社会信用代码：{CREDIT_DIGITS_LUHN}"
    assert redact(text).spans == ()


def test_officers_certificate_numbers_are_kept():
    text = (
        "执法人员严卫东（执法证号：130300000123）、孟建国（执法证号：1303J0000456），"
        "执法证号分别为130300000777、130300000778"
    )
    assert redact(text).text == text


def test_document_numbers_citations_amounts_and_dates_are_kept():
    text = (
        "示甲市监罚〔2026〕12号。依据《中华人民共和国行政处罚法》第三十九条、第48条，"
        "罚款人民币5,000.00元，没收违法所得20000元、罚款500000元，"
        "于2026年11月21日（2026-11-21，20261121，2026.11.21）作出。"
        "食品经营许可证编号：JY11303020012345，检验报告编号：2026110100012345。"
    )
    assert redact(text).text == text


def test_kept_date_does_not_hide_a_mobile_behind_it():
    assert redact("2026-11-21 13912345678").text == "2026-11-21 ×××"


# -- ambiguity --


def test_number_valid_as_id_and_credit_code_without_label_is_flagged_not_applied():
    text = f"单据载有编码{ID_AND_CREDIT}。"
    result = redact(text)
    assert result.text == text
    (span,) = result.ambiguous
    assert (span.start, span.end) == (6, 24)
    assert span.replacement == "×××"  # the publisher may apply it


def test_credit_code_passing_luhn_without_label_is_flagged():
    result = redact(f"编码{CREDIT_DIGITS_LUHN}")
    assert [s.kind for s in result.ambiguous] == [Kind.BANK_ACCOUNT]


def test_a_label_decides_an_ambiguous_number():
    assert redact(f"身份证号：{ID_AND_CREDIT}").ambiguous == ()
    assert redact(f"身份证号：{ID_AND_CREDIT}").text == "身份证号：×××"
    assert redact(f"统一社会信用代码：{ID_AND_CREDIT}").spans == ()


def test_a_known_value_decides_an_ambiguous_number():
    result = redact(f"编码{ID_AND_CREDIT}", [KnownValue(ID_AND_CREDIT, Kind.ID_NUMBER)])
    assert result.text == "编码×××"
    assert result.ambiguous == ()


# -- names --


def test_person_party_found_by_label_is_removed_everywhere():
    result = redact("当事人：张三，男。经查，张三于2026年销售。")
    assert result.text == "当事人：某某，男。经查，某某于2026年销售。"


def test_organisation_party_is_kept():
    text = "当事人：示范市某某贸易有限公司\n法定代表人：李四"
    assert redact(text).text == "当事人：示范市某某贸易有限公司\n法定代表人：某某"


def test_witness_without_colon_is_removed():
    assert redact("证人王五证实，王五曾购买").text == "证人某某证实，某某曾购买"


def test_ethnic_names_with_a_dot_are_removed():
    assert redact("证人：买买提·艾力，").text == "证人：某某，"


def test_common_phrases_after_labels_are_not_names():
    text = (
        "以上事实有证人证言等证据证实。当事人陈述、申辩。当事人的上述行为。"
        "经营者应当遵守。申请人民法院强制执行。"
    )
    assert redact(text).spans == ()


def test_penalised_persons_name_uses_the_callers_replacement():
    known = [
        KnownValue("张三", Kind.PERSON_NAME, replacement="张某"),
        KnownValue("李四", Kind.PERSON_NAME),
    ]
    assert redact("当事人：张三，证人：李四", known).text == "当事人：张某，证人：某某"


def test_officers_names_are_kept():
    text = "本局执法人员严卫东、孟建国依法检查"
    assert redact(text).text == text


def test_name_contexts_come_from_the_jurisdiction_rules():
    rules = Rules(name_contexts=("当事人", "陪同人员"))
    assert redact("陪同人员：赵六，", rules=rules).text == "陪同人员：某某，"
    assert redact("陪同人员：赵六，").text == "陪同人员：赵六，"


# -- names whose surname is also a function word (issue 13) --

# Single and double given names, single and compound surnames that are also function words.
FUNCTION_WORD_NAMES = (
    "向阳",
    "于海涛",
    "和敏",
    "与静",
    "同建华",
    "及伟",
    "对强",
    "从丽娟",
    "在磊",
    "把红",
    "被涛",
    "给超",
    "为民",
    "以晨",
    "由睿",
    "将芳",
    "让俊",
    "比婷",
    "跟斌",
    "高峰",
    "上进",
    "下雪",
    "东明",
    "方圆",
    "平安",
    "时雨",
    "成功",
    "全胜",
    "文静",
    "明辉",
    "易凯",
    "万琳",
    "师莹",
    "常欣怡",
    "东方明",
    "上官婉儿",
    "万俟伟",
    "单于洋",
    "于向东",
    "向其峰",
    "和以琳",
    "高予曦",
    "于亦菲",
)
NAME_RULES_UNDER_TEST = [
    *((label, True) for label in DEFAULT_NAME_CONTEXTS),
    *((label, False) for label in DEFAULT_BARE_NAME_CONTEXTS),
]


@pytest.mark.parametrize(
    ("label", "colon"),
    NAME_RULES_UNDER_TEST,
    ids=[f"{label}{'：' if colon else ''}" for label, colon in NAME_RULES_UNDER_TEST],
)
def test_names_with_function_word_surnames_are_removed_after_every_name_label(
    label: str, colon: bool
):
    endings = (
        ("，男，", "（身份证号", "证实，", "称，", "、") if colon else ("证实，", "称，", "，")
    )
    for name, ending in itertools.product(FUNCTION_WORD_NAMES, endings):
        text = f"{label}{'：' if colon else ''}{name}{ending}经查，{name}的陈述属实。"
        assert name not in redact(text).text, text


# Prose that starts with a function word right after a name label: never a name.
FUNCTION_WORD_PROSE = (
    "向当事人送达了告知书。",
    "于2026年3月5日向本局投诉。",
    "对其作出的处理无异议。",
    "经向示范市鑫达超市调查核实，",
    "向本局提交了书面材料。",
    "向其证实，",
    "向执法人员证实，",
    "于同日称，",
    "于次日，",
    "于当日下午，",
    "于中午，",
    "在场见证。",
    "在场的情况下签字确认。",
    "在现场证实，",
    "对此称，",
    "同时证实，",
    "及时，",
    "及其家属到场。",
    "与当事人系亲属关系。",
    "和当事人一同到场。",
    "为本案利害关系人。",
    "为其配偶，",
    "是其本人，",
    "从事食品经营。",
    "以上述理由提出申请。",
    "由其本人签字。",
    "将其购买的商品退回。",
    "被告知有关权利，",
    "给予配合，",
    "上述证言属实。",
    "时年56岁，",
    "时任店长，",
    "全程在场。",
    "明确称，",
    "常住本地。",
    "曾于2026年3月5日到场，",
    "与之系朋友关系。",
    "以为，",
    "给予证实，",
    "于向其证实，",
    "信息：",
    "同意，",
    "同事们称，",
    "上午在场，",
    "曾证实，",
    "对方称，",
    "以便核实，",
)


@pytest.mark.parametrize("prose", FUNCTION_WORD_PROSE)
def test_function_word_prose_after_a_name_label_is_kept(prose: str):
    for label in DEFAULT_NAME_CONTEXTS:
        text = f"{label}{prose}"
        assert redact(text).spans == (), text


def test_a_name_that_is_also_a_word_is_removed_as_a_name_but_kept_in_a_place_name():
    text = (
        "证人：和平，男。证人向阳证实，向阳曾于当日购买，和平提供了小票。"
        "经营场所：示范市甲区和平大街12号，向阳花园小区，向阳路8号。"
    )
    assert redact(text).text == (
        "证人：某某，男。证人某某证实，某某曾于当日购买，某某提供了小票。"
        "经营场所：示范市甲区和平大街12号，向阳花园小区，向阳路8号。"
    )


def test_a_name_after_the_copula_of_a_label_is_removed():
    assert redact("联系人是于海涛，电话").text == "联系人是某某，电话"
    # 为 is the copula or the surname of 为张三: privacy first, both go
    assert redact("联系人为张三，张三称").text == "联系人某某，某某称"
    assert redact("联系人为本人。").spans == ()


def test_an_organisation_named_like_a_person_keeps_its_registered_seat():
    text = "当事人：金店，住所：示范市甲区建设路1号"
    assert redact(text).text == text


def test_officers_with_function_word_surnames_are_kept():
    text = "本局执法人员于建民、向红梅依法检查，证人于海涛证实"
    assert redact(text).text == "本局执法人员于建民、向红梅依法检查，证人某某证实"


# -- addresses --


def test_home_address_detail_is_removed_below_the_district():
    result = redact("住址：河北省示范市甲区建设路88号3单元201室，电话")
    assert result.text == "住址：河北省示范市甲区×××，电话"
    assert result.spans[0].kind == Kind.ADDRESS


@pytest.mark.parametrize("label", ["家庭住址：", "现住", "户籍地址："])
def test_every_home_address_label_removes_the_detail(label: str):
    assert redact(f"{label}示范市乙区幸福小区5号楼").text == f"{label}示范市乙区×××"


def test_business_premises_are_kept():
    text = "当事人：张三（个体工商户），经营场所：示范市甲区建设路88号"
    assert redact(text).text == "当事人：某某（个体工商户），经营场所：示范市甲区建设路88号"


def test_zhusuo_of_a_company_is_kept_and_of_a_person_removed():
    company = "当事人：示范市恒通商贸有限公司，住所：示范市甲区工业路1号"
    assert redact(company).text == company
    person = "当事人：张三，男，住所：示范市甲区工业路1号"
    assert redact(person).text == "当事人：某某，男，住所：示范市甲区×××"


def test_known_address_keeps_its_district_and_loses_its_detail_wherever_it_occurs():
    known = [KnownValue("河北省示范市甲区建设路88号", Kind.ADDRESS)]
    result = redact("家在河北省示范市甲区建设路88号，即建设路88号", known)
    assert result.text == "家在河北省示范市甲区×××，即×××"


# -- e-mail, property certificates, other known values --


def test_email_is_removed():
    assert redact("电子邮箱：zhang.san_01@example.com。").text == "电子邮箱：×××。"


@pytest.mark.parametrize(
    "number", ["冀(2026)示范市不动产权第0001234号", "冀（2025）示范市不动产权第0012345号"]
)
def test_property_certificate_number_is_removed(number: str):
    result = redact(f"房产（{number}）已抵押")
    assert result.text == "房产（×××）已抵押"
    assert result.spans[0].kind == Kind.PROPERTY_CERTIFICATE


def test_house_certificate_number_is_removed_by_its_label():
    assert redact("房产证号：示房权证甲字第0012345号。").text == "房产证号：×××。"


def test_known_number_matches_when_written_with_spaces():
    result = redact("账户 0402 0123 4567 8901 234 已冻结", ["0402012345678901234"])
    assert result.text == "账户 ××× 已冻结"


def test_known_phone_with_country_code_matches_the_bare_number():
    result = redact("手机尾号为13912345678", [KnownValue("+86 139 1234 5678", Kind.PHONE)])
    assert result.text == "手机尾号为×××"


def test_plain_string_known_values_are_personal():
    result = redact("车牌号冀B12345的车辆", ["冀B12345"])
    assert result.text == "车牌号×××的车辆"
    assert result.spans[0].kind == Kind.PERSONAL
    assert result.spans[0].source == "known"


# -- the contract --


def test_spans_are_sorted_non_overlapping_and_index_the_original_text():
    text = "当事人：张三，身份证号：130302198506150124，电话13912345678，张三"
    spans = find_spans(text, [KnownValue("张三", Kind.PERSON_NAME, "张某"), "13912345678"])
    assert [text[s.start : s.end] for s in spans] == [
        "张三",
        "130302198506150124",
        "13912345678",
        "张三",
    ]
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_overlapping_findings_merge_into_one_span():
    # the e-mail begins with a mobile number
    result = redact("邮箱13912345678@163.com")
    assert result.text == "邮箱×××"
    assert [s.kind for s in result.spans] == [Kind.EMAIL]


def test_apply_spans_applies_the_publishers_choice():
    text = "编码130302198506150087"
    spans = redact(text).spans
    assert apply_spans(text, spans) == "编码×××"
    assert (
        apply_spans(text, [Span(0, 2, Kind.PERSONAL, replacement="＊")]) == "＊130302198506150087"
    )


def test_apply_spans_refuses_overlapping_spans():
    with pytest.raises(ValueError, match="overlap"):
        apply_spans("abcdef", [Span(0, 3, Kind.PERSONAL), Span(2, 4, Kind.PERSONAL)])


def test_apply_spans_refuses_spans_outside_the_text():
    with pytest.raises(ValueError):
        apply_spans("abc", [Span(2, 5, Kind.PERSONAL)])


def test_every_kind_has_a_chinese_label():
    assert set(KIND_LABELS) == set(Kind)
    assert KIND_LABELS[Kind.ID_NUMBER] == "居民身份证号"


# -- rules per jurisdiction --


def test_rules_for_reads_the_settings_per_division(settings: Settings):
    settings.ZHIFA_REDACTION_RULES = {
        "default": {"keep_values_add": ["0311-86660000"]},
        "130000": {"name_contexts_add": ["陪同人员"]},
        "130300": {"name_replacement": "某"},
    }
    rules = rules_for("130302")
    assert "陪同人员" in rules.name_contexts
    assert "当事人" in rules.name_contexts
    assert rules.name_replacement == "某"
    assert "0311-86660000" in rules.keep_values
    assert "陪同人员" not in rules_for("110105").name_contexts
    assert rules_for(None).name_replacement == "某某"


def test_rules_for_without_settings_gives_the_national_defaults(settings: Settings):
    del settings.ZHIFA_REDACTION_RULES
    assert rules_for("130302") == Rules()


def test_rules_for_refuses_an_invalid_division_code():
    with pytest.raises(InvalidIdentifier):
        rules_for("99")


def test_rules_for_refuses_an_unknown_rule(settings: Settings):
    settings.ZHIFA_REDACTION_RULES = {"default": {"nmae_contexts": []}}
    with pytest.raises(ValueError, match="nmae_contexts"):
        rules_for(None)
