"""The statutory rules a case step must satisfy, one pure function per rule.

Each guard is given the facts (dates, amounts, names, the calendar) and either returns quietly
or raises :class:`RuleViolation` with a Chinese message and the article it enforces. The names
are those used as preconditions in ``transitions.py``. No database access, no clock: the
services read the facts and pass them in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from zhifa.core.exceptions import RuleViolation
from zhifa.law import coercion, penalty
from zhifa.law.periods import Calendar, deadline, deadline_at
from zhifa.record.upload_limits import is_audio_video
from zhifa.registry.eligibility import Eligibility

ART_PENALTY = penalty.article
ART_COERCION = coercion.article
RECORDING_RULE = "国办发〔2018〕118号"
POWER_LIST_RULE = "职权法定：清单之外无权力"


def _d(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _yuan(amount: Decimal | None) -> str:
    return f"{(amount or Decimal(0)):,.2f}元"


# -- who acts -----------------------------------------------


def actor_is_head(*, role: str, actor_agency_id: int | None, agency_id: int) -> None:
    """Approvals (立案, 决定, 延期, 结案 …) are given by the head of the case's agency."""
    if role != "head" or actor_agency_id != agency_id:
        raise RuleViolation(
            "该事项须经本机关负责人批准", article=f"{ART_PENALTY('五十七')}、{ART_COERCION('十八')}"
        )


def actor_is_officer(*, role: str, actor_agency_id: int | None, agency_id: int) -> None:
    """Case steps are taken by officers (or the head) of the case's agency."""
    if role not in ("officer", "head") or actor_agency_id != agency_id:
        raise RuleViolation("只有本机关的执法人员可以办理该案件", article=ART_PENALTY("四十二"))


def not_archived(*, state: str) -> None:
    """An archived case is read-only: every change is refused."""
    if state == "archived":
        raise RuleViolation(
            "案件已归档，案卷只读，不能再作任何修改",
            article=f"{ART_PENALTY('四十七')}；{RECORDING_RULE}",
        )


# -- 立案 -----------------------------------------------------


def power_on_list(
    *, code: str, published: bool, category_label: str, category_ok: bool = True
) -> None:
    """The power must be a published item of the agency's own power list, of the right kind."""
    if not published:
        raise RuleViolation(
            f"事项{code}不在本机关已发布的权责清单中，不能据此办案", article=POWER_LIST_RULE
        )
    if not category_ok:
        raise RuleViolation(
            f"事项{code}不是“{category_label}”类事项，不能据此办理该类案件",
            article=POWER_LIST_RULE,
        )


def within_limitation(*, act_ended_on: date | None, on: date, serious: bool) -> None:
    """第三十六条: 2 years (5 where life, health or financial safety is harmed) from the act."""
    if act_ended_on is None:
        raise RuleViolation(
            "立案须登记违法行为发生（或连续、继续状态终了）的日期", article=ART_PENALTY("三十六")
        )
    if act_ended_on > on:
        raise RuleViolation("违法行为发生日期不能晚于立案日期", article=ART_PENALTY("三十六"))
    if penalty.limitation_expired(act_ended_on, on, serious=serious):
        years = 5 if serious else 2
        last = penalty.limitation_deadline(act_ended_on, serious=serious)
        raise RuleViolation(
            f"违法行为自{_d(act_ended_on)}起已超过{years}年未被发现（追责时效至{_d(last)}），"
            "不再给予行政处罚",
            article=ART_PENALTY("三十六"),
        )


# -- two officers -------------------------------------------


def two_officers_may_act(
    *,
    on: date,
    answers: Sequence[tuple[str, Eligibility]],
    outsiders: Sequence[str] = (),
    article: str = f"{ART_PENALTY('四十二')}、第五十五条",
) -> None:
    """At least two officers, each holding a certificate valid on ``on`` for the domain.

    ``answers`` are (name, officer_may_act(...)) for each named officer; ``outsiders`` the names
    of officers who are not of the case's agency. The refusal lists every officer's reasons.
    """
    problems: list[str] = [f"{name}不是本机关的执法人员" for name in outsiders]
    for name, answer in answers:
        if not answer.allowed:
            problems.append(f"{name}：{'；'.join(answer.reasons)}")
    if len(answers) + len(outsiders) < 2:
        problems.insert(0, "执法人员不得少于两人")
    if problems:
        raise RuleViolation(f"{_d(on)}的执法人员不符合要求：{'；'.join(problems)}", article=article)


