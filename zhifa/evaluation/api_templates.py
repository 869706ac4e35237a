"""The scoring templates' JSON API, mounted at /api/v1/evaluation/ by config/api.py.

Reads follow ``templates_visible_to`` (every published version to all staff; drafts to the
body that keeps them), one template through ``access_template`` (missing and not-yours answer
the same 404). Writes are for the body that keeps the template (403 otherwise); one service per
operation, dated today (Beijing); a rule's refusal answers 409 with the rule (a published
version is never changed). The content is typed here (numbers as decimal strings with at most
two decimals) and then checked as a whole by ``scoring.parse_template``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, cast

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, StrictStr

from zhifa.cases.models import Case
from zhifa.core.api_errors import responses
from zhifa.core.api_types import MAX_ID
from zhifa.registry.models import Account
from zhifa.registry.schemas import PageParams

from . import services, services_templates
from .access import access_template
from .models import Template
from .selectors import templates_visible_to

router = Router(tags=["案卷评查标准"])

TemplateId = Annotated[int, Path(ge=1, le=MAX_ID, description="评查标准版本编号（内部）")]
Points = Annotated[
    StrictStr, Field(pattern=r"^\d{1,4}(\.\d{1,2})?$", description="分值，如“2”“0.5”")
]
Code = Annotated[StrictStr, Field(min_length=1, max_length=32, pattern=r"^[^\x00\s]+$")]
Short = Annotated[StrictStr, Field(max_length=300, pattern=r"^[^\x00]*$")]
Name = Annotated[StrictStr, Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]
ERR = (400, 401, 403, 404, 409, 422)


def _account(request: HttpRequest) -> Account:
    return cast(Account, request.auth)  # type: ignore[attr-defined]


def _today() -> date:
    return timezone.localdate()


# -- schemas -----------------------------------------------------------------------------------


class RuleIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["fixed", "per_occurrence", "range"] = Field(
        description="fixed 固定扣分 / per_occurrence 按处扣分 / range 区间扣分"
    )
    points: Points | None = None
    cap: Points | None = None
    min: Points | None = None
    max: Points | None = None


class ItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: Code
    text: Name
    max_points: Points
    rule: RuleIn
    check: Annotated[StrictStr, Field(max_length=64, pattern=r"^[a-z0-9_]*$")] = Field(
        "", description="系统核查代码（可空：由评查人员评分）"
    )
    source: Short = Field("", description="来源")


class SectionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: Code
    name: Name
    max_points: Points
    items: list[ItemIn] = Field(default_factory=list, max_length=200)


class TemplateVetoIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: Code
    text: Name
    check: Annotated[StrictStr, Field(max_length=64, pattern=r"^[a-z0-9_]*$")] = ""
    source: Short = ""


class BandIn(Schema):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: Points = Field(alias="from", description="起点分（含）")
    grade: Annotated[StrictStr, Field(min_length=1, max_length=16, pattern=r"^[^\x00]*$")]


class ContentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    sections: list[SectionIn] = Field(min_length=1, max_length=50)
    vetoes: list[TemplateVetoIn] = Field(default_factory=list, max_length=50)
    grade_bands: list[BandIn] = Field(default_factory=list, max_length=10)

    def content(self) -> dict[str, Any]:
        """The content as ``scoring.py`` keeps it: empty optional fields left out."""
        out: dict[str, Any] = {"sections": [], "vetoes": []}
        for s in self.sections:
            items = []
            for i in s.items:
                rule = {k: v for k, v in i.rule.model_dump().items() if v is not None}
                item: dict[str, Any] = {
                    "code": i.code,
                    "text": i.text,
                    "max_points": i.max_points,
                    "rule": rule,
                }
                item.update({k: getattr(i, k) for k in ("check", "source") if getattr(i, k)})
                items.append(item)
            out["sections"].append(
                {"code": s.code, "name": s.name, "max_points": s.max_points, "items": items}
            )
        for v in self.vetoes:
            veto = {"code": v.code, "text": v.text}
            veto.update({k: getattr(v, k) for k in ("check", "source") if getattr(v, k)})
            out["vetoes"].append(veto)
        if self.grade_bands:
            out["grade_bands"] = [{"from": b.from_, "grade": b.grade} for b in self.grade_bands]
        return out


class TemplateFieldsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Name
    issuer: Name
    source: Short = ""
    applies_to: Literal[tuple(Case.Kind.values)] = Field(description="适用案卷类别代码")  # type: ignore[valid-type]
    valid_from: date
    valid_until: date | None = None
    veto_effect: Literal["fail", "zero"] = Field(
        "fail", description="fail 否决项成立评为不合格 / zero 总分计为0分"
    )
    content: ContentIn


class TemplateCreateIn(TemplateFieldsIn):
    key: Annotated[StrictStr, Field(min_length=1, max_length=64, pattern=r"^[^\x00\s]+$")]


class TemplateOut(Schema):
    id: int
    key: str
    version: int
    name: str
    issuer: str
    source: str
    applies_to: str
    applies_to_label: str
    valid_from: date
    valid_until: date | None
    veto_effect: str
    veto_effect_label: str
    status: str
    status_label: str
    published_on: date | None
    previous_id: int | None
    owner: str = Field("", description="维护机关（空：全系统）")


class TemplateDetailOut(TemplateOut):
    content: dict[str, Any] = Field(description="评查内容：部分、评查项、否决项、等次")


class TemplatePage(Schema):
    count: int
    page: int
    results: list[TemplateOut]


class TemplateFilters(PageParams):
    status: Literal["", "draft", "published", "retired"] = ""
    applies_to: Literal[("", *Case.Kind.values)] = ""  # type: ignore[valid-type]


def _out(t: Template) -> dict[str, Any]:
    return {
        "id": t.pk,
        "key": t.key,
        "version": t.version,
        "name": t.name,
        "issuer": t.issuer,
        "source": t.source,
        "applies_to": t.applies_to,
        "applies_to_label": t.get_applies_to_display(),
        "valid_from": t.valid_from,
        "valid_until": t.valid_until,
        "veto_effect": t.veto_effect,
        "veto_effect_label": t.get_veto_effect_display(),
        "status": t.status,
        "status_label": t.get_status_display(),
        "published_on": t.published_on,
        "previous_id": t.previous_id,
        "owner": t.owner.name if t.owner_id and t.owner else "",
    }


def _detail(t: Template) -> TemplateDetailOut:
    return TemplateDetailOut(**_out(t), content=t.content)


def _keeper(account: Account, template_id: int) -> Template:
    template = access_template(account, template_id)
    if not services_templates.may_edit(account, template):
        raise HttpError(403, "只有制定该标准的机构可以维护评查标准")
    return template


# -- operations --------------------------------------------------------------------------------


@router.get(
    "/templates",
    response=responses({200: TemplatePage}, 401, 422),
    summary="评查标准列表（已发布的各版本；本机构的草稿）",
)
def template_list(request: HttpRequest, filters: Query[TemplateFilters]) -> TemplatePage:
    qs = templates_visible_to(_account(request)).order_by("key", "-version")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.applies_to:
        qs = qs.filter(applies_to=filters.applies_to)
    start = (filters.page - 1) * filters.page_size
    return TemplatePage(
        count=qs.count(),
        page=filters.page,
        results=[TemplateOut(**_out(t)) for t in qs[start : start + filters.page_size]],
    )


@router.get(
    "/templates/{template_id}",
    response=responses({200: TemplateDetailOut}, 401, 404, 422),
    summary="评查标准详情（含评查内容）",
)
def template_detail(request: HttpRequest, template_id: TemplateId) -> TemplateDetailOut:
    return _detail(access_template(_account(request), template_id))


@router.post(
    "/templates",
    response=responses({201: TemplateDetailOut}, *ERR),
    summary="新建评查标准草稿",
)
def template_create(request: HttpRequest, payload: TemplateCreateIn) -> Status[TemplateDetailOut]:
    account = _account(request)
    if not services.may_keep_templates(account):
        raise HttpError(403, "只有行政执法监督机构的人员可以维护评查标准")
    data = payload.model_dump(exclude={"content"})
    t = services.template_create(
        actor=account, content=payload.content.content(), on=_today(), **data
    )
    return Status(201, _detail(t))


@router.post(
    "/templates/{template_id}/update",
    response=responses({200: TemplateDetailOut}, *ERR),
    summary="修改评查标准草稿（已发布的版本不能修改）",
)
def template_update(
    request: HttpRequest, template_id: TemplateId, payload: TemplateFieldsIn
) -> TemplateDetailOut:
    account = _account(request)
    template = _keeper(account, template_id)
    data = payload.model_dump(exclude={"content"})
    t = services_templates.template_update(
        actor=account, template=template, on=_today(), content=payload.content.content(), **data
    )
    return _detail(t)


@router.post(
    "/templates/{template_id}/publish",
    response=responses({200: TemplateDetailOut}, *ERR),
    summary="发布评查标准（发布后不再变动）",
)
def template_publish(request: HttpRequest, template_id: TemplateId) -> TemplateDetailOut:
    account = _account(request)
    template = _keeper(account, template_id)
    return _detail(services.template_publish(actor=account, template=template, on=_today()))


@router.post(
    "/templates/{template_id}/new-version",
    response=responses({201: TemplateDetailOut}, *ERR),
    summary="以已发布的版本为底稿建立新版本草稿",
)
def template_new_version(
    request: HttpRequest, template_id: TemplateId
) -> Status[TemplateDetailOut]:
    account = _account(request)
    template = _keeper(account, template_id)
    draft = services_templates.template_new_version(actor=account, template=template, on=_today())
    return Status(201, _detail(draft))


@router.post(
    "/templates/{template_id}/retire",
    response=responses({200: TemplateDetailOut}, *ERR),
    summary="停用已发布的版本（已使用该版本的评查活动不受影响）",
)
def template_retire(request: HttpRequest, template_id: TemplateId) -> TemplateDetailOut:
    account = _account(request)
    template = _keeper(account, template_id)
    return _detail(
        services_templates.template_retire(actor=account, template=template, on=_today())
    )


@router.get(
    "/templates/{template_id}/export",
    response=responses({200: dict[str, Any]}, 401, 404, 422),
    summary="导出评查标准（JSON，可再导入）",
)
def template_export(request: HttpRequest, template_id: TemplateId) -> dict[str, Any]:
    import json

    from .template_transfer import export_json

    return cast(
        dict[str, Any], json.loads(export_json(access_template(_account(request), template_id)))
    )
