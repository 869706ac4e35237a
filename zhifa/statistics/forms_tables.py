"""Forms of the table editor (parse input only; the rules are in ``services_tables``)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _


def _codes(text: str) -> list[str]:
    """Indicator codes one per line (or separated by commas, spaces, 、)."""
    return [c for c in re.split(r"[\s,，、]+", text) if c]


class TableCreateForm(forms.Form):
    code = forms.CharField(label=_("表代码"), max_length=64, help_text=_("小写字母、数字和下划线"))
    name = forms.CharField(label=_("表名"), max_length=200)
    columns = forms.CharField(
        label=_("栏目（指标代码，每行一个）"), widget=forms.Textarea(attrs={"rows": 8})
    )
    source = forms.CharField(label=_("依据"), max_length=300, required=False)
    position = forms.IntegerField(label=_("顺序"), min_value=0, max_value=999, initial=0)

    def clean_columns(self) -> list[str]:
        return _codes(self.cleaned_data["columns"])


class TableColumnsForm(forms.Form):
    name = forms.CharField(label=_("表名"), max_length=200, required=False)
    columns = forms.CharField(
        label=_("栏目（指标代码，每行一个）"), widget=forms.Textarea(attrs={"rows": 10})
    )

    def clean_columns(self) -> list[str]:
        return _codes(self.cleaned_data["columns"])


class TableActiveForm(forms.Form):
    active = forms.TypedChoiceField(
        label=_("状态"),
        choices=[("1", _("启用")), ("0", _("停用"))],
        coerce=lambda v: v == "1",
    )