def officer_may_be_assigned(*, name: str, answer: Eligibility, on: date) -> None:
    """An officer named to handle a case (承办人员, at its opening or later) holds a certificate
    valid on the day for the case's domain: one who could take no step of it (第四十二条) is
    refused as the investigation refuses them, with the reasons."""
    if not answer.allowed:
        raise RuleViolation(
            f"{name}不能承办本案（{_d(on)}）：{'；'.join(answer.reasons)}",
            article=ART_PENALTY("四十二"),
            field="officer",
        )


def officers_may_register(*, on: date, answers: Sequence[tuple[str, Eligibility]]) -> None:
    """立案 hands the case to its officers: at least two of them hold a certificate valid on
    the day (第四十二条). The refusal names every assigned officer who may not act and why;
    with two who may, the others are the workspace's warning, not a refusal (the case is
    handled by those two)."""
    valid = [name for name, answer in answers if answer.allowed]
    if len(valid) >= 2:
        return
    problems = [f"{name}：{'；'.join(a.reasons)}" for name, a in answers if not a.allowed]
    count = f"本案持有效执法证的承办人员只有{len(valid)}人，执法人员不得少于两人"
    raise RuleViolation(
        f"{_d(on)}不能立案：{count}" + (f"（{'；'.join(problems)}）" if problems else ""),
        article=ART_PENALTY("四十二"),
    )


# -- investigation and notice -------------------------------


def has_investigation_record(*, records: int) -> None:
    if records < 1:
        raise RuleViolation(
            "尚无调查取证记录（笔录或证据），不能提交案件审核", article=ART_PENALTY("五十四")
        )


def has_party(*, parties: int) -> None:
    if parties < 1:
        raise RuleViolation(
            "案件尚未登记当事人，无法告知", article=f"{ART_PENALTY('四十四')}、第五十九条"
        )


def notice_complete(
    *, facts: str, reasons: str, basis: str, penalty_kinds: Sequence[str], fine: Decimal | None
) -> None:
    """第四十四条: the notice states facts, reasons, basis, the intended penalty and rights."""
    missing = [
        label
        for label, value in (("违法事实", facts), ("理由", reasons), ("依据", basis))
        if not value.strip()
    ]
    if not penalty_kinds:
        missing.append("拟作出的行政处罚种类")
    if "fine" in penalty_kinds and (fine is None or fine <= 0):
        missing.append("拟罚款金额")
    if missing:
        raise RuleViolation(
            f"事先告知内容不全：缺少{'、'.join(missing)}", article=ART_PENALTY("四十四")
        )


def hearing_right_told(*, hearing_right: bool) -> None:
    if not hearing_right:
        raise RuleViolation(
            "拟作出的处罚不属于应当告知听证权利的情形，当事人可以陈述申辩",
            article=ART_PENALTY("六十三"),
        )


def hearing_request_in_time(*, notified_on: date, on: date, calendar: Calendar) -> None:
    """第六十四条: the party asks for a hearing within 5 working days of the notice."""
    last = deadline(penalty.HEARING_REQUEST, notified_on, calendar)
    if on > last:
        raise RuleViolation(
            f"当事人应当在告知后五个工作日内（{_d(last)}前）要求听证，{_d(on)}提出已逾期",
            article=penalty.HEARING_REQUEST.article,
        )


def hearing_notice_in_time(*, notice_on: date, hearing_on: date, calendar: Calendar) -> None:
    """第六十四条: the party is told of the hearing at least 7 working days before it."""
    if not penalty.hearing_notice_in_time(notice_on, hearing_on, calendar):
        raise RuleViolation(
            f"听证通知（{_d(notice_on)}）与听证日期（{_d(hearing_on)}）之间不足七个工作日",
            article=penalty.HEARING_NOTICE.article,
        )


def presider_not_investigator(*, presider_name: str, is_investigator: bool) -> None:
    """第六十四条第四项: the hearing is presided by someone who did not investigate the case."""
    if is_investigator:
        raise RuleViolation(
            f"{presider_name}是本案调查人员，不能主持听证", article=f"{ART_PENALTY('六十四')}第四项"
        )


def rights_period_elapsed(*, on: date, deadline_on: date | None) -> None:
    """No decision while the party may still state, defend or ask for a hearing, unless a
    statement (or waiver) was recorded (第四十五、六十四条)."""
    if deadline_on is not None and on <= deadline_on:
        raise RuleViolation(
            f"当事人陈述、申辩或要求听证的期限至{_d(deadline_on)}届满，"
            "在此之前未记录陈述申辩或放弃的，不得作出决定",
            article=f"{ART_PENALTY('四十五')}、第六十四条",
        )


