"""Writes of the outcomes part: what follows once the files of a campaign have standing
results (《广东省行政执法案卷评查办法》第十二条第（四）至（八）项), the consequences of failed
files (第二十五条) and the accountability register (责任追究).

Same contract as ``services.py``: one transaction, keyword-only ``actor=`` and ``on=``, a
:class:`RuleViolation` naming its rule when refused (nothing written), one record entry
carrying the rows written (``recording.record_rows``); documents are stored as evidence and
carried by the entry that made them. Nothing is overwritten: a 复评 or an upheld objection is a
:class:`Recheck` that keeps the earlier result beside the new one.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import QuerySet

from zhifa.core.exceptions import RuleViolation
from zhifa.core.time_limits import time_limit
from zhifa.registry.models import Account, Agency, Officer

from . import documents_outcomes as docs
from . import objections as rules
from . import scoring
from . import selectors_outcomes as sel
from . import time_limits as tl
from .models import Accountability, Campaign, File, Objection, Recheck, Report
from .recording import record_rows

ACTION_LABELS = {
    "evaluation.campaign.report_team": "制作评查小组报告",
    "evaluation.file.recheck": "复评不合格案卷",
    "evaluation.campaign.feedback": "反馈评查结果",
    "evaluation.objection.file": "对评查结果提出异议",
    "evaluation.objection.answer": "复核并答复评查异议",
    "evaluation.campaign.close": "制作评查总体报告和通报",
    "evaluation.report.publish_propose": "提出公开评查结果",
    "evaluation.file.matter_open": "就不合格案卷登记监督事项",
    "evaluation.accountability.record": "登记责任追究",
}

GD = "《广东省行政执法案卷评查办法》"
TEAM_ARTICLE = f"{GD}第十二条第（四）项、第十三条"
FEEDBACK_ARTICLE = f"{GD}第十二条第（六）项"
CLOSE_ARTICLE = f"{GD}第十二条第（八）项"
PUBLISH_ARTICLE = f"{GD}第十八条；《行政执法监督条例》第三十一条"
MATTER_ARTICLE = "《行政执法监督条例》第十八条、第二十条"
ACCOUNTABILITY_ARTICLE = "国办发〔2005〕37号四；《行政执法监督条例》第三十二条"
SHANGHAI = ZoneInfo("Asia/Shanghai")
PUBLISHABLE = (Report.Kind.OVERALL, Report.Kind.NOTICE)

S = Campaign.State


def _at(on: date) -> datetime:
    return datetime.combine(on, time(9), tzinfo=SHANGHAI)


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _manager(actor: Account, campaign: Campaign, article: str) -> None:
    if not sel.manages_campaign(actor, campaign):
        raise RuleViolation("只有评查主体的行政执法监督人员可以办理此事项", article=article)


def _state(campaign: Campaign, allowed: tuple[str, ...], what: str, article: str) -> None:
    if campaign.state not in allowed:
        raise RuleViolation(
            f"评查活动处于“{campaign.get_state_display()}”阶段，不能{what}", article=article
        )


def _number(campaign: Campaign, on: date) -> str:
    """评查〔year〕n号 of the body: one sequence a year over all its campaigns' documents."""
    body = campaign.body
    prefix = f"{body.name}评查〔{on.year}〕"
    n = Report.objects.filter(campaign__body=body, number__startswith=prefix).count() + 1
    while Report.objects.filter(number=f"{prefix}{n}号").exists():
        n += 1
    return f"{prefix}{n}号"


def _report(
    *,
    actor: Account,
    campaign: Campaign,
    kind: str,
    values: dict[str, Any],
    on: date,
    agency: Agency | None = None,
    objection: Objection | None = None,
) -> Report:
    number = _number(campaign, on)
    title = docs.report_title(kind)
    text, pdf, docx = docs.render(
        kind=kind,
        values=values,
        title=title,
        number=number,
        issuer=campaign.body.name,
        issued_on=on,
        at=_at(on),
        reference=f"evaluation campaign {campaign.pk} {kind}",
    )
    return Report.objects.create(
        campaign=campaign,
        kind=kind,
        agency=agency,
        objection=objection,
        number=number,
        issued_on=on,
        issued_by=actor,
        text=text,
        pdf=pdf,
        docx=docx,
    )


