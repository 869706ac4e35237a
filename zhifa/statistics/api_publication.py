"""Public JSON of the published annual figures (年度数据公开), mounted at /api/v1/statistics/:
the same tables as the portal page, for the upper-level platforms and anyone else."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from zhifa.core.api_errors import responses

from .report import jsonable
from .selectors_publication import publication_of

router = Router(tags=["行政执法统计"], auth=None)


class PublishedOut(Schema):
    title: str = Field(description="执法机关或行政区划")
    year: int = Field(description="年度")
    due_on: str = Field(description="公开期限")
    due_source: str = Field(description="公开期限依据")
    agencies: list[dict[str, Any]] = Field(description="已公开的执法机关（ID、名称、公开日期）")
    tables: list[dict[str, Any]] = Field(description="统计表：栏目与各机关的数据")
    omitted: list[dict[str, Any]] = Field(description="不公开的统计表及说明")


def _out(year: int, **scope: Any) -> PublishedOut:
    pub = publication_of(year, **scope)
    return PublishedOut(
        title=pub.title,
        year=pub.year,
        due_on=pub.due_on.isoformat(),
        due_source=pub.due_source,
        agencies=[
            {
                "id": f.agency_id,
                "name": f.agency.name,
                "published_on": f.published_on.isoformat() if f.published_on else None,
                "origin": f.origin,
            }
            for f in pub.filings
        ],
        tables=jsonable(pub.report["tables"]),
        omitted=pub.report["omitted"],
    )


@router.get(
    "/public/{year}/agencies/{agency_id}",
    response=responses({200: PublishedOut}, 404, 422),
    auth=None,
    summary="某执法机关已公开的年度统计数据",
    url_name="statistics_public_agency_api",
)
def public_agency_figures(
    request: HttpRequest, response: HttpResponse, year: int, agency_id: int
) -> PublishedOut:
    """The agency's published annual figures of ``year`` (empty tables before publication)."""
    return _out(year, agency_id=agency_id)


@router.get(
    "/public/{year}/regions/{code}",
    response=responses({200: PublishedOut}, 404, 422),
    auth=None,
    summary="某地区已公开的年度统计数据（各执法机关）",
    url_name="statistics_public_region_api",
)
def public_region_figures(
    request: HttpRequest, response: HttpResponse, year: int, code: str
) -> PublishedOut:
    """The published annual figures of ``year`` of every agency of the region ``code``."""
    return _out(year, region=code)
