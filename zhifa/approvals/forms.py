from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RequestForm(forms.Form):
    service = forms.CharField(widget=forms.HiddenInput, max_length=40)
    note = forms.CharField(
        label=_("提请说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写明提请审批的事项、事实和理由，负责人据此审批。"),
    )


class ReturnForm(forms.Form):
    service = forms.CharField(widget=forms.HiddenInput, max_length=40)
    reason = forms.CharField(
        label=_("退回理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class WithdrawForm(forms.Form):
    service = forms.CharField(widget=forms.HiddenInput, max_length=40)
