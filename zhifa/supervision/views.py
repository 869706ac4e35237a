"""Pages of supervision matters: the supervisor's list, the opening form and the matter
workspace (timeline, countdowns with their sources, next steps as forms, documents); the agency
head's 监督事项 inbox. Thin: parse, pass the gate (``access_matter``), call one service, render
or redirect. A refused step shows the rule and its article and keeps what was typed (409)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.core.exceptions import RuleViolation
from zhifa.publicity.selectors import publication_of_source
from zhifa.record.action_labels import action_label
from zhifa.record.evidence import evidence_open
from zhifa.record.models import EvidenceFile
from zhifa.registry import agency_lookup
from zhifa.registry.models import Account, Officer
from zhifa.registry.web import local_today, paginate, request_account

from . import documents, forms, scope, services, transitions
from .access import access_document, access_matter
from .models import Document, Matter, MatterSupervisor, Objection, Step
from .selectors import (
    matter_countdowns,
    matter_documents,
    matter_entries,
    matter_overdue,
    matter_steps,
    matter_team,
    matters_search,
    open_requests,
    rectifications_overdue,
)

Service = Callable[..., Any]


@dataclass(frozen=True)
class StepView:
    label: str
    form: type[djforms.Form]
    call: Service
    target: str = "matter"  # or "document", "objection", "request": a row of the matter


def _team(matter: Matter) -> Any:
    return Account.objects.filter(
        pk__in=MatterSupervisor.objects.filter(matter=matter).values("account_id")
    )


def _body_supervisors(matter: Matter) -> Any:
    # the body's supervisors and those of the 司法所 assisting it (条例第六条第二款)
    return scope.team_candidates(matter.body_id)


SUPERVISOR_STEPS: dict[str, StepView] = {
    "matter_accept": StepView("受理", forms.AcceptForm, services.matter_accept),
    "matter_refuse": StepView("不予受理", forms.RefuseForm, services.matter_refuse),
    "matter_transfer": StepView("移送", forms.TransferForm, services.matter_transfer),
    "matter_team_join": StepView("加入监督人员", forms.TeamForm, services.matter_team_join),
    "matter_recuse": StepView("回避", forms.RecuseForm, services.matter_recuse),
    "matter_measure_record": StepView(
        "记录监督措施", forms.MeasureForm, services.matter_measure_record
    ),
    "matter_explanation_request": StepView(
        "要求自查、说明情况", forms.RequestForm, services.matter_explanation_request
    ),
    "matter_case_file_read": StepView(
        "调阅案卷", forms.CaseFileForm, services.matter_case_file_read
    ),
    "matter_document_issue": StepView(
        "制发监督文书", forms.DocumentForm, services.matter_document_issue
    ),
    "matter_terminate": StepView("终止", forms.ReasonForm, services.matter_terminate),
    "matter_close": StepView("办结", forms.ReasonForm, services.matter_close),
    "objection_answer": StepView(
        "答复异议", forms.ObjectionAnswerForm, services.objection_answer, "objection"
    ),
    "document_check": StepView("验收整改", forms.CheckForm, services.document_check, "document"),
    "document_outcome_record": StepView(
        "登记处理结果", forms.OutcomeForm, services.document_outcome_record, "document"
    ),
    "document_publication_propose": StepView(
        "向社会公布",
        forms.PublicationProposeForm,
        services.document_publication_propose,
        "document",
    ),
}

AGENCY_STEPS: dict[str, StepView] = {
    "answer": StepView("书面说明", forms.AnswerForm, services.matter_explanation_answer, "request"),
    "objection": StepView(
        "提出异议", forms.ObjectionForm, services.document_objection_file, "document"
    ),
    "report": StepView("报送整改情况", forms.ReportForm, services.document_report, "document"),
}


def _form(
    name: str, view: StepView, matter: Matter, data: Any = None, files: Any = None
) -> djforms.Form:
    extra: dict[str, Any] = {}
    if name == "matter_team_join":
        extra["team"] = _body_supervisors(matter).exclude(pk__in=_team(matter))
    elif name == "matter_recuse" or name == "matter_measure_record":
        extra["team"] = _team(matter)
    elif name == "matter_document_issue":
        extra["officers"] = Officer.objects.filter(agency_id=matter.agency_id).order_by("name")
    return view.form(data, files, **extra)


def _target(name: str, view: StepView, matter: Matter, form: djforms.Form) -> dict[str, Any]:
    if view.target == "matter":
        return {"matter": matter}
    key = view.target
    pk = form.cleaned_data.pop(key)
    if key == "document":
        doc = Document.objects.filter(matter=matter, pk=pk).first()
        if doc is None:
            raise Http404
        return {"document": doc}
    if key == "objection":
        obj = Objection.objects.filter(document__matter=matter, pk=pk).first()
        if obj is None:
            raise Http404
        return {"objection": obj}
    req = Step.objects.filter(matter=matter, pk=pk, kind=Step.Kind.EXPLANATION_REQUEST).first()
    if req is None:
        raise Http404
    return {"request": req}


def _timeline(matter: Matter) -> list[dict[str, Any]]:
    return [
        {
            "seq": e.seq,
            "at": e.recorded_at,
            "actor": e.actor_name,
            "label": action_label(e.action),
            "files": e.file_refs,
        }
        for e in matter_entries(matter)
    ]


# -- supervisor ---------------------------------------------------------------------------------


@login_required
@require_GET
def matter_list(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    if account.role != Account.Role.SUPERVISOR:
        raise Http404
    g = request.GET
    qs = matters_search(
        account,
        q=g.get("q", "").strip(),
        state=g.get("state", ""),
        kind=g.get("kind", ""),
        origin=g.get("origin", ""),
    )
    today = local_today()
    return render(
        request,
        "supervision/matter_list.html",
        {
            "page": paginate(request, qs),
            "states": Matter.State.choices,
            "kinds": Matter.Kind.choices,
            "origins": Matter.Origin.choices,
            "q": g.get("q", ""),
            "state": g.get("state", ""),
            "kind": g.get("kind", ""),
            "origin": g.get("origin", ""),
            "overdue": rectifications_overdue(account, today),
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def matter_new(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    if account.role != Account.Role.SUPERVISOR or account.agency_id is None:
        raise Http404
    kept = agency_lookup.finding(request)
    if kept is not None:  # 查找 without script: the matches, what was typed kept, nothing checked
        form = forms.OpenForm(initial=kept, account=account)
    elif request.method == "POST":
        form = forms.OpenForm(request.POST, account=account)
    else:  # a link may name the body and the origin (?agency=…&origin=…&origin_ref=…)
        prefill = {
            k: request.GET[k] for k in ("agency", "origin", "origin_ref") if k in request.GET
        }
        form = forms.OpenForm(initial=prefill, account=account)
    refusal = ""
    try:
        scope.check_may_open_any(account)  # a 司法所 assists, it opens none (条例第六条第二款)
    except RuleViolation as exc:
        status = 409 if request.method == "POST" else 200
        return render(
            request,
            "supervision/matter_new.html",
            {"form": form, "refusal": str(exc), "finding": kept is not None},
            status=status,
        )
    if request.method == "POST" and kept is None:
        if form.is_valid():
            try:
                matter = services.matter_open(
                    actor=account, on=local_today(), **form.service_kwargs()
                )
            except RuleViolation as exc:
                refusal = str(exc)
            else:
                messages.success(request, f"已登记监督事项{matter.number}")
                return redirect("supervision_matter", pk=matter.pk)
        else:
            refusal = "请检查标出的栏目。"
    status = 409 if refusal and form.is_bound and form.is_valid() else (400 if refusal else 200)
    return render(
        request,
        "supervision/matter_new.html",
        {"form": form, "refusal": refusal, "finding": kept is not None},
        status=status,
    )


def _render_workspace(
    request: HttpRequest,
    account: Account,
    matter: Matter,
    *,
    bound: tuple[str, djforms.Form, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = local_today()
    open_services = transitions.services_from(matter.state)
    actions = []
    for name in open_services:
        view = SUPERVISOR_STEPS.get(name)
        if view is None:
            continue
        form = bound[1] if bound and bound[0] == name else _form(name, view, matter)
        actions.append({"name": name, "label": view.label, "form": form})
    docs = []
    for doc in matter_documents(matter):
        row: dict[str, Any] = {"doc": doc, "forms": []}
        for obj in doc.objections.all():
            # An objection routed upward is answered by that body; the issuing body reads it.
            answering = obj.answer_body_id or matter.body_id
            if obj.status == Objection.Status.FILED and account.agency_id == answering:
                name = "objection_answer"
                form = (
                    bound[1]
                    if bound and bound[0] == f"{name}:{obj.pk}"
                    else forms.ObjectionAnswerForm(initial={"objection": obj.pk})
                )
                row["forms"].append(
                    {"name": name, "slot": f"{name}:{obj.pk}", "label": "答复异议", "form": form}
                )
        if doc.status == Document.Status.REPORTED:
            name = "document_check"
            form = (
                bound[1]
                if bound and bound[0] == f"{name}:{doc.pk}"
                else forms.CheckForm(initial={"document": doc.pk})
            )
            row["forms"].append(
                {"name": name, "slot": f"{name}:{doc.pk}", "label": "验收整改", "form": form}
            )
        row["publication"] = publication_of_source(services.publication_ref(doc))
        if (
            doc.kind in services.PUBLISHABLE_KINDS
            and row["publication"] is None
            and account.agency_id == matter.body_id
        ):
            name = "document_publication_propose"
            form = (
                bound[1]
                if bound and bound[0] == f"{name}:{doc.pk}"
                else forms.PublicationProposeForm(initial={"document": doc.pk})
            )
            row["forms"].append(
                {"name": name, "slot": f"{name}:{doc.pk}", "label": "向社会公布", "form": form}
            )
        if doc.kind in ("officer_recommendation", "clue_transfer"):
            name = "document_outcome_record"
            form = (
                bound[1]
                if bound and bound[0] == f"{name}:{doc.pk}"
                else forms.OutcomeForm(initial={"document": doc.pk})
            )
            row["forms"].append(
                {"name": name, "slot": f"{name}:{doc.pk}", "label": "登记处理结果", "form": form}
            )
        docs.append(row)
    return render(
        request,
        "supervision/workspace.html",
        {
            "matter": matter,
            "actions": actions,
            "documents": docs,
            "steps": matter_steps(matter),
            "team": matter_team(matter),
            "countdowns": matter_countdowns(matter, today),
            "overdue": matter_overdue(matter, today),
            "timeline": _timeline(matter),
            "bound": bound[0] if bound else "",
            "refusal": bound[2] if bound else "",
        },
        status=status,
    )


@login_required
@require_GET
def matter_workspace(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    return _render_workspace(request, account, access_matter(account, pk))


def _slot(name: str, view: StepView, form: djforms.Form, data: Any) -> str:
    if view.target == "matter":
        return name
    return f"{name}:{data.get(view.target, '')}"


@login_required
@require_POST
def matter_step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    account = request_account(request)
    matter = access_matter(account, pk)
    view = SUPERVISOR_STEPS.get(name)
    if view is None:
        raise Http404
    form = _form(name, view, matter, request.POST, request.FILES)
    slot = _slot(name, view, form, request.POST)
    if not form.is_valid():
        return _render_workspace(
            request, account, matter, bound=(slot, form, "请检查标出的栏目。"), status=400
        )
    try:
        target = _target(name, view, matter, form)
        view.call(actor=account, on=local_today(), **target, **form.service_kwargs())  # type: ignore[attr-defined]
    except RuleViolation as exc:
        if exc.field and exc.field in form.fields:
            form.add_error(exc.field, "")
        matter = access_matter(account, pk)
        return _render_workspace(request, account, matter, bound=(slot, form, str(exc)), status=409)
    messages.success(request, f"已完成：{view.label}")
    return redirect("supervision_matter", pk=matter.pk)


# -- documents (both sides) ------------------------------------------------------------------------


def _file(stored: EvidenceFile | None) -> FileResponse:
    if stored is None:
        raise Http404
    try:
        stream = evidence_open(stored.sha256)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(stream, content_type=stored.media_type)
    suffix = stored.original_name.rpartition(".")[2].encode("ascii", "ignore").decode() or "bin"
    response["Content-Disposition"] = (
        f'attachment; filename="zhifa-{stored.sha256[:12]}.{suffix}"; '
        f"filename*=UTF-8''{quote(stored.original_name, safe='')}"
    )
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def document_file(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    account = request_account(request)
    doc = access_document(account, pk)
    if fmt not in ("pdf", "docx"):
        raise Http404
    return _file(doc.pdf if fmt == "pdf" else doc.docx)


@login_required
@require_GET
def attachment_file(request: HttpRequest, pk: int, sha256: str) -> FileResponse:
    """An attachment carried by one of the matter's entries (either side)."""
    account = request_account(request)
    side = "supervisor" if account.role == Account.Role.SUPERVISOR else "agency"
    matter = access_matter(account, pk, side=side)
    for entry in matter_entries(matter):
        for ref in entry.file_refs:
            if ref.sha256 == sha256:
                return _file(EvidenceFile.objects.filter(sha256=sha256).first())
    raise Http404


