"""The statutory rules of a licence application, one pure function per rule.

Each guard is given the facts (dates, the calendar, counts) and returns quietly or raises
:class:`RuleViolation` with the Chinese message and the article of 《中华人民共和国行政许可法》
it enforces. No database, no clock (the services pass ``on``). Periods are those of
``zhifa.law.licensing`` (working days, 第八十二条).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from zhifa.core.exceptions import RuleViolation
from zhifa.law import licensing as law
from zhifa.law.periods import Calendar

A = law.article


def _d(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def missing_materials_listed(*, missing: Sequence[str]) -> None:
    """补正 tells every missing material at once (一次告知, 第三十二条第一款第四项)."""
    if not [m for m in missing if m.strip()]:
        raise RuleViolation(
            "须一次告知申请人需要补正的全部内容，请逐项列出缺少或不符合要求的材料",
            article=A("三十二"),
            field="missing",
        )


def correction_once(*, already_notified: bool) -> None:
    """The missing materials are told once: a second 补正 notice is refused (第三十二条)."""
    if already_notified:
        raise RuleViolation(
            "补正材料应当一次告知，本申请已告知过补正内容，不能再次要求补正",
            article=A("三十二"),
        )


def correction_in_time(*, received_on: date, on: date, calendar: Calendar) -> None:
    """补正 is told within 5 working days of receipt; later, the application is accepted as of
    the day it was received (第三十二条第一款第四项)."""
    last = law.completeness_notice_deadline(received_on, calendar)
    if on > last:
        raise RuleViolation(
            f"告知补正的期限已于{_d(last)}届满（收到申请材料之日起5个工作日内），"
            f"逾期不告知的，自收到申请材料之日即{_d(received_on)}起即为受理",
            article=A("三十二"),
            field="on",
        )


def materials_complete(*, missing: Sequence[str], completed_on: date | None) -> None:
    """An application told to complete its materials is accepted once they are all in."""
    if missing and completed_on is None:
        raise RuleViolation(
            f"申请人尚未补正全部材料（{'、'.join(missing)}），补齐后方可受理",
            article=A("三十二"),
            field="completed_on",
        )


def reason_given(*, reason: str, what: str, article_number: str) -> None:
    """不予受理 and 不予许可 state their reasons (第三十二条、第三十八条第二款)."""
    if not reason.strip():
        raise RuleViolation(f"{what}须说明理由", article=A(article_number), field="reason")


def verification_done(*, required: bool, verifications: int) -> None:
    """Where the substance of the materials must be verified on site, two officers verify
    before the decision (第三十四条第三款)."""
    if required and verifications == 0:
        raise RuleViolation(
            "本申请须对申请材料的实质内容进行核实，尚未由两名以上工作人员进行核查",
            article=A("三十四"),
        )


def hearing_told_first(*, told_on: date | None) -> None:
    """A hearing request follows the notice of the right to one (第四十七条)."""
    if told_on is None:
        raise RuleViolation("尚未告知申请人享有要求听证的权利", article=A("四十七"))


def hearing_request_in_time(*, told_on: date, on: date, calendar: Calendar) -> None:
    """The applicant asks within 5 working days of being told (第四十七条第一款)."""
    last = law.hearing_request_deadline(told_on, calendar)
    if on > last:
        raise RuleViolation(
            f"申请听证的期限已于{_d(last)}届满（被告知听证权利之日起5个工作日内）",
            article=A("四十七"),
            field="on",
        )


def hearing_notice_in_time(*, notified_on: date, hearing_on: date, calendar: Calendar) -> None:
    """The hearing is announced at least 7 working days before it is held (第四十八条)."""
    if not law.hearing_notice_in_time(notified_on, hearing_on, calendar):
        raise RuleViolation(
            f"应当于举行听证的七日前将举行听证的时间、地点通知申请人、利害关系人"
            f"（{_d(notified_on)}通知，{_d(hearing_on)}举行不足七个工作日）",
            article=A("四十八"),
            field="hearing_on",
        )


def hearing_within_twenty_days(*, requested_on: date, hearing_on: date, calendar: Calendar) -> None:
    """The hearing is organised within 20 working days of the request (第四十七条第一款)."""
    last = law.hearing_held_deadline(requested_on, calendar)
    if hearing_on > last:
        raise RuleViolation(
            f"应当在收到听证申请之日起二十个工作日内组织听证（至{_d(last)}）",
            article=A("四十七"),
            field="hearing_on",
        )


def hearing_held_where_due(*, required: bool, requested: bool, held: bool) -> None:
    """No decision before the hearing the law, the agency or the applicant's request calls for
    (第四十六、四十七条)."""
    if (required or requested) and not held:
        article = A("四十七") if requested else A("四十六")
        raise RuleViolation("本申请应当举行听证，听证尚未举行，不能作出决定", article=article)


def no_pause_running(*, running: int) -> None:
    """A decision is made once the excluded period (hearing, testing …) has ended (第四十五条)."""
    if running:
        raise RuleViolation(
            "尚有听证、检验、检测、鉴定或专家评审等程序未结束，请先登记其结束日期",
            article=A("四十五"),
        )


def pause_dates(*, started_on: date, ended_on: date) -> None:
    if ended_on < started_on:
        raise RuleViolation("结束日期不能早于开始日期", article=A("四十五"), field="on")


def extension_once_in_time(*, extended: bool, on: date, deadline_on: date | None) -> None:
    """The head extends the 20 working days once, by 10, before they run out (第四十二条)."""
    if extended:
        raise RuleViolation(
            "作出行政许可决定的期限只能经本机关负责人批准延长一次（十日）",
            article=A("四十二"),
        )
    if deadline_on is not None and on > deadline_on:
        raise RuleViolation(
            f"作出决定的期限已于{_d(deadline_on)}届满，不能再批准延长",
            article=A("四十二"),
            field="on",
        )


def validity_given(*, valid_from: date | None, valid_until: date | None) -> None:
    """A licence granted states its validity (第三十九条)."""
    if valid_from is None or valid_until is None or valid_until < valid_from:
        raise RuleViolation(
            "准予行政许可须写明有效期限（起止日期，截止日期不得早于起始日期）",
            article=A("三十九"),
            field="valid_until",
        )


def licence_valid(*, state: str, label: str) -> None:
    """Only a valid licence can be changed, renewed, withdrawn, revoked or cancelled."""
    if state != "valid":
        raise RuleViolation(f"该许可证件{label}，不能再办理", article=A("七十"))


def renewal_in_time(*, applied_on: date, expires_on: date) -> None:
    """延续 is applied for 30 days before the expiry (第五十条第一款)."""
    if not law.renewal_application_in_time(applied_on, expires_on):
        last = law.renewal_application_deadline(expires_on)
        raise RuleViolation(
            f"应当在有效期届满三十日前（{_d(last)}前）提出延续申请，"
            f"有效期至{_d(expires_on)}，已逾期",
            article=A("五十"),
            field="on",
        )


def renewal_decided_before_expiry(*, on: date, expires_on: date) -> None:
    """The agency decides before the expiry; afterwards the renewal is deemed granted
    (第五十条第二款), so a later refusal is refused."""
    if on > expires_on:
        raise RuleViolation(
            f"有效期已于{_d(expires_on)}届满，逾期未作决定的，视为准予延续",
            article=A("五十"),
            field="on",
        )
