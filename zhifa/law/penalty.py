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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
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


@dataclass(frozen=True)
class Instalment:
    """One part of the fine due on one day: the whole fine by the 第六十七条 deadline, the
    outstanding fine by a deferred day, or one instalment of an approved plan (第六十六条)."""

    due_on: date
    amount: Decimal


def late_fee_owed(
    fine: Decimal,
    instalments: Sequence[Instalment],
    payments: Sequence[tuple[date, Decimal]],
    today: date,
    *,
    carried: Decimal = Decimal(0),
) -> Decimal:
    """加处罚款 owed on ``today`` (第七十二条第一款第一项), to the fen, half up.

    3 % a day, for every day after an instalment's due day on which part of it was still
    unpaid when the day began: a payment made on a day does not spare that day (paying on the
    due day costs nothing; paying the next day costs one day). ``payments`` of the fine are
    applied to the instalments earliest due first, in date order.

    第七十二条 reads "每日按罚款数额的百分之三" and caps the surcharge at the fine. The statute
    says nothing of part payments or of 第六十六条 instalments; zhifa reads it in the party's
    favour (the reading a court would not overturn against the agency): the 3 % runs on the
    part of each instalment still unpaid, and the surcharge of each instalment is capped at
    that instalment, so that the total never exceeds the fine. With one instalment (the whole
    fine, nothing paid) this is exactly "3 % of the fine a day, at most the fine".

    ``carried`` is the surcharge already owed under an earlier schedule (before a deferral or
    instalment plan replaced it); the total is capped at ``fine``.
    """
    if fine < 0 or carried < 0 or any(i.amount < 0 for i in instalments):
        raise ValueError("amounts must not be negative")
    remaining = sorted(((d, a) for d, a in payments if a > 0), key=lambda p: p[0])
    total = carried
    for part in sorted(instalments, key=lambda i: i.due_on):
        # Which payments settle this instalment, and on which days.
        settled: list[tuple[date, Decimal]] = []
        need = part.amount
        while need > 0 and remaining:
            day, amount = remaining[0]
            used = min(need, amount)
            settled.append((day, used))
            need -= used
            if used == amount:
                remaining.pop(0)
            else:
                remaining[0] = (day, amount - used)
        total += _instalment_fee(part, settled, today)
    return min(total, fine).quantize(_CENT, rounding=ROUND_HALF_UP)


def _instalment_fee(
    part: Instalment, settled: Sequence[tuple[date, Decimal]], today: date
) -> Decimal:
    """3 % a day of what was unpaid at the start of each day after the due day, up to
    ``today``, at most the instalment."""

    def days(first: date, last: date) -> int:
        return max(0, (last - first).days + 1)

    fee = Decimal(0)
    unpaid = part.amount
    cursor = part.due_on + timedelta(days=1)  # the first day that costs
    for paid_on, amount in settled:
        # The day of a payment is still owed on what was unpaid when it began.
        fee += unpaid * LATE_FEE_DAILY_RATE * days(cursor, min(paid_on, today))
        unpaid -= amount
        cursor = max(cursor, paid_on + timedelta(days=1))
    fee += unpaid * LATE_FEE_DAILY_RATE * days(cursor, today)
    return min(fee, part.amount)


def late_fee(
    fine: Decimal, due_on: date, paid_on_or_today: date, suspended_days: int = 0
) -> Decimal:
    """加处罚款 (第七十二条) of a fine due at once: 3 % of the fine for each day after
    ``due_on``, at most the fine (:func:`late_fee_owed` with one instalment, nothing paid).

    ``due_on`` is the last day to pay (e.g. ``deadline(PAYMENT, received_on, calendar)``);
    paying on it costs nothing, the next day costs 3 %. ``suspended_days`` are days of
    复议 or 诉讼 during which the surcharge does not accrue (第七十三条). Rounded to the fen,
    half up.
    """
    if fine < 0 or suspended_days < 0:
        raise ValueError("fine and suspended_days must not be negative")
    return late_fee_owed(
        fine, [Instalment(due_on + timedelta(days=suspended_days), fine)], [], paid_on_or_today
    )


# -- 第六十七至七十条 how a fine is paid --


class OnTheSpotGround(StrEnum):
    """Why a fine may be collected on the spot (当场收缴) instead of paid at the bank."""

    SMALL_FINE = "small_fine"  # 第六十八条第一项: 依法给予一百元以下罚款
    HARD_TO_COLLECT = "hard_to_collect"  # 第六十八条第二项: 不当场收缴事后难以执行
    REMOTE_AREA = "remote_area"  # 第六十九条: 边远、水上、交通不便地区，当事人提出

    @property
    def label(self) -> str:
        return _ON_THE_SPOT_LABELS[self]