def _notify(recipients: QuerySet[Account], title: str, url: str, key: str) -> None:
    from zhifa.notifications.services import notification_send

    notification_send(recipients=recipients, kind="evaluation", title=title, url=url, key=key)


# -- 第十二条（四）（五）: the team report and the 复评 of failed files ----------------------------


@transaction.atomic
def campaign_report_team(
    *, actor: Account, campaign: Campaign, on: date, suggestions: str = ""
) -> Report:
    """The team report (小组报告, 第十三条: objects, reviewers, number, names and numbers of the
    files, grades, main problems from the deductions and their reasons, suggestions) as PDF and
    DOCX; the campaign moves to 小组报告. Refused unless every file has a standing result.
    Recorded as ``evaluation.campaign.report_team`` with the report and the campaign."""
    campaign = _locked(campaign)
    _manager(actor, campaign, TEAM_ARTICLE)
    _state(campaign, (S.SCORING,), "制作小组报告", TEAM_ARTICLE)
    files = sel.campaign_files(campaign)
    if not files.exists():
        raise RuleViolation("评查活动还没有案卷", article=TEAM_ARTICLE)
    open_ = files.exclude(state=File.State.SCORED).count()
    if open_:
        raise RuleViolation(f"还有{open_}件案卷未评定等次，不能制作小组报告", article=TEAM_ARTICLE)
    report = _report(
        actor=actor,
        campaign=campaign,
        kind=Report.Kind.TEAM,
        values=docs.team_values(campaign, suggestions),
        on=on,
    )
    campaign.state = S.REPORTED
    campaign.save(update_fields=["state"])
    record_rows(
        actor,
        "evaluation.campaign.report_team",
        [report, campaign],
        files=[report.pdf.ref, report.docx.ref],  # type: ignore[union-attr]
        on=on,
    )
    return report


def _recheck(
    *,
    actor: Account,
    file: File,
    kind: str,
    marks: dict[str, Any],
    reasons: str,
    on: date,
    article: str,
) -> Recheck:
    if not reasons.strip():
        raise RuleViolation("请写明复评理由", article=article, field="reasons")
    spec = sel.spec_of(file)
    try:
        result = scoring.score(spec, marks)
    except scoring.MarkError as exc:
        raise RuleViolation(exc.message, article=article, field="marks") from exc
    recheck = Recheck.objects.create(
        file=file,
        kind=kind,
        old_total=file.total,
        old_grade=file.grade,
        old_vetoed=file.vetoed,
        old_result=file.result or {},
        new_total=result.total,
        new_grade=result.grade,
        new_vetoed=result.vetoed,
        marks=marks,
        reasons=reasons.strip(),
        by=actor,
        on=on,
    )
    file.total, file.grade, file.vetoed = result.total, result.grade, result.vetoed
    file.result = {
        "marks": marks,
        "total": str(result.total),
        "grade": result.grade,
        "vetoed_by": list(result.vetoed_by),
        "recheck": recheck.pk,
    }
    file.result_basis = f"recheck:{kind}"
    file.result_reason = reasons.strip()
    file.result_by = actor
    file.state = File.State.SCORED
    file.save(
        update_fields=[
            "total",
            "grade",
            "vetoed",
            "result",
            "result_basis",
            "result_reason",
            "result_by",
            "state",
        ]
    )
    return recheck


@transaction.atomic
def file_recheck_failed(
    *, actor: Account, file: File, marks: dict[str, Any], reasons: str, on: date
) -> Recheck:
    """复评 of a failed file after the team report (第十二条第（五）项): a new result scored on
    the file's template from ``marks`` with the reasons; the original is kept on the re-check.
    Recorded as ``evaluation.file.recheck`` with the re-check and the file."""
    file = File.objects.select_for_update().select_related("campaign", "template").get(pk=file.pk)
    _manager(actor, file.campaign, rules.RECHECK_ARTICLE)
    _state(file.campaign, (S.REPORTED,), "复评案卷", rules.RECHECK_ARTICLE)
    rules.recheck_allowed(grade=file.grade, failing_grade=sel.spec_of(file).failing_grade)
    recheck = _recheck(
        actor=actor,
        file=file,
        kind=Recheck.Kind.FAILED,
        marks=marks,
        reasons=reasons,
        on=on,
        article=rules.RECHECK_ARTICLE,
    )
    record_rows(actor, "evaluation.file.recheck", [recheck, file], on=on)
    return recheck


