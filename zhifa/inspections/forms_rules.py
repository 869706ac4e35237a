"""Forms of the caps and quiet periods pages (the rules part)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.registry.models import Agency, Domain

from .models import Cap, Ground, Inspection, RiskClass, ScaleCategory


class CapForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    domain = forms.ModelChoiceField(
        label=_("执法领域"), queryset=Domain.objects.all(), required=False
    )
    power_code = forms.CharField(
        label=_("检查事项编码"),
        max_length=64,
        required=False,
        help_text=_("按检查事项设定的上限填写事项编码；按领域设定的留空"),
    )
    level = forms.ChoiceField(
        label=_("实施层级"),
        choices=[("", _("各层级合计")), *list(Agency.Level.choices)],
        required=False,
    )
    region_code = forms.CharField(label=_("适用区域（行政区划代码）"), max_length=6, required=False)
    risk_class = forms.ChoiceField(
        label=_("信用风险分类"), choices=[("", _("各类")), *list(RiskClass.choices)], required=False
    )
    limit = forms.IntegerField(label=_("年度上限（次）"), min_value=1, max_value=366)
    counted_grounds = forms.MultipleChoiceField(
        label=_("计入频次的检查类型"),
        choices=Ground.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("未勾选的检查类型（如个案线索核查）不受该上限限制，也不计入次数"),
    )
    override_allowed = forms.BooleanField(
        label=_("允许说明理由并经负责人批准后超过上限"), required=False
    )
    source = forms.CharField(label=_("依据"), max_length=300, help_text=_("文件名称、文号和条款"))


class QuietPeriodForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    region_code = forms.CharField(label=_("适用区域（行政区划代码）"), max_length=6)
    days = forms.CharField(
        label=_("每月安静日"),
        max_length=100,
        help_text=_("写作“起日-止日”，可分段，如 1-20 或 1-10, 16-25"),
    )
    categories = forms.MultipleChoiceField(
        label=_("适用企业类别"),
        choices=ScaleCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("不选类别且不列名单的，适用于区域内所有企业"),
    )
    entity_codes = forms.CharField(
        label=_("适用企业名单（统一社会信用代码，每行一个）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    exception_grounds = forms.MultipleChoiceField(
        label=_("例外情形"),
        choices=Inspection.QuietException.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    filing_lead_days = forms.IntegerField(
        label=_("安静期外入企检查提前报备天数"),
        min_value=0,
        max_value=60,
        required=False,
        help_text=_("如商丘：提前3日报送《入企行政执法报备表》；不要求报备的留空"),
    )
    filing_to = forms.CharField(label=_("报备机关"), max_length=200, required=False)
    valid_from = forms.DateField(label=_("生效日期"))
    valid_to = forms.DateField(label=_("失效日期"), required=False)
    source = forms.CharField(label=_("依据"), max_length=300, help_text=_("文件名称、文号和条款"))

    def entity_code_list(self) -> list[str]:
        text: str = self.cleaned_data.get("entity_codes") or ""
        return [line.strip().upper() for line in text.splitlines() if line.strip()]


class EndForm(forms.Form):
    pk = forms.IntegerField(min_value=1)
    reason = forms.CharField(label=_("理由"), max_length=300)
    on = forms.DateField(label=_("终止日期"), required=False)


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    cap = forms.IntegerField(min_value=1, required=False)

    def cap_in(self, caps: list[Cap]) -> Cap | None:
        """The cap asked for among ``caps``, else the first (None when there is none)."""
        wanted = self.cleaned_data.get("cap") if self.is_valid() else None
        return next((c for c in caps if c.pk == wanted), caps[0] if caps else None)

    def year_or(self, default: int) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return int(self.cleaned_data["year"])
        return default
