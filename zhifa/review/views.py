"""Pages of the legal review: the queue, 送审 from a case, the review workspace (the frozen
submission beside the checklist) with its steps, the catalog editor with its preview, and the
statistics. Thin: parse, pass the gate (``access_review`` / ``access_case`` / a
``*_visible_to`` list), call one service, render or redirect. A refused step shows the
service's message with its article and keeps what was typed; nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.cases.access import CaseAction, access_case
from zhifa.cases.documents import case_documents, document_generate
from zhifa.cases.models import Case, CaseDocument
from zhifa.cases.personal_data import party_mask
from zhifa.cases.selectors import case_parties
from zhifa.core.exceptions import RuleViolation
from zhifa.registry.access import can_manage_registry
from zhifa.registry.models import Account
from zhifa.registry.selectors import agencies_visible_to
from zhifa.registry.web import local_today, request_account

from . import crime_transfer, services
from .access import ReviewAction, access_crime_transfer, access_review
from .checklist import Point, verdict_label
from .forms import (
    AssignForm,
    CatalogFloorForm,
    CatalogRuleForm,
    ChecklistSheetForm,
    CollectiveForm,
    ConcludeForm,
    CoordinateForm,
    DisputeDecideForm,
    DisputeForm,
    ExtendForm,
    MajorFlagForm,
    PauseForm,
    ResumeForm,
    RetireForm,
    SubmitForm,
    TransferAnswerForm,
    TransferDecideForm,
    TransferSendForm,
)
from .models import ChecklistAnswer, CrimeTransfer, ReviewDispute, Submission
from .opinion_document import SOURCE as OPINION_SOURCE
from .opinion_document import opinion_ready
from .selectors import (
    case_assessment,
    case_evaluate,
    case_latest_round,
    case_review_rounds,
    catalog_rules_visible_to,
    crime_transfers_visible_to,
    eligible_reviewers,
    reviewer_queue,
    reviews_open,
    reviews_overdue,
    submission_frozen,
)
from .statistics import (
    REVIEWER_FLOOR_RULE,
    catalog_rule_preview,
    review_countdown,
    review_rows,
    review_statistics,
)

Role = Account.Role


def _may(account: Account, submission_id: int, *actions: ReviewAction) -> bool:
    for action in actions:
        try:
            access_review(account, submission_id, action)
        except PermissionDenied:
            continue
        return True
    return False


# -- the queue --------------------------------------------------------------------------------


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    """A reviewer's own rounds and the untaken ones; everyone else the open rounds they see.
    One list, by the review's due day: the rounds past their time limit come first, each
    marked 已逾期 by its countdown (a separate overdue table listed them twice)."""
    account = request_account(request)
    today = local_today()
    qs = reviewer_queue(account) if account.role == Role.REVIEWER else reviews_open(account)
    paginator: Paginator[Submission] = Paginator(
        qs.select_related("case", "case__agency", "reviewer").order_by("due_on", "id"),
        settings.PAGE_SIZE,
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "review/queue.html",
        {
            "page": page,
            "rows": review_rows(page, today),
            "overdue": reviews_overdue(account, today).count(),
            "mine": account.role == Role.REVIEWER,
            "regional": account.agency_id is None,
        },
    )


# -- 送审 --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review_submit(request: HttpRequest, case_id: int) -> HttpResponse:
    account = request_account(request)
    case = access_case(account, case_id, CaseAction.HANDLE)
    data = request.POST if request.method == "POST" else None
    form = SubmitForm(
        data,
        initial={
            "on": local_today(),
            "penalty_kinds": case.notified_penalty_kinds,
            "fine": case.notified_fine,
            "confiscation": case.notified_confiscation,
        },
    )
    refusal, status = "", 200
    if data is not None:
        if form.is_valid():
            try:
                submission = services.review_submit(
                    actor=account, case=case, **form.service_kwargs()
                )
            except RuleViolation as exc:
                if exc.field and exc.field in form.fields:
                    form.add_error(exc.field, "")
                refusal, status = str(exc), 409
            else:
                messages.success(
                    request, _("已送审（第%(round)s轮）") % {"round": submission.round}
                )
                return redirect("review_workspace", pk=submission.pk)
        else:
            refusal, status = _("请检查标出的栏目。"), 400
    return render(
        request,
        "review/submit.html",
        {
            "case": case,
            "form": form,
            "refusal": refusal,
            "verdict": case_evaluate(case),
            "rounds": list(case_review_rounds(case)),
        },
        status=status,
    )


# -- the workspace ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One write of the workspace: its form, who may take it (any of ``gates``), the service."""

    form: type[forms.Form]
    gates: tuple[ReviewAction, ...]
    call: Callable[..., object]
    label: str
    on_dispute: bool = False  # the service takes the round's dispute, not the round


