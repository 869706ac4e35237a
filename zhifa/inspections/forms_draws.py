"""The 双随机 task form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.registry.models import Account

from . import selectors_draws
from .models import RiskClass

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RandomTaskForm(forms.Form):
    title = forms.CharField(label=_("任务名称"), max_length=200)
    participants = forms.ModelMultipleChoiceField(
        label=_("参与部门（部门联合抽查，选填）"),
        queryset=selectors_draws.partner_choices(Account()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    items = forms.ModelMultipleChoiceField(
        label=_("抽查事项（各部门已公布的随机抽查事项）"),
        queryset=selectors_draws.random_item_choices([]),
        widget=forms.CheckboxSelectMultiple,
    )
    division = forms.CharField(
        label=_("对象范围：行政区划代码（前缀，选填）"), max_length=6, required=False
    )
    industry = forms.CharField(
        label=_("对象范围：行业（多个用顿号或逗号分隔，选填）"), max_length=200, required=False
    )
    classes = forms.MultipleChoiceField(
        label=_("对象范围：信用风险分类（不选为全部）"),
        choices=RiskClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    count_a = forms.IntegerField(
        label=_("A类抽取户数（空为按默认比例）"), min_value=0, required=False
    )
    count_b = forms.IntegerField(label=_("B类抽取户数"), min_value=0, required=False)
    count_c = forms.IntegerField(label=_("C类抽取户数"), min_value=0, required=False)
    count_d = forms.IntegerField(label=_("D类抽取户数"), min_value=0, required=False)
    inspectors_per_entity = forms.IntegerField(
        label=_("每户每部门检查人员数（不少于2人）"), min_value=1, max_value=10, initial=2
    )
    planned_on = forms.DateField(label=_("计划检查日期"), widget=DATE, required=False)

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partners = selectors_draws.partner_choices(account)
        self.fields["participants"].queryset = partners  # type: ignore[attr-defined]
        ids = [account.agency_id, *partners.values_list("pk", flat=True)]
        items = self.fields["items"]
        items.queryset = selectors_draws.random_item_choices(  # type: ignore[attr-defined]
            [i for i in ids if i is not None]
        )
        items.label_from_instance = lambda i: f"{i.agency.name}：{i.code} {i.name}"  # type: ignore[attr-defined]

    def counts(self) -> dict[str, int]:
        data = self.cleaned_data
        return {
            cls: data[f"count_{cls.lower()}"]
            for cls in RiskClass.values
            if data.get(f"count_{cls.lower()}") is not None
        }

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        words = str(data.get("industry") or "").replace("，", ",").replace("、", ",")
        return {
            "division": data.get("division") or "",
            "industry": [w.strip() for w in words.split(",") if w.strip()],
            "classes": list(data.get("classes") or []),
        }