# -- decision -----------------------------------------------


def decision_in_time(*, on: date, deadline_on: date | None, extended: bool) -> None:
    """第六十条: decide within 90 days of 立案, unless an approved extension moved the date."""
    if deadline_on is not None and on > deadline_on:
        what = "经批准延长后的期限" if extended else "自立案之日起九十日的期限"
        raise RuleViolation(
            f"已超过{what}（{_d(deadline_on)}），不能作出处罚决定；须先经批准延长期限",
            article=ART_PENALTY("六十"),
        )


def decision_extension_allowed(*, previous: int, collective_discussion: bool) -> None:
    """Market regulation: one 30-day extension by the head; any further one by collective
    discussion of the heads (市场监督管理行政处罚程序规定第六十四条, under 第六十条)."""
    if previous >= 1 and not collective_discussion:
        raise RuleViolation(
            "再次延长办案期限须经机关负责人集体讨论决定", article=ART_PENALTY("六十")
        )


def not_heavier_than_notified(
    *,
    notified_kinds: Iterable[str],
    notified_fine: Decimal | None,
    notified_confiscation: Decimal | None,
    kinds: Iterable[str],
    fine: Decimal | None,
    confiscation: Decimal | None,
) -> None:
    """第六十二条 (with 第四十四条) and 第四十五条第二款: no penalty kind and no amount beyond
    what the party was told."""
    new_kinds = sorted(set(kinds) - set(notified_kinds))
    if new_kinds:
        labels = "、".join(penalty.PenaltyKind(k).label for k in new_kinds)
        raise RuleViolation(
            f"决定的处罚种类（{labels}）未经事先告知，不得作出", article=ART_PENALTY("六十二")
        )
    # What was not notified may not be decided (第六十二条, with 第四十四条); and a statement or
    # defence may not make the penalty heavier (第四十五条第二款): a heavier amount falls under
    # both, so both are cited, each for its own sentence.
    heavier = f"{ART_PENALTY('六十二')}、第四十五条第二款"
    if (fine or 0) > (notified_fine or 0):
        raise RuleViolation(
            f"决定罚款{_yuan(fine)}高于事先告知的{_yuan(notified_fine)}：加重的部分未经事先告知，"
            "不得作出（第六十二条）；不得因当事人陈述、申辩而给予更重的处罚（第四十五条第二款）",
            article=heavier,
        )
    if (confiscation or 0) > (notified_confiscation or 0):
        raise RuleViolation(
            f"决定没收{_yuan(confiscation)}高于事先告知的{_yuan(notified_confiscation)}："
            "加重的部分未经事先告知，不得作出（第六十二条）；不得因当事人陈述、申辩而给予更重的"
            "处罚（第四十五条第二款）",
            article=heavier,
        )


def collective_discussion_held(*, complex_or_grave: bool, discussed: bool) -> None:
    """第五十七条第二款: complex or grave cases are decided by the heads collectively."""
    if complex_or_grave and not discussed:
        raise RuleViolation(
            "情节复杂或者重大违法行为给予行政处罚，须经机关负责人集体讨论决定",
            article=f"{ART_PENALTY('五十七')}第二款",
        )


def simple_procedure(
    *, party_kinds: Sequence[str], penalty_kind: str, fine: Decimal | None
) -> None:
    """第五十一条: on the spot only a warning or a fine up to 200 元 (citizen) / 3,000 元."""
    if not party_kinds:
        raise RuleViolation("当场处罚须登记当事人", article=ART_PENALTY("五十二"))
    for kind in party_kinds:
        verdict = penalty.simple_procedure_allowed(
            penalty.PartyKind(kind), penalty.PenaltyKind(penalty_kind), fine or Decimal(0)
        )
        if not verdict.ok:
            field = "fine" if penalty_kind == penalty.PenaltyKind.FINE else "penalty_kind"
            raise RuleViolation(verdict.reason, article=verdict.article, field=field)


