"""The evaluation home page: the campaigns the account sees, what waits for it, and the way to
each part's pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from zhifa.registry.models import Account
from zhifa.registry.web import request_account

from .models import Scoring
from .selectors import campaigns_visible_to

Role = Account.Role
STAFF = (Role.SUPERVISOR, Role.HEAD)

# (URL name, label, roles that see the link): each part's entry page.
NAV: list[tuple[str, object, tuple[str, ...]]] = [
    ("evaluation_campaigns", _("评查活动"), (Role.SUPERVISOR, Role.HEAD)),
    ("evaluation_my_files", _("我的评查案卷"), tuple(Role.values)),
    ("evaluation_templates", _("评查标准"), (Role.SUPERVISOR, Role.ADMIN)),
    ("evaluation_checks", _("系统预评与改判统计"), (Role.SUPERVISOR, Role.HEAD)),
    ("evaluation_agency_files", _("本机关被评查案卷"), (Role.HEAD,)),
    ("evaluation_repeated_failures", _("不合格较多的单位和人员"), (Role.SUPERVISOR,)),
    ("evaluation_accountability_list", _("责任追究"), (Role.SUPERVISOR, Role.HEAD)),
    ("evaluation_efficiency", _("效能评价"), (Role.SUPERVISOR,)),
    ("evaluation_efficiency_surveys", _("满意度调查"), (Role.SUPERVISOR,)),
]


def nav_for(account: Account) -> list[tuple[str, object]]:
    out = []
    for name, label, roles in NAV:
        if account.role not in roles:
            continue
        try:
            out.append((reverse(name), label))
        except NoReverseMatch:  # a part not installed in this build
            continue
    return out


@login_required
@require_GET
def evaluation_home(request: HttpRequest) -> HttpResponse:
    """案卷评查与效能评价: the account's campaigns and scorings waiting for it."""
    account = request_account(request)
    campaigns = campaigns_visible_to(account).order_by("-year", "-pk")[:20]
    waiting = (
        Scoring.objects.filter(
            reviewer__account=account, reviewer__active=True, state=Scoring.State.DRAFT
        )
        .select_related("file__case", "file__campaign")
        .order_by("file__campaign_id", "file_id")[:50]
    )
    return render(
        request,
        "evaluation/core/home.html",
        {"campaigns": campaigns, "waiting": waiting, "nav": nav_for(account)},
    )
