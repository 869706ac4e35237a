"""Forms of the campaigns pages: the work plan, a team member, a submitted file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.cases.models import Case
from zhifa.registry.models import Account, Agency

from .models import Campaign, TeamMember

DATE = forms.DateInput(attrs={"type": "date"})


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("评查活动名称"), max_length=200)
    agencies: forms.ModelMultipleChoiceField[Agency] = forms.ModelMultipleChoiceField(
        label=_("评查对象"), queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    kinds = forms.MultipleChoiceField(
        label=_("案卷类别"), choices=Case.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    decided_from = forms.DateField(label=_("案卷决定日期自"), widget=DATE)
    decided_to = forms.DateField(label=_("案卷决定日期至"), widget=DATE)
    starts_on = forms.DateField(label=_("评查开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("评查结束日期"), widget=DATE)
    steps = forms.CharField(
        label=_("工作步骤"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    requirements = forms.CharField(
        label=_("工作要求"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sampling_mode = forms.ChoiceField(label=_("抽取方式"), choices=Campaign.Sampling.choices)
    sample_ratio = forms.DecimalField(
        label=_("抽取比例（%，随机抽查，与件数二选一）"),
        required=False,
        max_digits=5,
        decimal_places=2,
    )
    sample_count = forms.IntegerField(
        label=_("每个机关抽取件数（随机抽查）"), required=False, min_value=1, max_value=100000
    )
    reviewers_per_file = forms.IntegerField(label=_("每卷评查人数"), min_value=1, max_value=9)
    difference_threshold = forms.DecimalField(
        label=_("分差阈值（分）"), max_digits=5, decimal_places=1, min_value=0
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    kind = forms.ChoiceField(label=_("身份"), choices=TeamMember.Kind.choices)
    account = forms.ModelChoiceField(
        label=_("平台账号（评分须有账号）"), queryset=Account.objects.none(), required=False
    )
    name = forms.CharField(label=_("姓名（无账号的受邀人员）"), max_length=64, required=False)
    home_agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("所在单位（回避本单位案卷）"), queryset=Agency.objects.none(), required=False
    )
    is_leader = forms.BooleanField(label=_("评查组长"), required=False)

    def __init__(self, *args: Any, accounts: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["home_agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["account"].label_from_instance = (  # type: ignore[attr-defined]
            lambda a: f"{a.display_name or a.get_username()}（{a.get_role_display()}）"
        )


class SubmitForm(forms.Form):
    case: forms.ModelChoiceField[Case] = forms.ModelChoiceField(
        label=_("选送的案卷"), queryset=Case.objects.none()
    )

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases  # type: ignore[attr-defined]
        self.fields["case"].label_from_instance = (  # type: ignore[attr-defined]
            lambda c: f"{c.number or c.pk} {c.title}（决定日期 {c.decided_on or '—'}）"
        )


def marks_from_post(data: Any, spec: Any) -> dict[str, Any]:
    """The scoring screen's inputs as marks: per item ``occ-<code>``, ``ded-<code>``,
    ``reason-<code>``, ``override-<code>``; per veto ``veto-<code>`` (checked), ``vreason-<code>``,
    ``voverride-<code>``. Items without inputs are left out (the record's proposal stands)."""
    items: dict[str, Any] = {}
    for item in spec.items():
        code = item.code
        if f"occ-{code}" not in data:
            continue
        items[code] = {
            "occurrences": (data.get(f"occ-{code}") or "0").strip() or "0",
            "deduction": (data.get(f"ded-{code}") or "").strip() or None,
            "reason": (data.get(f"reason-{code}") or "").strip(),
            "override_reason": (data.get(f"override-{code}") or "").strip(),
        }
    vetoes: dict[str, Any] = {}
    for veto in spec.vetoes:
        code = veto.code
        if f"vseen-{code}" not in data:
            continue
        vetoes[code] = {
            "hit": data.get(f"veto-{code}") == "1",
            "reason": (data.get(f"vreason-{code}") or "").strip(),
            "override_reason": (data.get(f"voverride-{code}") or "").strip(),
        }
    return {"items": items, "vetoes": vetoes}
