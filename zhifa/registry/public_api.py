"""Public lookups of the registry as JSON (no token), mounted at /api/v1/public/.

The complaint form's agency field searches here: a province lists thousands of bodies, too
many for one drop-down.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from zhifa.core.api_errors import responses
from zhifa.core.api_types import QUERY_TEXT_PATTERN

from . import public
from .web import PUBLIC_CACHE_SECONDS

router = Router(tags=["事前公开"], auth=None)

AGENCY_MATCHES = 20


class AgencyMatchOut(Schema):
    id: int
    name: str = Field(description="执法主体名称")
    division_code: str = Field(description="行政区划代码")


class AgencyMatchesOut(Schema):
    results: list[AgencyMatchOut]
    more: bool = Field(description="匹配超过返回条数：请输入更多字")


class AgencyLookup(Schema):
    q: str = Field(
        ..., min_length=1, max_length=50, pattern=QUERY_TEXT_PATTERN, description="名称中的字词"
    )


def agency_matches(q: str, limit: int = AGENCY_MATCHES) -> tuple[list[AgencyMatchOut], bool]:
    """Active bodies whose name contains ``q``, at most ``limit``, and whether more match."""
    rows = list(
        public.agencies_public_search(q=q.strip())
        .prefetch_related(None)
        .values_list("pk", "name", "division_code")[: limit + 1]
    )
    out = [AgencyMatchOut(id=pk, name=name, division_code=code) for pk, name, code in rows]
    return out[:limit], len(out) > limit


@router.get(
    "/agencies",
    response=responses({200: AgencyMatchesOut}, 422),
    auth=None,
    summary="执法主体名称查找（有效的执法主体）",
    url_name="public_agency_lookup",
)
def public_agency_lookup(
    request: HttpRequest, response: HttpResponse, filters: Query[AgencyLookup]
) -> AgencyMatchesOut:
    """Active enforcement bodies whose name contains ``q``, at most 20, by region and name."""
    response["Cache-Control"] = f"public, max-age={PUBLIC_CACHE_SECONDS}"
    results, more = agency_matches(filters.q)
    return AgencyMatchesOut(results=results, more=more)
