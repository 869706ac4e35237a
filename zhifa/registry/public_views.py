"""The public portal before enforcement (事前公开), without login: thin views over ``public``.

Every page states when its data last changed (最后更新), sends it as Last-Modified with an ETag,
and answers a conditional request for unchanged data with 304 before reading the page's rows.
Anonymous responses may be cached by anyone for five minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from zhifa.core.exceptions import InvalidIdentifier
from zhifa.core.identifiers import validate_division_code

from . import public, selectors
from .models import Agency, DiscretionGrade, LenientListItem, PowerItem, RandomInspectionItem
from .web import local_today, paginate, without_csrf_cookie

CACHE_SECONDS = 300
DECISIONS_URL = "/public/decisions/"  # the publicity app's pages (事后公开)


# -- forms: they parse the filters; the reads are in ``public`` ----------------------------


def _any_or(choices: list[tuple[str, str]]) -> list[tuple[str, Any]]:
    return [("", _("全部")), *choices]


def _domain_choices() -> list[tuple[str, Any]]:
    return _any_or([(d.code, d.name) for d in selectors.domains_all()])


class _FilterForm(forms.Form):
    def value(self, name: str) -> str:
        return str(self.cleaned_data.get(name) or "").strip() if self.is_valid() else ""


class AgencyFilter(_FilterForm):
    q = forms.CharField(label=_("主体名称"), required=False, max_length=64)
    division = forms.CharField(label=_("行政区划代码"), required=False, max_length=6)
    domain = forms.ChoiceField(label=_("执法领域"), required=False)
    level = forms.ChoiceField(
        label=_("层级"), required=False, choices=_any_or(Agency.Level.choices)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = _domain_choices()  # type: ignore[attr-defined]

    def clean_division(self) -> str:
        code = str(self.cleaned_data.get("division") or "").strip()
        if not code:
            return ""
        try:
            return validate_division_code(code)
        except InvalidIdentifier as exc:
            raise ValidationError(exc.message) from exc


class OfficerFilter(_FilterForm):
    q = forms.CharField(label=_("姓名或证件编号"), required=False, max_length=64)
    domain = forms.ChoiceField(label=_("执法领域"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = _domain_choices()  # type: ignore[attr-defined]


class PowerFilter(_FilterForm):
    q = forms.CharField(label=_("事项名称或编码"), required=False, max_length=64)
    category = forms.ChoiceField(
        label=_("权力类别"), required=False, choices=_any_or(PowerItem.Category.choices)
    )
    domain = forms.ChoiceField(label=_("执法领域"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = _domain_choices()  # type: ignore[attr-defined]


class InspectionFilter(_FilterForm):
    q = forms.CharField(label=_("抽查对象或内容"), required=False, max_length=64)
    category = forms.ChoiceField(
        label=_("抽查类别"),
        required=False,
        choices=_any_or(RandomInspectionItem.Category.choices),
    )


class DiscretionFilter(_FilterForm):
    q = forms.CharField(label=_("违法行为"), required=False, max_length=64)
    domain = forms.ChoiceField(label=_("执法领域"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = _domain_choices()  # type: ignore[attr-defined]


class LenientFilter(_FilterForm):
    kind = forms.ChoiceField(
        label=_("清单类别"), required=False, choices=_any_or(LenientListItem.Kind.choices)
    )
    domain = forms.ChoiceField(label=_("执法领域"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = _domain_choices()  # type: ignore[attr-defined]


def _agency_id(request: HttpRequest) -> int | None:
    raw = request.GET.get("agency", "")
    return int(raw) if raw.isdigit() else None


# -- the response: 最后更新, validators, cache headers ----------------------------------------


def _public_page(
    request: HttpRequest,
    template: str,
    freshness: public.Freshness,
    context: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """Render ``template`` with ``context()`` — built only when the client's copy is stale."""
    last_modified = freshness.updated_at
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=freshness.etag, last_modified=timestamp)
    if response is None:
        data = (
            context()
            | {"last_updated": last_modified, "decisions_url": DECISIONS_URL}
            | without_csrf_cookie(request)
        )
        response = render(request, template, data)
    response["ETag"] = freshness.etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    if request.user.is_authenticated:
        # The top bar names the logged-in user: only the browser may keep the page.
        patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
    else:
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


# -- pages ---------------------------------------------------------------------------------


