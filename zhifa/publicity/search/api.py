"""The public decision list as JSON: a ninja Router to mount at /api/v1/public/ (no token)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from zhifa.core.api_errors import responses
from zhifa.core.api_types import MAX_MONEY, QUERY_TEXT_PATTERN, IdParam, LegalDate, QueryText
from zhifa.registry.web import PUBLIC_CACHE_SECONDS as CACHE_SECONDS

from . import selectors
from .models import Entry
from .services import KINDS

router = Router(tags=["公示检索"], auth=None)


class DecisionOut(Schema):
    publication_id: int
    decision_number: str = Field(description="文号")
    agency_id: int
    agency_name: str = Field(description="执法机关")
    division_code: str = Field(description="行政区划代码")
    domain_code: str
    domain_name: str = Field(description="执法领域")
    kind: str = Field(description="决定类别代码：" + "、".join(KINDS))
    kind_label: str
    subject: str = Field(description="执法对象（已去除个人信息）")
    title: str = Field(description="执法类别/案由")
    decided_on: date
    published_on: date
    due_on: date | None
    on_time: bool | None = Field(description="是否在法定期限内公示")
    amount: Decimal | None = Field(description="罚没金额（元）")
    body: str = Field(description="公示内容（已去除个人信息）")
    url: str = Field(description="公示页面")


class DecisionPageOut(Schema):
    count: int = Field(
        description="匹配数：count_estimated 为假时为精确数；"
        "为真时为估算值（约数，保留两位有效数字）；more 为真且非估算时表示超过此数"
    )
    count_estimated: bool = Field(
        description="count 是否为估算值（匹配很多时按抽样估算，非精确计数）"
    )
    count_text: str = Field(description="页面上显示的条数，如“共 856 条”“约 12 万条（估算）”")
    more: bool = Field(description="匹配超过 10000 条：只能翻阅前 10000 条，请增加关键词或筛选条件")
    page: int
    pages: int
    page_size: int
    results: list[DecisionOut]


class DecisionFilters(Schema):
    q: str = Field(
        "",
        max_length=100,
        pattern=QUERY_TEXT_PATTERN,
        description="关键词（中文分词，全部词须出现）",
    )
    agency: IdParam | None = Field(None, description="执法机关 id")
    domain: QueryText = Field("", description="执法领域代码")
    kind: QueryText = Field("", description="决定类别代码")
    decided_from: LegalDate | None = Field(None, alias="from", description="决定日期自")
    decided_to: LegalDate | None = Field(None, alias="to", description="决定日期至")
    min_amount: Decimal | None = Field(None, ge=0, le=MAX_MONEY)
    max_amount: Decimal | None = Field(None, ge=0, le=MAX_MONEY)
    division: str = Field("", pattern=r"^(\d{2,12})?$", description="行政区划代码前缀")
    sort: Literal["newest", "relevance", "amount"] = "newest"
    page: int = Field(1, ge=1, le=100_000)


def _out(request: HttpRequest, e: Entry) -> DecisionOut:
    return DecisionOut(
        publication_id=e.publication_id,
        decision_number=e.decision_number,
        agency_id=e.agency_id,
        agency_name=e.agency_name,
        division_code=e.division_code,
        domain_code=e.domain_code,
        domain_name=e.domain_name,
        kind=e.kind,
        kind_label=_(KINDS.get(e.kind, e.kind)),
        subject=e.subject,
        title=e.title,
        decided_on=e.decided_on,
        published_on=e.published_on,
        due_on=e.due_on,
        on_time=e.on_time,
        amount=e.amount,
        body=e.body,
        url=request.build_absolute_uri(e.url),
    )


@router.get(
    "/decisions",
    response=responses({200: DecisionPageOut}, 422),
    auth=None,
    summary="公示的行政执法决定（检索）",
    url_name="public_decisions",
)
def public_decisions(
    request: HttpRequest, response: HttpResponse, filters: Query[DecisionFilters]
) -> DecisionPageOut:
    """Published decisions matching the filters, 50 a page, newest decision first by default.
    Only what the public page shows: every text is already redacted."""
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    query = selectors.SearchQuery(
        q=filters.q.strip(),
        agency=filters.agency,
        domain=filters.domain,
        kind=filters.kind,
        decided_from=filters.decided_from,
        decided_to=filters.decided_to,
        min_amount=filters.min_amount,
        max_amount=filters.max_amount,
        division=filters.division,
        sort=filters.sort,
    )
    page = selectors.decisions_search(query, page=filters.page)
    return DecisionPageOut(
        count=page.count,
        count_estimated=page.estimated,
        count_text=page.total_label,
        more=page.more,
        page=page.number,
        pages=page.num_pages,
        page_size=page.page_size,
        results=[_out(request, e) for e in page.entries],
    )
