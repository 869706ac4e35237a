from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Filing

F = Filing.State


class SubmitForm(forms.Form):
    on = forms.DateField(
        label=_("报送日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    report = forms.CharField(
        label=_("备案报告"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("简要说明案件事实、处罚依据和处罚结果；备案材料由系统从全过程记录中汇集。"),
    )
    late_reason = forms.CharField(
        label=_("逾期说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("超过备案期限报送的，须写明原因。"),
    )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("审查结论"),
        choices=[
            (F.REGISTERED, _("予以备案（登记存档）")),
            (F.CORRECTION, _("建议纠正")),
            (F.TRANSFERRED, _("移送")),
        ],
        widget=forms.RadioSelect,
    )
    on = forms.DateField(
        label=_("审查日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    opinion = forms.CharField(
        label=_("审查意见"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("建议纠正的，写明存在的问题和纠正建议；移送的，写明理由。"),
    )
    transferred_to = forms.CharField(label=_("移送机关"), required=False, max_length=128)


class CloseForm(forms.Form):
    proceeding = forms.ChoiceField(label=_("进入的程序"), choices=Filing.Proceeding.choices)
    body = forms.CharField(label=_("受理的复议机关或人民法院"), max_length=128)
    accepted_on = forms.DateField(
        label=_("受理日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *F.choices]
    )
    agency = forms.TypedChoiceField(
        label=_("报送机关"), required=False, coerce=int, empty_value=None
    )
    q = forms.CharField(label=_("文号或案由"), required=False, max_length=100)
    late = forms.ChoiceField(
        label=_("逾期报送"), required=False, choices=[("", _("全部")), ("1", _("仅逾期报送"))]
    )

    def __init__(self, *args: object, agencies: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["agency"].choices = [("", _("全部")), *agencies]  # type: ignore[attr-defined]
