"""Pages of the account's own notifications: the list, opening one (marks it read and goes to
what it points at), marking all read, and the channel settings. Thin: gate, one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.registry.web import paginate, request_account

from . import services
from .access import access_notification
from .forms import OpenForm, SettingForm
from .selectors import notifications_of


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    page = paginate(request, notifications_of(account))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "email_on": services.smtp_configured()},
    )


@login_required
@require_POST
def notification_open(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    form = OpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要打开的通知。"))
        return redirect("notification_list")
    note = access_notification(account, form.cleaned_data["notification"])
    services.notification_open(actor=account, notification=note)
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts=None):
        return redirect(note.url)
    return redirect("notification_list")


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    count = services.notifications_mark_read(actor=account)
    messages.success(request, _("已将%(n)s条通知标为已读。") % {"n": count})
    return redirect("notification_list")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    current = services.setting_of(account)
    form = SettingForm(
        request.POST if request.method == "POST" else None,
        initial={"in_app": current.in_app, "email": current.email},
    )
    if request.method == "POST" and form.is_valid():
        services.notification_setting_save(
            actor=account,
            in_app=form.cleaned_data["in_app"],
            email=form.cleaned_data["email"],
        )
        messages.success(request, _("通知设置已保存。"))
        return redirect("notification_settings")
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "smtp": services.smtp_configured(),
            "address": account.email,
        },
    )
