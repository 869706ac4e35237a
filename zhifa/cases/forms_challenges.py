"""Forms of 行政复议 / 行政诉讼 on the case workspace and the API (parse input only; the rules
are in ``services_challenges`` and ``challenge_periods``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DateInput
from .models import Challenge


class ChallengeRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=Challenge.Kind.choices)
    body = forms.CharField(label=_("复议机关（人民法院）"), max_length=200)
    reference = forms.CharField(label=_("案号"), max_length=100, required=False)
    filed_on = forms.DateField(label=_("申请（起诉）日期"), widget=DateInput())
    accepted_on = forms.DateField(label=_("受理日期"), widget=DateInput(), required=False)
    on = forms.DateField(label=_("登记日期"), widget=DateInput())
    late_reason = forms.CharField(
        label=_("补录理由（登记日期早于补录期限时填写）"), max_length=500, required=False
    )


class ChallengeConcludeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("结果"), choices=Challenge.Outcome.choices)
    concluded_on = forms.DateField(label=_("决定（裁判）日期"), widget=DateInput())
    note = forms.CharField(
        label=_("结果说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    on = forms.DateField(label=_("登记日期"), widget=DateInput())
    late_reason = forms.CharField(
        label=_("补录理由（登记日期早于补录期限时填写）"), max_length=500, required=False
    )
