"""Forms of the efficiency pages: parse and check the shape of input only; the rules are in
``indicators.py`` and ``services_efficiency.py``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django import forms

from .models import Survey

DATE = forms.DateInput(attrs={"type": "date"})


class SchemeForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    name = forms.CharField(label="名称（可不填）", max_length=200, required=False)


class IndicatorsForm(forms.Form):
    weight_quality = forms.DecimalField(label="执法质量权重", max_digits=5, decimal_places=2)
    weight_duty = forms.DecimalField(label="监管履行率权重", max_digits=5, decimal_places=2)
    weight_satisfaction = forms.DecimalField(label="社会满意度权重", max_digits=5, decimal_places=2)
    weights_source = forms.CharField(label="权重依据", max_length=300, required=False)
    indicators = forms.CharField(
        label="指标（JSON：code、component、name、formula、unit、better、weight）",
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}),
        max_length=20000,
    )

    def clean_indicators(self) -> Any:
        try:
            value = json.loads(self.cleaned_data["indicators"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                f"指标不是有效的JSON：第{exc.lineno}行第{exc.colno}列"
            ) from None
        if not isinstance(value, list):
            raise forms.ValidationError("指标应为列表")
        return value


class SurveyForm(forms.Form):
    agency = forms.TypedChoiceField(label="被评价机关", coerce=int)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    campaign = forms.TypedChoiceField(
        label="评查活动（可不选）", coerce=int, required=False, empty_value=None
    )
    title = forms.CharField(label="标题（可不填）", max_length=200, required=False)
    mode = forms.ChoiceField(label="作答方式", choices=Survey.Mode.choices)
    opens_on = forms.DateField(label="开始日期", widget=DATE)
    closes_on = forms.DateField(label="截止日期", widget=DATE)
    questions = forms.CharField(
        label="题目（每行一题；不填用默认题目）",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=6000,
    )

    def __init__(
        self,
        *args: Any,
        agencies: list[tuple[int, str]],
        campaigns: Sequence[tuple[int, str]] = (),
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["agency"].choices = agencies  # type: ignore[attr-defined]
        self.fields["campaign"].choices = [("", "—"), *campaigns]  # type: ignore[attr-defined]


class TokensForm(forms.Form):
    count = forms.IntegerField(label="发放数量", min_value=1, max_value=5000)


class ImportForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    source = forms.CharField(label="评价机构", max_length=200)
    file = forms.FileField(label="结果文件（.xlsx：统一社会信用代码、机关名称、满意度得分）")


class AnswerForm(forms.Form):
    """The public's answer: one 1–5 choice per question, and the token or phone and code."""

    token = forms.CharField(label="问卷码", max_length=16, required=False)
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    verify_code = forms.CharField(label="验证码", max_length=6, required=False)

    def __init__(self, *args: Any, survey: Survey, marks: dict[int, str], **kw: Any) -> None:
        super().__init__(*args, **kw)
        if survey.mode == Survey.Mode.TOKEN:
            del self.fields["phone"], self.fields["verify_code"]
        else:
            del self.fields["token"]
        for q in survey.questions:
            self.fields[q["code"]] = forms.TypedChoiceField(
                label=q["text"],
                choices=[(k, v) for k, v in sorted(marks.items(), reverse=True)],
                coerce=int,
                widget=forms.RadioSelect,
            )


class PhoneForm(forms.Form):
    phone = forms.CharField(label="手机号码", max_length=20)
