"""The to-do page, one for every role: what the account has to do, most urgent first,
filterable by kind and case."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhifa.registry.web import local_today, request_account

from .forms import TodoFilterForm
from .items import Todo, todo_kinds, todos_filtered, todos_for


def todo_page(
    request: HttpRequest, items: list[Todo], *, template: str, **context: object
) -> HttpResponse:
    """Render ``items`` with the kind/case filter (the to-do page and the head's 待审批)."""
    form = TodoFilterForm(request.GET or None, kinds=todo_kinds(items))
    kind = case = ""
    if form.is_valid():
        kind, case = form.cleaned_data["kind"], form.cleaned_data["case"]
    shown = todos_filtered(items, kind=kind, case=case)
    return render(
        request,
        template,
        {"form": form, "items": shown, "total": len(items), **context},
    )


@login_required
@require_GET
def todo_list(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    return todo_page(
        request,
        todos_for(account, local_today()),
        template="todos/todo_list.html",
        role=account.role,
        role_label=account.get_role_display(),
    )
