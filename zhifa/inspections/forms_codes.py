"""Forms of the inspection code page: the enterprise's rating, the officer's scan and 补录."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import discipline
from .models import Visit

SCORES = [(str(n), f"{n}分") for n in range(5, 0, -1)]


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("满意度评分（5分最满意）"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    breaches = forms.MultipleChoiceField(
        label=_("执法人员是否有违反检查纪律的情形（可多选，不选表示没有）"),
        choices=[(p.code, f"{p.title}：{'；'.join(p.rules)}") for p in discipline.PROHIBITIONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    comment = forms.CharField(
        label=_("意见（选填；请勿填写姓名、电话等个人信息）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )


class ScanForm(forms.Form):
    kind = forms.ChoiceField(choices=Visit.Kind.choices)


class LateVisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("记录类别"), choices=Visit.Kind.choices)
    visited_at = forms.DateTimeField(
        label=_("实际到达或离开时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    reason = forms.CharField(
        label=_("未扫码的理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )
