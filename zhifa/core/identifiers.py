"""Validators of Chinese identifiers.

Each ``validate_<thing>(value) -> str`` returns the normalised value or raises
:class:`InvalidIdentifier` whose Chinese message says what is wrong (and names the standard);
each ``is_valid_<thing>(value) -> bool`` answers without raising. Pure: no Django.

Check digits come from python-stdnum (``stdnum.cn.ric``, ``stdnum.cn.uscc``, ``stdnum.luhn``);
the surrounding checks are our own because stdnum is stricter or looser than we need:

- ``stdnum.cn.ric.validate`` also looks the address code up in its bundled division table, which
  lags behind GB/T 2260 and rejects people born in newly created counties; we check the province
  part only. It does not know the 15-digit pre-1999 numbers, which we validate by structure.
- ``stdnum.cn.uscc.validate`` demands a digit in the first position, but GB 32100-2015 also
  assigns the letters A, N and Y to registration authorities.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from stdnum import luhn
from stdnum.cn import ric, uscc

from zhifa.core.exceptions import InvalidIdentifier

GB_RESIDENT_ID = "GB 11643-1999"
GB_CREDIT_CODE = "GB 32100-2015"
GB_DIVISION = "GB/T 2260"

# Province-level parts of GB/T 2260 (71 台湾, 81 香港, 82 澳门).
PROVINCE_CODES: frozenset[str] = frozenset(
    {
        *("11", "12", "13", "14", "15"),
        *("21", "22", "23"),
        *("31", "32", "33", "34", "35", "36", "37"),
        *("41", "42", "43", "44", "45", "46"),
        *("50", "51", "52", "53", "54"),
        *("61", "62", "63", "64", "65"),
        *("71", "81", "82"),
    }
)
# 港澳台居民居住证 numbers use 810000 / 820000 / 830000 (830000 is not a GB/T 2260 province).
_RESIDENT_ID_PROVINCES = PROVINCE_CODES | {"83"}

_SEPARATORS = re.compile(r"[\s\-]+")


def _is_valid(validator: Callable[[str], str], value: str) -> bool:
    try:
        validator(value)
    except InvalidIdentifier:
        return False
    return True


# -- 居民身份证号码 (GB 11643-1999) --


def validate_resident_id(value: str, *, today: date | None = None) -> str:
    """18-digit number with GB 11643 check digit, or the 15-digit pre-1999 form.

    Returns the number without separators, check letter upper-case (15-digit numbers stay 15
    digits; see ``resident_id_to_18``). With ``today`` a birth date after it is refused.
    """
    number = _SEPARATORS.sub("", value).upper()
    if len(number) == 18:
        if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
            raise InvalidIdentifier("居民身份证号码格式错误：前17位应为数字，末位为数字或X")
        birth = number[6:14]
    elif len(number) == 15:
        if not number.isdigit():
            raise InvalidIdentifier("15位居民身份证号码应全部为数字")
        birth = "19" + number[6:12]  # 15-digit numbers were issued to people born in 19xx
    else:
        raise InvalidIdentifier("居民身份证号码应为18位（或15位旧号码）")
    if number[:2] not in _RESIDENT_ID_PROVINCES:
        raise InvalidIdentifier("居民身份证号码地址码无效", article=GB_DIVISION)
    try:
        born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:8]))
    except ValueError:
        raise InvalidIdentifier("居民身份证号码出生日期无效") from None
    if born.year < 1850 or (today is not None and born > today):
        raise InvalidIdentifier("居民身份证号码出生日期无效")
    if len(number) == 18 and number[17] != ric.calc_check_digit(number):
        raise InvalidIdentifier("居民身份证号码校验码错误", article=GB_RESIDENT_ID)
    return number


def is_valid_resident_id(value: str) -> bool:
    return _is_valid(validate_resident_id, value)


def resident_id_to_18(value: str) -> str:
    """The 18-digit form of a valid resident ID (15-digit numbers get "19" and a check digit)."""
    number = validate_resident_id(value)
    if len(number) == 18:
        return number
    body = number[:6] + "19" + number[6:]
    return body + ric.calc_check_digit(body + "0")


# -- 统一社会信用代码 (GB 32100-2015) --

# Position 1: 登记管理部门代码 (1 机构编制 … 9 市场监管, A 军队, N 农业, Y 其他).
_CREDIT_AUTHORITIES = frozenset("123456789ANY")
_CREDIT_ALPHABET = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")


def validate_credit_code(value: str) -> str:
    """18-character 统一社会信用代码 with GB 32100-2015 check character; returns it upper-case."""
    code = _SEPARATORS.sub("", value).upper()
    if len(code) != 18:
        raise InvalidIdentifier("统一社会信用代码应为18位", article=GB_CREDIT_CODE)
    if any(c not in _CREDIT_ALPHABET for c in code):
        raise InvalidIdentifier("统一社会信用代码含有无效字符（不使用I、O、Z、S、V）")
    if code[0] not in _CREDIT_AUTHORITIES:
        raise InvalidIdentifier("统一社会信用代码登记管理部门代码无效", article=GB_CREDIT_CODE)
    if not code[2:8].isdigit():
        raise InvalidIdentifier(
            "统一社会信用代码登记管理机关行政区划码无效", article=GB_CREDIT_CODE
        )
    if code[17] != uscc.calc_check_digit(code):
        raise InvalidIdentifier("统一社会信用代码校验位错误", article=GB_CREDIT_CODE)
    return code


def is_valid_credit_code(value: str) -> bool:
    return _is_valid(validate_credit_code, value)


# -- 银行卡号 --


def validate_bank_card(value: str) -> str:
    """12–19 digits passing the Luhn check (ISO/IEC 7812); returns the digits."""
    number = _SEPARATORS.sub("", value)
    if not number.isdigit() or not 12 <= len(number) <= 19:
        raise InvalidIdentifier("银行卡号应为12至19位数字")
    if not luhn.is_valid(number):
        raise InvalidIdentifier("银行卡号校验位错误（Luhn算法）")
    return number


def is_valid_bank_card(value: str) -> bool:
    return _is_valid(validate_bank_card, value)


# -- 电话号码 --

_COUNTRY_PREFIX = re.compile(r"^(?:\+|00)\s*86")
_PHONE_SEPARATORS = re.compile(r"[\s\-()（）]+")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$", re.IGNORECASE)


def validate_mobile(value: str) -> str:
    """Mainland mobile number: 11 digits 1[3-9]…, optional +86/0086, spaces, hyphens, brackets.

    Returns the 11 digits.
    """
    raw = _COUNTRY_PREFIX.sub("", value.strip())
    number = _PHONE_SEPARATORS.sub("", raw)
    if not _MOBILE.fullmatch(number):
        raise InvalidIdentifier("手机号码应为11位数字，以13至19开头")
    return number


def is_valid_mobile(value: str) -> bool:
    return _is_valid(validate_mobile, value)


def validate_landline(value: str) -> str:
    """Landline with area code: 0xx (010, 02x) or 0xxx, then 7–8 digits, optional extension.

    Accepts spaces, hyphens, brackets, "+86"/"0086" (area code then written without its 0) and
    an extension introduced by 转/分机/ext/x/# or as a trailing hyphenated group. Returns
    ``"0571-87654321"`` or ``"0571-87654321-123"``.
    """
    raw = value.strip()
    international = bool(_COUNTRY_PREFIX.match(raw))
    raw = _COUNTRY_PREFIX.sub("", raw)
    extension = ""
    match = _EXTENSION.search(raw)
    if match:
        extension = match.group(1)
        raw = raw[: match.start()]
    groups = [g for g in _PHONE_SEPARATORS.split(raw) if g]
    if not groups or not all(g.isdigit() for g in groups):
        raise InvalidIdentifier("固定电话号码只能包含数字、分隔符和分机号")
    digits = "".join(groups)
    if international:
        digits = "0" + digits
    if not digits.startswith("0"):
        raise InvalidIdentifier("固定电话号码须包含以0开头的区号")
    # Three-digit area codes are 010 and 020–029; every other area code has four digits.
    area_len = 3 if digits[1] in "12" else 4
    area, local = digits[:area_len], digits[area_len:]
    if len(local) > 8 and not extension and len(groups) > 1:
        # "010-12345678-123": the last hyphenated group is the extension.
        tail = groups[-1]
        if len(local) - len(tail) in (7, 8):
            extension, local = tail, local[: -len(tail)]
    if len(local) not in (7, 8) or local[0] in "01":
        raise InvalidIdentifier("固定电话号码本地号码应为7至8位，且不以0或1开头")
    return f"{area}-{local}" + (f"-{extension}" if extension else "")


def is_valid_landline(value: str) -> bool:
    return _is_valid(validate_landline, value)


# -- 行政区划代码 (GB/T 2260) --


def validate_division_code(value: str) -> str:
    """Six-digit GB/T 2260 code with a real province part; county part only under a prefecture."""
    code = value.strip()
    if len(code) != 6 or not code.isdigit():
        raise InvalidIdentifier("行政区划代码应为6位数字", article=GB_DIVISION)
    if code[:2] not in PROVINCE_CODES:
        raise InvalidIdentifier("行政区划代码省级部分无效", article=GB_DIVISION)
    if code[2:4] == "00" and code[4:] != "00":
        raise InvalidIdentifier("行政区划代码地级部分为00时县级部分应为00", article=GB_DIVISION)
    return code


def is_valid_division_code(value: str) -> bool:
    return _is_valid(validate_division_code, value)


def division_prefix(code: str) -> str:
    """The significant part of a division code: "130000"→"13", "130300"→"1303"."""
    code = validate_division_code(code)
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def division_contains(region_code: str, code: str) -> bool:
    """True when ``code`` lies in (or is) the region ``region_code``."""
    return division_prefix(code).startswith(division_prefix(region_code))
