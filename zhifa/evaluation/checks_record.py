"""The record checks (案卷评查 items the record can answer), one pure function per check.

Each reads one case's :class:`case_facts.CaseFacts` (gathered once per file) and returns a
``record_checks.Finding``: passed, failed — how many times, with the record entries and
documents that prove it — or ``None`` with the reason when the check does not apply to the case
(e.g. 简易程序, no hearing right) or the record cannot tell. A finding only proposes: it pre-fills
the item's mark and the reviewer accepts it or overrides it with a reason.

No Django queries and no clock here: the facts carry every row and every day counted on the
statutory calendar; the day of the evaluation is ``facts.on``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from zhifa.cases.guards import POWER_LIST_RULE, not_heavier_than_notified, within_limitation
from zhifa.cases.models import Case, CaseDocument, CaseStep
from zhifa.core.exceptions import RuleViolation
from zhifa.core.time_limits import TimeLimit, register_time_limits
from zhifa.law import penalty

from .case_facts import ARCHIVE_LIMIT, CaseFacts, EntryFact, StepFact
from .record_checks import Check, Evidence, Finding, register_check

ART = penalty.article
K = Case.Kind
S = Case.State
D = CaseDocument.Kind
HEAD = "head"  # registry Account.Role.HEAD

# The period within which a closed case's file is archived. 《行政处罚法》第四十七条 wants the
# whole-process record archived but names no period; the provinces' 案卷管理 rules do, so it is a
# setting (core.time_limits row, replaced in ZHIFA_TIME_LIMITS with the local rule).
ROWS = [
    TimeLimit(
        ARCHIVE_LIMIT,
        "结案后立卷归档",
        30,
        "days",
        f"{ART('四十七')}（全过程记录归档）；期限按本地行政执法案卷管理规定设置",
    )
]

# The documents a complete file holds (案卷完整), per kind of case and ending.
REQUIRED_PENALISED = (
    D.REGISTER_APPROVAL,
    D.PENALTY_NOTICE,
    D.PENALTY_DECISION,
    D.SERVICE_RECEIPT,
    D.CLOSE_APPROVAL,
)
REQUIRED_NOT_PENALISED = (D.REGISTER_APPROVAL, D.NO_PENALTY_DECISION, D.CLOSE_APPROVAL)
REQUIRED_SIMPLE = (D.SIMPLE_DECISION,)


def _d(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


def _yuan(amount: Decimal | None) -> str:
    return f"{(amount or Decimal(0)).normalize():f}元"


def _entry(entry: EntryFact | None, label: str) -> list[Evidence]:
    return [Evidence(label=label, seq=entry.seq)] if entry is not None else []


def _docs(f: CaseFacts, label: str, *kinds: str) -> list[Evidence]:
    """The latest version of each document of ``kinds``."""
    latest: dict[tuple[str, int | None], Evidence] = {}
    for doc in f.documents_of(*kinds):
        number = f" {doc.number}" if doc.number else ""
        latest[(doc.kind, doc.step_id)] = Evidence(
            label=f"{label}：{doc.title}{number}（第{doc.version}版）",
            seq=doc.entry_seq,
            document_id=doc.id,
        )
    return list(latest.values())


def _skip(code: str, message: str, evidence: list[Evidence] | None = None) -> Finding:
    return Finding(code, None, message, 0, tuple(evidence or ()))


def _result(
    code: str, problems: list[str], ok: str, evidence: list[Evidence], occurrences: int = 0
) -> Finding:
    if problems:
        return Finding(
            code, False, "；".join(problems), occurrences or len(problems), tuple(evidence)
        )
    return Finding(code, True, ok, 0, tuple(evidence))


def _general(f: CaseFacts) -> bool:
    return f.case.kind == K.PENALTY_GENERAL


def _penalty(f: CaseFacts) -> bool:
    return f.case.kind in (K.PENALTY_GENERAL, K.PENALTY_SIMPLE)


def _decide_entry(f: CaseFacts) -> EntryFact | None:
    return f.last_entry("case.decide", "case.not_penalise", "case.simple_decide")


def _penalised(f: CaseFacts) -> bool:
    return f.case.decided_on is not None and bool(f.case.penalty_kinds) and not f.case.end_ground


# -- 《行政处罚法》第四十二条: two officers with valid certificates at every investigation step --


def two_certified_officers(f: CaseFacts) -> Finding:
    code = "two_certified_officers"
    steps: list[StepFact] = f.steps_of(*CaseStep.TWO_OFFICER_KINDS)
    if f.case.kind == K.PENALTY_SIMPLE and f.case.decided_on is not None:
        entry = f.first_entry("case.simple_decide")
        steps = [
            StepFact(
                0,
                "simple_decide",
                "当场处罚",
                f.case.decided_on,
                entry.seq if entry else None,
                f.assigned,
                0,
            )
        ]
    if not steps:
        return _skip(code, "案卷中没有须由两名以上执法人员实施的调查取证、检查步骤")
    domain = f.case.domain.code
    problems: list[str] = []
    evidence: list[Evidence] = []
    failed = 0
    for step in steps:
        certified = [
            o
            for o in step.officer_ids
            if any(
                c.officer_id == o
                and domain in c.domain_codes
                and any(a <= step.on <= b for a, b in c.valid)
                for c in f.certificates
            )
        ]
        names = "、".join(f.officers.get(o, str(o)) for o in step.officer_ids) or "未记录"
        where = f"{step.label}（{_d(step.on)}）"
        if len(certified) >= 2:
            evidence.append(Evidence(f"{where}：{names}均持有效执法证", seq=step.entry_seq))
            continue
        failed += 1
        lacking = [f.officers.get(o, str(o)) for o in step.officer_ids if o not in certified]
        if len(step.officer_ids) < 2:
            why = f"执法人员仅{len(step.officer_ids)}人（{names}）"
        else:
            why = f"{'、'.join(lacking)}在当日没有覆盖“{f.case.domain.name}”领域的有效执法证"
        problems.append(f"{where}{why}")
        evidence.append(Evidence(f"{where}：{why}", seq=step.entry_seq))
    return _result(
        code,
        problems,
        f"{len(steps)}个步骤均由两名以上持有效执法证的执法人员实施",
        evidence,
        failed,
    )


# -- 职权法定: the power on the agency's published list on the day ---------------------------


def power_published(f: CaseFacts) -> Finding:
    code = "power_published"
    item = f.case.power_item
    days = [
        ("立案", f.case.registered_on, f.first_entry("case.register")),
        ("作出决定", f.case.decided_on, _decide_entry(f)),
    ]
    days = [(what, day, entry) for what, day, entry in days if day is not None]
    if not days:
        return _skip(code, "案件尚未立案或作出决定")
    problems: list[str] = []
    evidence: list[Evidence] = []
    for what, day, entry in days:
        assert day is not None
        listed = [v for v in f.power_versions if v.published_on and v.published_on <= day]
        if listed:
            v = max(listed, key=lambda x: x.published_on or day)
            evidence += _entry(
                entry,
                f"{what}（{_d(day)}）时，事项{item.code}“{item.name}”在本机关权责清单内"
                f"（第{v.version}版，{_d(v.published_on)}发布）",
            )
        else:
            problems.append(
                f"{what}（{_d(day)}）时事项{item.code}“{item.name}”尚未在本机关权责清单中发布"
            )
            evidence += _entry(entry, f"{what}（{_d(day)}）：事项{item.code}未在清单内")
    return _result(
        code, problems, f"事项{item.code}“{item.name}”在办案时已列入本机关公布的权责清单", evidence
    )


# -- 立案: the head's approval, the 立案 period and the limitation (第三十六条, 第五十四条) ------


def registration_approved_in_time(f: CaseFacts) -> Finding:
    code = "registration_approved_in_time"
    if not _general(f):
        return _skip(code, f"{f.case.get_kind_display()}不经立案程序")
    registered = f.case.registered_on
    if registered is None:
        return _skip(code, f"案件未立案（{f.case.get_state_display()}）")
    entry = f.first_entry("case.register")
    problems: list[str] = []
    evidence = _entry(
        entry, f"立案（{_d(registered)}），批准人：{entry.actor_name if entry else '—'}"
    )
    evidence += _docs(f, "立案审批表", D.REGISTER_APPROVAL)
    if entry is None or entry.role != HEAD:
        problems.append("立案未见机关负责人批准（第五十四条）")
    if f.register_due is not None and registered > f.register_due:
        problems.append(
            f"线索登记于{_d(f.case.clue_on)}，{_d(registered)}立案，超过立案期限"
            f"（{_d(f.register_due)}届满；{f.register_period_text}）"
        )
    try:
        within_limitation(act_ended_on=f.case.act_ended_on, on=registered, serious=f.case.serious)
    except RuleViolation as exc:
        problems.append(f"{exc.message}（{exc.article}）")
    return _result(
        code,
        problems,
        f"{_d(registered)}经机关负责人批准立案，在立案期限（{_d(f.register_due)}）和追责时效内",
        evidence,
    )


# -- 第六十条: the decision within 90 days of 立案, or the approved extension -------------------


def decision_within_limit(f: CaseFacts) -> Finding:
    code = "decision_within_limit"
    if not _general(f):
        return _skip(code, "简易程序当场作出决定，不适用第六十条的办案期限")
    decided = f.case.decided_on
    if decided is None or f.case.registered_on is None:
        return _skip(code, "案件尚未作出决定")
    deadline_on = f.case.decision_deadline
    extensions = [x for x in f.extensions if x.kind == "decision"]
    evidence = _entry(_decide_entry(f), f"作出决定（{_d(decided)}）")
    # Each extension is recorded by one case.decision_extend entry, in the same order.
    extend_entries: list[EntryFact | None] = [
        e for e in f.entries if e.action == "case.decision_extend"
    ]
    extend_entries += [None] * (len(extensions) - len(extend_entries))
    for x, e in zip(extensions, extend_entries, strict=False):
        label = f"经批准延长办案期限（{_d(x.approved_on)}批准，延至{_d(x.new_deadline)}）"
        evidence += _entry(e, label) or [Evidence(label)]
    problems: list[str] = []
    if deadline_on is not None and decided > deadline_on:
        what = "经批准延长后的期限" if extensions else "自立案之日起九十日的期限"
        problems.append(f"{_d(decided)}作出决定，超过{what}（{_d(deadline_on)}）")
    for x in extensions:
        if x.previous_deadline is not None and x.approved_on > x.previous_deadline:
            problems.append(f"延长期限于原期限（{_d(x.previous_deadline)}）届满后才批准")
    ok = (
        f"{_d(decided)}作出决定，在经批准延长的期限（{_d(deadline_on)}）内"
        if extensions
        else f"{_d(decided)}作出决定，在自立案之日起九十日内（{_d(deadline_on)}）"
    )
    return _result(code, problems, ok, evidence)


# -- 事先告知 (第四十四、四十五、六十三、六十四条) --------------------------------------------


def prior_notice(f: CaseFacts) -> Finding:
    code = "prior_notice"
    if f.case.kind == K.PENALTY_SIMPLE:
        return _skip(code, "简易程序当场告知并听取陈述申辩（第五十二条），案卷不另作事先告知")
    if not _general(f):
        return _skip(code, f"{f.case.get_kind_display()}不适用行政处罚事先告知")
    decided = f.case.decided_on
    if decided is None:
        return _skip(code, "案件尚未作出决定")
    if f.case.end_ground:
        return _skip(code, "不予行政处罚，无须事先告知拟作出的行政处罚")
    c = f.case
    notice = f.first_entry("case.notify")
    evidence = _entry(notice, f"事先告知（{_d(c.notified_on)}）{c.notice_number}")
    evidence += _docs(f, "告知文书", D.PENALTY_NOTICE, D.HEARING_RIGHT_NOTICE)
    evidence += _entry(_decide_entry(f), f"作出决定（{_d(decided)}）")
    problems: list[str] = []
    if c.notified_on is None:
        problems.append(
            "作出行政处罚决定前未事先告知拟作出的处罚内容及事实、理由、依据和权利（第四十四条）"
        )
        return _result(code, problems, "", evidence)
    if c.notified_on >= decided:
        problems.append(f"事先告知（{_d(c.notified_on)}）不在作出决定（{_d(decided)}）之前")
    if f.hearing_right_due and not c.hearing_right:
        problems.append("决定的处罚依第六十三条应告知听证权利，未见告知")
    said = bool(f.steps_of(CaseStep.Kind.STATEMENT)) or c.hearing_on is not None
    evidence += [
        Evidence(f"{s.label}（{_d(s.on)}）", seq=s.entry_seq)
        for s in f.steps_of(CaseStep.Kind.STATEMENT, CaseStep.Kind.HEARING_RECORD)
    ]
    last = max(
        (d for d in (c.statement_deadline, c.hearing_request_deadline) if d is not None),
        default=None,
    )
    if not said and last is not None and decided <= last:
        problems.append(
            f"当事人陈述、申辩或要求听证的期限至{_d(last)}届满，未记录陈述申辩即于{_d(decided)}"
            "作出决定（第四十五条、第六十四条）"
        )
    if (
        c.hearing_requested_on is not None
        and c.hearing_request_deadline is not None
        and c.hearing_requested_on > c.hearing_request_deadline
    ):
        problems.append(f"听证申请（{_d(c.hearing_requested_on)}）超过告知后五个工作日")
    if f.hearing_notice_ok is False:
        problems.append(
            f"听证通知（{_d(c.hearing_notice_on)}）距听证（{_d(c.hearing_on)}）不足七个工作日（第六十四条）"
        )
    right = "并告知听证权利" if c.hearing_right else "（依第六十三条不属听证范围）"
    return _result(
        code,
        problems,
        f"{_d(c.notified_on)}事先告知{right}，陈述申辩和听证期限得到保障",
        evidence,
    )


# -- 第四十五条第二款、第六十二条: no heavier penalty than notified ------------------------------


def no_heavier_than_notified(f: CaseFacts) -> Finding:
    code = "no_heavier_than_notified"
    c = f.case
    if not _general(f):
        return _skip(code, "简易程序不适用")
    if not _penalised(f):
        return _skip(code, "案件未作出行政处罚决定")
    if c.notified_on is None:
        return _skip(code, "未事先告知（见事先告知项）")
    evidence = _entry(
        f.first_entry("case.notify"),
        f"告知拟罚款{_yuan(c.notified_fine)}",
    ) + _entry(_decide_entry(f), f"决定罚款{_yuan(c.fine)}")
    try:
        not_heavier_than_notified(
            notified_kinds=c.notified_penalty_kinds,
            notified_fine=c.notified_fine,
            notified_confiscation=c.notified_confiscation,
            kinds=c.penalty_kinds,
            fine=c.fine,
            confiscation=c.confiscation,
        )
    except RuleViolation as exc:
        return _result(code, [exc.message], "", evidence)
    return _result(code, [], "决定的处罚种类和数额未超出事先告知的范围", evidence)


# -- 第五十八条: legal review before a major decision ------------------------------------------


def legal_review_before_major(f: CaseFacts) -> Finding:
    code = "legal_review_before_major"
    decided = f.case.decided_on
    if not _general(f):
        return _skip(code, "简易程序不适用法制审核")
    if decided is None:
        return _skip(code, "案件尚未作出决定")
    before = [a for a in f.assessments if a.on <= decided]
    latest = before[-1] if before else None
    if latest is None or not latest.major:
        return _skip(
            code,
            "依法制审核目录不属于重大执法决定，无须法制审核",
            [Evidence("重大执法决定认定：否", seq=latest.entry_seq)] if latest else [],
        )
    why = "；".join(r for r in latest.reasons if r) or "法制审核目录"
    evidence = [Evidence(f"认定为重大执法决定（{why}）", seq=latest.entry_seq)]
    concluded = [r for r in f.rounds if r.concluded_on is not None and r.concluded_on <= decided]
    for r in concluded:
        evidence.append(
            Evidence(
                f"第{r.round}轮法制审核意见：{r.outcome_label or '—'}（{_d(r.concluded_on)}）",
                seq=r.opinion_entry_seq or r.entry_seq,
            )
        )
    evidence += _docs(f, "法制审核意见书", D.REVIEW_OPINION)
    evidence += _entry(_decide_entry(f), f"作出决定（{_d(decided)}）")
    if not concluded:
        return _result(code, ["重大执法决定作出前未经法制审核"], "", evidence)
    if not concluded[-1].accepted:
        return _result(
            code,
            [
                f"作出决定前最后一轮法制审核意见为“{concluded[-1].outcome_label}”，"
                "未见审核通过，也未见机关负责人决定采纳承办机构意见"
            ],
            "",
            evidence,
        )
    last = concluded[-1]
    how = "同意" if last.agreed else "意见分歧经机关负责人决定采纳承办机构意见"
    return _result(code, [], f"重大执法决定作出前经法制审核（第{last.round}轮，{how}）", evidence)


# -- 第五十七条第二款: collective discussion where required -------------------------------------


def collective_discussion(f: CaseFacts) -> Finding:
    code = "collective_discussion"
    c = f.case
    if not _general(f):
        return _skip(code, "简易程序不适用")
    if c.decided_on is None:
        return _skip(code, "案件尚未作出决定")
    if not c.complex_or_grave:
        return _skip(code, "案件未认定为情节复杂或重大违法行为，无须集体讨论")
    evidence = _entry(_decide_entry(f), f"作出决定（{_d(c.decided_on)}）")
    if c.collective_discussion:
        return _result(code, [], "情节复杂或重大违法行为经机关负责人集体讨论决定", evidence)
    return _result(code, ["情节复杂或重大违法行为的处罚未经机关负责人集体讨论决定"], "", evidence)


# -- 第六十一条: the decision served within its period, the receipt present --------------------


def service_in_time(f: CaseFacts) -> Finding:
    code = "service_in_time"
    c = f.case
    if not _penalty(f):
        return _skip(code, f"{c.get_kind_display()}不适用行政处罚决定书送达")
    if c.decided_on is None:
        return _skip(code, "案件尚未作出决定")
    services = f.steps_of(CaseStep.Kind.SERVICE)
    due = c.service_deadline if c.kind == K.PENALTY_GENERAL else c.decided_on
    if c.served_on is None or not services:
        if due is not None and f.on > due:
            return _result(
                code,
                [f"决定书应于{_d(due)}前送达，至{_d(f.on)}未见送达记录"],
                "",
                _entry(_decide_entry(f), f"作出决定（{_d(c.decided_on)}）"),
            )
        return _skip(code, f"送达期限（{_d(due)}）未届满，尚未送达")
    step = services[-1]
    receipts = [d for d in f.documents_of(D.SERVICE_RECEIPT) if d.step_id in (None, step.id)]
    evidence = [
        Evidence(f"送达（{_d(step.on)}，{c.get_service_method_display()}）", seq=step.entry_seq)
    ]
    evidence += _docs(f, "送达回证", D.SERVICE_RECEIPT)
    problems: list[str] = []
    if c.service_late or (due is not None and c.served_on > due):
        problems.append(f"决定书于{_d(c.served_on)}送达，超过送达期限（{_d(due)}，第六十一条）")
    if c.kind == K.PENALTY_GENERAL and not receipts and step.files == 0:
        problems.append("未见送达回证（未生成送达回证，送达记录也未附回执）")
    return _result(
        code,
        problems,
        f"决定书于{_d(c.served_on)}送达，在送达期限（{_d(due)}）内，送达回证在卷",
        evidence,
    )


# -- 执行: payment or enforcement recorded (第六十六条、第七十二条) ----------------------------


def execution_recorded(f: CaseFacts) -> Finding:
    code = "execution_recorded"
    c = f.case
    if not _penalised(f):
        return _skip(code, "案件未作出行政处罚决定")
    fine, gains = c.fine or Decimal(0), c.confiscation or Decimal(0)
    if fine <= 0 and gains <= 0:
        return _skip(code, "决定无罚款或没收违法所得，无须缴款执行")
    payments = f.steps_of(CaseStep.Kind.PAYMENT)
    evidence = [
        Evidence(f"缴款（{_d(s.on)}）{s.data.get('amount', '')}", seq=s.entry_seq) for s in payments
    ]
    court = f.steps_of(CaseStep.Kind.COURT_APPLICATION)
    evidence += [Evidence(f"申请人民法院强制执行（{_d(s.on)}）", seq=s.entry_seq) for s in court]
    if c.paid_amount >= fine and c.paid_confiscation >= gains:
        return _result(code, [], f"罚没款已缴清（罚款{_yuan(c.paid_amount)}）", evidence)
    if c.court_applied_on is not None:
        return _result(code, [], f"{_d(c.court_applied_on)}已申请人民法院强制执行", evidence)
    owed = (
        f"尚欠罚款{_yuan(fine - c.paid_amount)}" if c.paid_amount < fine else "没收违法所得未缴清"
    )
    if c.closed_on is not None:
        return _result(
            code, [f"结案时{owed}，未见申请人民法院强制执行（第七十二条）"], "", evidence
        )
    due = c.payment_due_on
    if due is None:
        return _skip(code, "决定书尚未送达，缴款期限未起算", evidence)
    return _skip(code, f"缴款期限{_d(due)}，{owed}；案件尚在执行阶段", evidence)


# -- 归档: the file complete and archived within its period -----------------------------------


def archived_in_time(f: CaseFacts) -> Finding:
    code = "archived_in_time"
    c = f.case
    if c.closed_on is None:
        return _skip(code, f"案件尚未结案（{c.get_state_display()}）")
    if c.kind == K.PENALTY_SIMPLE:
        required: tuple[str, ...] = REQUIRED_SIMPLE
    elif c.kind == K.PENALTY_GENERAL and c.end_ground:
        required = REQUIRED_NOT_PENALISED
    elif c.kind == K.PENALTY_GENERAL and c.decided_on is not None:
        required = REQUIRED_PENALISED
    else:
        required = ()
    present = {d.kind for d in f.documents}
    missing = [D(k).label for k in required if k not in present]
    evidence = _entry(f.first_entry("case.close"), f"结案（{_d(c.closed_on)}）")
    evidence += _entry(f.first_entry("case.archive"), f"归档（{_d(c.archived_on)}）")
    problems: list[str] = []
    if missing:
        problems.append(f"案卷缺少{'、'.join(missing)}")
    due = f.archive_due
    if c.archived_on is not None and due is not None and c.archived_on > due:
        problems.append(
            f"{_d(c.archived_on)}归档，超过归档期限（{_d(due)}；{f.archive_limit_text}）"
        )
    if c.archived_on is None:
        if due is not None and f.on > due:
            problems.append(
                f"归档期限{_d(due)}已届满，至{_d(f.on)}尚未归档（{f.archive_limit_text}）"
            )
        elif not problems:
            return _skip(code, f"归档期限（{_d(due)}）未届满，尚未归档", evidence)
    occurrences = len(missing) + (len(problems) - (1 if missing else 0))
    return _result(
        code,
        problems,
        f"案卷文书齐全，{_d(c.archived_on)}归档，在归档期限（{_d(due)}）内",
        evidence,
        occurrences,
    )


# -- 行政执法公示: the publication's due day (第四十八条) --------------------------------------


def publication_on_time(f: CaseFacts) -> Finding:
    code = "publication_on_time"
    c = f.case
    if c.decided_on is None:
        return _skip(code, "案件尚未作出决定")
    p = f.publication
    if p is None:
        return _skip(code, "未见该决定的公示记录（本部署不公示此类决定，或决定在平台外作出）")
    entry = f.last_entry(*[e.action for e in f.entries if e.action.startswith("publicity.")])
    evidence = _entry(entry, f"公示：{p.state_label}（公示期限{_d(p.due_on)}）")
    if p.state == "held":
        return _result(code, [], f"依法不予公开（{p.hold_reason}），理由在卷", evidence)
    if p.state == "draft":
        if f.on > p.due_on:
            return _result(
                code, [f"公示期限{_d(p.due_on)}已届满，至{_d(f.on)}尚未公开"], "", evidence
            )
        return _skip(code, f"公示期限（{_d(p.due_on)}）未届满，尚未公开", evidence)
    if p.on_time is False or (p.published_on is not None and p.published_on > p.due_on):
        return _result(
            code, [f"{_d(p.published_on)}公开，超过公示期限（{_d(p.due_on)}）"], "", evidence
        )
    return _result(code, [], f"{_d(p.published_on)}公开，在公示期限（{_d(p.due_on)}）内", evidence)


# -- 音像记录: audio/video uploaded in time (国办发〔2018〕118号) --------------------------------


def media_uploaded_in_time(f: CaseFacts) -> Finding:
    code = "media_uploaded_in_time"
    if not f.uploads:
        return _skip(code, "案卷中没有音视频记录")
    late = [u for u in f.uploads if u.late]
    evidence = [
        Evidence(
            f"{u.name}：录制结束{u.ended_at:%Y-%m-%d %H:%M}，上传{u.uploaded_at:%Y-%m-%d %H:%M}"
            if u.ended_at
            else f"{u.name}",
            seq=u.entry_seq,
        )
        for u in (late or f.uploads)
    ]
    if late:
        return _result(
            code,
            [f"{len(late)}个音视频记录在录制结束后超过规定时限上传"],
            "",
            evidence,
            len(late),
        )
    return _result(code, [], f"{len(f.uploads)}个音视频记录均按时上传", evidence)


# -- 调阅: the readings of the file (informational) -------------------------------------------


def file_reads_logged(f: CaseFacts) -> Finding:
    code = "file_reads_logged"
    evidence = [Evidence(f"调阅（{_d(e.on)}）：{e.actor_name}", seq=e.seq) for e in f.reads[-50:]]
    if not f.reads:
        return _skip(code, "案卷无调阅记录（仅供参考，不预评分）")
    return _skip(
        code, f"调阅记录{len(f.reads)}条，均记入全过程记录（仅供参考，不预评分）", evidence
    )


CHECK_LIST: list[tuple[str, str, str, Callable[[CaseFacts], Finding]]] = [
    (
        "two_certified_officers",
        "执法人员不少于两人且持有覆盖该领域的有效执法证",
        f"{ART('四十二')}、第五十五条",
        two_certified_officers,
    ),
    ("power_published", "执法事项在本机关公布的权责清单内", POWER_LIST_RULE, power_published),
    (
        "registration_approved_in_time",
        "经机关负责人批准立案，在立案期限和追责时效内",
        f"{ART('三十六')}、第五十四条；立案期限依部门规定",
        registration_approved_in_time,
    ),
    (
        "decision_within_limit",
        "在法定期限内作出处罚决定（或经批准延长）",
        ART("六十"),
        decision_within_limit,
    ),
    (
        "prior_notice",
        "决定前事先告知，依法告知听证权利，保障陈述申辩和听证期限",
        f"{ART('四十四')}、第四十五条、第六十三条、第六十四条",
        prior_notice,
    ),
    (
        "no_heavier_than_notified",
        "决定未重于事先告知的处罚",
        f"{ART('四十五')}第二款、第六十二条",
        no_heavier_than_notified,
    ),
    (
        "legal_review_before_major",
        "重大执法决定作出前经法制审核",
        ART("五十八"),
        legal_review_before_major,
    ),
    (
        "collective_discussion",
        "情节复杂或重大违法行为经集体讨论决定",
        f"{ART('五十七')}第二款",
        collective_discussion,
    ),
    (
        "service_in_time",
        "决定书在期限内送达，送达回证在卷",
        ART("六十一"),
        service_in_time,
    ),
    (
        "execution_recorded",
        "罚没款缴纳或强制执行有记录",
        f"{ART('六十六')}、第七十二条",
        execution_recorded,
    ),
    (
        "archived_in_time",
        "案卷完整并在期限内归档",
        f"{ART('四十七')}；归档期限依本地案卷管理规定",
        archived_in_time,
    ),
    (
        "publication_on_time",
        "行政执法决定在期限内公示",
        f"{ART('四十八')}；《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度"
        "重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）",
        publication_on_time,
    ),
    (
        "media_uploaded_in_time",
        "音像记录按时上传",
        f"{ART('四十七')}；国办发〔2018〕118号",
        media_uploaded_in_time,
    ),
    (
        "file_reads_logged",
        "案卷调阅记录（参考）",
        "《行政执法监督条例》第二十二条；国办发〔2018〕118号",
        file_reads_logged,
    ),
]

CHECK_CODES = tuple(code for code, *_ in CHECK_LIST)
CHECK_FUNCTIONS: dict[str, Callable[[CaseFacts], Finding]] = {c: fn for c, _, _, fn in CHECK_LIST}


def _run(fn: Callable[[CaseFacts], Finding]) -> Callable[[object], Finding]:
    def run(facts: object) -> Finding:
        assert isinstance(facts, CaseFacts)
        return fn(facts)

    run.__name__ = fn.__name__
    return run


_REGISTERED: dict[str, Check] = {}


def register_checks() -> None:
    """Register every check with ``record_checks`` and the archive period with
    ``core.time_limits`` (called from ``apps.ready``; idempotent)."""
    register_time_limits(ROWS)
    for code, label, source, fn in CHECK_LIST:
        check = _REGISTERED.get(code) or Check(code, label, source, _run(fn))
        _REGISTERED[code] = check
        register_check(check)
