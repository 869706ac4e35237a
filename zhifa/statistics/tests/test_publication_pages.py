"""The public 年度数据公开 pages: the published figures of an agency and of a region, "0" where
the agency holds the power and did nothing, tables it holds no power for left out with a note,
the deadline with its source, the chart, the downloads and the public API."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from zhifa.cases.tests.conftest import World
from zhifa.statistics.models import Filing
from zhifa.statistics.services_publication import filing_publish

from .publication_world import A_FIGURES, B_FIGURES, filing

pytestmark = pytest.mark.django_db


def _published(world: World) -> Filing:
    f = filing(world.p, world.p.agency_a, A_FIGURES)
    return filing_publish(actor=world.p.head, filing=f, on=date(2027, 1, 20))


def _agency_page(client: Client, pk: int, year: int = 2026) -> str:
    response = client.get(reverse("statistics_public_agency", args=[year, pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_agency_page_shows_the_published_figures_zero_and_omitted_tables(
    world: World, client: Client
) -> None:
    _published(world)
    html = _agency_page(client, world.p.agency_a.pk)
    assert "行政处罚实施情况统计表" in html
    assert '<td class="num">8</td>' in html  # 合计
    assert '<td class="num">12345.50</td>' in html  # 罚没金额
    # 行政强制: held (the seizure power item) and nothing recorded: 0, not left out
    assert "行政强制实施情况统计表" in html
    # 行政许可: no such power: the table is not shown, its note is
    assert "无行政许可职权，不公开本表" in html
    assert '<h2 id="t-licensing">' not in html
    assert "公开期限：2027年1月31日前（国办发〔2018〕118号（六）" in html
    assert "2027年1月20日公开" in html and "逾期公开" not in html
    assert "<svg" in html and "<rect" in html  # the chart, drawn on the server
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]


def test_a_report_not_yet_published_is_not_on_the_portal(world: World, client: Client) -> None:
    filing(world.p, world.p.agency_a, A_FIGURES)  # accepted, not published
    html = _agency_page(client, world.p.agency_a.pk)
    assert "尚未公开本年度数据" in html and "行政处罚实施情况统计表" not in html


def test_a_later_case_edit_does_not_change_the_published_figures(
    world: World, client: Client
) -> None:
    _published(world)
    world.decided()  # a decision of 2026 made after the report was frozen
    html = _agency_page(client, world.p.agency_a.pk)
    assert '<td class="num">8</td>' in html and '<td class="num">9</td>' not in html


def test_a_report_published_after_31_january_is_marked_late(world: World, client: Client) -> None:
    f = filing(world.p, world.p.agency_a, A_FIGURES)
    filing_publish(actor=world.p.head, filing=f, on=date(2027, 2, 1))
    assert "逾期公开" in _agency_page(client, world.p.agency_a.pk)
    f2 = filing(world.p, world.p.agency_b, B_FIGURES)
    filing_publish(actor=world.p.head, filing=f2, on=date(2027, 1, 31))  # the day itself
    assert "逾期公开" not in _agency_page(client, world.p.agency_b.pk)


def test_the_region_page_has_each_agency_and_the_total(world: World, client: Client) -> None:
    _published(world)
    b = filing(world.p, world.p.agency_b, B_FIGURES)
    filing_publish(actor=world.p.head, filing=b, on=date(2027, 1, 25))
    response = client.get(reverse("statistics_public_region", args=[2026, "130300"]))
    html = response.content.decode()
    assert response.status_code == 200
    # agency B holds no penalty power in the registry: only A's row in the penalty table
    assert world.p.agency_a.name in html and world.p.agency_b.name in html
    index = client.get(reverse("statistics_public_index")).content.decode()
    assert reverse("statistics_public_region", args=[2026, "130300"]) in index
    assert reverse("statistics_public_agency", args=[2026, world.p.agency_a.pk]) in index


def test_unknown_agency_region_or_format_is_not_found(world: World, client: Client) -> None:
    assert client.get(reverse("statistics_public_agency", args=[2026, 999999])).status_code == 404
    assert client.get(reverse("statistics_public_region", args=[2026, "99"])).status_code == 404
    url = reverse("statistics_public_agency_download", args=[2026, world.p.agency_a.pk, "exe"])
    assert client.get(url).status_code == 404


def test_the_downloads_read_back_with_the_same_figures(world: World, client: Client) -> None:
    _published(world)
    pk = world.p.agency_a.pk

    def get(fmt: str) -> bytes:
        response = client.get(reverse("statistics_public_agency_download", args=[2026, pk, fmt]))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        return response.content

    data = json.loads(get("json"))
    penalty = next(t for t in data["tables"] if t["code"] == "penalty")
    assert penalty["rows"][0]["values"]["penalty.total"] == 8
    assert penalty["rows"][0]["values"]["penalty.amount"] == 12345.5
    assert {o["code"] for o in data["omitted"]} == {"licensing"}
    rows = list(csv.reader(io.StringIO(get("csv").decode("utf-8-sig"))))
    assert ["行政处罚实施情况统计表"] in rows
    wb = load_workbook(io.BytesIO(get("xlsx")))
    assert "行政处罚实施情况" in wb.sheetnames
    assert get("pdf").startswith(b"%PDF")


def test_the_public_api_gives_the_published_figures(world: World, client: Client) -> None:
    _published(world)
    response = client.get(f"/api/v1/statistics/public/2026/agencies/{world.p.agency_a.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["due_on"] == "2027-01-31" and body["agencies"][0]["published_on"] == "2027-01-20"
    penalty = next(t for t in body["tables"] if t["code"] == "penalty")
    assert penalty["rows"][0]["values"]["penalty.kind.warning"] == 3
    region = client.get("/api/v1/statistics/public/2026/regions/130300").json()
    assert [a["id"] for a in region["agencies"]] == [world.p.agency_a.pk]
    assert client.get("/api/v1/statistics/public/2026/agencies/999999").status_code == 404


def test_the_portal_tab_bar_leads_to_the_annual_figures(world: World, client: Client) -> None:
    _published(world)
    html = _agency_page(client, world.p.agency_a.pk)
    nav = html.split('<nav class="portal-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/public/statistics/annual/" aria-current="page">年度执法数据</a>' in nav
    assert (
        'href="/public/statistics/">公示统计</a>' in nav
    )  # the publication statistics: not current


def test_the_agency_publisher_publishes_its_accepted_report_from_its_page(
    world: World, client: Client
) -> None:
    import time_machine

    f = filing(world.p, world.p.agency_a, A_FIGURES)
    url = reverse("statistics_filing_publish", args=[f.pk])
    assert client.post(url).status_code == 302  # anonymous: to the login
    client.force_login(world.p.officer_b)  # another agency: as if it did not exist
    assert client.post(url).status_code == 404
    client.force_login(world.p.officer)  # its own agency, but not its head or publisher
    assert client.post(url).status_code == 404
    client.force_login(world.p.publisher)
    assert client.get(url).status_code == 405
    with time_machine.travel("2027-01-20 10:00 +08:00", tick=False):
        client.force_login(world.p.publisher)  # a session of that day
        response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "statistics_public_agency", args=[2026, world.p.agency_a.pk]
    )
    f.refresh_from_db()
    assert f.state == Filing.State.PUBLISHED and f.published_on == date(2027, 1, 20)
    with time_machine.travel("2027-01-21 10:00 +08:00", tick=False):
        client.force_login(world.p.publisher)
        again = client.post(url)
    assert again.status_code == 409 and "该年度数据已公开" in again.content.decode()
