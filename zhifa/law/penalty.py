"""《中华人民共和国行政处罚法》(2021 revision): periods, limits and conditions.

Counting (第八十五条): "本法中'二日''三日''五日''七日'的规定是指工作日，不含法定节假日。"
So the 2-, 3-, 5- and 7-day periods below are working days; the longer ones (15 d in 第六十七条,
90 d in 第六十条) are calendar days, whose last day moves to the next working day when it is a
rest day (see ``zhifa.law.periods``).

Numbers that differ between provinces or sectors are settings with a default, never constants:
the hearing thresholds of 第六十三条 (:class:`HearingThresholds`) and the filing time of an
on-the-spot decision under 第五十二条 (:func:`on_the_spot_filing_period`).

Pure: no Django, no clock; callers pass ``today``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from zhifa.law.periods import Calendar, Period, Unit, deadline

LAW = "《行政处罚法》"


def article(number: str) -> str:
    return f"{LAW}第{number}条"


class PenaltyKind(StrEnum):
    """Kinds of administrative penalty (第九条); ``label`` is the statutory name."""

    WARNING = "warning"
    CIRCULATED_CRITICISM = "circulated_criticism"
    FINE = "fine"
    CONFISCATION_OF_GAINS = "confiscation_of_gains"
    CONFISCATION_OF_PROPERTY = "confiscation_of_property"
    LICENCE_SUSPENSION = "licence_suspension"
    QUALIFICATION_DOWNGRADE = "qualification_downgrade"
    LICENCE_REVOCATION = "licence_revocation"
    BUSINESS_RESTRICTION = "business_restriction"
    ORDER_TO_SUSPEND = "order_to_suspend"
    ORDER_TO_CLOSE = "order_to_close"
    OCCUPATIONAL_BAN = "occupational_ban"
    DETENTION = "detention"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _PENALTY_LABELS[self]


_PENALTY_LABELS: dict[PenaltyKind, str] = {
    PenaltyKind.WARNING: "警告",
    PenaltyKind.CIRCULATED_CRITICISM: "通报批评",
    PenaltyKind.FINE: "罚款",
    PenaltyKind.CONFISCATION_OF_GAINS: "没收违法所得",
    PenaltyKind.CONFISCATION_OF_PROPERTY: "没收非法财物",
    PenaltyKind.LICENCE_SUSPENSION: "暂扣许可证件",
    PenaltyKind.QUALIFICATION_DOWNGRADE: "降低资质等级",
    PenaltyKind.LICENCE_REVOCATION: "吊销许可证件",
    PenaltyKind.BUSINESS_RESTRICTION: "限制开展生产经营活动",
    PenaltyKind.ORDER_TO_SUSPEND: "责令停产停业",
    PenaltyKind.ORDER_TO_CLOSE: "责令关闭",
    PenaltyKind.OCCUPATIONAL_BAN: "限制从业",
    PenaltyKind.DETENTION: "行政拘留",
    PenaltyKind.OTHER: "法律、行政法规规定的其他行政处罚",
}


class PartyKind(StrEnum):
    """Who is penalised: a citizen (natural person) or a legal person / other organisation."""

    NATURAL_PERSON = "natural_person"
    ORGANISATION = "organisation"

    @property
    def label(self) -> str:
        return "自然人" if self is PartyKind.NATURAL_PERSON else "法人或其他组织"


@dataclass(frozen=True)
class Verdict:
    """Answer of a rule: ``ok`` and, either way, the Chinese reason citing the article."""

    ok: bool
    reason: str
    article: str

    def __bool__(self) -> bool:
        return self.ok


# -- periods --

# 第三十六条: not discovered within two years → no longer punished; five years where citizens'
# life and health or financial safety is involved and there are harmful consequences. Counted
# from the act, or from the end of a continuing act. Not a time to act, so no roll-over.
LIMITATION = Period(2, Unit.YEARS, article("三十六"), "行政处罚追责时效", rolls_to_workday=False)
LIMITATION_SERIOUS = Period(
    5,
    Unit.YEARS,
    article("三十六"),
    "行政处罚追责时效（涉及公民生命健康安全、金融安全且有危害后果）",
    rolls_to_workday=False,
)
WITHDRAW_PUBLICATION = Period(3, Unit.WORKING_DAYS, article("四十八"), "撤回已公开的行政处罚决定")
EVIDENCE_PRESERVATION_DECISION = Period(
    7, Unit.WORKING_DAYS, article("五十六"), "对先行登记保存的证据作出处理决定"
)
DECISION_LIMIT = Period(90, Unit.CALENDAR_DAYS, article("六十"), "自立案之日起作出行政处罚决定")
SERVICE = Period(7, Unit.WORKING_DAYS, article("六十一"), "当事人不在场时送达行政处罚决定书")
HEARING_REQUEST = Period(5, Unit.WORKING_DAYS, f"{article('六十四')}第一项", "要求听证")
HEARING_NOTICE = Period(7, Unit.WORKING_DAYS, f"{article('六十四')}第二项", "听证前通知")
PAYMENT = Period(15, Unit.CALENDAR_DAYS, article("六十七"), "自收到行政处罚决定书之日起缴纳罚款")

# 第五十二条 says only "报所属行政机关备案"; the time is set by sector rules (market regulation:
# within 7 working days), hence a setting.
ON_THE_SPOT_FILING_DEFAULT_WORKDAYS = 7


def on_the_spot_filing_period(workdays: int = ON_THE_SPOT_FILING_DEFAULT_WORKDAYS) -> Period:
    """Time to file an on-the-spot decision with the agency (第五十二条).

    The default is market regulation's 7 working days; other sectors pass their own.
    """
    return Period(workdays, Unit.WORKING_DAYS, article("五十二"), "当场处罚决定报所属行政机关备案")


# -- 第三十六条 limitation --


def limitation_deadline(act_ended_on: date, *, serious: bool = False) -> date:
    """Last day on which the act may still be discovered (2 or 5 years, start day not counted)."""
    return deadline(LIMITATION_SERIOUS if serious else LIMITATION, act_ended_on, None)


def limitation_expired(act_ended_on: date, today: date, *, serious: bool = False) -> bool:
    """True when ``today`` (the day the act is discovered) is after the limitation's last day.

    ``act_ended_on`` is the day of the act, or the day a continuing act ended.
    """
    return today > limitation_deadline(act_ended_on, serious=serious)


# -- 第五十一条 simple procedure --

SIMPLE_PROCEDURE_FINE_LIMITS: dict[PartyKind, Decimal] = {
    PartyKind.NATURAL_PERSON: Decimal(200),
    PartyKind.ORGANISATION: Decimal(3000),
}


def simple_procedure_allowed(
    party_kind: PartyKind, penalty_kind: PenaltyKind, amount_yuan: Decimal = Decimal(0)
) -> Verdict:
    """Whether the penalty may be decided on the spot (简易程序, 第五十一条).

    Allowed for a warning, or a fine of at most 200 元 (citizen) / 3,000 元 (organisation).
    The facts must also be certain and have a legal basis; that is the officer's finding.
    """
    art = article("五十一")
    if penalty_kind is PenaltyKind.WARNING:
        return Verdict(True, "警告可以适用简易程序当场作出", art)
    if penalty_kind is not PenaltyKind.FINE:
        return Verdict(False, f"{penalty_kind.label}不得适用简易程序，应当适用普通程序", art)
    if amount_yuan <= 0:
        # The decision states the amount (第五十二条): a fine of nothing is no fine.
        return Verdict(False, "当场罚款须写明罚款数额，且应大于0元", article("五十二"))
    limit = SIMPLE_PROCEDURE_FINE_LIMITS[party_kind]
    if amount_yuan <= limit:
        return Verdict(True, f"对{party_kind.label}处{limit}元以下罚款可以适用简易程序", art)
    return Verdict(
        False,
        f"对{party_kind.label}罚款超过{limit}元，不得适用简易程序，应当适用普通程序",
        art,
    )


# -- 第六十三、六十四条 hearing --


@dataclass(frozen=True)
class HearingThresholds:
    """ "较大数额" of 第六十三条 (fine, or value of what is confiscated), a setting.

    Defaults: market regulation (市场监督管理行政处罚听证办法): 10,000 元 for a natural person,
    100,000 元 for a legal person or other organisation. An amount at the threshold qualifies.
    """

    person: Decimal = Decimal(10000)
    organisation: Decimal = Decimal(100000)

    def for_party(self, party_kind: PartyKind) -> Decimal:
        return self.person if party_kind is PartyKind.NATURAL_PERSON else self.organisation


# Penalties that give a hearing right whatever the amount (第六十三条第一款第三、四项).
HEARING_PENALTY_KINDS: frozenset[PenaltyKind] = frozenset(
    {
        PenaltyKind.QUALIFICATION_DOWNGRADE,
        PenaltyKind.LICENCE_REVOCATION,
        PenaltyKind.ORDER_TO_SUSPEND,
        PenaltyKind.ORDER_TO_CLOSE,
        PenaltyKind.OCCUPATIONAL_BAN,
    }
)


def hearing_right(
    party_kind: PartyKind,
    penalty_kinds: Iterable[PenaltyKind],
    fine: Decimal = Decimal(0),
    confiscation: Decimal = Decimal(0),
    thresholds: HearingThresholds | None = None,
) -> bool:
    """Whether the party must be told of a right to a hearing (第六十三条).

    True for 降低资质等级, 吊销许可证件, 责令停产停业, 责令关闭, 限制从业, or a fine or confiscation
    (违法所得 plus value of 非法财物) at or above the threshold. "其他较重的行政处罚" is left to
    the caller.
    """
    limits = thresholds or HearingThresholds()
    if any(kind in HEARING_PENALTY_KINDS for kind in penalty_kinds):
        return True
    threshold = limits.for_party(party_kind)
    return fine >= threshold or confiscation >= threshold


def hearing_notice_in_time(notified_on: date, hearing_on: date, calendar: Calendar) -> bool:
    """Whether the hearing notice came at least 7 working days before the hearing (第六十四条).

    Read in the party's favour: seven whole working days must lie strictly between the notice
    day and the hearing day (neither counted), i.e. the hearing is after the last day of the
    7-working-day period counted from the notice.
    """
    return hearing_on > deadline(HEARING_NOTICE, notified_on, calendar)


# -- 第七十二条 late-payment surcharge --

LATE_FEE_DAILY_RATE = Decimal("0.03")  # 第七十二条第一项: 每日按罚款数额的百分之三加处罚款
_CENT = Decimal("0.01")


def late_fee(
    fine: Decimal, due_on: date, paid_on_or_today: date, suspended_days: int = 0
) -> Decimal:
    """加处罚款 (第七十二条): 3 % of the fine for each day after ``due_on``, at most the fine.

    ``due_on`` is the last day to pay (e.g. ``deadline(PAYMENT, received_on, calendar)``);
    paying on it costs nothing, the next day costs 3 %. ``suspended_days`` are days of
    复议 or 诉讼 during which the surcharge does not accrue (第七十三条). Rounded to the fen,
    half up.
    """
    if fine < 0 or suspended_days < 0:
        raise ValueError("fine and suspended_days must not be negative")
    days = max(0, (paid_on_or_today - due_on).days - suspended_days)
    fee = min(fine * LATE_FEE_DAILY_RATE * days, fine)
    return fee.quantize(_CENT, rounding=ROUND_HALF_UP)
