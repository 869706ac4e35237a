"""Campaign pages under /evaluation/: the list, the work plan form, the campaign page (plan,
team, draw record, files), the agency's submission, my files, the reviewer's scoring screen,
the read-only case view (each opening a 调阅 entry) and the leader's reconciliation. Thin:
parse, gate, one service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.core.exceptions import RuleViolation
from zhifa.registry.web import local_today, paginate, request_account

from . import forms_campaigns as forms
from . import selectors_campaigns as sel
from . import services_campaigns as services
from .access import access_campaign, access_file
from .models import Campaign, File, Scoring
from .selectors import campaigns_visible_to, may_run_campaigns


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    page = paginate(request, campaigns_visible_to(account).order_by("-starts_on", "-pk"))
    return render(
        request,
        "evaluation/campaigns/list.html",
        {"page": page, "can_plan": may_run_campaigns(account)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    if not may_run_campaigns(account):
        raise PermissionDenied(
            _(
                "只有执法监督机构的人员或者执法部门负责人可以组织案卷评查（《广东省行政执法案卷评查办法》第四条、第六条）"
            )
        )
    per_file, per_file_source = services.reviewers_per_file_default()
    threshold, threshold_source = services.difference_threshold_default()
    form = forms.CampaignForm(
        request.POST or None,
        agencies=sel.campaign_agency_choices(account),
        initial={"reviewers_per_file": per_file, "difference_threshold": threshold},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                campaign = services.campaign_plan(
                    actor=account,
                    name=d["name"],
                    agencies=list(d["agencies"]),
                    kinds=d["kinds"],
                    decided_from=d["decided_from"],
                    decided_to=d["decided_to"],
                    starts_on=d["starts_on"],
                    ends_on=d["ends_on"],
                    steps=d["steps"],
                    requirements=d["requirements"],
                    sampling_mode=d["sampling_mode"],
                    sample_ratio=d["sample_ratio"],
                    sample_count=d["sample_count"],
                    reviewers_per_file=d["reviewers_per_file"],
                    difference_threshold=d["difference_threshold"],
                    on=local_today(),
                )
            except RuleViolation as exc:
                form.add_error(None, str(exc))
            else:
                return _see_other(reverse("evaluation_campaign", args=[campaign.pk]))
    return render(
        request,
        "evaluation/campaigns/new.html",
        {
            "form": form,
            "per_file_source": per_file_source,
            "threshold_source": threshold_source,
        },
        status=status,
    )


def _detail(request: HttpRequest, campaign: Campaign, **extra: Any) -> dict[str, Any]:
    account = request_account(request)
    manage = services.may_manage(account, campaign)
    member_form = extra.pop("member_form", None)
    if manage and member_form is None:
        member_form = forms.MemberForm(
            accounts=sel.team_candidates(account),
            agencies=sel.campaign_agency_choices(account),
        )
    return {
        "campaign": campaign,
        "agencies": campaign.agencies.order_by("division_code", "name"),
        "templates": campaign.templates.order_by("applies_to"),
        "members": sel.campaign_members(campaign),
        "files": sel.campaign_files(campaign),
        "population_entry": sel.campaign_population_entry(campaign),
        "manage": manage,
        "member_form": member_form,
        "can_submit": sel.may_submit(account, campaign),
        **extra,
    }


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(request_account(request), pk)
    return render(request, "evaluation/campaigns/detail.html", _detail(request, campaign))


@login_required
@require_POST
def campaign_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    campaign = access_campaign(account, pk)
    if not services.may_manage(account, campaign):
        raise PermissionDenied(
            _("只有组织本次评查的机构可以调整评查小组（《广东省行政执法案卷评查办法》第九条）")
        )
    form = forms.MemberForm(
        request.POST,
        accounts=sel.team_candidates(account),
        agencies=sel.campaign_agency_choices(account),
    )
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.campaign_member_add(
                actor=account,
                campaign=campaign,
                kind=d["kind"],
                account=d["account"],
                name=d["name"],
                home_agency=d["home_agency"],
                is_leader=d["is_leader"],
                on=local_today(),
            )
        except RuleViolation as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已加入评查小组。"))
            return _see_other(reverse("evaluation_campaign", args=[pk]) + "#team")
    return render(
        request,
        "evaluation/campaigns/detail.html",
        _detail(request, campaign, member_form=form),
        status=400,
    )


@login_required
@require_POST
def campaign_draw(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    campaign = access_campaign(account, pk)
    if not services.may_manage(account, campaign):
        raise PermissionDenied(
            _("只有组织本次评查的机构可以抽取案卷（《广东省行政执法案卷评查办法》第八条）")
        )
    try:
        files = services.campaign_draw(
            actor=account,
            campaign=campaign,
            on=local_today(),
            seed=(request.POST.get("seed") or "").strip()[:128] or None,
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已抽取并分配%(n)d件案卷。") % {"n": len(files)})
    return _see_other(reverse("evaluation_campaign", args=[pk]))


@login_required
@require_http_methods(["GET", "POST"])
def campaign_submit(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    campaign = access_campaign(account, pk)
    if not sel.may_submit(account, campaign):
        raise PermissionDenied(
            _(
                "只有被评查机关的负责人可以在自行选送的评查中选送本机关的案卷（《广东省行政执法案卷评查办法》第八条）"
            )
        )
    form = forms.SubmitForm(request.POST or None, cases=sel.cases_to_submit(account, campaign))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.campaign_file_submit(
                    actor=account,
                    campaign=campaign,
                    case=form.cleaned_data["case"],
                    on=local_today(),
                )
            except RuleViolation as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已选送案卷。"))
                return _see_other(reverse("evaluation_campaign", args=[pk]))
    return render(
        request,
        "evaluation/campaigns/submit.html",
        {"campaign": campaign, "form": form},
        status=status,
    )


@login_required
@require_GET
def my_files(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    return render(
        request,
        "evaluation/campaigns/my_files.html",
        {
            "scorings": sel.scorings_of(account),
            "to_reconcile": sel.files_to_reconcile(account),
        },
    )


# -- the reviewer's scoring screen ---------------------------------------------------------------


def _own_scoring(account: Any, file: File) -> Scoring | None:
    return file.scorings.filter(reviewer__account=account, reviewer__active=True).first()


def _screen(
    request: HttpRequest,
    file: File,
    row: Scoring | None,
    marks: dict[str, Any],
    *,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    account = request_account(request)
    spec = services.spec_of(file.template)
    proposed = services.proposals_of(file)
    sections, vetoes = sel.scoring_rows(spec, file, marks, proposed)
    visible = sel.visible_scorings(account, file)
    others = [s for s in visible if row is None or s.pk != row.pk]
    return render(
        request,
        "evaluation/campaigns/scoring.html",
        {
            "file": file,
            "case": file.case,
            "campaign": file.campaign,
            "row": row,
            "editable": row is not None
            and row.state == Scoring.State.DRAFT
            and file.state == File.State.ASSIGNED,
            "sections": sections,
            "vetoes": vetoes,
            "spec": spec,
            "others": others,
            "refusal": refusal,
            "is_leader": services.is_leader(account, file.campaign),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def scoring_screen(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    file = access_file(account, pk)
    row = _own_scoring(account, file)
    if request.method == "GET":
        return _screen(request, file, row, row.marks if row else {})
    if row is None:
        raise PermissionDenied(
            _("只有分配到该案卷的评查人员可以评分（《广东省行政执法案卷评查办法》第十条）")
        )
    spec = services.spec_of(file.template)
    marks = forms.marks_from_post(request.POST, spec)
    sign = request.POST.get("action") == "sign"
    try:
        if sign:
            services.scoring_sign(actor=account, scoring_row=row, marks=marks, on=local_today())
        else:
            services.scoring_save(actor=account, scoring_row=row, marks=marks, on=local_today())
    except RuleViolation as exc:
        return _screen(request, file, row, marks, refusal=str(exc), status=400)
    messages.success(request, _("已签名。") if sign else _("评分已保存。"))
    return _see_other(reverse("evaluation_scoring", args=[pk]))


@login_required
@require_GET
def file_case(request: HttpRequest, pk: int) -> HttpResponse:
    """The file's case, read-only; every opening is a 调阅 entry on the case."""
    account = request_account(request)
    file = access_file(account, pk)
    services.file_read(actor=account, file=file, on=local_today())
    return render(
        request,
        "evaluation/campaigns/case.html",
        {"file": file, "case": file.case, "view": sel.case_view(file)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def file_reconcile(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    file = access_file(account, pk)
    if not services.is_leader(account, file.campaign):
        raise PermissionDenied(
            _("只有评查组长可以核定评分差异（《广东省行政执法案卷评查办法》第十条）")
        )
    spec = services.spec_of(file.template)
    marks: dict[str, Any] = {}
    refusal = ""
    reason = ""
    status = 200
    if request.method == "POST":
        marks = forms.marks_from_post(request.POST, spec)
        reason = (request.POST.get("reason") or "").strip()
        try:
            services.file_reconcile(
                actor=account, file=file, marks=marks, reason=reason, on=local_today()
            )
        except RuleViolation as exc:
            refusal, status = str(exc), 400
        else:
            messages.success(request, _("已核定该案卷的得分。"))
            return _see_other(reverse("evaluation_campaign", args=[file.campaign_id]))
    scorings = sel.visible_scorings(account, file)
    signed = [s for s in scorings if s.state == Scoring.State.SIGNED]
    items, vetoes = sel.scorings_compared(spec, signed)
    proposed = services.proposals_of(file)
    sections, veto_rows = sel.scoring_rows(spec, file, marks, proposed)
    return render(
        request,
        "evaluation/campaigns/reconcile.html",
        {
            "file": file,
            "case": file.case,
            "campaign": file.campaign,
            "scorings": signed,
            "compared_items": items,
            "compared_vetoes": vetoes,
            "sections": sections,
            "vetoes": veto_rows,
            "editable": file.state == File.State.DIFFERENT,
            "refusal": refusal,
            "reason": reason,
            "spec": spec,
        },
        status=status,
    )
