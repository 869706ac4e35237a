from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Filing

F = Filing.State


class SubmitForm(forms.Form):
    on = forms.DateField(
        label=_("报送日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    report = forms.CharField(
        label=_("备案报告"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("简要说明案件事实、处罚依据和处罚结果；备案材料由系统从全过程记录中汇集。"),
    )
    late_reason = forms.CharField(
        label=_("逾期说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("超过备案期限报送的，须写明原因。"),
    )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("审查结论"),
        choices=[
            (F.REGISTERED, _("予以备案（登记存档）")),
            (F.CORRECTION, _("建议纠正")),
            (F.TRANSFERRED, _("移送")),
        ],
        widget=forms.RadioSelect,
    )
    on = forms.DateField(
        label=_("审查日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    opinion = forms.CharField(
        label=_("审查意见"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("建议纠正的，写明存在的问题和纠正建议；移送的，写明理由。"),
    )
    transferred_to = forms.CharField(label=_("移送机关"), required=False, max_length=128)


class CloseForm(forms.Form):
    proceeding = forms.ChoiceField(label=_("进入的程序"), choices=Filing.Proceeding.choices)
    body = forms.CharField(label=_("受理的复议机关或人民法院"), max_length=128)
    accepted_on = forms.DateField(
        label=_("受理日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class FilterForm(forms.Form):
    """The list's filters. The agency is found by typing part of its name (a province's
    supervisor sees thousands of bodies: no drop-down of them all), among the bodies visible to
    the account (``selectors.agency_matches``: suspended and revoked ones too, whose decisions
    may still wait for filing); ``?agency=<id>`` alone still filters (the to-dos link so)."""

    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *F.choices]
    )
    agency_q = forms.CharField(
        label=_("查找报送机关（输入名称中的字词）"),
        max_length=50,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "data-agency-search": "agency", "type": "search"}
        ),
    )
    agency = forms.TypedChoiceField(
        label=_("报送机关"), required=False, coerce=int, empty_value=None
    )
    q = forms.CharField(label=_("文号或案由"), required=False, max_length=100)
    late = forms.ChoiceField(
        label=_("逾期报送"), required=False, choices=[("", _("全部")), ("1", _("仅逾期报送"))]
    )

    def __init__(
        self,
        *args: object,
        matches: Callable[[str], tuple[list[tuple[int, str]], bool]],
        chosen: Callable[[int], tuple[int, str] | None],
        **kwargs: object,
    ) -> None:
        """``matches(words)``: the visible bodies whose name contains the words (at most a
        page of them) and whether more match; ``chosen(id)``: the visible body of that id."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        given: Any = self.data if self.is_bound else self.initial
        words = str(given.get("agency_q", "") or "").strip()[:50]
        picked = str(given.get("agency", "") or "").strip()
        rows: list[tuple[int, str]] = []
        more = False
        if words:
            rows, more = matches(words)
        if picked.isdigit() and all(str(pk) != picked for pk, _name in rows):
            row = chosen(int(picked))
            if row is not None:
                rows.insert(0, row)
        if rows:
            first = (
                _("全部（匹配较多，只列出前%(n)d个，可输入更多字缩小范围）") % {"n": len(rows)}
                if more
                else _("全部")
            )
        elif words:
            first = _("全部（没有名称含“%(q)s”的执法主体）") % {"q": words}
        else:
            first = _("全部（输入名称查找）")
        self.fields["agency"].choices = [("", first), *rows]  # type: ignore[attr-defined]
