"""Forms of the licensing pages: what the officer types, kept on a refusal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.cases.models import Party

from .models import Application, ExcludedPeriod

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ApplyForm(forms.Form):
    power_code = forms.CharField(label=_("权责清单事项编码"), max_length=64)
    matter = forms.CharField(label=_("申请事项"), max_length=200)
    channel = forms.ChoiceField(label=_("申请方式"), choices=Application.Channel.choices)
    on = forms.DateField(label=_("收到申请材料日期"), widget=DATE)
    kind = forms.ChoiceField(label=_("申请人类别"), choices=Party.Kind.choices)
    name = forms.CharField(label=_("申请人姓名或名称"), max_length=128)
    id_number = forms.CharField(label=_("居民身份证号码"), max_length=18, required=False)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    legal_representative = forms.CharField(
        label=_("法定代表人（负责人）"), max_length=64, required=False
    )
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    address = forms.CharField(label=_("住所（地址）"), max_length=200, required=False)
    materials = forms.CharField(
        label=_("已提交材料（每行一项）"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    verification_required = forms.BooleanField(label=_("须实地核查"), required=False)
    hearing_required = forms.BooleanField(label=_("法律规定或本机关认为须听证"), required=False)


class OnForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DATE)
    late_reason = forms.CharField(label=_("补录理由（超过补录期限录入的）"), required=False)


class CorrectForm(OnForm):
    missing = forms.CharField(
        label=_("需补正的全部材料（每行一项）"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def args(self) -> dict[str, Any]:
        return {"missing": _lines(self.cleaned_data["missing"])}


class AcceptForm(OnForm):
    completed_on = forms.DateField(
        label=_("材料补齐日期（曾告知补正的）"), widget=DATE, required=False
    )


class ReasonForm(OnForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class RefuseForm(OnForm):
    reasons = forms.CharField(label=_("不予许可的理由"), widget=forms.Textarea(attrs={"rows": 2}))


class PauseForm(OnForm):
    kind = forms.ChoiceField(label=_("程序"), choices=ExcludedPeriod.Kind.choices)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class HearingNoticeForm(OnForm):
    hearing_on = forms.DateField(label=_("听证日期"), widget=DATE)
    place = forms.CharField(label=_("听证地点"), max_length=200)


class SummaryForm(OnForm):
    summary = forms.CharField(label=_("情况摘要"), widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(SummaryForm):
    officers: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("核查人员（两名以上）"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, officers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers  # type: ignore[attr-defined]


class GrantForm(OnForm):
    content = forms.CharField(label=_("许可内容（范围）"), widget=forms.Textarea(attrs={"rows": 2}))
    valid_from = forms.DateField(label=_("有效期自"), widget=DATE)
    valid_until = forms.DateField(label=_("有效期至"), widget=DATE)


class LicenceChangeForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DATE)
    content = forms.CharField(label=_("变更后的许可内容"), widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("变更理由"), max_length=200)


class LicenceRenewalApplyForm(forms.Form):
    on = forms.DateField(label=_("申请延续日期"), widget=DATE)


class LicenceRenewalDecideForm(forms.Form):
    on = forms.DateField(label=_("决定日期"), widget=DATE)
    grant = forms.TypedChoiceField(
        label=_("决定"),
        choices=[("1", _("准予延续")), ("0", _("不予延续"))],
        coerce=lambda v: v == "1",
    )
    valid_until = forms.DateField(label=_("延续后有效期至"), widget=DATE, required=False)


class LicenceEndForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DATE)
    state = forms.ChoiceField(
        label=_("处理"),
        choices=[
            ("withdrawn", _("撤回（第八条）")),
            ("revoked", _("撤销（第六十九条）")),
            ("cancelled", _("注销（第七十条）")),
        ],
    )
    reason = forms.CharField(label=_("理由"), max_length=500)
