"""Forms of the 基准 applied to a case: the circumstances as checkboxes (国市监法规〔2022〕2号
第十一条至第十六条), each with the evidence it rests on."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.law import discretion
from zhifa.law.penalty import PenaltyKind
from zhifa.registry.models import DiscretionBenchmark

from .models import Application, DeviationApproval
from .services import Found

HISTORY = "history"


class ApplyForm(forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), choices=Application.Stage.choices)
    benchmark = forms.ModelChoiceField(
        label=_("裁量基准"), queryset=DiscretionBenchmark.objects.none(), empty_label=None
    )
    base_amount = forms.DecimalField(
        label=_("倍数基数金额（元）"),
        required=False,
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=2,
        help_text=_("倍数罚款时填写，如货值金额、违法所得"),
    )
    grade = forms.ChoiceField(
        label=_("适用裁量阶次"),
        choices=[(g.value, g.label) for g in discretion.Grade],
    )
    fine = forms.DecimalField(
        label=_("拟处罚款（元）"), required=False, min_value=Decimal(0), max_digits=16,
        decimal_places=2,
    )  # fmt: skip
    penalty_kinds = forms.MultipleChoiceField(
        label=_("拟处罚种类"),
        choices=[(k.value, k.label) for k in PenaltyKind],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("超出基准所列法定处罚种类的，属于偏离裁量基准"),
    )
    judgement = forms.CharField(
        label=_("综合裁量理由"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("从轻与从重情节并存时必填（国市监法规〔2022〕2号第十七条）"),
    )
    deviation_reason = forms.CharField(
        label=_("偏离裁量基准的理由"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("所选阶次或罚款偏离基准时必填，并须经主要负责人批准或者集体讨论决定"),
    )

    def __init__(
        self,
        *args: Any,
        benchmarks: Any,
        evidence: list[tuple[str, str]],
        repeat: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["benchmark"].queryset = benchmarks  # type: ignore[attr-defined]
        self.factor_rows: list[tuple[discretion.Factor, str, str]] = []
        for f in discretion.FACTORS:
            choices = [("", _("（请选择所依据的证据）")), *evidence]
            if f.code == discretion.REPEAT_FACTOR and repeat:
                choices.insert(1, (HISTORY, repeat))
            self.fields[f"f_{f.code}"] = forms.BooleanField(label=f.text, required=False)
            self.fields[f"e_{f.code}"] = forms.ChoiceField(
                label=_("依据"), choices=choices, required=False
            )
            self.factor_rows.append((f, f"f_{f.code}", f"e_{f.code}"))

    def factor_groups(self) -> list[tuple[str, list[tuple[Any, Any, Any]]]]:
        groups: dict[str, list[tuple[Any, Any, Any]]] = {}
        for f, tick, ev in self.factor_rows:
            groups.setdefault(f.group_label, []).append((f, self[tick], self[ev]))
        return list(groups.items())

    def found(self) -> list[Found]:
        d = self.cleaned_data
        return [Found(f.code, d.get(ev) or "") for f, tick, ev in self.factor_rows if d.get(tick)]

    def codes(self) -> list[str]:
        """The ticked circumstances of the bound data, valid or not (for the live calculator)."""
        return [f.code for f, tick, _ev in self.factor_rows if self.data.get(self.add_prefix(tick))]


class ApproveForm(forms.Form):
    way = forms.ChoiceField(
        label=_("批准方式"), choices=DeviationApproval.Way.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("批准理由"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    minutes = forms.CharField(
        label=_("集体讨论记录"), required=False, max_length=200,
        help_text=_("集体讨论决定时填写会议记录的名称和日期"),
    )  # fmt: skip
    upper_body = forms.CharField(label=_("上级制定机关"), required=False, max_length=128)
    upper_document = forms.CharField(label=_("上级批准文号"), required=False, max_length=128)
    upper_received_on = forms.DateField(
        label=_("上级批准收到日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
