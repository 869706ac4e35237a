"""Amounts of money in Chinese capitals (中文大写金额), as written on enforcement documents.

The rules are those of the People's Bank of China for bills and settlement vouchers
(《支付结算办法》附件一《正确填写票据和结算凭证的基本规定》), which documents follow:

- capitals 零壹贰叁肆伍陆柒捌玖 with units 拾佰仟万亿; a ten is 壹拾, never a bare 拾;
- 整 after 元 when there are no 角/分; zhifa also writes 整 after 角 (allowed, and it leaves no
  room to append a figure); never after 分;
- a zero (or a run of zeros) inside the figure is one 零 (1004 → 壹仟零肆元); when the 元 or 万
  digit is zero but the next non-zero digit is a 仟 or 角, no 零 is written (the rule allows
  either; 107000.53 → 壹拾万柒仟元伍角叁分);
- a zero 角 before a non-zero 分 is written 零 (325.04 → 叁佰贰拾伍元零肆分);
- less than one 元 is written without 元 (0.05 → 伍分), and nothing at all as 零元整.

Pure: no Django.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_IN_GROUP = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")
MAX_AMOUNT = Decimal("9999999999999999.99")  # 万亿 is the largest group unit used


def _group_words(value: int) -> str:
    """1–9999 without leading zeros; inner zeros collapse to one 零, trailing zeros vanish."""
    out: list[str] = []
    zero = False
    for position in range(3, -1, -1):
        digit = value // 10**position % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[digit] + _IN_GROUP[position])
    return "".join(out)


def _integer_words(value: int) -> str:
    groups: list[int] = []
    while value:
        groups.append(value % 10000)
        value //= 10000
    out: list[str] = []
    zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero = bool(out)
            continue
        # A gap (a zero group, or leading zeros of this group) is one 零.
        if out and (zero or group < 1000):
            out.append("零")
        out.append(_group_words(group) + _GROUPS[index])
        zero = False
    return "".join(out)


def amount_in_words(amount: Decimal | int | str) -> str:
    """``amount`` 元 in capitals: 12000 → 壹万贰仟元整, 10.5 → 壹拾元伍角整, 0.05 → 伍分.

    Raises ValueError for a negative amount, more than two decimal places (分 is the smallest
    unit) or more than :data:`MAX_AMOUNT`.
    """
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"not an amount: {amount!r}") from exc
    if not value.is_finite() or value < 0:
        raise ValueError(f"amount must be a non-negative number, got {amount!r}")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"amount has more than two decimal places (分): {amount!r}")
    if value > MAX_AMOUNT:
        raise ValueError(f"amount too large: {amount!r}")
    cents = int(value * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if cents == 0:
        return "零元整"
    words = _integer_words(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return words + "整"
    if jiao:
        words += DIGITS[jiao] + "角"
    elif yuan:
        words += "零"  # 元 … 零 … 分: the 角 digit is zero
    return words + (DIGITS[fen] + "分" if fen else "整")
