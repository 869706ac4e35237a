"""The supervisors' template pages: the list of templates with their versions, a template's
detail (sections, items with their rules, record checks and sources, vetoes and their effect,
grade bands), the editor of a draft (header fields and the content as rows), publish, new
version, retire, import and export, and the preview that scores a past file (writes nothing).

Thin: the gate (``_reader``: a supervisor or the system administrator; then ``access_template``)
— anyone else gets 404 as for a template that does not exist; one service per write; a refusal
shows its rule and keeps what was typed (409)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.core.exceptions import RuleViolation
from zhifa.registry.models import Account
from zhifa.registry.selectors import is_system_admin
from zhifa.registry.web import local_today, request_account

from . import forms_templates as ft
from . import services, services_templates, template_transfer
from .access import access_template
from .models import Template
from .selectors_templates import (
    preview_cases,
    preview_score,
    template_detail,
    template_families,
)


def _reader(request: HttpRequest) -> Account:
    account = request_account(request)
    if account.role == Account.Role.SUPERVISOR or is_system_admin(account):
        return account
    raise Http404


def _template(request: HttpRequest, pk: int) -> tuple[Account, Template]:
    account = _reader(request)
    return account, access_template(account, pk)


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    account = _reader(request)
    return render(
        request,
        "evaluation/templates/list.html",
        {
            "families": template_families(account),
            "may_keep": services.may_keep_templates(account),
        },
    )


@login_required
@require_GET
def template_view(request: HttpRequest, pk: int) -> HttpResponse:
    account, template = _template(request, pk)
    return render(
        request,
        "evaluation/templates/detail.html",
        {
            **template_detail(template),
            "may_edit": services_templates.may_edit(account, template),
        },
    )


def _editor(
    request: HttpRequest,
    *,
    template: Template | None,
    header: ft.HeaderForm,
    rows: dict[str, list[dict[str, str]]],
    row_errors: dict[str, list[str]] | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "evaluation/templates/edit.html",
        {
            "template": template,
            "header": header,
            "tables": ft.tables_from_rows(rows, row_errors),
            "refusal": refusal,
        },
        status=status,
    )


def _save(request: HttpRequest, account: Account, template: Template | None) -> HttpResponse:
    """The editor's POST: add a row, or save the draft (create or update)."""
    action = request.POST.get("action", "save")
    add = action[4:] if action.startswith("add-") else ""
    header = ft.HeaderForm(request.POST, with_key=template is None)
    rows = ft.rows_from_post(request.POST, add=add)
    if add:  # the typed header comes back as it was, without "required" marks yet
        typed = ft.HeaderForm(initial=request.POST.dict(), with_key=template is None)
        return _editor(request, template=template, header=typed, rows=rows)
    veto_effect = request.POST.get("veto_effect") or Template.VetoEffect.FAIL
    content, row_errors, general = ft.content_from_post_rows(rows, veto_effect)
    if not header.is_valid() or content is None:
        return _editor(
            request,
            template=template,
            header=header,
            rows=rows,
            row_errors=row_errors,
            refusal=general or "请检查标出的栏目。",
            status=400,
        )
    data = header.cleaned_data
    try:
        if template is None:
            template = services.template_create(
                actor=account, content=content, on=local_today(), **data
            )
        else:
            services_templates.template_update(
                actor=account, template=template, on=local_today(), content=content, **data
            )
    except RuleViolation as exc:
        if exc.field in header.fields:
            header.add_error(exc.field, str(exc))
        return _editor(
            request,
            template=template,
            header=header,
            rows=rows,
            refusal=str(exc),
            status=409,
        )
    messages.success(request, "评查标准草稿已保存")
    return redirect("evaluation_template", pk=template.pk)


@login_required
@require_http_methods(["GET", "POST"])
def template_new(request: HttpRequest) -> HttpResponse:
    account = _reader(request)
    if not services.may_keep_templates(account):
        raise Http404
    if request.method == "POST":
        return _save(request, account, None)
    issuer = account.agency.name if account.agency_id and account.agency else ""
    header = ft.HeaderForm(
        initial={"issuer": issuer, "applies_to": "penalty_general", "veto_effect": "fail"}
    )
    return _editor(request, template=None, header=header, rows=ft.blank_rows())


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account, template = _template(request, pk)
    if not services_templates.may_edit(account, template):
        raise Http404
    if template.status != Template.Status.DRAFT:
        messages.error(request, services_templates.FROZEN_RULE)
        return redirect("evaluation_template", pk=template.pk)
    if request.method == "POST":
        return _save(request, account, template)
    header = ft.HeaderForm(
        initial={f: getattr(template, f) for f in services_templates.HEADER_FIELDS},
        with_key=False,
    )
    rows = template_transfer.rows_from_content(template.content)
    return _editor(request, template=template, header=header, rows=rows)


def _step(request: HttpRequest, pk: int, call: Any, done: str) -> HttpResponse:
    account, template = _template(request, pk)
    if not services_templates.may_edit(account, template):
        raise Http404
    try:
        result = call(actor=account, template=template, on=local_today())
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return redirect("evaluation_template", pk=template.pk)
    messages.success(request, done)
    return redirect("evaluation_template", pk=result.pk)


@login_required
@require_POST
def template_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.template_publish, "评查标准已发布，此后不再变动")


@login_required
@require_POST
def template_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services_templates.template_new_version, "已建立新版本草稿，可以修改")


@login_required
@require_POST
def template_retire(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services_templates.template_retire, "该版本已停用")


@login_required
@require_GET
def template_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    _account, template = _template(request, pk)
    name = f"{template.key}-v{template.version}"
    if fmt == "json":
        response = HttpResponse(
            template_transfer.export_json(template), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        template_transfer.export_xlsx(template, response)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def template_import(request: HttpRequest) -> HttpResponse:
    account = _reader(request)
    if not services.may_keep_templates(account):
        raise Http404
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors, status = ["请选择要导入的.xlsx或.json文件"], 400
        else:
            try:
                header = template_transfer.import_file(upload.name or "", upload.read())
                template = services_templates.template_import(
                    actor=account, header=header, on=local_today()
                )
            except template_transfer.TransferError as exc:
                errors, status = [str(e) for e in exc.errors], 400
            except RuleViolation as exc:
                errors, status = [str(exc)], 409
            else:
                messages.success(request, "已导入为草稿，请核对后发布")
                return redirect("evaluation_template", pk=template.pk)
    return render(request, "evaluation/templates/import.html", {"errors": errors}, status=status)


@login_required
@require_GET
def template_preview(request: HttpRequest, pk: int) -> HttpResponse:
    account, template = _template(request, pk)
    cases = preview_cases(account, template)
    chosen = None
    raw = request.GET.get("case") or ""
    if raw.isdigit():
        chosen = cases.filter(pk=int(raw)).first()
    context: dict[str, Any] = {
        **template_detail(template),
        "cases": cases[:100],
        "chosen": chosen,
        "asked": raw,
    }
    if chosen is not None:
        context["preview"] = preview_score(template, chosen, on=local_today())
    return render(request, "evaluation/templates/preview.html", context)
