"""Writes of the efficiency evaluation (行政执法效能评价) and the satisfaction surveys, under
the contract of ``services.py``: one transaction, keyword-only ``actor=`` and ``on=``, a
RuleViolation naming its rule (nothing written), one record entry through
``recording.record_rows`` carrying the rows written.

The public's survey answers are recorded with no actor (``record_rows(None, …)``) and carry no
personal data: no account, no address, no phone (a phone is kept only as a keyed hash, to allow
one answer per phone), and the answer row does not point to the token that allowed it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction

from zhifa.core.exceptions import RuleViolation
from zhifa.registry.models import Account, Agency

from . import indicators as ind
from . import selectors_efficiency as sel
from .models import (
    Campaign,
    EfficiencyResult,
    EfficiencyScheme,
    SatisfactionImport,
    Survey,
    SurveyAnswer,
    SurveyToken,
)
from .recording import record_rows, register_replayed

ACTION_LABELS = {
    "evaluation.efficiency.create": "新建效能评价方案",
    "evaluation.efficiency.indicators": "修改效能评价指标和权重",
    "evaluation.efficiency.compute": "计算效能评价结果",
    "evaluation.efficiency.publish": "发布效能评价结果",
    "evaluation.survey.create": "新建满意度问卷",
    "evaluation.survey.tokens": "发放问卷码",
    "evaluation.survey.phone_code": "发送问卷手机验证码",
    "evaluation.survey.answer": "提交满意度问卷答卷",
    "evaluation.satisfaction.import": "导入第三方满意度评价结果",
}

EFFICIENCY_RULE = ind.SCHEME_RULE
SURVEY_RULE = (
    "国办发〔2005〕37号三（外部评议：评议卡、民意测验）；鄂州市行政执法效能评价（社会满意度）"
)

# The components' default weights: a deployment's choice — no national or provincial weights
# were found (supervision.md §5.1); 30/50/20 is the split of a city's 评议考核办法 (§5.2).
WEIGHTS_DEFAULT = {"quality": Decimal(30), "duty": Decimal(50), "satisfaction": Decimal(20)}
WEIGHTS_SOURCE_DEFAULT = (
    "本部署的选择：参照某市行政执法评议考核办法第二十二条（通用标准30%、专用标准50%、"
    "外部评议20%）；国家和省级规定未明确权重"
)

DEFAULT_QUESTIONS = [
    {"code": "q1", "text": "执法人员是否主动出示执法证件、表明身份"},
    {"code": "q2", "text": "执法程序是否规范，是否告知陈述、申辩等权利"},
    {"code": "q3", "text": "执法是否公正文明、不刁难"},
    {"code": "q4", "text": "办事效率和答复是否及时"},
    {"code": "q5", "text": "对该机关行政执法工作的总体评价"},
]
MARKS = {1: "很不满意", 2: "不满意", 3: "一般", 4: "满意", 5: "很满意"}


def default_weights() -> tuple[dict[str, Decimal], str]:
    """The configured default weights and their source (settings ``ZHIFA_EFFICIENCY_WEIGHTS``
    and ``ZHIFA_EFFICIENCY_WEIGHTS_SOURCE``), else 30/50/20 with the source above."""
    raw = getattr(settings, "ZHIFA_EFFICIENCY_WEIGHTS", None)
    if raw:
        return ind.weights_check(raw), str(
            getattr(settings, "ZHIFA_EFFICIENCY_WEIGHTS_SOURCE", "本部署的设置")
        )
    return dict(WEIGHTS_DEFAULT), WEIGHTS_SOURCE_DEFAULT


def register_efficiency() -> None:
    """Called from ``apps.ready``: labels and the replayed tables."""
    from zhifa.record.action_labels import register_action_labels

    register_action_labels(ACTION_LABELS)
    register_replayed(
        "evaluation.efficiencyscheme",
        "evaluation.efficiencyresult",
        "evaluation.survey",
        "evaluation.surveytoken",
        "evaluation.surveyanswer",
        "evaluation.satisfactionimport",
    )


def _refuse(exc: ind.IndicatorError) -> RuleViolation:
    return RuleViolation(exc.message, article=exc.article, field="indicators")


def _supervisor_of_body(actor: Account) -> Agency:
    if actor.role != Account.Role.SUPERVISOR or actor.agency_id is None:
        raise RuleViolation("只有行政执法监督机构的人员可以组织效能评价", article=EFFICIENCY_RULE)
    return Agency.objects.get(pk=actor.agency_id)


def _own(actor: Account, scheme: EfficiencyScheme) -> EfficiencyScheme:
    if not sel.is_body_supervisor(actor, scheme.body_id):
        raise RuleViolation("只有组织该效能评价的监督机构人员可以操作", article=EFFICIENCY_RULE)
    return EfficiencyScheme.objects.select_for_update().get(pk=scheme.pk)


def _checked(
    indicators: Any, weights: dict[str, Any]
) -> tuple[list[ind.Indicator], dict[str, Decimal]]:
    try:
        return ind.indicators_check(indicators), ind.weights_check(weights)
    except ind.IndicatorError as exc:
        raise _refuse(exc) from exc


@transaction.atomic
def scheme_create(
    *,
    actor: Account,
    year: int,
    on: date,
    name: str = "",
    weights: dict[str, Any] | None = None,
    weights_source: str = "",
    indicators: list[dict[str, Any]] | None = None,
) -> EfficiencyScheme:
    """A draft 效能评价 of the actor's body for ``year``: the default weights and indicators
    unless given, each checked (the fines rule refuses). One per body and year."""
    body = _supervisor_of_body(actor)
    if not 2000 <= year <= on.year:
        raise RuleViolation("年度应为本年或以前年度", article=EFFICIENCY_RULE, field="year")
    if EfficiencyScheme.objects.filter(body=body, year=year).exists():
        raise RuleViolation(f"本机构{year}年度的效能评价已建立", article=EFFICIENCY_RULE)
    default_w, default_source = default_weights()
    raw = indicators if indicators is not None else ind.DEFAULT_INDICATORS
    checked, w = _checked(raw, weights or default_w)
    scheme = EfficiencyScheme.objects.create(
        body=body,
        year=year,
        name=name.strip() or f"{body.name}{year}年度行政执法效能评价",
        weight_quality=w["quality"],
        weight_duty=w["duty"],
        weight_satisfaction=w["satisfaction"],
        weights_source=(weights_source.strip() or default_source)[:300],
        indicators=[i.as_json() for i in checked],
        created_by=actor,
    )
    record_rows(actor, "evaluation.efficiency.create", [scheme], on=on)
    return scheme


@transaction.atomic
def scheme_indicators_set(
    *,
    actor: Account,
    scheme: EfficiencyScheme,
    indicators: list[dict[str, Any]],
    weights: dict[str, Any],
    on: date,
    weights_source: str = "",
) -> EfficiencyScheme:
    """The indicator editor: replace the indicators and weights of a scheme not yet published
    (computed results then wait for a new computation: the state goes back to 草稿).
    Refuses a fine-based indicator, naming 第七十四条 and the 纲要."""
    scheme = _own(actor, scheme)
    if scheme.state == EfficiencyScheme.State.PUBLISHED:
        raise RuleViolation("已发布的效能评价不能再修改指标", article=EFFICIENCY_RULE)
    checked, w = _checked(indicators, weights)
    scheme.indicators = [i.as_json() for i in checked]
    scheme.weight_quality = w["quality"]
    scheme.weight_duty = w["duty"]
    scheme.weight_satisfaction = w["satisfaction"]
    if weights_source.strip():
        scheme.weights_source = weights_source.strip()[:300]
    scheme.state = EfficiencyScheme.State.DRAFT
    scheme.save()
    record_rows(actor, "evaluation.efficiency.indicators", [scheme], on=on)
    return scheme


def scheme_indicators(scheme: EfficiencyScheme) -> list[ind.Indicator]:
    return ind.indicators_check(scheme.indicators)


def _weights(scheme: EfficiencyScheme) -> dict[str, Decimal]:
    return {
        "quality": Decimal(scheme.weight_quality),
        "duty": Decimal(scheme.weight_duty),
        "satisfaction": Decimal(scheme.weight_satisfaction),
    }


@transaction.atomic
def efficiency_compute(*, actor: Account, scheme: EfficiencyScheme, on: date) -> EfficiencyScheme:
    """Compute every agency's result for the year up to ``on`` (figures counted in one grouped
    query per source over the region), rank them, and store one result per agency as the
    scheme's next run (a recomputation adds a run; the earlier runs stay, nothing is
    overwritten). Refused once published. Recorded as ``evaluation.efficiency.compute`` with
    every result."""
    scheme = _own(actor, scheme)
    if scheme.state == EfficiencyScheme.State.PUBLISHED:
        raise RuleViolation("效能评价已发布，结果不再重新计算", article=EFFICIENCY_RULE)
    if on.year < scheme.year:
        raise RuleViolation("评价年度尚未开始", article=EFFICIENCY_RULE)
    try:
        indicators = scheme_indicators(scheme)
    except ind.IndicatorError as exc:
        raise _refuse(exc) from exc
    weights = _weights(scheme)
    body = scheme.body
    agencies = sel.region_agencies(body)
    figures = sel.figures_of(
        agencies, body, sel.Window(scheme.year, on), ind.metrics_read(indicators)
    )
    outcomes = {pk: ind.evaluate(indicators, weights, f) for pk, f in figures.items()}
    rank = ind.ranks((pk, o.total) for pk, o in outcomes.items())
    run = scheme.run + 1
    new: list[EfficiencyResult] = []

    def fig(f: dict[str, Decimal | None]) -> dict[str, str | None]:
        return {k: None if v is None else str(v) for k, v in sorted(f.items())}

    for pk, outcome in outcomes.items():
        new.append(
            EfficiencyResult(
                scheme=scheme,
                agency_id=pk,
                run=run,
                quality=outcome.components["quality"],
                duty=outcome.components["duty"],
                satisfaction=outcome.components["satisfaction"],
                total=outcome.total,
                rank=rank.get(pk),
                values={c: v.as_json() for c, v in outcome.values.items()},
                figures=fig(figures[pk]),
            )
        )
    EfficiencyResult.objects.bulk_create(new, batch_size=1000)
    if not all(r.pk for r in new):  # a backend that does not return ids from bulk inserts
        ids = dict(
            EfficiencyResult.objects.filter(scheme=scheme, run=run).values_list("agency_id", "pk")
        )
        for r in new:
            r.pk = ids[r.agency_id]
    scheme.state = EfficiencyScheme.State.COMPUTED
    scheme.computed_on = on
    scheme.run = run
    scheme.save(update_fields=["state", "computed_on", "run"])
    record_rows(
        actor,
        "evaluation.efficiency.compute",
        [scheme, *new],
        on=on,
        agencies=len(outcomes),
    )
    return scheme


def publication_ref(scheme: EfficiencyScheme) -> str:
    return f"evaluation.efficiency:{scheme.pk}"


@transaction.atomic
def scheme_publish(*, actor: Account, scheme: EfficiencyScheme, on: date) -> Any:
    """Publish the computed results (《行政执法监督条例》第十九条: 评议 results made public):
    the scheme is frozen and its region report goes, as a supervision result, to the body's
    publisher's redaction review in the publicity app (published there like a 通报). Returns
    the publication draft. Recorded as ``evaluation.efficiency.publish``."""
    from zhifa.publicity.services import publication_draft_result

    from .documents_efficiency import region_report_text

    scheme = _own(actor, scheme)
    if scheme.state != EfficiencyScheme.State.COMPUTED:
        raise RuleViolation("请先计算效能评价结果再发布", article=EFFICIENCY_RULE)
    scheme.state = EfficiencyScheme.State.PUBLISHED
    scheme.published_on = on
    scheme.save(update_fields=["state", "published_on"])
    number = f"效能评价〔{scheme.year}〕{scheme.pk}号"
    publication = publication_draft_result(
        actor=actor,
        body=scheme.body,
        source_ref=publication_ref(scheme),
        number=number,
        issued_on=on,
        text=region_report_text(scheme),
        fields={
            "agency": scheme.body.name,
            "category": "行政执法效能评价报告",
            "number": number,
            "issued_on": on.isoformat(),
            "target": "本行政区域各行政执法机关",
            "title": scheme.name,
        },
    )
    record_rows(actor, "evaluation.efficiency.publish", [scheme], on=on, publication=publication.pk)
    from zhifa.notifications.services import notification_send

    notification_send(
        recipients=Account.objects.filter(
            role=Account.Role.PUBLISHER, agency=scheme.body, is_active=True
        ),
        kind="publication",
        title=f"待审核公开：{scheme.name}",
        url=f"/publish/{publication.pk}/",
    )
    return publication


# -- surveys ---

# no 0/O, 1/I: printed and typed by hand
TOKEN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - an alphabet, not a secret
PHONE = re.compile(r"1[3-9]\d{9}")
MAX_TOKENS = 5000


def _questions(raw: Any) -> list[dict[str, str]]:
    if raw is None:
        return [dict(q) for q in DEFAULT_QUESTIONS]
    texts = [str(t).strip() for t in raw if str(t).strip()] if isinstance(raw, list) else []
    if not texts or len(texts) > 30:
        raise RuleViolation("问卷应有1至30道题", article=SURVEY_RULE, field="questions")
    if any(len(t) > 200 for t in texts):
        raise RuleViolation("每道题至多200字", article=SURVEY_RULE, field="questions")
    return [{"code": f"q{i}", "text": t} for i, t in enumerate(texts, start=1)]


@transaction.atomic
def survey_create(
    *,
    actor: Account,
    agency: Agency,
    year: int,
    mode: str,
    opens_on: date,
    closes_on: date,
    on: date,
    title: str = "",
    questions: list[str] | None = None,
    campaign: Campaign | None = None,
) -> Survey:
    """A satisfaction survey about ``agency`` (of the body's region), answered anonymously on
    its public page, one answer per token or per phone as ``mode`` says."""
    body = _supervisor_of_body(actor)
    if not sel.region_agencies(body).filter(pk=agency.pk).exists():
        raise RuleViolation("只能对本行政区域的执法机关开展满意度调查", article=SURVEY_RULE)
    if mode not in Survey.Mode.values:
        raise RuleViolation("请选择作答方式", article=SURVEY_RULE, field="mode")
    if closes_on < opens_on:
        raise RuleViolation("截止日期不能早于开始日期", article=SURVEY_RULE, field="closes_on")
    if campaign is not None and campaign.body_id != body.pk:
        raise RuleViolation("只能关联本机构的评查活动", article=SURVEY_RULE, field="campaign")
    survey = Survey.objects.create(
        body=body,
        agency=agency,
        year=year,
        campaign=campaign,
        title=(title.strip() or f"{agency.name}{year}年度行政执法满意度调查")[:200],
        key=secrets.token_urlsafe(12)[:16],
        questions=_questions(questions),
        mode=mode,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor,
    )
    record_rows(actor, "evaluation.survey.create", [survey], on=on)
    return survey


@transaction.atomic
def survey_tokens_issue(
    *, actor: Account, survey: Survey, count: int, on: date
) -> list[SurveyToken]:
    """``count`` printed tokens (问卷码) for a token survey, each good for one answer."""
    if not sel.is_body_supervisor(actor, survey.body_id):
        raise RuleViolation("只有组织该问卷的监督机构人员可以发放问卷码", article=SURVEY_RULE)
    if survey.mode != Survey.Mode.TOKEN:
        raise RuleViolation("该问卷以手机号验证作答，不发放问卷码", article=SURVEY_RULE)
    if not 1 <= count <= MAX_TOKENS:
        raise RuleViolation(f"每次发放1至{MAX_TOKENS}个问卷码", article=SURVEY_RULE, field="count")
    tokens = [
        SurveyToken(
            survey=survey,
            code="".join(secrets.choice(TOKEN_ALPHABET) for _ in range(10)),
            issued_on=on,
        )
        for _ in range(count)
    ]
    SurveyToken.objects.bulk_create(tokens)
    if not all(t.pk for t in tokens):
        ids = dict(
            SurveyToken.objects.filter(code__in=[t.code for t in tokens]).values_list("code", "pk")
        )
        for t in tokens:
            t.pk = ids[t.code]
    record_rows(actor, "evaluation.survey.tokens", tokens, on=on, survey=survey.pk, count=count)
    return tokens


def _keyed(survey: Survey, value: str) -> str:
    """A keyed hash: the phone (or code) can be checked, never read back."""
    key = hashlib.sha256(f"zhifa-survey:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{survey.pk}:{value}".encode(), hashlib.sha256).hexdigest()


def _open(survey: Survey, on: date) -> None:
    if not sel.survey_is_open(survey, on):
        raise RuleViolation(
            f"本问卷的作答时间为{survey.opens_on:%Y年%m月%d日}至{survey.closes_on:%Y年%m月%d日}",
            article=SURVEY_RULE,
        )


@transaction.atomic
def survey_phone_code_send(*, survey: Survey, phone: str, on: date, at: datetime) -> str:
    """Start a phone-verified answer: a 6-digit code for ``phone``. There is no SMS gateway:
    the page shows the code as sent. Only the keyed hashes of the phone and the code are kept.
    Refused when the phone has answered already."""
    _open(survey, on)
    if survey.mode != Survey.Mode.PHONE:
        raise RuleViolation("该问卷凭问卷码作答", article=SURVEY_RULE)
    phone = phone.strip().replace(" ", "")
    if not PHONE.fullmatch(phone):
        raise RuleViolation("请填写11位手机号码", article=SURVEY_RULE, field="phone")
    phone_hash = _keyed(survey, phone)
    token = (
        SurveyToken.objects.select_for_update().filter(survey=survey, phone_hash=phone_hash).first()
    )
    if token is not None and token.used:
        raise RuleViolation("该手机号已提交过答卷，每个手机号只能作答一次", article=SURVEY_RULE)
    code = f"{secrets.randbelow(10**6):06d}"
    if token is None:
        token = SurveyToken(survey=survey, phone_hash=phone_hash, issued_on=on)
    token.verify_hash = _keyed(survey, f"code:{phone}:{code}")
    token.verify_sent_at = at
    token.save()
    record_rows(None, "evaluation.survey.phone_code", [token], on=on, survey=survey.pk)
    return code


@dataclass(frozen=True)
class Answer:
    marks: dict[str, int]


def answer_score(survey: Survey, marks: dict[str, Any]) -> tuple[dict[str, int], Decimal]:
    """Every question marked 1–5; the score is the mean mapped to 0–100 (1 → 0, 5 → 100)."""
    out: dict[str, int] = {}
    for q in survey.questions:
        try:
            mark = int(marks.get(q["code"], 0))
        except (TypeError, ValueError):
            mark = 0
        if mark not in MARKS:
            raise RuleViolation(f"请为“{q['text']}”选择评价", article=SURVEY_RULE, field=q["code"])
        out[q["code"]] = mark
    mean = Decimal(sum(out.values())) / len(out)
    return out, ((mean - 1) * 25).quantize(Decimal("0.01"))


@transaction.atomic
def survey_answer_submit(
    *,
    survey: Survey,
    marks: dict[str, Any],
    on: date,
    at: datetime,
    token_code: str = "",
    phone: str = "",
    verify_code: str = "",
) -> SurveyAnswer:
    """Take one anonymous answer: with an unused token of this survey, or with the phone and the
    code shown for it (valid 10 minutes). The token (or phone) is marked used in the same
    transaction; a second answer is refused. Recorded with no actor and no personal data."""
    _open(survey, on)
    clean_marks, score = answer_score(survey, marks)
    if survey.mode == Survey.Mode.TOKEN:
        token = (
            SurveyToken.objects.select_for_update()
            .filter(survey=survey, code=token_code.strip().upper())
            .exclude(code="")
            .first()
        )
        if token is None:
            raise RuleViolation("问卷码不正确", article=SURVEY_RULE, field="token")
        if token.used:
            raise RuleViolation("该问卷码已经作答，每个问卷码只能作答一次", article=SURVEY_RULE)
    else:
        phone = phone.strip().replace(" ", "")
        token = (
            SurveyToken.objects.select_for_update()
            .filter(survey=survey, phone_hash=_keyed(survey, phone))
            .first()
            if PHONE.fullmatch(phone)
            else None
        )
        if token is not None and token.used:
            raise RuleViolation("该手机号已提交过答卷，每个手机号只能作答一次", article=SURVEY_RULE)
        if (
            token is None
            or token.verify_sent_at is None
            or at - token.verify_sent_at > sel.verify_window()
            or not hmac.compare_digest(
                token.verify_hash, _keyed(survey, f"code:{phone}:{verify_code.strip()}")
            )
        ):
            raise RuleViolation(
                f"验证码不正确或已超过{sel.VERIFY_MINUTES}分钟，请重新获取",
                article=SURVEY_RULE,
                field="verify_code",
            )
        token.verify_hash = ""
    token.used = True
    token.save()
    answer = SurveyAnswer.objects.create(
        survey=survey, marks=clean_marks, score=score, answered_on=on
    )
    record_rows(None, "evaluation.survey.answer", [token, answer], on=on, survey=survey.pk)
    return answer


# -- third-party results (.xlsx) ----------------------------------------------------------------

IMPORT_HEADERS = ("统一社会信用代码", "机关名称", "满意度得分")


class ImportRefused(RuleViolation):
    """The import was refused as a whole; ``errors`` names each row and column at fault."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(
            "导入未完成，没有写入任何数据：" + "；".join(errors[:20]), article=SURVEY_RULE
        )
        self.errors = errors


