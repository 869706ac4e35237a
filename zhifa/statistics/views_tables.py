"""The indicator catalogue page and the table editor (thin: gate, one service, render).

The catalogue (every indicator with its definition, unit, date, origin and source, and the
counting settings with their sources) is open to every signed-in account. The editor is for
the system administrator and a province's supervisors (``services_tables.may_edit_tables``);
everyone else gets 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.core.exceptions import RuleViolation
from zhifa.registry.models import Account
from zhifa.registry.web import request_account

from . import catalogue, selectors_tables, services_tables
from .forms_tables import TableActiveForm, TableColumnsForm, TableCreateForm


@login_required
def statistics_catalogue(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    return render(
        request,
        "statistics/tables/catalogue.html",
        {
            "rows": selectors_tables.catalogue_rows(),
            "settings": selectors_tables.counting_settings(),
            "tables": selectors_tables.tables_for(),
            "names": {c: i.name for c, i in catalogue.INDICATORS.items()},
            "may_edit": services_tables.may_edit_tables(account),
        },
    )


def _editor(request: HttpRequest) -> Account:
    account = request_account(request)
    if not services_tables.may_edit_tables(account):
        raise PermissionDenied(_("只有系统管理员或省级执法监督人员可以设定统计表"))
    return account


def _refused(form: Any, exc: RuleViolation) -> str:
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    return str(exc)


@login_required
@require_http_methods(["GET", "POST"])
def statistics_tables(request: HttpRequest) -> HttpResponse:
    """The tables in force, the deployment's own, and the form for a new table."""
    account = _editor(request)
    form = TableCreateForm(request.POST or None)
    refusal, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                row = services_tables.table_create(actor=account, **form.cleaned_data)
            except RuleViolation as exc:
                refusal, status = _refused(form, exc), 409
            else:
                messages.success(request, _("已新建统计表“%(name)s”") % {"name": row.name})
                return redirect("statistics_table", code=row.code)
        else:
            refusal, status = _("请检查标出的栏目。"), 400
    return render(
        request,
        "statistics/tables/tables.html",
        {
            "tables": selectors_tables.tables_for(),
            "defined": selectors_tables.table_definitions_current(),
            "standard": [t.code for t in catalogue.standard_tables()],
            "names": {c: i.name for c, i in catalogue.INDICATORS.items()},
            "form": form,
            "refusal": refusal,
        },
        status=status,
    )


def _table_page(
    request: HttpRequest,
    code: str,
    *,
    columns_form: TableColumnsForm | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    current = services_tables.table_current(code)
    std = services_tables.standard(code)
    if current is None and std is None:
        raise Http404
    cols = list(current.columns) if current else list(std.columns if std else ())
    name = current.name if current else (std.name if std else "")
    active = current.active if current else True
    return render(
        request,
        "statistics/tables/table.html",
        {
            "code": code,
            "name": name,
            "active": active,
            "is_standard": std is not None,
            "columns": [catalogue.INDICATORS[c] for c in cols if c in catalogue.INDICATORS],
            "history": selectors_tables.table_history(code),
            "columns_form": columns_form
            or TableColumnsForm(initial={"name": name, "columns": "\n".join(cols)}),
            "active_form": TableActiveForm(initial={"active": "0" if active else "1"}),
            "indicators": list(catalogue.INDICATORS.values()),
            "refusal": refusal,
        },
        status=status,
    )


@login_required
def statistics_table(request: HttpRequest, code: str) -> HttpResponse:
    _editor(request)
    return _table_page(request, code)


@login_required
@require_POST
def statistics_table_columns(request: HttpRequest, code: str) -> HttpResponse:
    account = _editor(request)
    form = TableColumnsForm(request.POST)
    if not form.is_valid():
        return _table_page(
            request, code, columns_form=form, refusal=_("请检查标出的栏目。"), status=400
        )
    try:
        services_tables.table_columns_set(actor=account, code=code, **form.cleaned_data)
    except RuleViolation as exc:
        return _table_page(
            request, code, columns_form=form, refusal=_refused(form, exc), status=409
        )
    messages.success(request, _("已保存统计表栏目（新版本）"))
    return redirect("statistics_table", code=code)


@login_required
@require_POST
def statistics_table_active(request: HttpRequest, code: str) -> HttpResponse:
    account = _editor(request)
    form = TableActiveForm(request.POST)
    if not form.is_valid():
        return _table_page(request, code, refusal=_("请检查标出的栏目。"), status=400)
    try:
        services_tables.table_active_set(
            actor=account, code=code, active=form.cleaned_data["active"]
        )
    except RuleViolation as exc:
        return _table_page(request, code, refusal=str(exc), status=409)
    messages.success(request, _("已更新统计表状态"))
    return redirect("statistics_table", code=code)
