"""Forms of the outcomes part: plain inputs parsed here; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from zhifa.cases.forms import DateInput
from zhifa.registry.models import Agency

from .models import Accountability


class AccountabilityForm(forms.Form):
    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label="所在机关", queryset=Agency.objects.none()
    )
    officer = forms.IntegerField(label="执法人员编号（可不填）", required=False, min_value=1)
    name = forms.CharField(label="被追责人", max_length=64, required=False)
    case = forms.IntegerField(label="案件编号（可不填）", required=False, min_value=1)
    file = forms.IntegerField(label="评查案卷编号（可不填）", required=False, min_value=1)
    ground = forms.ChoiceField(label="追责依据", choices=Accountability.Ground.choices)
    measure = forms.ChoiceField(label="处理措施", choices=Accountability.Measure.choices)
    deciding_body = forms.CharField(label="决定机关", max_length=200)
    decided_on = forms.DateField(label="决定日期", widget=DateInput())
    note = forms.CharField(
        label="情况说明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
