"""Forms of the warning pages: they parse input; every rule stays in services and selectors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Warning
from .rules import registered_rules


class WarningFilterForm(forms.Form):
    q = forms.CharField(label=_("预警内容"), required=False, max_length=100)
    rule = forms.ChoiceField(label=_("预警规则"), required=False)
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), *Warning.State.choices],
    )
    agency = forms.IntegerField(label=_("执法主体"), required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rule = self.fields["rule"]
        assert isinstance(rule, forms.ChoiceField)
        rule.choices = [
            ("", _("全部")),
            *((r.code, r.label) for r in registered_rules()),
        ]


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("排除理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