STEPS: dict[str, Step] = {
    "assign": Step(AssignForm, (ReviewAction.ASSIGN,), services.review_assign, "分配审核人员"),
    "checklist": Step(
        ChecklistSheetForm,
        (ReviewAction.REVIEW,),
        services.review_checklist_answer_all,
        "保存审核要点",
    ),
    "pause": Step(PauseForm, (ReviewAction.REVIEW,), services.review_pause, "中止计时"),
    # The handling unit hands in the material, or the review body notes its arrival.
    "resume": Step(
        ResumeForm, (ReviewAction.HANDLE, ReviewAction.ASSIGN), services.review_resume, "恢复计时"
    ),
    "extend": Step(ExtendForm, (ReviewAction.APPROVE,), services.review_extend, "延长审核期限"),
    "conclude": Step(
        ConcludeForm, (ReviewAction.REVIEW,), services.review_conclude, "出具审核意见"
    ),
    "dispute": Step(DisputeForm, (ReviewAction.HANDLE,), services.review_dispute_raise, "提出异议"),
    "coordinate": Step(
        CoordinateForm,
        (ReviewAction.HANDLE, ReviewAction.ASSIGN),
        services.review_dispute_coordinate,
        "记录协调情况",
        on_dispute=True,
    ),
    "decide": Step(
        DisputeDecideForm,
        (ReviewAction.APPROVE,),
        services.review_dispute_decide,
        "机关负责人决定",
        on_dispute=True,
    ),
    "collective": Step(
        CollectiveForm,
        (ReviewAction.APPROVE,),
        services.collective_discussion_record,
        "记录集体讨论",
        on_dispute=True,
    ),
}


def _step_form(name: str, sub: Submission, data: Any = None, **initial: Any) -> forms.Form:
    kwargs: dict[str, Any] = {"prefix": name, "initial": {"on": local_today(), **initial}}
    if name == "assign":
        kwargs["reviewers"] = eligible_reviewers(sub.case)
    if name == "conclude":
        kwargs["outcomes"] = services.outcomes_for(sub.case.domain.code)
    if name == "checklist":
        # Each point starts with the reviewer's answer, else the record's proposal where the
        # system can judge it, else "未审查" (blank), which the reviewer must choose.
        kwargs["prefix"] = None
        kwargs["points"] = [a.point for a in sub.checklist.all().order_by("position")]
        for a in sub.checklist.all():
            kwargs["initial"][f"point-{a.point}-verdict"] = a.verdict or a.prefill_verdict
            kwargs["initial"][f"point-{a.point}-comment"] = a.comment
    return STEPS[name].form(data, **kwargs)


@dataclass
class PointRow:
    answer: ChecklistAnswer
    prefill_label: str
    verdict_label: str
    form: forms.Form | None
    refusal: str = ""
    verdict_field: forms.BoundField | None = None
    comment_field: forms.BoundField | None = None


def _dispute_of(sub: Submission) -> ReviewDispute | None:
    try:
        return sub.dispute
    except ReviewDispute.DoesNotExist:
        return None


