"""The efficiency pages: schemes (indicators, weights, results, reports), surveys and imports
for the body's supervisors; an agency's own published result; and the public's anonymous survey
page. Thin: parse, gate, one service, render."""

from __future__ import annotations

import io
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.core.exceptions import RuleViolation
from zhifa.core.throttling import anonymous_write_refusal
from zhifa.registry.web import local_today, paginate, request_account

from . import documents_efficiency as docs
from . import forms_efficiency as forms
from . import indicators as ind
from . import selectors_efficiency as sel
from . import services_efficiency as svc
from .models import EfficiencyResult, EfficiencyScheme, Survey
from .selectors import campaigns_visible_to

SURVEY_THROTTLE = "evaluation.survey"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _is_region_supervisor(account: Any) -> bool:
    return bool(account.role == "supervisor" and account.region_code)


def _indicator_rows(scheme: EfficiencyScheme) -> list[dict[str, Any]]:
    rows = []
    for raw in scheme.indicators:
        try:
            i = ind.indicator_check(raw)
        except ind.IndicatorError:
            continue
        rows.append(
            {
                "i": i,
                "component": ind.COMPONENTS[i.component],
                "text": ind.formula_text(i.formula),
                "unit": ind.UNITS[i.unit],
                "better": ind.BETTER[i.better],
                "unconnected": i.unconnected,
                "sources": [
                    (ind.METRICS[n].label, ind.METRICS[n].source)
                    for n in i.names
                    if n in ind.METRICS
                ],
            }
        )
    return rows


# -- schemes ---------------------------------------------------------------------------------------


