"""The form of a 裁量基准 entry (issue 13): the entry, its statutory range, the upper level's
entry it refines, and one row of fields per 裁量阶次 (a grade is kept when its 适用条件 is
filled)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.law.discretion import RANGE_KIND_LABELS
from zhifa.law.penalty import PenaltyKind

from .models import Agency, DiscretionBenchmark, DiscretionGrade, Domain, PowerItem
from .services import Grade

_AMOUNT: dict[str, Any] = {
    "required": False,
    "min_value": Decimal(0),
    "max_digits": 14,
    "decimal_places": 2,
}


class BenchmarkForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("适用主体"), queryset=Agency.objects.none())
    issuer = forms.CharField(label=_("制定机关"), max_length=128)
    domain = forms.ModelChoiceField(label=_("执法领域"), queryset=Domain.objects.all())
    violation = forms.CharField(label=_("违法行为"), max_length=300)
    violated_provision = forms.CharField(label=_("违反条款"), max_length=300, required=False)
    penalty_provision = forms.CharField(label=_("处罚依据"), max_length=300)
    range_kind = forms.ChoiceField(
        label=_("法定幅度方式"), choices=[(k.value, v) for k, v in RANGE_KIND_LABELS.items()]
    )
    range_min = forms.DecimalField(label=_("法定幅度下限（元或倍数）"), **_AMOUNT)
    range_max = forms.DecimalField(label=_("法定幅度上限（元或倍数）"), **_AMOUNT)
    base_name = forms.CharField(label=_("倍数基数"), max_length=64, required=False)
    penalty_kinds = forms.MultipleChoiceField(
        label=_("法定处罚种类"),
        choices=[(k.value, k.label) for k in PenaltyKind],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "处罚依据规定的处罚种类；决定的处罚种类超出的，须经批准（国办发〔2022〕27号（十二））"
        ),
    )
    parent = forms.ModelChoiceField(
        label=_("细化的上级裁量基准"),
        queryset=DiscretionBenchmark.objects.filter(status=DiscretionBenchmark.Status.PUBLISHED),
        required=False,
        help_text=_("只能在上级基准的阶次和幅度内细化（国办发〔2022〕27号（五））"),
    )
    power_items = forms.ModelMultipleChoiceField(
        label=_("适用的行政处罚事项"), queryset=PowerItem.objects.none(), required=False
    )
    publish = forms.BooleanField(label=_("保存后立即公布"), required=False)

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["power_items"].queryset = PowerItem.objects.filter(  # type: ignore[attr-defined]
            agency__in=agencies,
            category=PowerItem.Category.PENALTY,
            status=PowerItem.Status.PUBLISHED,
        ).order_by("agency_id", "code")
        self.levels = list(DiscretionGrade.Level)
        for level in self.levels:
            p = f"g_{level.value}_"
            self.fields[p + "conditions"] = forms.CharField(
                label=_("适用条件"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[p + "standard"] = forms.CharField(
                label=_("具体标准"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[p + "min"] = forms.DecimalField(label=_("幅度下限"), **_AMOUNT)
            self.fields[p + "max"] = forms.DecimalField(label=_("幅度上限"), **_AMOUNT)

    def grade_rows(self) -> list[tuple[str, list[Any]]]:
        parts = ("conditions", "standard", "min", "max")
        return [
            (str(level.label), [self[f"g_{level.value}_{n}"] for n in parts])
            for level in self.levels
        ]

    def grades(self) -> list[Grade]:
        d = self.cleaned_data
        out = []
        for level in self.levels:
            p = f"g_{level.value}_"
            if (d.get(p + "conditions") or "").strip():
                out.append(
                    Grade(
                        level.value,
                        d[p + "conditions"],
                        d.get(p + "standard") or "",
                        d.get(p + "min"),
                        d.get(p + "max"),
                    )
                )
        return out