def simple_decision_placed(*, place: str, on: date, at: datetime | None, now: datetime) -> None:
    """第五十二条: the on-the-spot decision states the time and the place (执法地点) of the
    penalty; the moment, when given, is on the decision's day and not in the future."""
    if not place.strip():
        raise RuleViolation(
            "当场作出行政处罚决定须写明执法地点", article=ART_PENALTY("五十二"), field="place"
        )
    if at is None:
        return
    local = at.astimezone(coercion.LOCAL_TIME)
    if local.date() != on:
        raise RuleViolation(
            f"处罚时间{local:%Y-%m-%d %H:%M}不在处罚日期{_d(on)}当天",
            article=ART_PENALTY("五十二"),
            field="at",
        )
    if at > now + timedelta(minutes=5):  # a device's clock running a few minutes fast
        raise RuleViolation(
            f"处罚时间{local:%Y-%m-%d %H:%M}晚于当前时间：当场处罚在作出后如实记录",
            article=ART_PENALTY("五十二"),
            field="at",
        )


# -- service and execution ----------------------------------


def electronic_service_consented(*, method: str, consent: bool) -> None:
    """第六十一条第二款: electronic service only with the party's signed consent."""
    if method == "electronic" and not consent:
        raise RuleViolation(
            "当事人未签订确认书同意电子送达，不得采用电子送达",
            article=f"{ART_PENALTY('六十一')}第二款",
        )


def served_on_the_spot(*, decided_on: date, served_on: date) -> None:
    """第五十二条: an on-the-spot decision is handed to the party there and then."""
    if served_on != decided_on:
        raise RuleViolation(
            "当场作出的行政处罚决定书应当当场交付当事人", article=ART_PENALTY("五十二")
        )


def service_in_time(*, decided_on: date, served_on: date, calendar: Calendar) -> bool:
    """第六十一条: within 7 working days of the decision. Late service is allowed, but flagged."""
    return served_on <= deadline(penalty.SERVICE, decided_on, calendar)


def execution_complete(*, owed: Sequence[tuple[str, Decimal]], court_applied: bool) -> None:
    """Every amount is paid in full (罚款, 没收违法所得, any 第七十二条 surcharge), or the court
    was applied to. ``owed``: (label, outstanding) of each amount."""
    unpaid = [(label, amount) for label, amount in owed if amount > 0]
    if unpaid and not court_applied:
        listed = "、".join(f"{label}尚欠{_yuan(amount)}" for label, amount in unpaid)
        raise RuleViolation(
            f"{listed}，尚未执行完毕，不能结案；未缴的应当催缴，或者依法申请人民法院强制执行",
            article=f"{ART_PENALTY('六十七')}、第七十二条",
        )


def payment_not_over(*, label: str, outstanding: Decimal, amount: Decimal) -> None:
    """A payment is recorded against one amount and never exceeds what is outstanding of it:
    the decision fixes the amount (第五十九条), the party pays it (第六十七条)."""
    art = f"{ART_PENALTY('五十九')}、第六十七条"
    if outstanding <= 0:
        raise RuleViolation(f"{label}已全部缴清，无需再登记缴款", article=art, field="item")
    if amount > outstanding:
        raise RuleViolation(
            f"缴款{_yuan(amount)}超过{label}尚欠的{_yuan(outstanding)}：请按尚欠金额登记；"
            "多缴的部分不属于本案应缴款项，不予登记",
            article=art,
            field="amount",
        )


def on_the_spot_collection(
    *,
    simple_procedure: bool,
    item: str,
    fine: Decimal | None,
    ground: str,
    receipt: str,
) -> str:
    """当场收缴 only where 第六十八、六十九条 allow it, only of a fine, always with the finance
    department's 专用票据 (第七十条). Returns the ground as recorded."""
    if item != "fine":
        raise RuleViolation(
            "当场收缴只适用于罚款；没收违法所得和加处罚款应当到指定的银行或者通过电子支付系统缴纳",
            article=f"{ART_PENALTY('六十七')}、第六十八条",
            field="channel",
        )
    try:
        chosen = penalty.OnTheSpotGround(ground) if ground else None
    except ValueError:
        raise RuleViolation(f"当场收缴的情形“{ground}”无效", field="ground") from None
    verdict = penalty.on_the_spot_collection_allowed(
        simple_procedure=simple_procedure, fine=fine or Decimal(0), ground=chosen
    )
    if not verdict.ok:
        raise RuleViolation(verdict.reason, article=verdict.article, field="channel")
    if not receipt.strip():
        raise RuleViolation(
            "当场收缴罚款的，应当向当事人出具国务院财政部门或者省级财政部门统一制发的专用票据，"
            "须登记票据号码",
            article=ART_PENALTY("七十"),
            field="receipt",
        )
    return verdict.reason