def _render_workspace(
    request: HttpRequest,
    account: Account,
    sub: Submission,
    *,
    bound: tuple[str, forms.Form, str] | None = None,
    status: int = 200,
    document_refusal: str = "",
) -> HttpResponse:
    today = local_today()
    case = sub.case
    latest = case_latest_round(case)
    is_latest = latest is not None and latest.pk == sub.pk
    dispute = _dispute_of(sub)
    may = {
        name: sub.is_open == (name not in ("dispute", "coordinate", "decide", "collective"))
        and _may(account, sub.pk, *step.gates)
        for name, step in STEPS.items()
    }
    may["pause"] = may["pause"] and sub.state == Submission.State.REVIEWING
    may["resume"] = may["resume"] and sub.state == Submission.State.PAUSED
    may["extend"] = may["extend"] and not sub.extended
    may["conclude"] = may["conclude"] and sub.state == Submission.State.REVIEWING
    may["checklist"] = may["checklist"] and sub.state != Submission.State.PAUSED
    may["dispute"] = may["dispute"] and is_latest and not sub.agreed and dispute is None
    dispute_state = dispute.state if dispute is not None else ""
    may["coordinate"] = may["coordinate"] and dispute_state == ReviewDispute.State.RAISED
    may["decide"] = may["decide"] and dispute_state == ReviewDispute.State.COORDINATED
    may["collective"] = may["decide"]
    bound_name, bound_form, refusal = bound if bound is not None else ("", None, "")
    step_forms: dict[str, forms.Form] = {}
    for name, allowed in may.items():
        if not allowed or name == "checklist":
            continue
        step_forms[name] = (
            bound_form if bound_name == name and bound_form else _step_form(name, sub)
        )
    sheet: forms.Form | None = None
    if may["checklist"]:
        sheet = (
            bound_form
            if bound_name == "checklist" and bound_form is not None
            else _step_form("checklist", sub)
        )
    points = []
    for answer in sub.checklist.all().order_by("position"):
        point = Point(answer.point)
        points.append(
            PointRow(
                answer,
                verdict_label(point, answer.prefill_verdict) if answer.prefill_verdict else "",
                verdict_label(point, answer.verdict) if answer.verdict else "",
                sheet,
                "",
                sheet[f"point-{point.value}-verdict"] if sheet is not None else None,
                sheet[f"point-{point.value}-comment"] if sheet is not None else None,
            )
        )
    full = account.agency_id == case.agency_id  # files carry personal data: agency only
    # Outside the agency the round's texts are read as the case page shows them: the party's
    # personal data masked (cases.personal_data) — the frozen submission here, the texts
    # written since (opinion, checklist comments, pauses, dispute) by the template's filter.
    mask = party_mask(account, case, case_parties(case))
    frozen = submission_frozen(sub)
    if mask is not None:
        frozen = replace(frozen, content=mask.payload(frozen.content))
    return render(
        request,
        "review/workspace.html",
        {
            "sub": sub,
            "case": case,
            "mask": mask,
            "frozen": frozen,
            "points": points,
            "forms": step_forms,
            "labels": {name: step.label for name, step in STEPS.items()},
            "bound": bound_name,
            "refusal": refusal if bound_name != "checklist" else "",
            "sheet": sheet,
            "sheet_refusal": refusal if bound_name == "checklist" else "",
            "countdown": review_countdown(sub, today),
            "pauses": list(sub.pauses.all().order_by("id")),
            "dispute": dispute,
            "discussion": getattr(dispute, "collective_discussion", None) if dispute else None,
            "transfers": list(sub.crime_transfers.all().order_by("id")),
            "rounds": list(case_review_rounds(case)),
            "documents": list(case_documents(case)),
            "full": full,
            # The reviewer writes out their own 法制审核意见书 here (the service's rule says who
            # may: the review body, the handling unit and the head of the agency).
            "may_opinion_document": full
            and account.role in OPINION_SOURCE.roles
            and opinion_ready(case) is None,
            "document_refusal": document_refusal,
            "read_only": not any(may.values()),
            "outcomes": services.outcomes_for(case.domain.code),
        },
        status=status,
    )