@transaction.atomic
def satisfaction_import(
    *,
    actor: Account,
    year: int,
    source: str,
    filename: str,
    content: bytes,
    on: date,
) -> SatisfactionImport:
    """Import a third party's satisfaction results for ``year`` from ``.xlsx`` (columns
    统一社会信用代码, 机关名称, 满意度得分 0–100): every row checked (the agency of the body's
    region by its credit code, the name matching, the score a number in 0–100, no agency twice),
    then all rows or none. Raises :class:`ImportRefused` listing 第N行第X列 for each error."""
    from zhifa.registry.tabular import TableUnreadable, read_table

    body = _supervisor_of_body(actor)
    if not source.strip():
        raise RuleViolation("请填写评价机构名称", article=SURVEY_RULE, field="source")
    if not filename.lower().endswith(".xlsx"):
        raise ImportRefused(["只能导入.xlsx文件"])
    try:
        table = read_table(content, filename)
    except TableUnreadable as exc:
        raise ImportRefused([exc.message]) from exc
    cols: dict[str, int] = {}
    errors: list[str] = []
    for header in IMPORT_HEADERS:
        if header not in table.headers:
            errors.append(f"第1行缺少“{header}”列")
        else:
            cols[header] = table.headers.index(header)
    if errors:
        raise ImportRefused(errors)

    def letter(header: str) -> str:
        from zhifa.registry.xlsx_reading import column_letter

        return column_letter(cols[header] + 1)

    region = {a.credit_code: a for a in sel.region_agencies(body)}
    scores: dict[str, str] = {}
    if not table.rows:
        raise ImportRefused(["文件中没有数据行"])
    for number, cells in table.rows:
        code = cells[cols["统一社会信用代码"]].strip().upper()
        name = cells[cols["机关名称"]].strip()
        raw = cells[cols["满意度得分"]].strip()
        agency = region.get(code)
        if agency is None:
            errors.append(
                f"第{number}行{letter('统一社会信用代码')}列：本行政区域没有统一社会信用代码为“{code}”的执法机关"
            )
        elif name and name != agency.name:
            errors.append(
                f"第{number}行{letter('机关名称')}列：机关名称“{name}”与统一社会信用代码登记的“{agency.name}”不一致"
            )
        elif str(agency.pk) in scores:
            errors.append(f"第{number}行{letter('统一社会信用代码')}列：{agency.name}重复出现")
        try:
            score = Decimal(raw)
        except InvalidOperation:
            score = Decimal(-1)
        if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
            errors.append(f"第{number}行{letter('满意度得分')}列：得分“{raw}”应为0至100之间的数字")
        elif agency is not None:
            scores[str(agency.pk)] = str(score.quantize(Decimal("0.01")))
    if errors:
        raise ImportRefused(errors)
    row = SatisfactionImport.objects.create(
        body=body,
        year=year,
        source=source.strip()[:200],
        filename=filename[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        scores=scores,
        imported_on=on,
        created_by=actor,
    )
    record_rows(actor, "evaluation.satisfaction.import", [row], on=on)
    return row