def court_application_timely(
    *, on: date, outstanding: Decimal, first_day: date, last_day: date
) -> None:
    """申请人民法院强制执行 only when something is still unpaid, once the periods to apply for
    复议 (60 days) and to sue (6 months) after service have passed, and within three months of
    their end (《行政强制法》第五十三条)."""
    art = ART_COERCION("五十三")
    if outstanding <= 0:
        raise RuleViolation(
            "罚款等款项已全部缴清，当事人已履行，无需申请人民法院强制执行", article=art
        )
    if on < first_day:
        raise RuleViolation(
            f"当事人申请行政复议（六十日，《行政复议法》第二十条）或者提起行政诉讼（六个月，"
            f"《行政诉讼法》第四十六条）的期限至{_d(first_day - timedelta(days=1))}届满；"
            f"期限届满仍不履行的，自{_d(first_day)}起三个月内（至{_d(last_day)}）"
            "可以申请人民法院强制执行",
            article=art,
        )
    if on > last_day:
        raise RuleViolation(
            f"申请人民法院强制执行的期限（复议、诉讼期限届满之日起三个月）已于{_d(last_day)}届满",
            article=art,
        )


def penalty_amounts_stated(
    *,
    kinds: Sequence[str],
    fine: Decimal | None,
    gains: Decimal | None,
    property_description: str,
    property_value: Decimal | None,
) -> None:
    """Each chosen kind has its amount (罚款, 没收违法所得 above 0; 没收非法财物 described)."""
    problems = penalty.penalty_amounts_problems(
        kinds,
        fine=fine,
        gains=gains,
        property_description=property_description,
        property_value=property_value,
    )
    if problems:
        first = problems[0]
        raise RuleViolation(
            "；".join(p.message for p in problems), article=first.article, field=first.field
        )


def detention_by_public_security(*, kinds: Sequence[str], allowed: bool) -> None:
    """第十八条第三款: 行政拘留 (restriction of personal freedom) only by the public security
    organs and the organs a law names."""
    if penalty.PenaltyKind.DETENTION in kinds and not allowed:
        raise RuleViolation(
            "限制人身自由的行政处罚权只能由公安机关和法律规定的其他机关行使，本机关不能作出行政拘留",
            article=penalty.DETENTION_ARTICLE,
            field="penalty_kinds",
        )


# -- inspection ---------------------------------------------


def rectification_ordered(*, outcome: str) -> None:
    if outcome != "rectify":
        raise RuleViolation("检查未发现问题，无需复查", article=ART_PENALTY("二十八"))


def inspection_complete(*, outcome: str) -> None:
    if outcome == "rectify":
        raise RuleViolation("已责令整改，须复查后才能结案", article=ART_PENALTY("二十八"))


def inspection_not_carried_out(*, governed: bool, ended_before_visit: bool) -> None:
    """An inspection closes before its 现场检查 only when the head refused or withdrew it (the
    inspections app governs enterprise inspections and registers the step gate that asks)."""
    if not governed or not ended_before_visit:
        raise RuleViolation(
            "尚未实施现场检查的检查，只有经负责人不予批准或取消后才能结案",
            article="国办发〔2024〕54号（五）",
        )


# -- seizure ------------------------------------------------


def audio_video_recorded(*, media_types: Iterable[str]) -> None:
    """查封、扣押 must be recorded in full on audio/video (执法全过程记录)."""
    if not any(is_audio_video(t) for t in media_types):
        raise RuleViolation(
            "查封、扣押须全程音像记录：未附音频或视频记录，不能完成该步骤", article=RECORDING_RULE
        )


def enforcement_time_allowed(
    *, at: datetime, calendar: Calendar, urgent: bool, urgent_reason: str
) -> None:
    """第四十三条: not at night (22:00–06:00) or on a statutory rest day, unless urgent."""
    if not coercion.is_night_or_holiday_enforcement_forbidden(at, calendar):
        return
    if urgent and urgent_reason.strip():
        return
    local = at.astimezone(coercion.LOCAL_TIME)
    raise RuleViolation(
        f"{local:%Y-%m-%d %H:%M}属于夜间或法定节假日，除情况紧急（须写明理由）外不得实施",
        article=ART_COERCION("四十三"),
    )


def on_site_record_signed(*, party_signed: bool, witness_name: str) -> None:
    """第十八条第（六）（七）项: 现场笔录 signed by the party, or by a witness when the party is
    absent or refuses."""
    if not party_signed and not witness_name.strip():
        raise RuleViolation(
            "现场笔录须由当事人签名；当事人不到场或拒绝签名的，须由见证人签名",
            article=ART_COERCION("十八"),
        )