_ON_THE_SPOT_LABELS: dict[OnTheSpotGround, str] = {
    OnTheSpotGround.SMALL_FINE: "依法给予一百元以下罚款（第六十八条第一项）",
    OnTheSpotGround.HARD_TO_COLLECT: "不当场收缴事后难以执行（第六十八条第二项）",
    OnTheSpotGround.REMOTE_AREA: (
        "边远、水上、交通不便地区，当事人到银行或者通过电子支付系统缴纳确有困难，"
        "经当事人提出（第六十九条）"
    ),
}

ON_THE_SPOT_SMALL_FINE = Decimal(100)  # 第六十八条第一项: 一百元以下


def on_the_spot_collection_allowed(
    *, simple_procedure: bool, fine: Decimal, ground: OnTheSpotGround | None
) -> Verdict:
    """Whether officers may collect the fine on the spot (当场收缴, 第六十八、六十九条).

    Otherwise the party pays at the designated bank or electronically within 15 days of
    receiving the decision (第六十七条). 第六十八条 applies only to a decision made on the spot
    (第五十一条); 第六十九条 also to a general-procedure fine (第五十七条), on the party's request.
    A fine of at most 100 元 decided on the spot needs no other ground. Whatever the ground, the
    officers hand over the finance department's 专用票据 (第七十条).
    """
    if simple_procedure and fine <= ON_THE_SPOT_SMALL_FINE:
        return Verdict(True, OnTheSpotGround.SMALL_FINE.label, f"{article('六十八')}第一项")
    if ground is OnTheSpotGround.HARD_TO_COLLECT and simple_procedure:
        return Verdict(True, ground.label, f"{article('六十八')}第二项")
    if ground is OnTheSpotGround.REMOTE_AREA:
        return Verdict(True, ground.label, article("六十九"))
    if ground is OnTheSpotGround.SMALL_FINE:
        return Verdict(
            False,
            f"罚款{fine:,.2f}元，不是当场作出的一百元以下罚款，不能据此当场收缴",
            f"{article('六十八')}第一项",
        )
    if ground is OnTheSpotGround.HARD_TO_COLLECT:
        return Verdict(
            False,
            "“事后难以执行”只适用于依简易程序当场作出的处罚决定",
            f"{article('六十八')}第二项",
        )
    return Verdict(
        False,
        "不属于可以当场收缴罚款的情形（当场作出的一百元以下罚款、事后难以执行，或者边远、水上、"
        "交通不便地区经当事人提出）：当事人应当自收到行政处罚决定书之日起十五日内到指定的银行"
        "或者通过电子支付系统缴纳罚款",
        f"{article('六十七')}、第六十八条、第六十九条",
    )


# -- 第九、十八条 kinds of penalty and their amounts --

# 第十八条第三款: 限制人身自由的行政处罚权只能由公安机关和法律规定的其他机关行使.
DETENTION_ARTICLE = f"{article('十八')}第三款"


def penalty_kinds_open_to(*, detention_allowed: bool) -> list[PenaltyKind]:
    """The kinds an agency may decide (第九条), 行政拘留 only where 第十八条第三款 gives the
    power (公安机关; the caller knows which agencies those are)."""
    return [k for k in PenaltyKind if detention_allowed or k is not PenaltyKind.DETENTION]


@dataclass(frozen=True)
class AmountProblem:
    """One missing or misplaced amount: the form field, the Chinese message and the article."""

    field: str
    message: str
    article: str


def penalty_amounts_problems(
    kinds: Iterable[str],
    *,
    fine: Decimal | None,
    gains: Decimal | None,
    property_description: str = "",
    property_value: Decimal | None = None,
) -> list[AmountProblem]:
    """What is wrong with the amounts of a penalty (第五十九条第一款第三项: the decision states
    the kind and the amount). 罚款 needs a fine above 0; 没收违法所得 an amount above 0;
    没收非法财物 the property described (its estimated value, where given, not negative).
    An amount given for a kind not chosen is refused too: it would be printed as decided."""
    chosen = set(kinds)
    art = f"{article('五十九')}第一款第三项"
    out: list[AmountProblem] = []
    if PenaltyKind.FINE in chosen:
        if fine is None or fine <= 0:
            out.append(AmountProblem("fine", "选择了罚款，罚款金额须大于0元", art))
    elif fine:
        out.append(AmountProblem("fine", "未选择罚款，不应填写罚款金额", art))
    if PenaltyKind.CONFISCATION_OF_GAINS in chosen:
        if gains is None or gains <= 0:
            out.append(AmountProblem("confiscation", "选择了没收违法所得，没收金额须大于0元", art))
    elif gains:
        out.append(AmountProblem("confiscation", "未选择没收违法所得，不应填写没收金额", art))
    if PenaltyKind.CONFISCATION_OF_PROPERTY in chosen:
        if not property_description.strip():
            out.append(
                AmountProblem(
                    "confiscated_property", "选择了没收非法财物，须写明财物名称和数量", art
                )
            )
    elif property_description.strip() or property_value:
        out.append(AmountProblem("confiscated_property", "未选择没收非法财物，不应填写财物", art))
    if property_value is not None and property_value < 0:
        out.append(AmountProblem("confiscated_property_value", "财物估值不能为负数", art))
    return out