# -- the agency's inbox ---------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    if account.role != Account.Role.HEAD:
        raise Http404
    from .selectors import matters_visible_to

    return render(
        request,
        "supervision/inbox.html",
        {"page": paginate(request, matters_visible_to(account)), "today": local_today()},
    )


def _render_inbox_matter(
    request: HttpRequest,
    account: Account,
    matter: Matter,
    *,
    bound: tuple[str, djforms.Form, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    def form_for(name: str, key: str, pk: int) -> djforms.Form:
        slot = f"{name}:{pk}"
        if bound and bound[0] == slot:
            return bound[1]
        return AGENCY_STEPS[name].form(initial={key: pk})

    live = not matter.is_final
    requests = (
        [
            {"step": s, "slot": f"answer:{s.pk}", "form": form_for("answer", "request", s.pk)}
            for s in open_requests(matter)
        ]
        if live
        else []
    )
    docs = []
    for doc in matter_documents(matter):
        row: dict[str, Any] = {"doc": doc, "forms": []}
        if live and doc.kind in (
            "urge_letter",
            "opinion",
        ):  # not the government's 决定书 (第二十九条)
            if doc.status == Document.Status.ISSUED and not any(
                o.status == "filed" for o in doc.objections.all()
            ):
                row["forms"].append(
                    {
                        "name": "objection",
                        "slot": f"objection:{doc.pk}",
                        "label": "提出异议",
                        "form": form_for("objection", "document", doc.pk),
                    }
                )
            if doc.status in (Document.Status.ISSUED, Document.Status.REJECTED):
                row["forms"].append(
                    {
                        "name": "report",
                        "slot": f"report:{doc.pk}",
                        "label": "报送整改情况",
                        "form": form_for("report", "document", doc.pk),
                    }
                )
        docs.append(row)
    answered = Step.objects.filter(matter=matter, kind=Step.Kind.EXPLANATION_ANSWER).select_related(
        "answers"
    )
    return render(
        request,
        "supervision/inbox_matter.html",
        {
            "matter": matter,
            "requests": requests,
            "answered": answered,
            "documents": docs,
            "countdowns": matter_countdowns(matter, local_today()),
            "overdue": matter_overdue(matter, local_today()),
            "objection_upper": _objection_upper_name(matter),
            "objection_suspends": services.objection_suspends_rectification(),
            "bound": bound[0] if bound else "",
            "refusal": bound[2] if bound else "",
        },
        status=status,
    )


@login_required
@require_GET
def inbox_matter(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    return _render_inbox_matter(request, account, access_matter(account, pk, side="agency"))


@login_required
@require_POST
def inbox_step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    account = request_account(request)
    matter = access_matter(account, pk, side="agency")
    view = AGENCY_STEPS.get(name)
    if view is None:
        raise Http404
    form = view.form(request.POST, request.FILES)
    slot = f"{name}:{request.POST.get(view.target, '')}"
    if not form.is_valid():
        return _render_inbox_matter(
            request, account, matter, bound=(slot, form, "请检查标出的栏目。"), status=400
        )
    try:
        target = _target(name, view, matter, form)
        kwargs = dict(form.cleaned_data)
        kwargs["files"] = forms.attachments_store(kwargs.pop("attachments", None) or [])
        view.call(actor=account, on=local_today(), **target, **kwargs)
    except RuleViolation as exc:
        matter = access_matter(account, pk, side="agency")
        return _render_inbox_matter(
            request, account, matter, bound=(slot, form, str(exc)), status=409
        )
    messages.success(request, f"已完成：{view.label}")
    return redirect("supervision_inbox_matter", pk=matter.pk)


def _objection_upper_name(matter: Matter) -> str:
    """The upper-level body an objection goes to where the deployment routes it up, else ""."""
    if not services.objections_go_upward():
        return ""
    upper = services.upper_supervisory_body(matter.body)
    return upper.name if upper is not None else ""


def matter_url(matter: Matter) -> str:
    return reverse("supervision_matter", kwargs={"pk": matter.pk})


# -- the supervisory body's own wording of its documents --------------------------------------


def _body_supervisor(request: HttpRequest) -> Account:
    account = request_account(request)
    if account.role != Account.Role.SUPERVISOR or account.agency_id is None:
        raise Http404
    return account


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    """Every document kind with the wording the body uses: its own or the default."""
    account = _body_supervisor(request)
    rows = [
        {
            "kind": kind,
            "label": label,
            "own": documents.template_source(account.agency_id or 0, kind) == "body",
        }
        for kind, label in Document.Kind.choices
    ]
    return render(request, "supervision/templates.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    """Edit one kind's wording: preview it on the body's last such document (nothing saved),
    save it (recorded, with the whole text), or go back to the default file."""
    account = _body_supervisor(request)
    if kind not in Document.Kind.values:
        raise Http404
    body_id = account.agency_id or 0
    current, _source = documents.template_for(body_id, kind)
    form = forms.TemplateForm(request.POST or None, initial={"text": current})
    action = request.POST.get("action", "save")
    preview: list[Any] = []
    refusal = ""
    status = 200
    if request.method == "POST" and action == "reset":
        services.document_template_set(
            actor=account, kind=kind, text=documents.default_template(kind)
        )
        messages.success(request, "已恢复为默认模板")
        return redirect("supervision_template", kind=kind)
    if request.method == "POST":
        if not form.is_valid():
            refusal, status = "请检查标出的栏目。", 400
        else:
            text = form.cleaned_data["text"]
            try:
                if action == "preview":
                    preview = documents.template_preview(
                        text,
                        kind=kind,
                        body_id=body_id,
                        body_name=account.agency.name if account.agency else "",
                        today=local_today(),
                    )
                else:
                    services.document_template_set(actor=account, kind=kind, text=text)
                    messages.success(request, "模板已保存，此后制发的文书使用新模板")
                    return redirect("supervision_template", kind=kind)
            except RuleViolation as exc:
                refusal, status = str(exc), 409
    return render(
        request,
        "supervision/template_edit.html",
        {
            "kind": kind,
            "label": Document.Kind(kind).label,
            "own": documents.template_source(body_id, kind) == "body",
            "form": form,
            "preview": preview,
            "refusal": refusal,
            "variables": documents.VARIABLES,
        },
        status=status,
    )