@login_required
@require_GET
def review_workspace(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    return _render_workspace(request, account, access_review(account, pk))


@login_required
@require_POST
def review_step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Take one step of the round (``name`` in ``STEPS``)."""
    account = request_account(request)
    step = STEPS.get(name)
    if step is None:
        raise Http404
    sub = access_review(account, pk)
    if not _may(account, sub.pk, *step.gates):
        access_review(account, pk, step.gates[0])  # raises the 403 with its reason
    form: forms.Form = _step_form(name, sub, request.POST)
    slot = name
    if not form.is_valid():
        return _render_workspace(
            request, account, sub, bound=(slot, form, _("请检查标出的栏目。")), status=400
        )
    kwargs = form.service_kwargs()  # type: ignore[attr-defined]
    target: dict[str, Any] = {"submission": sub}
    if step.on_dispute:
        dispute = _dispute_of(sub)
        if dispute is None:
            raise Http404
        target = {"dispute": dispute}
    try:
        step.call(actor=account, **target, **kwargs)
    except RuleViolation as exc:
        if exc.field and exc.field in form.fields:
            form.add_error(exc.field, "")
        return _render_workspace(request, account, sub, bound=(slot, form, str(exc)), status=409)
    messages.success(request, _("已完成：%(label)s") % {"label": _(step.label)})
    anchor = "#checklist" if name == "checklist" else ""
    return redirect(reverse("review_workspace", kwargs={"pk": sub.pk}) + anchor)


@login_required
@require_POST
def review_opinion_document(request: HttpRequest, pk: int) -> HttpResponse:
    """Generate the next version of the case's 法制审核意见书 from the review page."""
    account = request_account(request)
    sub = access_review(account, pk)
    case = access_case(account, sub.case_id, CaseAction.FILES)  # 403 outside the agency
    try:
        document = document_generate(
            actor=account, case=case, kind=CaseDocument.Kind.REVIEW_OPINION, on=local_today()
        )
    except RuleViolation as exc:
        return _render_workspace(request, account, sub, document_refusal=str(exc), status=409)
    messages.success(
        request,
        _("已生成%(title)s（第%(version)s版）")
        % {"title": document.title, "version": document.version},
    )
    return redirect(reverse("review_workspace", kwargs={"pk": sub.pk}) + "#documents")


# -- the catalog ------------------------------------------------------------------------------


def _editable_agencies(account: Account) -> Any:
    if account.role != Role.ADMIN:
        return agencies_visible_to(account).none()
    return agencies_visible_to(account).order_by("division_code", "name")


@login_required
@require_http_methods(["GET", "POST"])
def catalog(request: HttpRequest) -> HttpResponse:
    """The catalog lines the account sees; for administrators, adding a line and the preview
    "test this rule against past cases" (``do=preview``: nothing is written)."""
    account = request_account(request)
    agencies = _editable_agencies(account)
    may_edit = can_manage_registry(account)
    data = request.POST if request.method == "POST" else None
    if data is not None and not may_edit:
        raise PermissionDenied(_("只有系统管理员可以维护法制审核目录清单"))
    form = CatalogRuleForm(
        data if data is None or data.get("do") != "floor" else None,
        prefix="rule",
        agencies=agencies,
        initial={"on": local_today(), "kind": "fine_person"},
    )
    may_floor = may_edit and account.agency_id is None
    floor_form = CatalogFloorForm(
        data if data is not None and data.get("do") == "floor" else None,
        prefix="floor",
        initial={"on": local_today(), "kind": "fine_person", "region_code": account.region_code},
    )
    refusal, floor_refusal, status, preview = "", "", 200, None
    if data is not None and data.get("do") == "floor":
        if not may_floor:
            raise PermissionDenied(_("只有区域的系统管理员可以设定区域审核标准"))
        if not floor_form.is_valid():
            floor_refusal, status = _("请检查标出的栏目。"), 400
        else:
            try:
                row = services.catalog_rule_add(actor=account, **floor_form.service_kwargs())
            except RuleViolation as exc:
                if exc.field and exc.field in floor_form.fields:
                    floor_form.add_error(exc.field, "")
                floor_refusal, status = str(exc), 409
            else:
                messages.success(request, _("已设定区域审核标准：%(rule)s") % {"rule": row})
                return redirect("review_catalog")
    elif data is not None:
        if not form.is_valid():
            refusal, status = _("请检查标出的栏目。"), 400
        elif data.get("do") == "preview":
            preview = catalog_rule_preview(account, form.cleaned_data["agency"], form.candidate())
        else:
            try:
                row = services.catalog_rule_add(actor=account, **form.service_kwargs())
            except RuleViolation as exc:
                if exc.field and exc.field in form.fields:
                    form.add_error(exc.field, "")
                refusal, status = str(exc), 409
            else:
                messages.success(request, _("已添加目录条目：%(rule)s") % {"rule": row})
                return redirect("review_catalog")
    rules = (
        catalog_rules_visible_to(account)
        .select_related("agency")
        .order_by("-active", "region_code", "agency__division_code", "kind", "id")
    )
    return render(
        request,
        "review/catalog.html",
        {
            "rules": rules,
            "form": form if may_edit else None,
            "refusal": refusal,
            "floor_form": floor_form if may_floor else None,
            "floor_refusal": floor_refusal,
            "preview": preview,
            "retire_form": RetireForm(prefix="retire", initial={"on": local_today()}),
        },
        status=status,
    )


@login_required
@require_POST
def catalog_retire(request: HttpRequest, rule_id: int) -> HttpResponse:
    account = request_account(request)
    rule = catalog_rules_visible_to(account).filter(pk=rule_id).first()
    if rule is None:
        raise Http404
    if not can_manage_registry(account):
        raise PermissionDenied(_("只有系统管理员可以维护法制审核目录清单"))
    form = RetireForm(request.POST, prefix="retire")
    if not form.is_valid():
        messages.error(request, _("停用目录条目须写明日期和理由"))
        return redirect("review_catalog")
    try:
        services.catalog_rule_retire(
            actor=account,
            rule=rule,
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已停用目录条目：%(rule)s") % {"rule": rule})
    return redirect("review_catalog")


# -- statistics -------------------------------------------------------------------------------


@login_required
@require_GET
def review_stats(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    return render(
        request,
        "review/stats.html",
        {
            "rows": review_statistics(account, local_today()),
            "show_ratio": account.role in (Role.SUPERVISOR, Role.ADMIN),
            "floor_rule": REVIEWER_FLOOR_RULE,
            "today": local_today(),
        },
    )


# -- the case page's review panel (called by cases.views through a lazy import) ----------------


def case_review_panel(account: Account, case: Case) -> dict[str, Any]:
    """What the case workspace shows of the review: the verdict in force, the rounds, whether
    this account may send the case to review now."""
    rounds = list(case_review_rounds(case))
    reviewable = (
        case.kind == Case.Kind.PENALTY_GENERAL
        and case.state in services.REVIEWABLE_STATES
        and not any(r.is_open for r in rounds)
        and account.agency_id == case.agency_id
        and account.role in (Role.OFFICER, Role.HEAD)
    )
    may_flag = (
        account.agency_id == case.agency_id
        and account.role in (Role.OFFICER, Role.HEAD)
        and case.decided_on is None
        and case.state
        in (Case.State.REGISTERED, Case.State.INVESTIGATING, *services.REVIEWABLE_STATES)
    )
    return {
        "assessment": case_assessment(case),
        "rounds": rounds,
        "may_submit": reviewable,
        "flag_form": MajorFlagForm(prefix="flag", initial={"on": local_today()})
        if may_flag
        else None,
        "transfers": list(crime_transfers_visible_to(account).filter(case=case).order_by("id")),
    }


# -- the officer's flag (第五十八条第一款) -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def major_flag(request: HttpRequest, case_id: int) -> HttpResponse:
    """The handling unit flags the case as major, with the reason; the service evaluates the
    case again. Shown inside the case page's review panel; this page shows a refusal."""
    account = request_account(request)
    case = access_case(account, case_id, CaseAction.HANDLE)
    data = request.POST if request.method == "POST" else None
    form = MajorFlagForm(data, prefix="flag", initial={"on": local_today()})
    refusal, status = "", 200
    if data is not None:
        if form.is_valid():
            try:
                row = services.major_flag_add(actor=account, case=case, **form.service_kwargs())
            except RuleViolation as exc:
                if exc.field and exc.field in form.fields:
                    form.add_error(exc.field, "")
                refusal, status = str(exc), 409
            else:
                messages.success(
                    request, _("已标注重大情形：%(flag)s") % {"flag": row.get_flag_display()}
                )
                return redirect(reverse("case_detail", kwargs={"pk": case.pk}) + "#legal-review")
        else:
            refusal, status = _("请检查标出的栏目。"), 400
    return render(
        request,
        "review/flag.html",
        {"case": case, "form": form, "refusal": refusal},
        status=status,
    )


# -- 两法衔接 (国务院令第310号) -------------------------------------------------------------------


@dataclass(frozen=True)
class TransferStep:
    """One step of a transfer: its form, the state it starts from, who takes it, the service."""

    form: type[forms.Form]
    state: str
    roles: tuple[str, ...]
    call: Callable[..., object]
    label: str


TRANSFER_STEPS: dict[str, TransferStep] = {
    "decide": TransferStep(
        TransferDecideForm,
        CrimeTransfer.State.REPORTED,
        (Role.HEAD,),
        services.crime_transfer_decide,
        "机关负责人决定是否移送",
    ),
    "send": TransferStep(
        TransferSendForm,
        CrimeTransfer.State.APPROVED,
        (Role.HEAD,),
        services.crime_transfer_send,
        "移送公安机关",
    ),
    "answer": TransferStep(
        TransferAnswerForm,
        CrimeTransfer.State.TRANSFERRED,
        (Role.OFFICER, Role.HEAD),
        services.crime_transfer_answer,
        "记录公安机关答复",
    ),
}


def _transfer_form(name: str, data: Any = None) -> forms.Form:
    now = timezone.localtime().replace(second=0, microsecond=0)
    return TRANSFER_STEPS[name].form(data, prefix=name, initial={"at": now, "on": local_today()})


def _render_transfer(
    request: HttpRequest,
    account: Account,
    row: CrimeTransfer,
    *,
    bound: tuple[str, forms.Form, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    bound_name, bound_form, refusal = bound if bound is not None else ("", None, "")
    step_forms: dict[str, forms.Form] = {}
    for name, step in TRANSFER_STEPS.items():
        if (
            account.agency_id == row.case.agency_id
            and account.role in step.roles
            and row.state == step.state
        ):
            step_forms[name] = (
                bound_form if bound_name == name and bound_form else _transfer_form(name)
            )
    return render(
        request,
        "review/transfer.html",
        {
            "t": row,
            "case": row.case,
            "mask": party_mask(account, row.case, case_parties(row.case)),
            "steps": [
                (name, TRANSFER_STEPS[name].label, form) for name, form in step_forms.items()
            ],
            "bound": bound_name,
            "refusal": refusal,
            "periods": {
                "decide": crime_transfer.HEAD_DECISION,
                "send": crime_transfer.TRANSFER,
                "answer": crime_transfer.POLICE_ANSWER,
            },
            "required_documents": crime_transfer.REQUIRED_DOCUMENTS,
            "read_only": not step_forms,
        },
        status=status,
    )


@login_required
@require_GET
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    return _render_transfer(request, account, access_crime_transfer(account, pk))


@login_required
@require_POST
def transfer_step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Take one step of the transfer (``name`` in ``TRANSFER_STEPS``)."""
    account = request_account(request)
    step = TRANSFER_STEPS.get(name)
    if step is None:
        raise Http404
    row = access_crime_transfer(account, pk)
    if account.agency_id != row.case.agency_id:
        raise PermissionDenied(_("执法监督人员只能查看涉嫌犯罪案件移送，不能办理"))
    form = _transfer_form(name, request.POST)
    if not form.is_valid():
        return _render_transfer(
            request, account, row, bound=(name, form, _("请检查标出的栏目。")), status=400
        )
    try:
        step.call(actor=account, transfer=row, **form.service_kwargs())  # type: ignore[attr-defined]
    except RuleViolation as exc:
        if exc.field and exc.field in form.fields:
            form.add_error(exc.field, "")
        return _render_transfer(request, account, row, bound=(name, form, str(exc)), status=409)
    messages.success(request, _("已完成：%(label)s") % {"label": _(step.label)})
    return redirect("review_transfer", pk=row.pk)