# -- 第十二条（六）（七）: feedback, objections and their re-check ------------------------------


@transaction.atomic
def campaign_feedback(*, actor: Account, campaign: Campaign, on: date) -> list[Report]:
    """Feed the results back (第十二条第（六）项): one letter per evaluated agency with its files,
    scores, deductions and reasons and the objection limit with its source; the campaign moves
    to 反馈异议 and each agency's head is notified. The objection limit runs from ``on``.
    Recorded as ``evaluation.campaign.feedback`` with the letters and the campaign."""
    campaign = _locked(campaign)
    _manager(actor, campaign, FEEDBACK_ARTICLE)
    _state(campaign, (S.REPORTED,), "反馈评查结果", FEEDBACK_ARTICLE)
    if sel.campaign_files(campaign).exclude(state=File.State.SCORED).exists():
        raise RuleViolation("还有案卷正在复评，复评完成后再反馈", article=FEEDBACK_ARTICLE)
    limit = time_limit(tl.OBJECTION_FILE)
    last_day = sel.window(tl.OBJECTION_FILE, on, on).last_day
    by_agency: dict[int, list[File]] = {}
    for f in sel.campaign_files(campaign):
        by_agency.setdefault(f.agency_id, []).append(f)
    letters = [
        _report(
            actor=actor,
            campaign=campaign,
            kind=Report.Kind.FEEDBACK,
            values=docs.feedback_values(campaign, files, limit.text, last_day),
            on=on,
            agency=files[0].agency,
        )
        for files in by_agency.values()
    ]
    campaign.state = S.FEEDBACK
    campaign.save(update_fields=["state"])
    record_rows(
        actor,
        "evaluation.campaign.feedback",
        [*letters, campaign],
        files=[ref for r in letters for ref in (r.pdf.ref, r.docx.ref)],  # type: ignore[union-attr]
        on=on,
        objection_last_day=last_day,
    )
    for letter in letters:
        assert letter.agency is not None
        _notify(
            Account.objects.filter(role=Account.Role.HEAD, agency=letter.agency, is_active=True),
            f"案卷评查结果反馈：{campaign.name}",
            "/evaluation/agency/",
            f"evaluation:feedback:{letter.pk}",
        )
    return letters


@transaction.atomic
def objection_file(*, actor: Account, file: File, reasons: str, on: date) -> Objection:
    """The evaluated agency's head objects to a file's result within the limit counted from the
    feedback (第十二条第（七）项; the last day allowed, the day after refused). One objection per
    file; the file goes to 复核 and the body's supervisors are notified. Recorded as
    ``evaluation.objection.file`` with the objection and the file."""
    file = File.objects.select_for_update().select_related("campaign").get(pk=file.pk)
    limit = time_limit(tl.OBJECTION_FILE)
    if not (
        actor.is_active and actor.role == Account.Role.HEAD and actor.agency_id == file.agency_id
    ):
        raise RuleViolation("只有被评查机关的负责人可以对评查结果提出异议", article=limit.source)
    _state(file.campaign, (S.FEEDBACK,), "提出异议", limit.source)
    feedback = sel.feedback_of(file)
    fed_back_on = feedback.issued_on if feedback is not None else None
    last_day = sel.window(tl.OBJECTION_FILE, fed_back_on or on, on).last_day
    rules.objection_in_time(
        filed_on=on, fed_back_on=fed_back_on, last_day=last_day, source=limit.source
    )
    if Objection.objects.filter(file=file).exists():
        raise RuleViolation("已对该案卷的评查结果提出过异议", article=limit.source)
    if not reasons.strip():
        raise RuleViolation("请写明异议理由", article=limit.source, field="reasons")
    objection = Objection.objects.create(
        file=file,
        filed_by=actor,
        filed_on=on,
        reasons=reasons.strip(),
        due_on=sel.window(tl.RECHECK_ANSWER, on, on).last_day,
    )
    file.state = File.State.RECHECKING
    file.save(update_fields=["state"])
    record_rows(actor, "evaluation.objection.file", [objection, file], on=on)
    _notify(
        Account.objects.filter(
            role=Account.Role.SUPERVISOR, agency_id=file.campaign.body_id, is_active=True
        ),
        f"评查异议待复核：{file.agency.name}",
        f"/evaluation/campaigns/{file.campaign_id}/outcomes/",
        f"evaluation:objection:{objection.pk}",
    )
    return objection


