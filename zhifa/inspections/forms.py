"""Forms of the core pages: what the officer or the head types, kept on a refusal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.core.exceptions import InvalidIdentifier
from zhifa.core.identifiers import validate_credit_code
from zhifa.registry.models import Agency, Officer, PowerItem

from .models import Entity, Ground, Inspection, Plan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads


class RequestForm(forms.Form):
    credit_code = forms.CharField(label=_("检查对象统一社会信用代码"), max_length=18)
    power_item = forms.ModelChoiceField(
        label=_("检查事项（本机关公布的行政检查事项）"), queryset=PowerItem.objects.none()
    )
    ground = forms.ChoiceField(label=_("检查类型"), choices=Ground.choices)
    ground_reference = forms.CharField(
        label=_("线索或部署来源（投诉举报编号、转办文号等）"), max_length=200, required=False
    )
    plan = forms.ModelChoiceField(
        label=_("所属检查计划"), queryset=Plan.objects.none(), required=False
    )
    planned_on = forms.DateField(label=_("计划检查日期"), widget=DATE)
    on = forms.DateField(label=_("提请日期"), widget=DATE)
    lead = forms.ModelChoiceField(label=_("主办执法人员"), queryset=Officer.objects.none())
    assistants = forms.ModelMultipleChoiceField(
        label=_("协办执法人员"),
        queryset=Officer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    quiet_exception = forms.ChoiceField(
        label=_("企业安静期例外情形（在安静期内检查的）"),
        choices=[("", _("无")), *Inspection.QuietException.choices],
        required=False,
    )
    quiet_exception_reason = forms.CharField(
        label=_("例外情形说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    filed_on = forms.DateField(label=_("入企报备日期（须报备的）"), widget=DATE, required=False)
    cap_override_reason = forms.CharField(
        label=_("超过年度检查频次上限的理由（经负责人批准的）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    emergency_reason = forms.CharField(
        label=_("紧急情形（先行检查、事后补办审批的）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = PowerItem.objects.filter(
            agency=agency,
            status=PowerItem.Status.PUBLISHED,
            category=PowerItem.Category.INSPECTION,
        ).order_by("code")
        officers = Officer.objects.filter(agency=agency, status=Officer.Status.SERVING).order_by(
            "name"
        )
        self.fields["power_item"].queryset = items  # type: ignore[attr-defined]
        self.fields["plan"].queryset = Plan.objects.filter(  # type: ignore[attr-defined]
            agency=agency
        ).exclude(status=Plan.Status.WITHDRAWN)
        self.fields["lead"].queryset = officers  # type: ignore[attr-defined]
        self.fields["assistants"].queryset = officers  # type: ignore[attr-defined]

    def clean_credit_code(self) -> Entity:
        code = self.cleaned_data["credit_code"].strip().upper()
        try:
            validate_credit_code(code)
        except InvalidIdentifier as exc:
            raise forms.ValidationError(exc.message) from None
        entity = Entity.objects.filter(credit_code=code).first()
        if entity is None:
            raise forms.ValidationError(_("检查对象名录库中没有该统一社会信用代码"))
        return entity


class NoteForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DATE)
    note = forms.CharField(
        label=_("意见或理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    late_reason = forms.CharField(
        label=_("补录理由（超过补录期限录入的）"), max_length=200, required=False
    )
