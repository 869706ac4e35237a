from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TodoFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("事项类别"), required=False)
    case = forms.CharField(label=_("案件（编号或名称）"), required=False, max_length=100)

    def __init__(self, *args: object, kinds: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("全部")), *kinds]