@transaction.atomic
def objection_answer(
    *,
    actor: Account,
    objection: Objection,
    upheld: bool,
    answer: str,
    on: date,
    marks: dict[str, Any] | None = None,
) -> Objection:
    """The re-check answers an objection (第十二条第（七）项): upheld with a new result scored from
    ``marks`` (the old one kept on the :class:`Recheck`), or rejected with the reasons; the
    answer letter is generated and the agency's head notified. An answer after the limit is
    still given and shows as late. Recorded as ``evaluation.objection.answer``."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    file = (
        File.objects.select_for_update()
        .select_related("campaign", "template")
        .get(pk=objection.file_id)
    )
    limit = time_limit(tl.RECHECK_ANSWER)
    _manager(actor, file.campaign, limit.source)
    if objection.outcome != Objection.Outcome.PENDING:
        raise RuleViolation("该异议已经答复", article=limit.source)
    if not answer.strip():
        raise RuleViolation("请写明复核意见", article=limit.source, field="answer")
    recheck: Recheck | None = None
    if upheld:
        if not marks:
            raise RuleViolation(
                "异议成立的，请给出复核后的评分", article=limit.source, field="marks"
            )
        recheck = _recheck(
            actor=actor,
            file=file,
            kind=Recheck.Kind.OBJECTION,
            marks=marks,
            reasons=answer,
            on=on,
            article=limit.source,
        )
    else:
        file.state = File.State.SCORED
        file.save(update_fields=["state"])
    objection.outcome = Objection.Outcome.UPHELD if upheld else Objection.Outcome.REJECTED
    objection.answer = answer.strip()
    objection.answered_by = actor
    objection.answered_on = on
    objection.recheck = recheck
    objection.save()
    letter = _report(
        actor=actor,
        campaign=file.campaign,
        kind=Report.Kind.ANSWER,
        values=docs.answer_values(objection, recheck),
        on=on,
        agency=file.agency,
        objection=objection,
    )
    rows: list[Any] = [objection, file, letter] + ([recheck] if recheck else [])
    record_rows(
        actor,
        "evaluation.objection.answer",
        rows,
        files=[letter.pdf.ref, letter.docx.ref],  # type: ignore[union-attr]
        on=on,
        late=rules.answer_late(answered_on=on, last_day=objection.due_on),
    )
    _notify(
        Account.objects.filter(role=Account.Role.HEAD, agency=file.agency, is_active=True),
        f"评查异议复核答复：{letter.number}",
        "/evaluation/agency/",
        f"evaluation:answer:{objection.pk}",
    )
    return objection


# -- 第十二条（八）: the overall report and the 通报, and their publication ------------------------


@transaction.atomic
def campaign_close(
    *, actor: Account, campaign: Campaign, on: date, suggestions: str = "", publish: bool = False
) -> tuple[Report, Report]:
    """The overall report (总体报告) and the 通报 (第十二条第（八）项, 第二十五条) as PDF and DOCX;
    the campaign closes. Refused while an objection waits for its re-check or while the
    objection limit still runs. ``publish``: the 通报 goes to the body's publisher's redaction
    review at once. Recorded as ``evaluation.campaign.close``."""
    campaign = _locked(campaign)
    _manager(actor, campaign, CLOSE_ARTICLE)
    _state(campaign, (S.FEEDBACK,), "制作总体报告", CLOSE_ARTICLE)
    if sel.objections_of_campaign(campaign).filter(outcome=Objection.Outcome.PENDING).exists():
        raise RuleViolation("还有异议未复核答复", article=rules.OBJECTION_ARTICLE)
    letters = Report.objects.filter(campaign=campaign, kind=Report.Kind.FEEDBACK)
    for letter in letters:
        w = sel.window(tl.OBJECTION_FILE, letter.issued_on, on)
        if on <= w.last_day:
            raise RuleViolation(
                f"提出异议的期限至{w.last_day.isoformat()}届满，届满后再制作总体报告",
                article=w.limit.source,
            )
    values = docs.closing_values(campaign, suggestions)
    overall = _report(
        actor=actor, campaign=campaign, kind=Report.Kind.OVERALL, values=values, on=on
    )
    notice = _report(actor=actor, campaign=campaign, kind=Report.Kind.NOTICE, values=values, on=on)
    campaign.state = S.CLOSED
    campaign.save(update_fields=["state"])
    record_rows(
        actor,
        "evaluation.campaign.close",
        [overall, notice, campaign],
        files=[r.ref for d in (overall, notice) for r in (d.pdf, d.docx) if r is not None],
        on=on,
    )
    if publish:
        _publication_propose(actor, notice, on)
    return overall, notice


def publication_ref(report: Report) -> str:
    return f"evaluation.report:{report.pk}"


def _publication_propose(actor: Account, report: Report, on: date) -> Any:
    from zhifa.publicity.services import publication_draft_result

    campaign = report.campaign
    cases = sorted(set(File.objects.filter(campaign=campaign).values_list("case_id", flat=True)))
    publication = publication_draft_result(
        actor=actor,
        body=campaign.body,
        source_ref=publication_ref(report),
        number=report.number,
        issued_on=report.issued_on,
        text=report.text,
        fields={
            "agency": campaign.body.name,
            "category": report.get_kind_display(),
            "number": report.number,
            "issued_on": report.issued_on.isoformat(),
            "target": "、".join(a.name for a in campaign.agencies.order_by("name")),
            "title": campaign.name,
        },
        known_cases=cases,
    )
    record_rows(
        actor,
        "evaluation.report.publish_propose",
        [],
        on=on,
        report=report.pk,
        publication=publication.pk,
    )
    _notify(
        Account.objects.filter(role=Account.Role.PUBLISHER, agency=campaign.body, is_active=True),
        f"待审核公开：{report.get_kind_display()}{report.number}",
        f"/publish/{publication.pk}/",
        f"evaluation:publish:{report.pk}",
    )
    return publication


@transaction.atomic
def report_publication_propose(*, actor: Account, report: Report, on: date) -> Any:
    """Publish a closed campaign's overall report or 通报 (第十八条 "评查结果可以向社会公开";
    《行政执法监督条例》第三十一条) through the publicity app: a draft owned by the evaluating
    body which its publisher reviews like a decision (personal data of parties removed) before
    it appears in the portal's 执法监督结果公开 column. Once per report. Records
    ``evaluation.report.publish_propose``."""
    from zhifa.publicity.selectors import publication_of_source

    campaign = _locked(report.campaign)
    if not (actor.role == Account.Role.SUPERVISOR and actor.agency_id == campaign.body_id):
        raise RuleViolation("只有评查主体的行政执法监督人员可以提出公开", article=PUBLISH_ARTICLE)
    if report.kind not in PUBLISHABLE:
        raise RuleViolation("只有评查总体报告和通报向社会公开", article=PUBLISH_ARTICLE)
    if publication_of_source(publication_ref(report)) is not None:
        raise RuleViolation("该文书已提出公开", article=PUBLISH_ARTICLE)
    return _publication_propose(actor, report, on)


# -- consequences (第二十五条) ------------------------------------------------------------------


def matter_ref(file: File) -> str:
    return f"evaluation.file:{file.pk}"


@transaction.atomic
def file_matter_open(*, actor: Account, file: File, on: date) -> Any:
    """Open a supervision matter about a failed file's agency (origin 案卷评查), its summary the
    deductions and their reasons; the matter then issues its 意见书. Once per file. Recorded as
    ``evaluation.file.matter_open`` (and the matter's own ``supervision.matter.open``)."""
    from zhifa.supervision.models import Matter
    from zhifa.supervision.services import matter_open

    file = (
        File.objects.select_for_update()
        .select_related("campaign", "case", "agency")
        .get(pk=file.pk)
    )
    _manager(actor, file.campaign, MATTER_ARTICLE)
    if not sel.is_failed(file):
        raise RuleViolation(
            "只有评定为不合格的案卷可以据此登记监督事项", article=rules.REPEATED_ARTICLE
        )
    if Matter.objects.filter(origin=Matter.Origin.EVALUATION, origin_ref=matter_ref(file)).exists():
        raise RuleViolation("已就该案卷登记监督事项", article=MATTER_ARTICLE)
    deductions, vetoes = sel.file_deductions(file)
    number = file.case.number or file.case_id
    lines = [f"{file.campaign.name}中，案卷{number}得{file.total}分，评为{file.grade}。"]
    lines += [f"否决项：{t}{('（' + r + '）') if r else ''}" for t, r in vetoes]
    lines += [
        f"{d.text}扣{d.points}分{('（' + '；'.join(d.reasons) + '）') if d.reasons else ''}"
        for d in deductions
    ]
    matter = matter_open(
        actor=actor,
        agency=file.agency,
        origin=Matter.Origin.EVALUATION,
        origin_ref=matter_ref(file),
        title=f"案卷评查不合格：{file.case.number or file.case.title}",
        summary="\n".join(lines),
        on=on,
    )
    record_rows(actor, "evaluation.file.matter_open", [], on=on, file=file.pk, matter=matter.pk)
    return matter


# -- 责任追究 register --------------------------------------------------------------------------


@transaction.atomic
def accountability_record(
    *,
    actor: Account,
    agency: Agency,
    ground: str,
    measure: str,
    deciding_body: str,
    decided_on: date,
    on: date,
    officer: Officer | None = None,
    name: str = "",
    case_id: int | None = None,
    file: File | None = None,
    note: str = "",
) -> Accountability:
    """Enter an accountability decision in the register (国办发〔2005〕37号 四). The officer, when
    given, must belong to ``agency`` and names the entry; the case and the file must be the
    agency's. Only a supervisor of the agency's region records. Recorded as
    ``evaluation.accountability.record``."""
    from zhifa.cases.models import Case
    from zhifa.registry.selectors import region_of

    prefix = region_of(actor)
    if not (
        sel.may_record_accountability(actor)
        and prefix is not None
        and agency.division_code.startswith(prefix)
    ):
        raise RuleViolation(
            "只有该机关所在地区的行政执法监督人员可以登记责任追究", article=ACCOUNTABILITY_ARTICLE
        )
    if ground not in Accountability.Ground.values:
        raise RuleViolation("请选择追责依据", article=ACCOUNTABILITY_ARTICLE, field="ground")
    if measure not in Accountability.Measure.values:
        raise RuleViolation("请选择处理措施", article=ACCOUNTABILITY_ARTICLE, field="measure")
    if officer is not None:
        if officer.agency_id != agency.pk:
            raise RuleViolation(
                "该执法人员不属于所选机关", article=ACCOUNTABILITY_ARTICLE, field="officer"
            )
        name = officer.name
    if not name.strip():
        raise RuleViolation("请填写被追责人", article=ACCOUNTABILITY_ARTICLE, field="name")
    if not deciding_body.strip():
        raise RuleViolation("请填写决定机关", article=ACCOUNTABILITY_ARTICLE, field="deciding_body")
    if decided_on > on:
        raise RuleViolation(
            "决定日期不能晚于登记日期", article=ACCOUNTABILITY_ARTICLE, field="decided_on"
        )
    case = None
    if case_id is not None:
        case = Case.objects.filter(pk=case_id, agency=agency).first()
        if case is None:
            raise RuleViolation(
                "该案件不是所选机关的案件", article=ACCOUNTABILITY_ARTICLE, field="case"
            )
    if file is not None and file.agency_id != agency.pk:
        raise RuleViolation(
            "该评查案卷不是所选机关的案卷", article=ACCOUNTABILITY_ARTICLE, field="file"
        )
    if file is not None and case is None:
        case = file.case
    row = Accountability.objects.create(
        officer=officer,
        name=name.strip(),
        agency=agency,
        case=case,
        file=file,
        ground=ground,
        measure=measure,
        deciding_body=deciding_body.strip(),
        decided_on=decided_on,
        note=note.strip(),
        recorded_by=actor,
        recorded_on=on,
    )
    record_rows(actor, "evaluation.accountability.record", [row], on=on)
    return row


def register_outcomes() -> None:
    """Labels, the replayed tables, the case workspace panel and the supervisors' to-do."""
    from zhifa.cases.views import register_workspace_panel
    from zhifa.record.action_labels import register_action_labels
    from zhifa.registry.views import register_officer_panel
    from zhifa.todos.items import register_todo_source

    from .recording import register_replayed
    from .views_outcomes import objections_todo, officer_panel, workspace_panel

    register_action_labels(ACTION_LABELS)
    register_replayed(
        "evaluation.recheck",
        "evaluation.objection",
        "evaluation.report",
        "evaluation.accountability",
    )
    register_workspace_panel(workspace_panel)
    register_officer_panel(officer_panel)
    register_todo_source(("supervisor",), objections_todo)