@require_GET
def portal_home(request: HttpRequest) -> HttpResponse:
    parts = {
        "agencies": public.agencies_freshness(),
        "officers": public.officers_freshness(local_today()),
        "powers": public.power_items_freshness(),
        "inspection": public.inspection_items_freshness(),
        "discretion": public.discretion_benchmarks_freshness(),
        "lenient": public.lenient_items_freshness(),
    }
    freshness = public.Freshness(None)
    for part in parts.values():
        freshness = freshness | part
    return _public_page(
        request,
        "registry/public/home.html",
        freshness,
        lambda: {"updated": {k: v.updated_at for k, v in parts.items()}},
    )


@require_GET
def agency_list(request: HttpRequest) -> HttpResponse:
    def context() -> dict[str, Any]:
        form = AgencyFilter(request.GET)
        qs = public.agencies_public_search(
            q=form.value("q"),
            division=form.value("division"),
            domain=form.value("domain"),
            level=form.value("level"),
        )
        return {"form": form, "page": paginate(request, qs)}

    return _public_page(
        request, "registry/public/agency_list.html", public.agencies_freshness(), context
    )


@require_GET
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = public.access_public_agency(pk)

    def context() -> dict[str, Any]:
        return {
            "agency": agency,
            "items": list(public.power_items_public_search(agency_id=agency.pk)),
            "officer_count": public.agency_public_officer_count(agency, local_today()),
            "reconsideration": public.RECONSIDERATION,
            "litigation": public.LITIGATION,
        }

    return _public_page(
        request,
        "registry/public/agency_detail.html",
        public.agency_public_freshness(agency, local_today()),
        context,
    )


@require_GET
def officer_list(request: HttpRequest) -> HttpResponse:
    def context() -> dict[str, Any]:
        form = OfficerFilter(request.GET)
        qs = public.certificates_public_search(
            today=today,
            q=form.value("q"),
            agency_id=_agency_id(request),
            domain=form.value("domain"),
        )
        return {"form": form, "page": paginate(request, qs), "today": today}

    today = local_today()
    freshness = public.officers_freshness(today) | public.agencies_freshness()
    return _public_page(request, "registry/public/officer_list.html", freshness, context)


@require_GET
def power_list(request: HttpRequest) -> HttpResponse:
    def context() -> dict[str, Any]:
        form = PowerFilter(request.GET)
        qs = public.power_items_public_search(
            q=form.value("q"),
            category=form.value("category"),
            domain=form.value("domain"),
            agency_id=_agency_id(request),
        )
        return {"form": form, "page": paginate(request, qs)}

    freshness = public.power_items_freshness() | public.agencies_freshness()
    return _public_page(request, "registry/public/power_list.html", freshness, context)


@require_GET
def power_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = public.access_public_power_item(pk)

    def context() -> dict[str, Any]:
        return {
            "item": item,
            "bases": list(item.bases.all()),
            "steps": public.procedure_step_labels(item),
            "guide": public.power_item_service_guide(item),
        }

    return _public_page(
        request,
        "registry/public/power_detail.html",
        public.power_item_public_freshness(item),
        context,
    )


@require_GET
def inspection_items(request: HttpRequest) -> HttpResponse:
    def context() -> dict[str, Any]:
        form = InspectionFilter(request.GET)
        qs = public.inspection_items_public(
            q=form.value("q"), agency_id=_agency_id(request), category=form.value("category")
        )
        return {"form": form, "page": paginate(request, qs)}

    freshness = (
        public.inspection_items_freshness()
        | public.power_items_freshness()
        | public.agencies_freshness()
    )
    return _public_page(request, "registry/public/inspection_items.html", freshness, context)


@require_GET
def discretion(request: HttpRequest) -> HttpResponse:
    def context() -> dict[str, Any]:
        form = DiscretionFilter(request.GET)
        qs = public.discretion_benchmarks_public(q=form.value("q"), domain=form.value("domain"))
        return {"form": form, "page": paginate(request, qs), "levels": DiscretionGrade.Level}

    freshness = public.discretion_benchmarks_freshness() | public.agencies_freshness()
    return _public_page(request, "registry/public/discretion.html", freshness, context)


@require_GET
def lenient_lists(request: HttpRequest) -> HttpResponse:
    def context() -> dict[str, Any]:
        form = LenientFilter(request.GET)
        counts = public.lenient_kinds_published()
        kinds = [
            (value, label, counts.get(value, 0)) for value, label in LenientListItem.Kind.choices
        ]
        qs = public.lenient_items_public(kind=form.value("kind"), domain=form.value("domain"))
        return {"form": form, "page": paginate(request, qs), "kinds": kinds}

    freshness = public.lenient_items_freshness() | public.agencies_freshness()
    return _public_page(request, "registry/public/lenient_lists.html", freshness, context)