@login_required
def efficiency_home(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    schemes = sel.schemes_visible_to(account).order_by("-year", "pk")
    body_supervisor = account.role == "supervisor" and account.agency_id is not None
    form = forms.SchemeForm(request.POST or None, initial={"year": local_today().year})
    refusal = ""
    if request.method == "POST":
        if not body_supervisor:
            raise Http404
        if form.is_valid():
            try:
                scheme = svc.scheme_create(
                    actor=account,
                    year=form.cleaned_data["year"],
                    name=form.cleaned_data["name"],
                    on=local_today(),
                )
            except RuleViolation as exc:
                refusal = str(exc)
            else:
                return _see_other(reverse("evaluation_efficiency_scheme", args=[scheme.pk]))
    return render(
        request,
        "evaluation/efficiency/home.html",
        {
            "schemes": schemes,
            "surveys": sel.surveys_visible_to(account).order_by("-year", "pk")[:100],
            "form": form,
            "refusal": refusal,
            "may_create": body_supervisor,
            "own_agency": account.agency_id,
            "region": _is_region_supervisor(account),
        },
        status=400 if request.method == "POST" else 200,
    )


def _scheme_page(
    request: HttpRequest, scheme: EfficiencyScheme, *, status: int = 200, **extra: Any
) -> HttpResponse:
    account = request_account(request)
    results = sel.ranked(sel.results_visible_to(account, scheme))
    page = paginate(request, results)
    chart = docs.bars_svg(
        [(r.agency.name, r.total) for r in results[:30]], title=_("总分（前30名）")
    )
    return render(
        request,
        "evaluation/efficiency/scheme.html",
        {
            "scheme": scheme,
            "results": page,
            "page": page,
            "chart": chart,
            "indicators": _indicator_rows(scheme),
            "components": ind.COMPONENTS,
            "owner": sel.is_body_supervisor(account, scheme.body_id),
            "fines_rule": ind.FINES_RULE,
            **extra,
        },
        status=status,
    )


@login_required
def efficiency_scheme(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    scheme = sel.access_scheme(account, pk)
    if not _is_region_supervisor(account):
        # an agency sees its own result only
        own = sel.results_all_visible_to(account).filter(scheme=scheme).first()
        if own is None:
            raise Http404
        return _see_other(reverse("evaluation_efficiency_result", args=[own.pk]))
    return _scheme_page(request, scheme)


def _owned(request: HttpRequest, pk: int) -> EfficiencyScheme:
    account = request_account(request)
    scheme = sel.access_scheme(account, pk)
    if not sel.is_body_supervisor(account, scheme.body_id):
        raise Http404
    return scheme


@login_required
@require_POST
def efficiency_compute(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _owned(request, pk)
    try:
        svc.efficiency_compute(actor=request_account(request), scheme=scheme, on=local_today())
    except RuleViolation as exc:
        return _scheme_page(request, scheme, status=409, refusal=str(exc))
    messages.success(request, _("已计算效能评价结果"))
    return _see_other(reverse("evaluation_efficiency_scheme", args=[pk]))


@login_required
@require_POST
def efficiency_publish(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _owned(request, pk)
    try:
        svc.scheme_publish(actor=request_account(request), scheme=scheme, on=local_today())
    except RuleViolation as exc:
        return _scheme_page(request, scheme, status=409, refusal=str(exc))
    messages.success(request, _("已发布，评价报告已送本机构公开审核"))
    return _see_other(reverse("evaluation_efficiency_scheme", args=[pk]))


@login_required
def efficiency_indicators(request: HttpRequest, pk: int) -> HttpResponse:
    """The indicator editor: weights and the indicators as JSON, each formula checked (the fines
    rule refuses, naming 第七十四条 and the 纲要)."""
    scheme = _owned(request, pk)
    initial = {
        "weight_quality": scheme.weight_quality,
        "weight_duty": scheme.weight_duty,
        "weight_satisfaction": scheme.weight_satisfaction,
        "weights_source": scheme.weights_source,
        "indicators": json.dumps(scheme.indicators, ensure_ascii=False, indent=1),
    }
    form = forms.IndicatorsForm(request.POST or None, initial=initial)
    refusal = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            svc.scheme_indicators_set(
                actor=request_account(request),
                scheme=scheme,
                indicators=data["indicators"],
                weights={
                    "quality": data["weight_quality"],
                    "duty": data["weight_duty"],
                    "satisfaction": data["weight_satisfaction"],
                },
                weights_source=data["weights_source"],
                on=local_today(),
            )
        except RuleViolation as exc:
            refusal = str(exc)
        else:
            messages.success(request, _("已保存指标和权重，请重新计算"))
            return _see_other(reverse("evaluation_efficiency_scheme", args=[pk]))
    return render(
        request,
        "evaluation/efficiency/indicators.html",
        {
            "scheme": scheme,
            "form": form,
            "refusal": refusal,
            "metrics": [m for m in ind.METRICS.values() if m.kind != ind.FORBIDDEN],
            "fines_rule": ind.FINES_RULE,
            "components": ind.COMPONENTS,
        },
        status=(409 if refusal else 400) if request.method == "POST" else 200,
    )


def _file(content: bytes, name: str, media_type: str) -> HttpResponse:
    from django.utils.http import content_disposition_header

    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _report(scheme: EfficiencyScheme, result: EfficiencyResult | None, fmt: str) -> HttpResponse:
    if scheme.state == EfficiencyScheme.State.DRAFT and not scheme.computed_on:
        raise Http404
    stem = scheme.name + (f"-{result.agency.name}" if result else "")
    if fmt == "pdf":
        return _file(docs.report_pdf(scheme, result, at=timezone.now()), f"{stem}.pdf", docs_pdf())
    if fmt == "xlsx":
        return _file(docs.report_xlsx(scheme, result), f"{stem}.xlsx", XLSX)
    raise Http404


def docs_pdf() -> str:
    from zhifa.cases.documents import PDF_TYPE

    return PDF_TYPE


@login_required
def efficiency_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    account = request_account(request)
    scheme = sel.access_scheme(account, pk)
    if not _is_region_supervisor(account):
        raise Http404
    return _report(scheme, None, fmt)


@login_required
def efficiency_result(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    result = sel.access_result(account, pk)
    scheme = result.scheme
    rows = []
    for r in _indicator_rows(scheme):
        i = r["i"]
        v = result.values.get(i.code, {})
        links = []
        for name in i.names:
            source = sel.source_of(name)
            if source and (source, ind.METRICS[name].label) not in links:
                links.append((source, ind.METRICS[name].label))
        rows.append({**r, "v": v, "shown": docs._value(v, i.unit), "links": links})
    chart = docs.bars_svg(
        [(ind.COMPONENTS[c], getattr(result, c)) for c in ind.COMPONENTS], title=_("各部分得分")
    )
    return render(
        request,
        "evaluation/efficiency/result.html",
        {"scheme": scheme, "result": result, "rows": rows, "chart": chart},
    )


@login_required
def efficiency_result_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    result = sel.access_result(request_account(request), pk)
    return _report(result.scheme, result, fmt)


@login_required
def efficiency_behind(request: HttpRequest, pk: int, source: str) -> HttpResponse:
    """The files, cases, publications, inspections or surveys behind one agency's figures."""
    result = sel.access_result(request_account(request), pk)
    scheme = result.scheme
    if source not in sel.DRILLABLE:
        raise Http404
    on = scheme.computed_on or local_today()
    rows = sel.rows_behind(source, result.agency, scheme.year, on)
    return render(
        request,
        "evaluation/efficiency/behind.html",
        {
            "scheme": scheme,
            "result": result,
            "rows": rows,
            "source": source,
            "metrics": [ind.METRICS[n] for n in sel.DRILLABLE[source]],
            "on": on,
        },
    )


# -- surveys and imports --------------------------------------------------------------------------


def _survey_form(request: HttpRequest, data: Any = None) -> forms.SurveyForm:
    account = request_account(request)
    agencies: list[tuple[int, str]] = []
    campaigns: list[tuple[int, str]] = []
    if account.agency_id is not None:
        campaigns = [
            (c.pk, c.name)
            for c in campaigns_visible_to(account).filter(body_id=account.agency_id).order_by("-pk")
        ]
        from zhifa.registry.models import Agency

        body = Agency.objects.get(pk=account.agency_id)
        agencies = [(a.pk, a.name) for a in sel.region_agencies(body).order_by("division_code")]
    today = local_today()
    return forms.SurveyForm(
        data,
        agencies=agencies,
        campaigns=campaigns,
        initial={"year": today.year, "opens_on": today, "closes_on": today},
    )


@login_required
def efficiency_surveys(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    if account.role != "supervisor":
        raise Http404
    form = _survey_form(request, request.POST or None)
    import_form = forms.ImportForm(initial={"year": local_today().year})
    refusal = ""
    if request.method == "POST" and form.is_valid():
        from zhifa.registry.models import Agency

        data = form.cleaned_data
        try:
            survey = svc.survey_create(
                actor=account,
                agency=Agency.objects.get(pk=data["agency"]),
                year=data["year"],
                title=data["title"],
                mode=data["mode"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                questions=[q for q in data["questions"].splitlines() if q.strip()] or None,
                campaign=(
                    campaigns_visible_to(account).filter(pk=data["campaign"]).first()
                    if data["campaign"]
                    else None
                ),
                on=local_today(),
            )
        except RuleViolation as exc:
            refusal = str(exc)
        else:
            return _see_other(reverse("evaluation_efficiency_survey", args=[survey.pk]))
    return render(
        request,
        "evaluation/efficiency/surveys.html",
        {
            "surveys": sel.surveys_visible_to(account).order_by("-year", "pk"),
            "form": form,
            "import_form": import_form,
            "refusal": refusal,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def efficiency_import(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    if account.role != "supervisor":
        raise Http404
    form = forms.ImportForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            svc.satisfaction_import(
                actor=account,
                year=form.cleaned_data["year"],
                source=form.cleaned_data["source"],
                filename=upload.name,
                content=upload.read(),
                on=local_today(),
            )
        except svc.ImportRefused as exc:
            errors = exc.errors
        except RuleViolation as exc:
            errors = [str(exc)]
        else:
            messages.success(request, _("已导入第三方满意度评价结果"))
            return _see_other(reverse("evaluation_efficiency_surveys"))
    return render(
        request,
        "evaluation/efficiency/surveys.html",
        {
            "surveys": sel.surveys_visible_to(account).order_by("-year", "pk"),
            "form": _survey_form(request),
            "import_form": form,
            "import_errors": errors,
        },
        status=400,
    )


def _public_url(request: HttpRequest, key: str) -> str:
    return request.build_absolute_uri(reverse("evaluation_survey_public", args=[key]))


@login_required
def efficiency_survey(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    survey = sel.access_survey(account, pk)
    owner = sel.is_body_supervisor(account, survey.body_id)
    form = forms.TokensForm(request.POST or None)
    refusal = ""
    if request.method == "POST":
        if not owner:
            raise Http404
        if form.is_valid():
            try:
                svc.survey_tokens_issue(
                    actor=account, survey=survey, count=form.cleaned_data["count"], on=local_today()
                )
            except RuleViolation as exc:
                refusal = str(exc)
            else:
                messages.success(request, _("已发放问卷码"))
                return _see_other(reverse("evaluation_efficiency_survey", args=[pk]))
    return render(
        request,
        "evaluation/efficiency/survey.html",
        {
            "survey": survey,
            "summary": sel.survey_summary(survey),
            "owner": owner,
            "form": form,
            "refusal": refusal,
            "public_url": _public_url(request, survey.key),
            "open": sel.survey_is_open(survey, local_today()),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def efficiency_survey_tokens(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The tokens as a printable page (``print``) or a spreadsheet (``xlsx``): code and address."""
    account = request_account(request)
    survey = sel.access_survey(account, pk)
    if not sel.is_body_supervisor(account, survey.body_id):
        raise Http404
    tokens = list(survey.tokens.exclude(code="").order_by("pk"))
    if fmt == "print":
        return render(
            request,
            "evaluation/efficiency/tokens.html",
            {
                "survey": survey,
                "tokens": [(t, _public_url(request, t.code)) for t in tokens],
            },
        )
    if fmt == "xlsx":
        from zhifa.registry.tabular import write_xlsx

        out = io.BytesIO()
        write_xlsx(
            out,
            title="问卷码",
            headers=["问卷码", "作答地址", "已作答"],
            rows=[[t.code, _public_url(request, t.code), "是" if t.used else "否"] for t in tokens],
            widths=[14, 60, 8],
        )
        return _file(out.getvalue(), f"{survey.title}-问卷码.xlsx", XLSX)
    raise Http404


# -- the public's survey page ---------------------------------------------------------------------


def _public_page(
    request: HttpRequest,
    survey: Survey,
    key: str,
    *,
    form: forms.AnswerForm | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    token = key if key != survey.key else ""
    response = render(
        request,
        "evaluation/efficiency/public_survey.html",
        {
            "survey": survey,
            "key": key,
            "form": form
            or forms.AnswerForm(survey=survey, marks=svc.MARKS, initial={"token": token}),
            "phone_form": forms.PhoneForm(),
            "open": sel.survey_is_open(survey, local_today()),
            "thanks": request.GET.get("done") == "1",
            **extra,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


def survey_public(request: HttpRequest, key: str) -> HttpResponse:
    """The anonymous survey: GET shows it; POST takes one answer (throttled per address)."""
    survey = sel.survey_public(key)
    if survey is None:
        return render(request, "evaluation/efficiency/public_unknown.html", status=404)
    if request.method != "POST":
        return _public_page(request, survey, key)
    form = forms.AnswerForm(request.POST, survey=survey, marks=svc.MARKS)
    refusal = anonymous_write_refusal(request, SURVEY_THROTTLE)
    if refusal is not None:
        form.is_valid()
        form.add_error(None, refusal.message(_("提交问卷")))
        response = _public_page(request, survey, key, form=form, status=429)
        response["Retry-After"] = str(refusal.retry_after(timezone.now()))
        return response
    if form.is_valid():
        data = form.cleaned_data
        try:
            svc.survey_answer_submit(
                survey=survey,
                marks={q["code"]: data[q["code"]] for q in survey.questions},
                token_code=data.get("token", ""),
                phone=data.get("phone", ""),
                verify_code=data.get("verify_code", ""),
                on=local_today(),
                at=timezone.now(),
            )
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            return _see_other(reverse("evaluation_survey_public", args=[key]) + "?done=1")
    return _public_page(request, survey, key, form=form, status=400)


@require_POST
def survey_public_code(request: HttpRequest, key: str) -> HttpResponse:
    """Phone mode: the code for the phone, shown on the page as sent (no SMS gateway)."""
    survey = sel.survey_public(key)
    if survey is None:
        return render(request, "evaluation/efficiency/public_unknown.html", status=404)
    phone_form = forms.PhoneForm(request.POST)
    refusal = anonymous_write_refusal(request, SURVEY_THROTTLE)
    if refusal is not None:
        response = _public_page(
            request, survey, key, status=429, code_refusal=refusal.message(_("获取验证码"))
        )
        response["Retry-After"] = str(refusal.retry_after(timezone.now()))
        return response
    if not phone_form.is_valid():
        return _public_page(request, survey, key, status=400, code_refusal=_("请填写手机号码"))
    phone = phone_form.cleaned_data["phone"]
    try:
        code = svc.survey_phone_code_send(
            survey=survey, phone=phone, on=local_today(), at=timezone.now()
        )
    except RuleViolation as exc:
        return _public_page(request, survey, key, status=409, code_refusal=str(exc))
    form = forms.AnswerForm(survey=survey, marks=svc.MARKS, initial={"phone": phone})
    return _public_page(request, survey, key, form=form, sent_code=code)
