"""The demo's 效能评价: the 示范市司法局's 2026 evaluation of the agencies of 示范市, computed,
with a token survey about the 市场监督管理局 (tokens issued, some answered), a phone-verified
survey about another agency (answered), and a third party's imported scores; and a draft 2026
evaluation of the 丙县司法局 when the county supervisor exists.

Every write goes through the services (so through the record); dated ``today``; idempotent:
nothing is written when the city's body already has a 2026 evaluation. Loaded after the
registry, cases, supervision (and, when present, the campaigns') demos, so that 执法质量 reads
whatever evaluated files exist.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from openpyxl import Workbook

from zhifa.registry.models import Account, Agency

from . import services_efficiency as svc
from .models import EfficiencyScheme, Survey
from .selectors_efficiency import current_results, region_agencies

CITY_BODY = "示范市司法局"
COUNTY_BODY = "示范市丙县司法局"
MARKET = "示范市市场监督管理局"
YEAR = 2026


def _xlsx(rows: list[list[str]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(svc.IMPORT_HEADERS))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def load(today: date) -> list[str]:
    """Load the demo's 效能评价; the lines to print."""
    body = Agency.objects.filter(name=CITY_BODY).first()
    sup = Account.objects.filter(
        username="supervisor", role=Account.Role.SUPERVISOR, agency=body
    ).first()
    if body is None or sup is None:
        return ["效能评价：未找到示范市司法局或其监督人员（supervisor），未加载。"]
    if EfficiencyScheme.objects.filter(body=body, year=YEAR).exists():
        return ["示范效能评价已加载，未做改动。"]
    with transaction.atomic():
        lines = _load(body, sup, today)
    return lines


def _load(body: Agency, sup: Account, today: date) -> list[str]:
    agencies = list(region_agencies(body).order_by("division_code", "pk"))
    market = next((a for a in agencies if a.name == MARKET), agencies[0] if agencies else None)
    if market is None:
        return ["效能评价：示范市没有执法机关，未加载。"]
    other = next((a for a in agencies if a.pk != market.pk), market)
    opens, closes = today - timedelta(days=20), today + timedelta(days=30)
    at = datetime.combine(today, datetime.min.time(), tzinfo=UTC) + timedelta(hours=2)
    # a token survey: 8 tokens, 5 answered
    survey = svc.survey_create(
        actor=sup,
        agency=market,
        year=YEAR,
        mode=Survey.Mode.TOKEN,
        opens_on=opens,
        closes_on=closes,
        on=opens,
    )
    tokens = svc.survey_tokens_issue(actor=sup, survey=survey, count=8, on=opens)
    for token, mark in zip(tokens, (5, 4, 4, 3, 5), strict=False):
        svc.survey_answer_submit(
            survey=survey,
            marks={q["code"]: mark for q in survey.questions},
            token_code=token.code,
            on=today,
            at=at,
        )
    # a phone-verified survey: 3 respondents (the code is shown as sent: no SMS gateway)
    phone_survey = svc.survey_create(
        actor=sup,
        agency=other,
        year=YEAR,
        mode=Survey.Mode.PHONE,
        opens_on=opens,
        closes_on=closes,
        on=opens,
    )
    for n, mark in enumerate((4, 5, 2)):
        phone = f"1390000{n:04d}"
        code = svc.survey_phone_code_send(survey=phone_survey, phone=phone, on=today, at=at)
        svc.survey_answer_submit(
            survey=phone_survey,
            marks={q["code"]: mark for q in phone_survey.questions},
            phone=phone,
            verify_code=code,
            on=today,
            at=at,
        )
    # a third party's results for the first agencies
    scored = agencies[:4]
    svc.satisfaction_import(
        actor=sup,
        year=YEAR,
        source="示范市社情民意调查中心",
        filename="2026年度行政执法满意度第三方评价.xlsx",
        content=_xlsx([[a.credit_code, a.name, str(92 - 4 * i)] for i, a in enumerate(scored)]),
        on=today,
    )
    scheme = svc.scheme_create(actor=sup, year=YEAR, on=today)
    svc.efficiency_compute(actor=sup, scheme=scheme, on=today)
    scheme.refresh_from_db()
    results = current_results(scheme)
    lines = [
        f"已加载{body.name}{YEAR}年度行政执法效能评价（已计算，{results.count()}个执法机关，"
        f"{results.exclude(rank=None).count()}个有名次），满意度问卷2份（答卷8份），第三方评价导入1次。"
    ]
    county = Agency.objects.filter(name=COUNTY_BODY).first()
    county_sup = Account.objects.filter(username="county_supervisor", agency=county).first()
    if (
        county is not None
        and county_sup is not None
        and not EfficiencyScheme.objects.filter(body=county, year=YEAR).exists()
    ):
        svc.scheme_create(actor=county_sup, year=YEAR, on=today)
        lines.append(f"已建立{county.name}{YEAR}年度效能评价方案（草稿）。")
    return lines
