"""The yearly efficiency evaluation on a small world: each component's figures at their
boundaries, the weights, the ranking, publication, surveys (one answer per token or phone) and
the third party's import (all rows or none, errors with row and column)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import Workbook

from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import World
from zhifa.core.exceptions import RuleViolation
from zhifa.evaluation import services_efficiency as svc
from zhifa.evaluation.models import (
    Campaign,
    EfficiencyResult,
    EfficiencyScheme,
    File,
    SatisfactionImport,
    Survey,
    SurveyAnswer,
    SurveyToken,
    Template,
)
from zhifa.evaluation.recording import evaluation_replay_check, record_rows
from zhifa.evaluation.tests.conftest import publish_template
from zhifa.publicity.models import Publication
from zhifa.record.models import Entry
from zhifa.supervision.tests.conftest import Bureau

SH = ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.django_db
D = Decimal
ON = date(2026, 11, 30)
AT = datetime(2026, 11, 30, 2, tzinfo=UTC)


# -- a helper that makes what the campaigns part makes (the lead may switch to its services) --


def scored_files(
    b: Bureau,
    template: Template,
    files: list[tuple[Case, str, str, bool]],
    *,
    year: int = 2026,
    state: str = File.State.SCORED,
) -> Campaign:
    """A campaign of ``year`` whose files (case, total, grade, vetoed) stand scored."""
    campaign = Campaign.objects.create(
        number=f"PC-{year}-{Campaign.objects.count() + 1}",
        body=b.body,
        name=f"{year}年度案卷评查",
        year=year,
        decided_from=date(year, 1, 1),
        decided_to=date(year, 12, 31),
        starts_on=date(year, 6, 1),
        ends_on=date(year, 7, 1),
        sampling=Campaign.Sampling.CENSUS,
        state=Campaign.State.FEEDBACK,
        created_by=b.sup1,
    )
    rows: list[Any] = [campaign]
    for case, total, grade, vetoed in files:
        rows.append(
            File.objects.create(
                campaign=campaign,
                case=case,
                agency=case.agency,
                template=template,
                origin=File.Origin.CENSUS,
                state=state,
                total=D(total),
                grade=grade,
                vetoed=vetoed,
            )
        )
    for row in rows:
        row.refresh_from_db()  # as stored (decimals), as the replay reads them
    record_rows(b.sup1, "evaluation.campaign.create", rows, on=date(year, 6, 1))
    return campaign


def result_of(scheme: EfficiencyScheme, agency_id: int) -> EfficiencyResult:
    scheme.refresh_from_db()
    return EfficiencyResult.objects.get(scheme=scheme, run=scheme.run, agency_id=agency_id)


def compute(b: Bureau, on: date = ON, **kw: Any) -> EfficiencyScheme:
    scheme = EfficiencyScheme.objects.filter(body=b.body, year=2026).first()
    if scheme is None:
        scheme = svc.scheme_create(actor=b.sup1, year=2026, on=on, **kw)
    return svc.efficiency_compute(actor=b.sup1, scheme=scheme, on=on)


# -- the scheme and the editor ------------------------------------------------------------------


def test_a_scheme_starts_with_30_50_20_as_a_deployment_choice_and_records_itself(
    bureau: Bureau,
) -> None:
    scheme = svc.scheme_create(actor=bureau.sup1, year=2026, on=ON)
    assert scheme.weights() == {"quality": 30, "duty": 50, "satisfaction": 20}
    assert "本部署的选择" in scheme.weights_source
    assert len(scheme.indicators) == 9
    entry = Entry.objects.get(seq=scheme.entry_seq)
    assert entry.action == "evaluation.efficiency.create"
    assert entry.data["rows"][f"evaluation.efficiencyscheme:{scheme.pk}"]["year"] == 2026
    assert list(evaluation_replay_check([])) == []


def test_the_editor_refuses_a_fine_indicator_and_keeps_the_scheme(bureau: Bureau) -> None:
    scheme = svc.scheme_create(actor=bureau.sup1, year=2026, on=ON)
    before = Entry.objects.count()
    fines = [
        *scheme.indicators,
        {
            "code": "F1",
            "component": "duty",
            "name": "执法力度",
            "formula": "fine_amount / cases_decided",
            "unit": "points",
        },
    ]
    with pytest.raises(RuleViolation) as exc:
        svc.scheme_indicators_set(
            actor=bureau.sup1, scheme=scheme, indicators=fines, weights=scheme.weights(), on=ON
        )
    assert "第七十四条" in str(exc.value) and "罚没指标" in str(exc.value)
    assert Entry.objects.count() == before
    scheme.refresh_from_db()
    assert len(scheme.indicators) == 9


def test_weights_change_the_total(bureau: Bureau, world: World, template: Template) -> None:
    a = world.p.agency_a
    scored_files(bureau, template, [(world.clue(), "80", "良好", False)])
    scheme = compute(bureau)
    # 执法质量 (2·80 + 100 + 100) / 4 = 90; 监管履行率: none of the three quarterly statistics due
    # by 30 November was filed, 0; 社会满意度 has no data: (30·90 + 50·0) / 80
    assert result_of(scheme, a.pk).total == D("33.75")
    svc.scheme_indicators_set(
        actor=bureau.sup1,
        scheme=scheme,
        indicators=scheme.indicators,
        weights={"quality": 0, "duty": 80, "satisfaction": 20},
        on=ON,
    )
    svc.efficiency_compute(actor=bureau.sup1, scheme=scheme, on=ON)
    assert result_of(scheme, a.pk).total == D("0.00")  # 执法质量 weighs nothing now


def test_only_the_bodys_supervisors_edit_and_compute(bureau: Bureau) -> None:
    scheme = svc.scheme_create(actor=bureau.sup1, year=2026, on=ON)
    with pytest.raises(RuleViolation):
        svc.efficiency_compute(actor=bureau.far, scheme=scheme, on=ON)
    with pytest.raises(RuleViolation):
        svc.scheme_create(actor=bureau.p.head, year=2026, on=ON)


# -- 执法质量: the year's scored files ----------------------------------------------------------


def test_quality_reads_the_years_scored_files_only(
    bureau: Bureau, world: World, template: Template
) -> None:
    a = world.p.agency_a
    scored_files(
        bureau,
        template,
        [
            (world.clue(), "95", "优秀", False),
            (world.clue(), "59.9", "不合格", False),  # fails
            (world.clue(), "88", "不合格", True),  # vetoed: 不合格 whatever its score
        ],
    )
    scored_files(bureau, template, [(world.clue(), "10", "不合格", False)], year=2025)
    scored_files(
        bureau, template, [(world.clue(), "0", "", False)], state=File.State.ASSIGNED
    )  # not scored yet
    scheme = compute(bureau)
    r = result_of(scheme, a.pk)
    assert r.figures["files_scored"] == "3"
    assert r.values["Q1"]["value"] == "80.9667"  # (95 + 59.9 + 88) / 3
    assert (r.values["Q2"]["numerator"], r.values["Q2"]["denominator"]) == ("2", "3")
    assert r.values["Q3"]["numerator"] == "1"
    assert r.quality == D("65.48")  # (2·80.97 + 33.33 + 66.67) / 4
    assert result_of(scheme, world.p.agency_b.pk).quality is None  # no files: no data


# -- 监管履行率: publications on time, cases within their limits ---------------------------------


def test_publications_count_once_due_and_on_time_only_when_published_in_time(
    bureau: Bureau, world: World
) -> None:
    case = world.decided()
    pub = Publication.objects.get(case=case)
    a = world.p.agency_a
    # a draft due on the day of computation is not late yet
    Publication.objects.filter(pk=pub.pk).update(due_on=ON)
    r = result_of(compute(bureau), a.pk)
    assert r.figures["publications_due"] == "0"
    # the day after its due day it counts, not on time
    Publication.objects.filter(pk=pub.pk).update(due_on=ON - timedelta(days=1))
    r = result_of(compute(bureau), a.pk)
    assert (r.figures["publications_due"], r.figures["publications_on_time"]) == ("1", "0")
    assert r.values["D1"]["score"] == "0.00"
    Publication.objects.filter(pk=pub.pk).update(
        state=Publication.State.PUBLISHED, published_on=ON - timedelta(days=2), on_time=True
    )
    r = result_of(compute(bureau), a.pk)
    assert r.values["D1"]["score"] == "100.00"


def test_cases_decided_on_their_deadline_are_in_time_and_the_day_after_late(
    bureau: Bureau, world: World
) -> None:
    case = world.decided(date(2026, 4, 28))
    a = world.p.agency_a
    for deadline, in_time in (
        (date(2026, 4, 29), "1"),  # day before the deadline
        (date(2026, 4, 28), "1"),  # the deadline day itself
        (date(2026, 4, 27), "0"),  # decided the day after
    ):
        Case.objects.filter(pk=case.pk).update(decision_deadline=deadline)
        r = result_of(compute(bureau), a.pk)
        assert (r.figures["cases_decided"], r.figures["cases_decided_in_time"]) == ("1", in_time)
    # a decision of the year before is not this year's
    Case.objects.filter(pk=case.pk).update(decided_on=date(2025, 12, 31))
    assert result_of(compute(bureau), a.pk).figures["cases_decided"] == "0"


@pytest.mark.parametrize(
    ("on", "due", "on_time"),
    [
        (date(2026, 7, 15), 1, 1),  # Q2's deadline is today: not yet due
        (date(2026, 7, 16), 2, 1),  # Q2 due, filed a day late
        (date(2026, 11, 30), 3, 1),  # Q3 due, not filed
    ],
)
def test_statistics_filed_on_time_count_by_their_deadlines(
    bureau: Bureau, on: date, due: int, on_time: int
) -> None:
    # 监管履行率 (鄂州: 每季度向同级司法行政部门备案统计信息): the quarterly filings whose deadline
    # (the 15th day after the quarter) has passed, and those submitted by it.
    from zhifa.statistics.services_filings import filing_generate, filing_submit

    head, agency = bureau.p.head, bureau.p.agency_a
    for quarter, day in ((1, date(2026, 4, 15)), (2, date(2026, 7, 16))):
        with time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=SH), tick=False):
            f = filing_generate(actor=head, agency=agency, year=2026, quarter=quarter, on=day)
            filing_submit(actor=head, filing=f, on=day)
    with time_machine.travel(datetime(on.year, on.month, on.day, 10, tzinfo=SH), tick=False):
        scheme = compute(bureau, on=on)
    r = EfficiencyResult.objects.get(scheme=scheme, run=scheme.run, agency=agency)
    assert (r.values["D4"]["numerator"], r.values["D4"]["denominator"]) == (str(on_time), str(due))


# -- 社会满意度: surveys and the third party's import -------------------------------------------


def token_survey(b: Bureau, **kw: Any) -> Survey:
    return svc.survey_create(
        actor=b.sup1,
        agency=b.p.agency_a,
        year=2026,
        mode=kw.pop("mode", Survey.Mode.TOKEN),
        opens_on=date(2026, 11, 1),
        closes_on=date(2026, 12, 15),
        on=date(2026, 11, 1),
        **kw,
    )


def marks(survey: Survey, mark: int) -> dict[str, int]:
    return {q["code"]: mark for q in survey.questions}


def test_one_answer_per_token(bureau: Bureau) -> None:
    survey = token_survey(bureau)
    tokens = svc.survey_tokens_issue(actor=bureau.sup1, survey=survey, count=2, on=ON)
    answer = svc.survey_answer_submit(
        survey=survey, marks=marks(survey, 5), on=ON, at=AT, token_code=tokens[0].code.lower()
    )
    assert answer.score == D("100.00")
    with pytest.raises(RuleViolation, match="只能作答一次"):
        svc.survey_answer_submit(
            survey=survey, marks=marks(survey, 1), on=ON, at=AT, token_code=tokens[0].code
        )
    with pytest.raises(RuleViolation, match="问卷码不正确"):
        svc.survey_answer_submit(
            survey=survey, marks=marks(survey, 1), on=ON, at=AT, token_code="NOTACODE23"
        )
    svc.survey_answer_submit(
        survey=survey, marks=marks(survey, 3), on=ON, at=AT, token_code=tokens[1].code
    )
    assert SurveyAnswer.objects.filter(survey=survey).count() == 2
    entry = Entry.objects.filter(action="evaluation.survey.answer").last()
    assert entry is not None and entry.actor_id is None and entry.actor_name == "公众"
    assert "answered_on" in str(entry.data) and "address" not in str(entry.data)


def test_answers_outside_the_survey_period_are_refused(bureau: Bureau) -> None:
    survey = token_survey(bureau)
    token = svc.survey_tokens_issue(actor=bureau.sup1, survey=survey, count=1, on=ON)[0]
    for day in (date(2026, 10, 31), date(2026, 12, 16)):
        with pytest.raises(RuleViolation, match="作答时间"):
            svc.survey_answer_submit(
                survey=survey, marks=marks(survey, 4), on=day, at=AT, token_code=token.code
            )
    svc.survey_answer_submit(
        survey=survey, marks=marks(survey, 4), on=date(2026, 12, 15), at=AT, token_code=token.code
    )


def test_one_answer_per_phone_and_the_phone_is_never_stored(bureau: Bureau) -> None:
    survey = token_survey(bureau, mode=Survey.Mode.PHONE)
    phone = "13912345678"
    code = svc.survey_phone_code_send(survey=survey, phone=phone, on=ON, at=AT)
    with pytest.raises(RuleViolation, match="验证码不正确"):
        svc.survey_answer_submit(
            survey=survey,
            marks=marks(survey, 4),
            on=ON,
            at=AT,
            phone=phone,
            verify_code="000000" if code != "000000" else "111111",
        )
    late = AT + timedelta(minutes=11)
    with pytest.raises(RuleViolation, match="验证码不正确或已超过10分钟"):
        svc.survey_answer_submit(
            survey=survey, marks=marks(survey, 4), on=ON, at=late, phone=phone, verify_code=code
        )
    svc.survey_answer_submit(
        survey=survey, marks=marks(survey, 4), on=ON, at=AT, phone=phone, verify_code=code
    )
    with pytest.raises(RuleViolation, match="该手机号已提交过答卷"):
        svc.survey_phone_code_send(survey=survey, phone=phone, on=ON, at=AT)
    token = SurveyToken.objects.get(survey=survey)
    assert token.used and len(token.phone_hash) == 64
    assert phone not in str([e.data for e in Entry.objects.all()])
    assert phone not in str(list(SurveyToken.objects.values()))


def test_satisfaction_reads_answers_and_the_latest_import(bureau: Bureau) -> None:
    survey = token_survey(bureau)
    for t, m in zip(
        svc.survey_tokens_issue(actor=bureau.sup1, survey=survey, count=2, on=ON),
        (5, 3),
        strict=True,
    ):
        svc.survey_answer_submit(
            survey=survey, marks=marks(survey, m), on=ON, at=AT, token_code=t.code
        )
    a = bureau.p.agency_a
    for score in ("70", "90"):
        svc.satisfaction_import(
            actor=bureau.sup1,
            year=2026,
            source="某大学评估中心",
            filename="评价.xlsx",
            content=xlsx([[a.credit_code, a.name, score]]),
            on=ON,
        )
    r = result_of(compute(bureau), a.pk)
    assert r.values["S1"]["value"] == "75.0000"  # (100 + 50) / 2
    assert r.values["S2"]["value"] == "90.0000"  # the latest import
    assert r.satisfaction == D("82.50")


def xlsx(rows: list[list[Any]], headers: tuple[str, ...] = svc.IMPORT_HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(headers))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_an_import_with_errors_names_row_and_column_and_writes_nothing(bureau: Bureau) -> None:
    a, b = bureau.p.agency_a, bureau.p.agency_b
    content = xlsx(
        [
            [a.credit_code, a.name, "88"],
            [b.credit_code, "别的名字", "90"],  # row 3: name differs
            ["91130300000000000X", "无此机关", "80"],  # row 4: unknown
            [a.credit_code, a.name, "101"],  # row 5: twice, and out of range
        ]
    )
    before = Entry.objects.count()
    with pytest.raises(svc.ImportRefused) as exc:
        svc.satisfaction_import(
            actor=bureau.sup1, year=2026, source="第三方", filename="x.xlsx", content=content, on=ON
        )
    errors = exc.value.errors
    assert errors[0].startswith("第3行B列") and "不一致" in errors[0]
    assert errors[1].startswith("第4行A列")
    assert any(e.startswith("第5行A列") and "重复" in e for e in errors)
    assert any(e.startswith("第5行C列") and "0至100" in e for e in errors)
    assert not SatisfactionImport.objects.exists() and Entry.objects.count() == before
    with pytest.raises(svc.ImportRefused, match="缺少“满意度得分”列"):
        svc.satisfaction_import(
            actor=bureau.sup1,
            year=2026,
            source="第三方",
            filename="x.xlsx",
            content=xlsx([], headers=("统一社会信用代码", "机关名称")),
            on=ON,
        )


# -- ranking, publication, replay ------------------------------------------------------------------


def test_results_are_ranked_published_through_publicity_and_replayed(
    bureau: Bureau, world: World, template: Template
) -> None:
    p = world.p
    scored_files(bureau, template, [(world.clue(), "70", "合格", False)])
    case_b = world.clue()
    Case.objects.filter(pk=case_b.pk).update(agency=p.agency_b)
    case_b.refresh_from_db()
    scored_files(bureau, template, [(case_b, "90", "优秀", False)])
    scheme = compute(bureau)
    assert result_of(scheme, p.agency_b.pk).rank == 1
    assert result_of(scheme, p.agency_a.pk).rank == 2
    publication = svc.scheme_publish(actor=bureau.sup1, scheme=scheme, on=ON)
    assert publication.source == Publication.Source.SUPERVISION
    assert publication.state == Publication.State.DRAFT
    assert p.agency_b.name in publication.original_text
    with pytest.raises(RuleViolation, match="已发布"):
        svc.efficiency_compute(actor=bureau.sup1, scheme=scheme, on=ON)
    assert list(evaluation_replay_check([])) == []
    # a result changed outside the services is found
    EfficiencyResult.objects.filter(scheme=scheme, agency=p.agency_a, run=scheme.run).update(
        total=D(99)
    )
    assert [x.kind for x in evaluation_replay_check([])] == ["evaluation_row_differs"]


def test_a_recompute_updates_the_results_and_the_record_keeps_both(
    bureau: Bureau, world: World, template: Template
) -> None:
    scored_files(bureau, template, [(world.clue(), "70", "合格", False)])
    scheme = compute(bureau)
    first = result_of(scheme, world.p.agency_a.pk).entry_seq
    scored_files(bureau, template, [(world.clue(), "90", "优秀", False)])
    compute(bureau)
    r = result_of(scheme, world.p.agency_a.pk)
    assert r.entry_seq > first and r.values["Q1"]["value"] == "80.0000"
    assert list(evaluation_replay_check([])) == []


@pytest.fixture
def template(bureau: Bureau) -> Template:
    return publish_template(bureau)


def test_planned_inspections_count_once_their_day_has_come_and_done_once_ended(
    bureau: Bureau, world: World
) -> None:
    from zhifa.inspections.models import Entity, Inspection, Plan

    a = world.p.agency_a
    plan = Plan.objects.create(
        agency=a,
        kind=Plan.Kind.ANNUAL,
        year=2026,
        title="2026年度检查计划",
        subjects="辖区食品经营者",
        method="双随机抽查",
        status=Plan.Status.PUBLISHED,
        published_on=date(2026, 1, 20),
    )
    entity = Entity.objects.create(
        credit_code="91130302MA0000001X", name="某超市", division_code="130302", risk_class="B"
    )

    def planned(on: date, *, ended: date | None = None, state: str = "approved") -> None:
        Inspection.objects.create(
            case=world.clue(),
            agency=a,
            entity=entity,
            power_item=world.inspection_item,
            domain=world.p.domain,
            ground="routine",
            plan=plan,
            planned_on=on,
            year=on.year,
            state=state,
            requested_at=AT,
            ended_on=ended,
        )

    planned(ON, ended=ON)  # the day of computation, carried out that day: counts, done
    planned(ON - timedelta(days=1))  # due yesterday, not carried out: counts, not done
    planned(ON + timedelta(days=1))  # planned for tomorrow: not yet due
    planned(date(2026, 3, 1), state="refused")  # refused by the head: not counted
    r = result_of(compute(bureau), a.pk)
    assert (r.figures["plan_inspections"], r.figures["plan_inspections_done"]) == ("2", "1")
    assert r.values["D3"]["score"] == "50.00"
