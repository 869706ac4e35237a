from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.registry.agency_lookup import AgencyLookupForm
from zhifa.registry.models import Account

from . import intake

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(d, initial) for d in items]


class ComplaintForm(AgencyLookupForm):
    """The public complaint form; the body complained about is found by name
    (``registry.agency_lookup``)."""

    agency_words = _("被投诉的执法主体")

    officer = forms.CharField(
        label=_("被投诉的执法人员（姓名或执法证件编号，选填）"), max_length=64, required=False
    )
    facts = forms.CharField(
        label=_("投诉事项（发生了什么）"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    happened_on = forms.DateField(label=_("发生日期"), widget=DATE)
    mode = forms.ChoiceField(
        label=_("投诉方式"),
        choices=[("named", _("实名投诉")), ("anonymous", _("匿名投诉"))],
        widget=forms.RadioSelect,
        initial="named",
    )
    name = forms.CharField(label=_("姓名（实名投诉）"), max_length=64, required=False)
    contact = forms.CharField(
        label=_("联系方式：电话或电子邮箱（实名投诉）"), max_length=128, required=False
    )
    consent_share = forms.BooleanField(
        label=_("同意将我的姓名和联系方式提供给被投诉机关（不勾选则只有监督机构可见）"),
        required=False,
    )
    attachments = MultipleFileField(
        label=_("附件（图片或PDF，最多%(n)d个）") % {"n": intake.MAX_ATTACHMENTS}, required=False
    )


class StatusForm(forms.Form):
    number = forms.CharField(label=_("投诉编号"), max_length=24)
    code = forms.CharField(label=_("查询码"), max_length=32, widget=forms.PasswordInput)


class AcceptForm(forms.Form):
    on = forms.DateField(label=_("受理日期"), widget=DATE)


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("不予受理理由"),
        choices=[(r.code, f"{r.label}（{r.article}）") for r in intake.REFUSAL_REASONS.values()],
    )
    note = forms.CharField(
        label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    on = forms.DateField(label=_("决定日期"), widget=DATE)


class TransferForm(forms.Form):
    to = forms.CharField(label=_("移送机关"), max_length=128)
    note = forms.CharField(
        label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    on = forms.DateField(label=_("移送日期"), widget=DATE)


class ExtendForm(forms.Form):
    approved_by = forms.CharField(label=_("批准人"), max_length=64)
    reason = forms.CharField(
        label=_("延长理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    on = forms.DateField(label=_("批准日期"), widget=DATE)


class ConcludeForm(forms.Form):
    result = forms.CharField(
        label=_("办理结果"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    on = forms.DateField(label=_("办结日期"), widget=DATE)


class MatterForm(forms.Form):
    title = forms.CharField(label=_("监督事项名称"), max_length=200, required=False)
    on = forms.DateField(label=_("立项日期"), widget=DATE)


class ChannelForm(forms.Form):
    phone = forms.CharField(label=_("投诉举报电话"), max_length=40, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    address = forms.CharField(label=_("通信地址"), max_length=200, required=False)
    hours = forms.CharField(label=_("受理时间"), max_length=100, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("12345工单（.xlsx）"))


class FilterForm(forms.Form):
    q = forms.CharField(label=_("投诉编号或机关"), max_length=64, required=False)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[])
    origin = forms.ChoiceField(label=_("来源"), required=False, choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import Complaint

        super().__init__(*args, **kwargs)
        state = self.fields["state"]
        origin = self.fields["origin"]
        assert isinstance(state, forms.ChoiceField) and isinstance(origin, forms.ChoiceField)
        state.choices = [("", _("全部")), *Complaint.State.choices]
        origin.choices = [("", _("全部")), *Complaint.Origin.choices]


class OpinionForm(AgencyLookupForm):
    facts = forms.CharField(
        label=_("意见或发现的问题"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    happened_on = forms.DateField(label=_("发生日期"), widget=DATE)


class RatingForm(AgencyLookupForm):
    campaign = forms.CharField(label=_("评议活动"), max_length=64)
    score = forms.TypedChoiceField(
        label=_("评分"), coerce=int, choices=[(n, str(n)) for n in range(5, 0, -1)]
    )
    comment = forms.CharField(
        label=_("意见"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AppointmentForm(forms.Form):
    account: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("监督员账号"), queryset=Account.objects.none()
    )
    sector = forms.ChoiceField(label=_("界别"), choices=[])
    document = forms.CharField(label=_("聘任文件"), max_length=100)
    term_start = forms.DateField(label=_("聘期起"), widget=DATE)
    term_end = forms.DateField(label=_("聘期止"), widget=DATE)

    def __init__(self, *args: Any, region_code: str = "", **kwargs: Any) -> None:
        from zhifa.core.identifiers import division_prefix

        from .models import Appointment

        super().__init__(*args, **kwargs)
        account = self.fields["account"]
        sector = self.fields["sector"]
        assert isinstance(account, forms.ModelChoiceField)
        assert isinstance(sector, forms.ChoiceField)
        account.queryset = Account.objects.filter(
            role=Account.Role.EXTERNAL_SUPERVISOR,
            region_code__startswith=division_prefix(region_code) if region_code else "-",
        ).order_by("username")
        sector.choices = Appointment.Sector.choices


class InviteForm(forms.Form):
    appointment: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("监督员"), queryset=Account.objects.none()
    )
    matter_id = forms.TypedChoiceField(label=_("监督事项"), coerce=int, choices=[])
    on = forms.DateField(label=_("邀请日期"), widget=DATE)

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        from zhifa.supervision.selectors import matters_visible_to

        from .models import Appointment

        super().__init__(*args, **kwargs)
        self.fields["appointment"].queryset = Appointment.objects.filter(  # type: ignore[attr-defined]
            body_id=account.agency_id or -1, ended_on__isnull=True
        ).select_related("account")
        matter = self.fields["matter_id"]
        assert isinstance(matter, forms.ChoiceField)
        matter.choices = [
            (m.pk, f"{m.number} {m.title}")
            for m in matters_visible_to(account).order_by("-opened_on", "-pk")[:200]
        ]
