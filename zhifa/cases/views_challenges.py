"""The case workspace's 行政复议 / 行政诉讼 panel and its two forms (thin: parse, gate, one
service, redirect; a refusal re-renders the form with what was typed and the rule)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.core.exceptions import RuleViolation
from zhifa.registry.models import Account
from zhifa.registry.web import local_today, request_account

from . import services_challenges as sc
from .access import access_case, takes_steps
from .forms_challenges import ChallengeConcludeForm, ChallengeRecordForm
from .models import Case, Challenge


def challenges_panel(
    account: Account, case: Case, next_actions: list[Any]
) -> dict[str, Any] | None:
    """The workspace panel (after the next steps): the case's challenges with their notes and,
    for the agency's officers and head once the case is decided, the forms."""
    del next_actions
    rows = sc.challenges_of(case)
    if case.decided_on is None and not rows:
        return None
    may = takes_steps(account, case) and case.decided_on is not None
    today = local_today()
    notes = sc.challenge_late_notes(case)
    return {
        "template": "cases/_challenges_panel.html",
        "after_actions": True,
        # each row: the challenge, its late-filing note, the form for its result (open ones)
        "rows": [
            (
                c,
                notes.get(c.pk, ""),
                ChallengeConcludeForm(prefix=f"conclude-{c.pk}", initial={"on": today})
                if may and c.concluded_on is None
                else None,
            )
            for c in rows
        ],
        "may_record": may,
        "record_form": ChallengeRecordForm(prefix="challenge", initial={"on": today})
        if may
        else None,
    }


def _gate(request: HttpRequest, pk: int) -> tuple[Account, Case]:
    account = request_account(request)
    case = access_case(account, pk)
    if not takes_steps(account, case):
        raise PermissionDenied(_("只有本机关的执法人员可以登记行政复议、行政诉讼情况"))
    return account, case


def _refused(
    request: HttpRequest, case: Case, form: Any, refusal: str, status: int
) -> HttpResponse:
    return render(
        request,
        "cases/challenge_form.html",
        {"case": case, "form": form, "refusal": refusal},
        status=status,
    )


@login_required
@require_POST
def case_challenge_add(request: HttpRequest, pk: int) -> HttpResponse:
    account, case = _gate(request, pk)
    form = ChallengeRecordForm(request.POST, prefix="challenge")
    if not form.is_valid():
        return _refused(request, case, form, _("请检查标出的栏目。"), 400)
    try:
        sc.case_challenge_record(actor=account, case=case, **form.cleaned_data)
    except RuleViolation as exc:
        if exc.field and exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        return _refused(request, case, form, str(exc), 409)
    messages.success(request, _("已登记行政复议、行政诉讼情况"))
    return redirect("case_detail", pk=pk)


@login_required
@require_POST
def case_challenge_conclude(request: HttpRequest, pk: int, challenge_id: int) -> HttpResponse:
    account, case = _gate(request, pk)
    challenge = Challenge.objects.filter(case=case, pk=challenge_id).first()
    if challenge is None:
        raise Http404
    form = ChallengeConcludeForm(request.POST, prefix=f"conclude-{challenge_id}")
    if not form.is_valid():
        return _refused(request, case, form, _("请检查标出的栏目。"), 400)
    try:
        sc.case_challenge_conclude(actor=account, challenge=challenge, **form.cleaned_data)
    except RuleViolation as exc:
        if exc.field and exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        return _refused(request, case, form, str(exc), 409)
    messages.success(request, _("已登记复议决定或裁判结果"))
    return redirect("case_detail", pk=pk)
