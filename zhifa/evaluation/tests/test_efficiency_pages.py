"""The efficiency pages: the scheme with its formulas, the editor's refusal, the reports read back
(PDF and .xlsx), the drill-down, the public survey, and who may see what."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client, override_settings
from openpyxl import load_workbook
from pypdf import PdfReader

from zhifa.cases.tests.conftest import World
from zhifa.evaluation import services_efficiency as svc
from zhifa.evaluation.models import (
    EfficiencyResult,
    EfficiencyScheme,
    Survey,
    SurveyAnswer,
    Template,
)
from zhifa.evaluation.tests.conftest import publish_template
from zhifa.evaluation.tests.test_efficiency_services import scored_files, xlsx
from zhifa.registry.models import Account
from zhifa.supervision.tests.conftest import Bureau

pytestmark = pytest.mark.django_db
ON = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen() -> object:
    with time_machine.travel(NOW, tick=False):
        yield


def as_(account: Account) -> Client:
    c = Client()
    c.force_login(account)
    return c


def squash(text: str) -> str:
    return "".join(text.split())


def pdf_text(data: bytes) -> str:
    return squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def computed(bureau: Bureau, world: World) -> EfficiencyScheme:
    template: Template = publish_template(bureau)
    case = world.decided()
    scored_files(bureau, template, [(case, "86", "良好", False)])
    scheme = svc.scheme_create(actor=bureau.sup1, year=2026, on=ON)
    return svc.efficiency_compute(actor=bureau.sup1, scheme=scheme, on=ON)


def test_the_scheme_page_shows_weights_with_source_formulas_and_the_ranked_table(
    bureau: Bureau, computed: EfficiencyScheme
) -> None:
    r = as_(bureau.sup1).get(f"/evaluation/efficiency/{computed.pk}/")
    page = r.content.decode()
    assert r.status_code == 200
    assert "本部署的选择" in page
    assert "按期公示的行政执法决定数 ÷ 应公示的行政执法决定数" in page
    assert "按期报送的行政执法统计季报数 ÷ 应报送的行政执法统计季报数" in page
    assert "第七十四条" in page
    assert "<svg" in page and bureau.p.agency_a.name in page


def test_the_editor_refuses_a_fine_formula_and_keeps_what_was_typed(
    bureau: Bureau, computed: EfficiencyScheme
) -> None:
    typed = [
        *computed.indicators,
        {"code": "F1", "component": "duty", "name": "执法力度", "formula": "penalty_decisions"},
    ]
    r = as_(bureau.sup1).post(
        f"/evaluation/efficiency/{computed.pk}/indicators/",
        {
            "weight_quality": "30",
            "weight_duty": "50",
            "weight_satisfaction": "20",
            "weights_source": "",
            "indicators": json.dumps(typed, ensure_ascii=False),
        },
    )
    page = r.content.decode()
    assert r.status_code == 409
    assert "第七十四条" in page and "严禁下达或者变相下达罚没指标" in page
    assert "penalty_decisions" in page  # the form keeps it
    computed.refresh_from_db()
    assert computed.state == EfficiencyScheme.State.COMPUTED and len(computed.indicators) == 9


def rid(scheme: EfficiencyScheme, agency_id: int) -> int:
    scheme.refresh_from_db()
    return EfficiencyResult.objects.get(scheme=scheme, run=scheme.run, agency_id=agency_id).pk


def test_the_reports_read_back_as_pdf_and_xlsx(bureau: Bureau, computed: EfficiencyScheme) -> None:
    c = as_(bureau.sup1)
    a = bureau.p.agency_a
    pdf = c.get(f"/evaluation/efficiency/{computed.pk}/report/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert squash(computed.name) in text and squash(a.name) in text and "执法质量" in text
    book = load_workbook(
        io.BytesIO(c.get(f"/evaluation/efficiency/{computed.pk}/report/xlsx/").content)
    )
    rows = list(book["结果"].iter_rows(values_only=True))
    assert rows[0][:2] == ("名次", "执法机关")
    row_a = next(r for r in rows if r[1] == a.name)
    assert row_a[0] == 1 and row_a[3] is not None
    detail = [r for r in book["指标"].iter_rows(values_only=True) if r[0] == a.name]
    assert any(r[1] == "Q1" and r[3] == 86.0 for r in detail)
    own = c.get(f"/evaluation/efficiency/results/{rid(computed, a.pk)}/report/pdf/")
    assert "86.00" in pdf_text(own.content)


def test_each_figure_drills_to_the_files_and_cases_behind_it(
    bureau: Bureau, world: World, computed: EfficiencyScheme
) -> None:
    a = bureau.p.agency_a
    c = as_(bureau.sup1)
    url = f"/evaluation/efficiency/results/{rid(computed, a.pk)}/"
    page = c.get(url).content.decode()
    assert f"{url}behind/files/" in page
    files = c.get(f"{url}behind/files/")
    assert "86" in files.content.decode() and "/cases/" in files.content.decode()
    cases = c.get(f"{url}behind/cases/")
    assert "决定日期2026-04-28" in cases.content.decode()


def test_an_agency_sees_only_its_own_published_result(
    bureau: Bureau, computed: EfficiencyScheme
) -> None:
    p = bureau.p
    a_url = f"/evaluation/efficiency/results/{rid(computed, p.agency_a.pk)}/"
    assert as_(p.head).get(a_url).status_code == 404  # not published yet
    svc.scheme_publish(actor=bureau.sup1, scheme=computed, on=ON)
    assert as_(p.head).get(a_url).status_code == 200
    own = as_(p.head).get(f"/evaluation/efficiency/{computed.pk}/")
    assert own.status_code == 303 and own["Location"] == a_url  # the head is sent to its own
    b_url = f"/evaluation/efficiency/results/{rid(computed, p.agency_b.pk)}/"
    assert as_(p.head).get(b_url).status_code == 404  # another agency's
    assert as_(p.head).get(f"/evaluation/efficiency/{computed.pk}/report/pdf/").status_code == 404
    assert as_(bureau.far).get(a_url).status_code == 404  # another city's supervisor
    assert as_(p.officer).post(f"/evaluation/efficiency/{computed.pk}/compute/").status_code == 404
    anon = Client().get(a_url)
    assert anon.status_code == 302 and "/login" in anon["Location"]


def test_the_public_answers_a_token_survey_once_without_logging_in(bureau: Bureau) -> None:
    survey = svc.survey_create(
        actor=bureau.sup1,
        agency=bureau.p.agency_a,
        year=2026,
        mode=Survey.Mode.TOKEN,
        opens_on=date(2026, 11, 1),
        closes_on=date(2026, 12, 31),
        on=ON,
    )
    token = svc.survey_tokens_issue(actor=bureau.sup1, survey=survey, count=1, on=ON)[0]
    url = f"/public/evaluation/surveys/{token.code}/"
    page = Client().get(url).content.decode()
    assert survey.title in page and token.code in page  # the token fills itself in
    answer = {"token": token.code, **{q["code"]: "4" for q in survey.questions}}
    r = Client().post(url, answer)
    assert r.status_code == 303
    again = Client().post(url, answer)
    assert again.status_code == 400 and "只能作答一次" in again.content.decode()
    assert SurveyAnswer.objects.filter(survey=survey).count() == 1
    missing = Client().post(url, {"token": token.code})
    assert missing.status_code == 400  # every question must be answered
    assert Client().get("/public/evaluation/surveys/NOSUCHKEY/").status_code == 404


def test_the_phone_survey_shows_the_code_as_sent(bureau: Bureau) -> None:
    survey = svc.survey_create(
        actor=bureau.sup1,
        agency=bureau.p.agency_a,
        year=2026,
        mode=Survey.Mode.PHONE,
        opens_on=date(2026, 11, 1),
        closes_on=date(2026, 12, 31),
        on=ON,
    )
    c = Client()
    r = c.post(f"/public/evaluation/surveys/{survey.key}/code/", {"phone": "13900001111"})
    assert "本系统未接入短信网关" in r.content.decode()
    code = r.context["sent_code"]
    answer = {"phone": "13900001111", "verify_code": code}
    answer |= {q["code"]: "5" for q in survey.questions}
    assert c.post(f"/public/evaluation/surveys/{survey.key}/", answer).status_code == 303
    assert SurveyAnswer.objects.get(survey=survey).score == 100


@override_settings(ZHIFA_THROTTLES={"evaluation.survey": {"limit": 1, "minutes": 60}})
def test_survey_answers_are_throttled_like_the_other_public_forms(bureau: Bureau) -> None:
    survey = svc.survey_create(
        actor=bureau.sup1,
        agency=bureau.p.agency_a,
        year=2026,
        mode=Survey.Mode.TOKEN,
        opens_on=date(2026, 11, 1),
        closes_on=date(2026, 12, 31),
        on=ON,
    )
    url = f"/public/evaluation/surveys/{survey.key}/"
    c = Client()
    assert c.post(url, {"token": "WRONG"}).status_code == 400
    refused = c.post(url, {"token": "WRONG"})
    assert refused.status_code == 429 and "Retry-After" in refused


def test_supervisors_issue_print_and_download_tokens_and_import_results(bureau: Bureau) -> None:
    c = as_(bureau.sup1)
    r = c.post(
        "/evaluation/efficiency/surveys/",
        {
            "agency": bureau.p.agency_a.pk,
            "year": 2026,
            "mode": "token",
            "opens_on": "2026-11-01",
            "closes_on": "2026-12-31",
            "questions": "",
        },
    )
    assert r.status_code == 303
    survey = Survey.objects.get()
    assert c.post(f"/evaluation/efficiency/surveys/{survey.pk}/", {"count": 3}).status_code == 303
    printed = c.get(f"/evaluation/efficiency/surveys/{survey.pk}/tokens/print/").content.decode()
    codes = list(survey.tokens.values_list("code", flat=True))
    assert all(code in printed for code in codes)
    book = load_workbook(
        io.BytesIO(c.get(f"/evaluation/efficiency/surveys/{survey.pk}/tokens/xlsx/").content)
    )
    assert {r[0] for r in book.active.iter_rows(min_row=2, values_only=True)} == set(codes)  # type: ignore[union-attr]
    assert (
        as_(bureau.p.head)
        .get(f"/evaluation/efficiency/surveys/{survey.pk}/tokens/print/")
        .status_code
        == 404
    )
    a = bureau.p.agency_a
    bad = io.BytesIO(xlsx([[a.credit_code, a.name, "abc"]]))
    bad.name = "结果.xlsx"
    r = c.post(
        "/evaluation/efficiency/surveys/import/", {"year": 2026, "source": "某中心", "file": bad}
    )
    assert r.status_code == 400 and "第2行C列" in r.content.decode()


def test_a_survey_may_belong_to_a_campaign_of_the_body(bureau: Bureau, world: World) -> None:
    campaign = scored_files(bureau, publish_template(bureau), [(world.clue(), "80", "良好", False)])
    c = as_(bureau.sup1)
    form = c.get("/evaluation/efficiency/surveys/").content.decode()
    assert campaign.name in form
    r = c.post(
        "/evaluation/efficiency/surveys/",
        {
            "agency": bureau.p.agency_a.pk,
            "year": 2026,
            "campaign": campaign.pk,
            "mode": "phone",
            "opens_on": "2026-11-01",
            "closes_on": "2026-12-31",
            "questions": "执法人员是否文明\n办事是否及时",
        },
    )
    assert r.status_code == 303
    survey = Survey.objects.get()
    assert survey.campaign_id == campaign.pk and len(survey.questions) == 2
