"""The search filters as the pages and the CSV download read them from the query string (the
JSON API declares the same names as typed parameters)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import SORT_LABELS, SearchQuery, Sort
from .services import KINDS
from .tokenize import QUERY_MAX_CHARS


def _any_or(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", _("全部")), *choices]


class SearchForm(forms.Form):
    agency_list_cut = False  # set by the view: too many agencies to list without a division
    q = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=QUERY_MAX_CHARS,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("如：药品、罚款、文号")}),
    )
    agency = forms.TypedChoiceField(
        label=_("执法机关"), required=False, coerce=int, empty_value=None
    )
    domain = forms.ChoiceField(label=_("执法领域"), required=False)
    kind = forms.ChoiceField(label=_("决定类别"), required=False)
    division = forms.RegexField(
        label=_("行政区划代码（前缀）"),
        required=False,
        regex=r"^\d{2,12}$",
        error_messages={"invalid": _("行政区划代码为 2 至 12 位数字")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "1303"}),
    )
    min_amount = forms.DecimalField(
        label=_("金额不低于（元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    max_amount = forms.DecimalField(
        label=_("金额不高于（元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    sort = forms.ChoiceField(
        label=_("排序"), required=False, choices=[(k, _(v)) for k, v in SORT_LABELS.items()]
    )

    def __init__(
        self,
        *args: Any,
        agencies: list[tuple[int, str]] | None = None,
        domains: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # "from" and "to" are Python keywords: the date fields are added by name.
        date_widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["from"] = forms.DateField(
            label=_("决定日期自"), required=False, widget=date_widget
        )
        self.fields["to"] = forms.DateField(
            label=_("决定日期至"), required=False, widget=date_widget
        )
        order = ["q", "agency", "domain", "kind", "from", "to", "min_amount", "max_amount"]
        self.order_fields([*order, "division", "sort"])
        self.fields["agency"].choices = _any_or(  # type: ignore[attr-defined]
            [(str(pk), name) for pk, name in agencies or []]
        )
        self.fields["domain"].choices = _any_or(list(domains or []))  # type: ignore[attr-defined]
        self.fields["kind"].choices = _any_or(  # type: ignore[attr-defined]
            [(k, _(v)) for k, v in KINDS.items()]
        )

    def query(self) -> SearchQuery:
        """The valid filters as a query; an invalid field is left out (and shown as an error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return SearchQuery(
            q=(data.get("q") or "").strip(),
            agency=data.get("agency"),
            domain=data.get("domain") or "",
            kind=data.get("kind") or "",
            decided_from=data.get("from"),
            decided_to=data.get("to"),
            min_amount=data.get("min_amount"),
            max_amount=data.get("max_amount"),
            division=data.get("division") or "",
            sort=data.get("sort") or Sort.NEWEST,
        )


def page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 0 < len(raw) < 7 else 1
