"""Choosing an enforcement body by typing part of its name: a province lists thousands, too many
for one drop-down. A form built on :class:`AgencyLookupForm` has ``agency_q`` (the words) and
``agency`` (a choice among the active bodies whose name contains them); its template includes
``registry/_agency_lookup.html``. The page fills the choices as one types
(``js/agency-search.js`` asking ``/api/v1/public/agencies``); without script the 查找 button
posts the form with ``find`` and the view answers with the matches (:func:`finding`), checking
nothing and keeping what was typed.

A form that chooses among other bodies than the public's active ones (the supervisor's new
matter: every body of the region, suspended and abolished ones too) overrides
:meth:`AgencyLookupForm.agency_candidates` and :meth:`AgencyLookupForm.agency_find`, and names
its own JSON lookup in ``agency_lookup_url`` (same answer shape; an optional ``label`` per
match is shown instead of the name)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Agency
from .public import agencies_public
from .public_api import agency_matches

FIND = "find"


class AgencyLookupForm(forms.Form):
    agency_words: Any = _("执法主体")  # how the form names the body (e.g. 被投诉的执法主体)
    agency_lookup_url = ""  # the JSON lookup the script asks; empty: the public one
    agency_has_files = True  # the form takes files (they cannot come back after 查找)

    agency_q = forms.CharField(
        label=_("查找执法主体"),
        max_length=50,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "data-agency-search": "agency", "type": "search"}
        ),
    )
    agency = forms.ModelChoiceField(label=_("执法主体"), queryset=agencies_public())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency_more = False
        words = self.agency_words
        self.fields["agency_q"].label = _("查找%(what)s（输入名称中的字词）") % {"what": words}
        self.fields["agency"].label = words
        self.fields["agency"].error_messages["required"] = _("请先查找并选择%(what)s") % {
            "what": words
        }
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = self.agency_candidates()
        agency.widget.choices = self._agency_choices()

    def agency_candidates(self) -> QuerySet[Agency]:
        """The bodies the form may choose: the active ones (the public's)."""
        return agencies_public()

    def agency_find(self, query: str) -> tuple[list[Any], bool]:
        """The matches of ``query`` (each with ``id``, ``name``, optionally ``label``) and
        whether more match."""
        return agency_matches(query)

    def chosen(self) -> dict[str, Any]:
        """The cleaned data without the words typed to find the body."""
        return {k: v for k, v in self.cleaned_data.items() if k != "agency_q"}

    def _agency_choices(self) -> list[tuple[Any, str]]:
        """The matches of what was typed, plus the body already chosen (kept on a re-render)."""
        given = self.data if self.is_bound else self.initial
        query = str(given.get(self.add_prefix("agency_q"), "") or "").strip()[:50]
        chosen = str(given.get(self.add_prefix("agency"), "") or "").strip()
        rows: list[tuple[Any, str]] = []
        if query:
            matches, self.agency_more = self.agency_find(query)
            rows = [(m.id, getattr(m, "label", "") or m.name) for m in matches]
        if chosen.isdigit() and all(str(pk) != chosen for pk, _name in rows):
            picked = (
                self.agency_candidates().filter(pk=int(chosen)).values_list("pk", "name").first()
            )
            if picked is not None:
                rows.insert(0, picked)
        if not rows:
            placeholder = (
                _("没有名称含“%(q)s”的执法主体") % {"q": query} if query else _("请先输入名称查找")
            )
        elif self.agency_more:
            placeholder = _("请选择（匹配较多，只列出前%(n)d个，可输入更多字缩小范围）") % {
                "n": len(rows)
            }
        else:
            placeholder = _("请选择（共%(n)d个匹配）") % {"n": len(rows)}
        return [("", str(placeholder)), *rows]


def finding(request: HttpRequest) -> dict[str, str] | None:
    """When the 查找 button was pressed: what was typed, as the re-rendered form's initial
    values (files cannot come back); else None."""
    if request.method != "POST" or FIND not in request.POST:
        return None
    typed: dict[str, str] = request.POST.dict()
    return {k: v for k, v in typed.items() if k not in ("csrfmiddlewaretoken", FIND)}
