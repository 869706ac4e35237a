"""Identifier validators: real check digits computed with python-stdnum, and their mutations."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum import luhn
from stdnum.cn import ric, uscc

from zhifa.core.exceptions import InvalidIdentifier
from zhifa.core.identifiers import (
    division_contains,
    division_prefix,
    is_valid_bank_card,
    is_valid_credit_code,
    is_valid_division_code,
    is_valid_landline,
    is_valid_mobile,
    is_valid_resident_id,
    resident_id_to_18,
    validate_bank_card,
    validate_credit_code,
    validate_division_code,
    validate_landline,
    validate_mobile,
    validate_resident_id,
)


def _with_check(body: str, calc: object) -> str:
    return body + calc(body + "0")  # type: ignore[operator]


def _wrong_check(number: str, alphabet: str) -> str:
    wrong = next(c for c in alphabet if c != number[-1])
    return number[:-1] + wrong


ID_X = _with_check("11010519491231002", ric.calc_check_digit)  # check digit is X
ID_DIGIT = _with_check("44030619900307123", ric.calc_check_digit)
CREDIT = "91110000600037341L"  # stdnum's own example
CREDIT_N = _with_check("N2330100MA2B3C4D5", uscc.calc_check_digit)
CARD = "622202123456789" + luhn.calc_check_digit("622202123456789")


# -- 居民身份证号码 --


def test_valid_resident_ids_pass_and_are_normalised() -> None:
    assert ID_X.endswith("X")
    assert validate_resident_id(ID_X.lower()) == ID_X
    assert validate_resident_id(f" {ID_DIGIT[:6]} {ID_DIGIT[6:14]} {ID_DIGIT[14:]} ") == ID_DIGIT
    assert ric.is_valid(ID_X)  # stdnum agrees


def test_resident_id_is_not_refused_for_a_county_younger_than_its_holder() -> None:
    # 440306 (深圳市宝安区) dates from 1992; people born earlier who registered there hold it.
    # stdnum's place table refuses such numbers; the check digit and date are what we verify.
    assert not ric.is_valid(ID_DIGIT)
    assert is_valid_resident_id(ID_DIGIT)


def test_resident_id_with_wrong_check_digit_names_the_standard() -> None:
    with pytest.raises(InvalidIdentifier) as exc:
        validate_resident_id(_wrong_check(ID_DIGIT, "0123456789X"))
    assert str(exc.value) == "居民身份证号码校验码错误（GB 11643-1999）"
    assert not is_valid_resident_id(_wrong_check(ID_X, "0123456789X"))


def test_resident_id_with_impossible_birth_date_is_refused() -> None:
    bad = _with_check("11010519490230002", ric.calc_check_digit)  # 30 February
    with pytest.raises(InvalidIdentifier, match="出生日期无效"):
        validate_resident_id(bad)


def test_resident_id_born_after_today_is_refused_when_today_is_given() -> None:
    future = _with_check("11010520300101002", ric.calc_check_digit)
    assert validate_resident_id(future) == future
    with pytest.raises(InvalidIdentifier, match="出生日期无效"):
        validate_resident_id(future, today=date(2026, 6, 1))


def test_resident_id_with_unknown_province_is_refused() -> None:
    with pytest.raises(InvalidIdentifier, match="地址码无效"):
        validate_resident_id(_with_check("99010519491231002", ric.calc_check_digit))


def test_resident_id_of_a_taiwan_residence_permit_is_accepted() -> None:
    permit = _with_check("83000019800101002", ric.calc_check_digit)
    assert is_valid_resident_id(permit)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1101051949123100", "应为18位"),
        ("11010519491231002Y", "格式错误"),
        ("1101051949123A002X", "格式错误"),
        ("11010549123100A", "全部为数字"),
    ],
)
def test_malformed_resident_ids_say_what_is_wrong(value: str, message: str) -> None:
    with pytest.raises(InvalidIdentifier, match=message):
        validate_resident_id(value)


def test_fifteen_digit_resident_ids_are_checked_by_structure() -> None:
    assert validate_resident_id("110105491231002") == "110105491231002"
    with pytest.raises(InvalidIdentifier, match="出生日期无效"):
        validate_resident_id("110105491331002")  # month 13
    assert not ric.is_valid("110105491231002")  # stdnum knows only 18 digits


def test_fifteen_digit_resident_id_converts_to_eighteen() -> None:
    assert resident_id_to_18("110105491231002") == ID_X
    assert resident_id_to_18(ID_DIGIT) == ID_DIGIT


# -- 统一社会信用代码 --


def test_valid_credit_codes_pass_and_are_upper_cased() -> None:
    assert validate_credit_code("91110000600037341l") == CREDIT
    assert validate_credit_code("9111 0000 6000 3734 1L") == CREDIT
    assert validate_credit_code(CREDIT_N) == CREDIT_N  # N = 农业, refused by stdnum itself
    assert not uscc.is_valid(CREDIT_N)


def test_credit_code_with_wrong_check_character_names_the_standard() -> None:
    with pytest.raises(InvalidIdentifier) as exc:
        validate_credit_code("91110000600037341M")
    assert str(exc.value) == "统一社会信用代码校验位错误（GB 32100-2015）"
    assert not is_valid_credit_code(_wrong_check(CREDIT_N, "0123456789ABCDEFGHJKLMNPQRTUWXY"))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9111000060003734", "应为18位"),
        ("91110000600037341I", "无效字符"),
        ("B1110000600037341L", "登记管理部门代码无效"),
        ("9111A000600037341L", "行政区划码无效"),
    ],
)
def test_malformed_credit_codes_say_what_is_wrong(value: str, message: str) -> None:
    with pytest.raises(InvalidIdentifier, match=message):
        validate_credit_code(value)


# -- 银行卡号 --


def test_bank_card_passes_luhn_and_separators_are_dropped() -> None:
    assert validate_bank_card(f"{CARD[:4]} {CARD[4:8]}-{CARD[8:12]} {CARD[12:]}") == CARD


def test_bank_card_with_wrong_luhn_digit_is_refused() -> None:
    with pytest.raises(InvalidIdentifier, match="校验位错误（Luhn算法）"):
        validate_bank_card(_wrong_check(CARD, "0123456789"))


@pytest.mark.parametrize("value", ["12345678903", "1" * 20, "6222abcd12345678"])
def test_bank_card_length_and_digits_are_checked(value: str) -> None:
    assert not is_valid_bank_card(value)


# -- 电话号码 --


@pytest.mark.parametrize(
    "value",
    ["13800138000", "+86 138 0013 8000", "0086-138-0013-8000", "+86(138)00138000", "199-1234-5678"],
)
def test_mobile_numbers_are_normalised_to_eleven_digits(value: str) -> None:
    assert len(validate_mobile(value)) == 11
    assert validate_mobile(value) in ("13800138000", "19912345678")


@pytest.mark.parametrize("value", ["12800138000", "1380013800", "138001380001", "+1 13800138000"])
def test_invalid_mobile_numbers_are_refused(value: str) -> None:
    with pytest.raises(InvalidIdentifier, match="手机号码"):
        validate_mobile(value)
    assert not is_valid_mobile(value)


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("010-62345678", "010-62345678"),
        ("(010) 6234 5678", "010-62345678"),
        ("0571-87654321", "0571-87654321"),
        ("0311 8765432", "0311-8765432"),
        ("+86 10 62345678", "010-62345678"),
        ("0086-571-87654321", "0571-87654321"),
        ("0571-87654321 转 8001", "0571-87654321-8001"),
        ("0571-87654321 ext. 12", "0571-87654321-12"),
        ("010-62345678-123", "010-62345678-123"),
    ],
)
def test_landlines_are_normalised(value: str, normalised: str) -> None:
    assert validate_landline(value) == normalised


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("62345678", "区号"),
        ("010-12345678", "不以0或1开头"),
        ("0571-876543", "7至8位"),
        ("010-6234567a", "只能包含"),
    ],
)
def test_invalid_landlines_say_what_is_wrong(value: str, message: str) -> None:
    with pytest.raises(InvalidIdentifier, match=message):
        validate_landline(value)
    assert not is_valid_landline(value)


# -- 行政区划代码 --


def test_division_codes_are_six_digits_with_a_real_province() -> None:
    assert validate_division_code(" 130302 ") == "130302"
    assert is_valid_division_code("820000")
    for bad in ("13030", "1303020", "13a302", "990000", "100000"):
        assert not is_valid_division_code(bad)
    with pytest.raises(InvalidIdentifier, match="地级部分为00"):
        validate_division_code("130012")


def test_division_prefix_strips_trailing_zero_pairs() -> None:
    assert division_prefix("130000") == "13"
    assert division_prefix("130300") == "1303"
    assert division_prefix("130302") == "130302"


def test_division_contains_its_own_subdivisions_only() -> None:
    assert division_contains("130000", "130302")
    assert division_contains("130300", "130302")
    assert division_contains("130302", "130302")
    assert not division_contains("130300", "130402")
    assert not division_contains("130302", "130300")
    assert not division_contains("110000", "130302")
