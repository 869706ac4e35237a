"""Forms of the directory part: entity, conflict (回避), plan, plan actions, joint decisions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhifa.registry.models import Agency, Officer, PowerItem

from .models import Entity, Plan, RiskClass, ScaleCategory


class EntityForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=24)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=64, required=False)
    address = forms.CharField(label=_("注册地址"), max_length=200, required=False)
    division_code = forms.CharField(label=_("行政区划代码"), max_length=6)
    industry = forms.CharField(label=_("行业"), max_length=64, required=False)
    scale_category = forms.ChoiceField(
        label=_("规模类别"), choices=[("", "—"), *ScaleCategory.choices], required=False
    )
    risk_class = forms.ChoiceField(label=_("信用风险分类"), choices=RiskClass.choices)
    status = forms.ChoiceField(label=_("状态"), choices=Entity.Status.choices)


class ConflictForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("执法人员"), queryset=Officer.objects.none())
    reason = forms.CharField(label=_("回避事由"), max_length=200)

    def __init__(self, *args: Any, officers: QuerySet[Officer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["officer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = officers


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=200)


class PlanForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("检查主体"), queryset=Agency.objects.none())
    kind = forms.ChoiceField(label=_("计划类别"), choices=Plan.Kind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("计划名称"), max_length=200)
    items = forms.ModelMultipleChoiceField(label=_("检查事项"), queryset=PowerItem.objects.none())
    subjects = forms.CharField(label=_("检查对象范围"), widget=forms.Textarea(attrs={"rows": 2}))
    method = forms.CharField(label=_("检查方式"), max_length=200)
    ratio = forms.CharField(label=_("检查比例"), max_length=200, required=False)
    frequency = forms.CharField(label=_("检查频次"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("开始日期"), required=False)
    ends_on = forms.DateField(label=_("结束日期"), required=False)
    necessity = forms.CharField(
        label=_("必要性评估（专项检查）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    region = forms.CharField(label=_("地域范围（专项检查）"), max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        agencies: QuerySet[Agency],
        items: QuerySet[PowerItem],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = agencies
        item_field = self.fields["items"]
        assert isinstance(item_field, forms.ModelMultipleChoiceField)
        item_field.queryset = items


class PlanApproveForm(forms.Form):
    approved_by_body = forms.CharField(label=_("批准机关"), max_length=200)
    approval_document = forms.CharField(label=_("批准文号"), max_length=100)


class JointAgreeForm(forms.Form):
    inspections = forms.CharField(widget=forms.HiddenInput)
    visit_on = forms.DateField(label=_("联合检查日期"))
    lead_agency = forms.ModelChoiceField(label=_("牵头部门"), queryset=Agency.objects.all())
    documents = forms.CharField(
        label=_("一次性调取的资料（每行一项）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class JointDeclineForm(forms.Form):
    inspections = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("不合并理由"), max_length=200)
