"""The publisher's pages (/publish/) and the public decision pages (/public/decisions/).

Thin: parse the input, pass the gate (``access_publication`` / ``public_publication`` / a
``publications_*`` selector), call one service, render or redirect. A refused step shows the
service's message (naming the rule) and changes nothing. The public pages render only the
published versions' fields and text — never the case, its parties or the draft.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.cases.models import Case
from zhifa.cases.personal_data import PartyMask, party_mask
from zhifa.cases.selectors import case_parties
from zhifa.core.exceptions import RuleViolation
from zhifa.core.throttling import anonymous_write_refusal
from zhifa.record.services import public_verifier_key
from zhifa.registry.models import Account
from zhifa.registry.web import (
    is_htmx_partial,
    local_today,
    paginate,
    public_cache,
    request_account,
    without_csrf_cookie,
)

from . import selectors, services
from .access import (
    PublicationAction,
    access_publication,
    access_report,
    public_publication,
    require_publicity_reader,
)
from .forms import (
    ChangeForm,
    CorrectForm,
    FieldsForm,
    HoldForm,
    PublicFilterForm,
    PublishForm,
    ReportAnswerForm,
    ReportForm,
    SpanAddForm,
    SpanResolveForm,
    SpanUndoForm,
)
from .models import Publication, PublicationVersion

Role = Account.Role

# The throttle of anonymous 纠错 reports, per network address (settings.ZHIFA_THROTTLES).
REPORT_THROTTLE = "publicity.report"


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303  # after a POST: the browser GETs the page
    return response


# -- the publisher's lists ----------------------------------------------------------------------


def _rows(publications: Any, today: Any) -> list[tuple[Publication, selectors.Countdown]]:
    return [(p, selectors.countdown(p, today)) for p in publications]


@login_required
@require_GET
def publish_home(request: HttpRequest) -> HttpResponse:
    """Due and overdue drafts with their working-day countdowns, held ones, open reports."""
    account = request_account(request)
    require_publicity_reader(account)
    today = local_today()
    return render(
        request,
        "publicity/publish_home.html",
        {
            "today": today,
            "due": _rows(selectors.publications_due(account, today)[:200], today),
            "overdue": _rows(selectors.publications_overdue(account, today)[:200], today),
            "held": selectors.publications_held(account)[:50],
            "withdrawn": selectors.publications_withdrawn(account)[:20],
            "reports": selectors.reports_open(account)[:50],
            "published": selectors.publications_visible_to(account)
            .filter(state=Publication.State.PUBLISHED)
            .order_by("-published_on", "-id")[:20],
            "editor": account.role == Role.PUBLISHER,
        },
    )


@login_required
@require_GET
def publish_statistics(request: HttpRequest) -> HttpResponse:
    """Each agency in scope: published, on time, late, overdue now, on-time rate."""
    account = request_account(request)
    require_publicity_reader(account)
    today = local_today()
    return render(
        request,
        "publicity/statistics.html",
        {"rows": selectors.on_time_rates(account, today), "today": today},
    )


# -- the review screen --------------------------------------------------------------------------


def _review_context(request: HttpRequest, publication: Publication, **extra: Any) -> dict[str, Any]:
    account = request_account(request)
    editor = account.role == Role.PUBLISHER and account.agency_id == publication.agency_id
    # Outside the agency (supervisors, the system administrator) the original is read as the
    # case page shows it: personal fields masked (cases.personal_data).
    if publication.case is not None:
        mask = party_mask(account, publication.case, case_parties(publication.case))
    elif account.agency_id == publication.agency_id:
        mask = None  # the supervisory body's own result, read by its own staff
    else:
        # Another reader of a supervision result: the parties' values masked as on case pages.
        cases = Case.objects.filter(pk__in=publication.known_cases)
        mask = PartyMask(p for c in cases for p in case_parties(c))
    review = selectors.publication_review(publication, mask)
    labels = services.field_labels(publication)
    current = selectors.current_version(publication)
    context: dict[str, Any] = {
        "publication": publication,
        "review": review,
        "editor": editor and publication.state == Publication.State.DRAFT,
        "publisher": editor,
        "countdown": selectors.countdown(publication, local_today()),
        "versions": selectors.publication_versions(publication),
        "current": current,
        "reports": publication.reports.order_by("-reported_at"),
        "field_rows": [
            (name, label, publication.draft_fields.get(name, "")) for name, label in labels.items()
        ],
        "span_form": SpanAddForm(),
        "fields_form": FieldsForm(initial=publication.draft_fields, labels=labels),
        "publish_form": PublishForm(initial={"on": local_today()}),
        "hold_form": HoldForm(),
        "correct_form": CorrectForm(
            initial={
                "on": local_today(),
                **(current.fields if current else {}),
                "text": current.text if current else "",
            }
        ),
        "change_form": ChangeForm(initial={"on": local_today()}),
        "answer_form": ReportAnswerForm(),
        "resolve_choices": [("1", _("删除")), ("0", _("保留（非个人信息）"))],
    }
    context.update(extra)
    return context


@login_required
@require_GET
def publication_review(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    require_publicity_reader(account)
    publication = access_publication(account, pk, PublicationAction.READ)
    return render(request, "publicity/review.html", _review_context(request, publication))


@dataclass(frozen=True)
class Step:
    form: type[forms.Form]
    run: Callable[[Account, Publication, dict[str, Any]], object]
    done: str
    partial: bool = False  # answered with the redaction panel for an HTMX request


def _correct(actor: Account, p: Publication, d: dict[str, Any]) -> object:
    current = selectors.current_version(p)
    fields = {k: d[k] for k in ("content", "basis", "conclusion") if d.get(k)}
    report = None
    if d.get("report"):
        report = access_report(actor, int(d["report"]))
    return services.publication_correct(
        actor=actor,
        publication=p,
        on=d["on"],
        notice=d["notice"],
        fields=fields,
        text=d["text"] if d.get("text") and current and d["text"] != current.text else None,
        report=report,
    )


STEPS: dict[str, Step] = {
    "span_add": Step(
        SpanAddForm,
        lambda a, p, d: services.publication_span_add(
            actor=a, publication=p, start=d["start"], end=d["end"], kind=d["kind"]
        ),
        "已标注并删除所选内容",
        partial=True,
    ),
    "span_undo": Step(
        SpanUndoForm,
        lambda a, p, d: services.publication_span_undo(actor=a, publication=p, span_id=d["span"]),
        "已撤销该处删除",
        partial=True,
    ),
    "span_resolve": Step(
        SpanResolveForm,
        lambda a, p, d: services.publication_span_resolve(
            actor=a, publication=p, span_id=d["span"], remove=d["remove"]
        ),
        "已确认",
        partial=True,
    ),
    "fields": Step(
        FieldsForm,
        lambda a, p, d: services.publication_fields_edit(actor=a, publication=p, fields=d),
        "公开字段已保存",
    ),
    "publish": Step(
        PublishForm,
        lambda a, p, d: services.publication_publish(actor=a, publication=p, on=d["on"]),
        "已公开",
    ),
    "hold": Step(
        HoldForm,
        lambda a, p, d: services.publication_hold(
            actor=a, publication=p, reason=d["reason"], note=d["note"]
        ),
        "已决定不予公开",
    ),
    "correct": Step(CorrectForm, _correct, "已发布更正"),
    "withdraw": Step(
        ChangeForm,
        lambda a, p, d: services.publication_withdraw(
            actor=a,
            publication=p,
            on=d["on"],
            change_kind=d["change_kind"],
            changed_on=d["changed_on"],
            reason=d["reason"],
        ),
        "已撤回",
    ),
    "update": Step(
        ChangeForm,
        lambda a, p, d: services.publication_update_after_change(
            actor=a,
            publication=p,
            on=d["on"],
            change_kind=d["change_kind"],
            changed_on=d["changed_on"],
            reason=d["reason"],
            fields={"conclusion": d["conclusion"]} if d.get("conclusion") else None,
        ),
        "已更新",
    ),
}


def _form_errors(form: forms.Form) -> list[str]:
    out = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        prefix = f"{field.label}：" if field is not None and field.label else ""
        out += [f"{prefix}{e}" for e in errors]
    return out


@login_required
@require_POST
def publication_step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    account = request_account(request)
    require_publicity_reader(account)
    step = STEPS.get(name)
    if step is None:
        raise Http404
    publication = access_publication(account, pk, PublicationAction.EDIT)
    form = (
        FieldsForm(request.POST, labels=services.field_labels(publication))
        if step.form is FieldsForm
        else step.form(request.POST)
    )
    error = ""
    if not form.is_valid():
        error = "；".join(_form_errors(form))
    else:
        try:
            step.run(account, publication, dict(form.cleaned_data))
        except RuleViolation as exc:
            error = str(exc)
    fresh = access_publication(account, pk, PublicationAction.READ)
    if step.partial and is_htmx_partial(request):
        return render(
            request,
            "publicity/_redaction.html",
            _review_context(
                request, fresh, step_error=error, step_done="" if error else _(step.done)
            ),
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _(step.done))
    return _see_other(reverse("publication_review", args=[pk]))


@login_required
@require_POST
def report_answer(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    require_publicity_reader(account)
    report = access_report(account, pk)
    # Answering is the agency's publisher's, as every change to its publications: a supervisor
    # or the system administrator who reads the report is refused here, not by the service.
    access_publication(account, report.publication_id, PublicationAction.EDIT)
    form = ReportAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.correction_report_reject(
                actor=account, report=report, answer=form.cleaned_data["answer"]
            )
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已答复纠错意见"))
    else:
        messages.error(request, _("请写明核实情况"))
    return _see_other(reverse("publication_review", args=[report.publication_id]))


# -- the public pages ---------------------------------------------------------------------------


@require_GET
@public_cache
def decision_list(request: HttpRequest) -> HttpResponse:
    form = PublicFilterForm(request.GET or None)
    qs = selectors.publications_public()
    if form.is_valid():
        d = form.cleaned_data
        qs = selectors.publications_public_search(
            qs, agency=d["agency"], kind=d["kind"], since=d["since"], until=d["until"]
        )
    page = paginate(request, qs)
    return render(
        request,
        "publicity/decision_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(p, selectors.current_of(p)) for p in page],
            "agencies": selectors.public_agencies(),
            "kinds": [c for c in Publication.Kind.choices if c[0] != Publication.Kind.SUPERVISION],
            **without_csrf_cookie(request),
        },
    )


def _version_of(publication: Publication, request: HttpRequest) -> PublicationVersion | None:
    versions = list(selectors.publication_versions(publication))
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        return next((v for v in versions if v.number == int(wanted)), None)
    return versions[-1] if versions else None


@require_http_methods(["GET", "POST"])
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = public_publication(pk)
    if publication.state == Publication.State.EXPIRED:
        return render(
            request, "publicity/decision_expired.html", {"publication": publication}, status=410
        )
    versions = list(selectors.publication_versions(publication))
    current = versions[-1]
    # A withdrawal version carries the notice; the decision's text is the one it superseded.
    shown = current
    if current.kind == PublicationVersion.Kind.WITHDRAW and len(versions) > 1:
        shown = versions[-2]
    report_form = ReportForm(request.POST or None)
    status = 200
    refusal = None
    if request.method == "POST":
        # Anyone may report, so a burst from one address is refused (zhifa.core.throttling).
        refusal = anonymous_write_refusal(request, REPORT_THROTTLE)
        if refusal is not None:
            report_form.add_error(None, refusal.message(_("提交纠错意见")))
        elif report_form.is_valid():
            try:
                services.correction_report_submit(
                    publication=publication,
                    text=report_form.cleaned_data["text"],
                    contact=report_form.cleaned_data["contact"],
                )
            except RuleViolation as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已收到您的纠错意见，执法机关将核实处理"))
                return _see_other(reverse("decision_detail", args=[pk]))
        status = 400 if refusal is None else 429
    bundle = selectors.version_bundle(current)
    response = render(
        request,
        "publicity/decision_detail.html",
        {
            "publication": publication,
            "versions": versions,
            "current": current,
            "shown": shown,
            "field_rows": selectors.public_field_rows(
                shown.fields, services.field_labels(publication)
            ),
            "bundle": bundle,
            "public_key": public_verifier_key(),
            "report_form": report_form,
        },
        status=status,
    )
    if refusal is not None:
        response["Retry-After"] = str(refusal.retry_after(timezone.now()))
    return response


@require_GET
@public_cache
def decision_proof(request: HttpRequest, pk: int) -> HttpResponse:
    """``proof.json``: everything needed to verify one version offline (``?version=n``;
    default the current one)."""
    publication = public_publication(pk)
    if publication.state == Publication.State.EXPIRED:
        raise Http404
    version = _version_of(publication, request)
    if version is None:
        raise Http404
    bundle = selectors.version_bundle(version)
    if bundle is None:
        raise Http404
    response = JsonResponse(bundle, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@public_cache
def decision_verify(request: HttpRequest) -> HttpResponse:
    """How anyone can verify a published decision, with the in-browser verifier."""
    source = request.GET.get("proof", "")
    if not source.startswith("/public/decisions/"):
        source = ""
    return render(
        request,
        "publicity/verify.html",
        {
            "proof_url": source,
            "public_key": public_verifier_key(),
            **without_csrf_cookie(request),
        },
    )


@require_GET
@public_cache
def supervision_result_list(request: HttpRequest) -> HttpResponse:
    """执法监督结果公开: the supervisory bodies' published results (条例第三十一条), a column of
    their own beside the decisions — body, number and date; each opens its public page (the
    same page, versions and proof as a decision)."""
    page = paginate(request, selectors.supervision_results_public())
    return render(
        request,
        "publicity/supervision_result_list.html",
        {
            "page": page,
            "rows": [(p, selectors.current_of(p)) for p in page],
            **without_csrf_cookie(request),
        },
    )
