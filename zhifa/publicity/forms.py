"""Forms of the publisher's pages and of the public decision pages (input parsing only)."""

from __future__ import annotations

from django import forms

from .decision_text import FIELD_LABELS
from .models import Publication
from .services import CHANGE_KINDS
from .spans import KIND_LABELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SpanAddForm(forms.Form):
    start = forms.IntegerField(label="起始位置", min_value=0)
    end = forms.IntegerField(label="结束位置", min_value=1)
    kind = forms.ChoiceField(label="个人信息类别", choices=list(KIND_LABELS.items()))


class SpanResolveForm(forms.Form):
    span = forms.IntegerField(widget=forms.HiddenInput)
    remove = forms.TypedChoiceField(
        label="处理",
        choices=[("1", "删除"), ("0", "保留（非个人信息）")],
        coerce=lambda v: v == "1",
    )


class SpanUndoForm(forms.Form):
    span = forms.IntegerField(widget=forms.HiddenInput)


class FieldsForm(forms.Form):
    """One text input per public field."""

    def __init__(
        self, *args: object, labels: dict[str, str] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, label in (labels or FIELD_LABELS).items():
            widget = forms.Textarea(attrs={"rows": 2}) if name in ("content", "basis") else None
            self.fields[name] = forms.CharField(
                label=label, required=False, max_length=4000, widget=widget
            )


class PublishForm(forms.Form):
    on = forms.DateField(label="公开日期", widget=DATE)


class HoldForm(forms.Form):
    reason = forms.ChoiceField(label="不予公开理由", choices=Publication.HoldReason.choices)
    note = forms.CharField(label="具体说明", widget=forms.Textarea(attrs={"rows": 2}))


class CorrectForm(forms.Form):
    on = forms.DateField(label="更正日期", widget=DATE)
    notice = forms.CharField(label="更正说明（公开）", widget=forms.Textarea(attrs={"rows": 2}))
    content = forms.CharField(
        label="执法内容（违法事实）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    basis = forms.CharField(label="执法依据", required=False)
    conclusion = forms.CharField(label="执法结论（决定）", required=False)
    text = forms.CharField(
        label="公开文本", required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    report = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ChangeForm(forms.Form):
    on = forms.DateField(label="撤回（更新）日期", widget=DATE)
    change_kind = forms.ChoiceField(label="决定变化情形", choices=list(CHANGE_KINDS.items()))
    changed_on = forms.DateField(label="决定被撤销、变更的日期", widget=DATE)
    reason = forms.CharField(label="说明（公开）", widget=forms.Textarea(attrs={"rows": 2}))
    conclusion = forms.CharField(label="变更后的执法结论（仅更新时填写）", required=False)


class ReportAnswerForm(forms.Form):
    answer = forms.CharField(label="核实情况", widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    text = forms.CharField(
        label="发现的错误", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact = forms.CharField(label="联系方式（选填，不公开）", max_length=100, required=False)


class PublicFilterForm(forms.Form):
    agency = forms.IntegerField(label="执法机关", required=False)
    kind = forms.ChoiceField(
        label="决定类别", required=False, choices=[("", "全部"), *Publication.Kind.choices]
    )
    since = forms.DateField(label="决定日期自", required=False, widget=DATE)
    until = forms.DateField(label="至", required=False, widget=DATE)