def emergency_report_in_time(*, seized_at: datetime, at: datetime) -> None:
    """第十九条: after an emergency seizure, report to the head and get approval within 24 h."""
    last = deadline_at(coercion.EMERGENCY_REPORT, seized_at)
    if at > last:
        local = last.astimezone(coercion.LOCAL_TIME)
        raise RuleViolation(
            f"当场实施后应在二十四小时内（{local:%Y-%m-%d %H:%M}前）"
            "向机关负责人报告并补办批准手续，已逾期，应当立即解除",
            article=ART_COERCION("十九"),
        )
    if at < seized_at:
        raise RuleViolation("补办批准的时间不能早于实施时间", article=ART_COERCION("十九"))


def seizure_within_period(*, on: date, deadline_on: date | None) -> None:
    """The extension is approved while the measure is still running (第二十五条)."""
    if deadline_on is not None and on > deadline_on:
        raise RuleViolation(
            f"查封、扣押期限已于{_d(deadline_on)}届满，不能再延长", article=ART_COERCION("二十五")
        )


def seizure_extension_once(*, extended: bool) -> None:
    """第二十五条: the 30-day period may be extended once, by at most 30 days."""
    if extended:
        raise RuleViolation("查封、扣押期限只能延长一次", article=ART_COERCION("二十五"))


# -- 不予处罚 (第三十三条): the lists, the party's history, the education -----------------------

FIRST_VIOLATION_GROUNDS = ("first_violation",)
# Grounds under which the party did break the law and is not punished: the party is educated
# (第三十三条第三款). Facts not established is no violation; no one is educated for it.
EDUCATION_GROUNDS = ("minor_corrected", "first_violation", "no_fault", "under_age")


def first_violation_clear(*, found: Sequence[str], source: str) -> None:
    """首违不罚 needs a first violation: no similar violation within the look-back (SAMR:
    "两年内无同类违法记录"). ``found``: the earlier violations as the officer may see them
    (number, date, agency — never the other agency's file)."""
    if found:
        raise RuleViolation(
            f"当事人不属于初次违法，不能适用首违不罚：{'；'.join(found)}",
            article=f"{ART_PENALTY('三十三')}第一款；{source}",
            field="ground",
        )


def credit_check_confirmed(*, confirmed: bool) -> None:
    """The deployment sees only its own cases: a 首违 also needs the officer's recorded
    confirmation that the 国家企业信用信息公示系统 shows no similar violation."""
    if not confirmed:
        raise RuleViolation(
            "适用首违不罚前，须登记国家企业信用信息公示系统的查询结果（查询人、时间、所见内容），"
            "确认当事人无同类违法记录",
            article=f"{ART_PENALTY('三十三')}第一款",
            field="ground",
        )


def list_item_fits(*, kind: str, ground: str, applies: bool, label: str) -> None:
    """A list entry cited for 不予处罚 is a 首违不罚 or 轻微不罚 entry in force for the case's
    power item, and of the ground's kind."""
    expected = {"first_violation": "first_violation", "minor_corrected": "no_penalty"}.get(ground)
    if not applies or kind != expected:
        raise RuleViolation(
            f"所选清单事项“{label}”不适用于本案或与不予处罚理由不符",
            article=f"{ART_PENALTY('三十三')}第一款",
            field="list_item",
        )


def list_conditions_met(*, missing: Sequence[str]) -> None:
    """Every condition of the cited list entry is found (ticked) in the case."""
    if missing:
        raise RuleViolation(
            f"适用清单事项须具备全部适用条件，尚未确认：{'；'.join(missing)}",
            article=f"{ART_PENALTY('三十三')}第一款",
            field="conditions",
        )


def outside_list_reasoned(*, reason: str) -> None:
    """不予处罚 outside the lists is lawful (a local list does not limit 第三十三条) but
    states its reason."""
    if not reason.strip():
        raise RuleViolation(
            "未引用清单事项的，须写明不予处罚的具体理由（清单之外依法不予处罚）",
            article=ART_PENALTY("三十三"),
            field="reason",
        )


def education_given(*, ground: str, educated: bool) -> None:
    """第三十三条第三款: "对依法不予行政处罚的，行政机关应当对当事人进行教育" — recorded
    before the case is closed."""
    if ground in EDUCATION_GROUNDS and not educated:
        raise RuleViolation(
            "不予行政处罚的，须先登记对当事人的教育（告知内容、时间、方式），方可结案",
            article=f"{ART_PENALTY('三十三')}第三款",
        )
