"""The public outputs of the index: the search page, JSON, CSV, Atom and statistics — no login,
cacheable, and only what the published decision says."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from zhifa.publicity.search import views
from zhifa.publicity.search.services import SearchDocument, search_index_put, search_index_remove

from .conftest import AGENCY_A, AGENCY_B, document

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def titles(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<h2><a [^>]+>(.*?)</a></h2>", html)]


# -- the search page ------------------------------------------------------------------------


def test_the_search_page_lists_matches_with_the_query_marked(client: Client, world: object) -> None:
    response = client.get("/public/search/", {"q": "假药"})
    html = response.content.decode()
    assert response.status_code == 200
    assert titles(html) == ["甲市监罚〔2026〕2号 · 示范市康宁大药房有限公司 · 药品零售企业销售假药"]
    assert "<mark>假药</mark>" in html
    assert "共 1 条" in html


def test_the_search_form_labels_every_filter(client: Client, world: object) -> None:
    html = client.get("/public/search/").content.decode()
    for label in (
        "关键词",
        "执法机关",
        "执法领域",
        "决定类别",
        "决定日期自",
        "决定日期至",
        "金额不低于（元）",
        "排序",
    ):
        assert f"<span>{label}</span>" in html
    assert 'role="search"' in html
    assert "示范市乙区生态环境分局" in html  # an agency to choose


def test_the_search_page_filters_by_agency(client: Client, world: object) -> None:
    html = client.get("/public/search/", {"agency": AGENCY_B}).content.decode()
    assert titles(html) == [
        "乙环强〔2026〕6号 · 示范市东方化工有限公司 · 查封造成污染物排放的设施",
        "乙环罚〔2026〕5号 · 示范市东方化工有限公司 · 超过大气污染物排放标准排放废气",
    ]
    assert f"/public/agencies/{AGENCY_B}/decisions.atom" in html


def test_an_invalid_filter_is_shown_and_left_out(client: Client, world: object) -> None:
    response = client.get("/public/search/", {"q": "罚款", "from": "not-a-date", "division": "x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "行政区划代码为 2 至 12 位数字" in html
    assert len(titles(html)) == 4


def test_an_htmx_request_gets_the_results_alone(client: Client, world: object) -> None:
    response = client.get("/public/search/", {"q": "药"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<form" not in html and titles(html) == [
        "甲市监罚〔2026〕2号 · 示范市康宁大药房有限公司 · 药品零售企业销售假药"
    ]
    assert "HX-Request" in response["Vary"]


def test_the_search_page_is_public_and_cacheable(client: Client, world: object) -> None:
    response = client.get("/public/search/", {"q": "食品"})
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    assert not response.cookies  # nothing a shared cache would refuse
    again = client.get(
        "/public/search/", {"q": "食品"}, headers={"If-None-Match": response["ETag"]}
    )
    assert again.status_code == 304


def test_a_withdrawn_decision_leaves_the_page(client: Client, world: object) -> None:
    search_index_remove(2)
    html = client.get("/public/search/", {"q": "药"}).content.decode()
    assert titles(html) == [] and "没有符合条件的公示决定" in html


def test_pages_link_to_each_other(client: Client, world: object, settings: object) -> None:
    settings.PAGE_SIZE = 4  # type: ignore[attr-defined]
    first = client.get("/public/search/").content.decode()
    assert "第 1 / 2 页" in first and 'rel="next"' in first and "page=2" in first
    second = client.get("/public/search/", {"page": "2"}).content.decode()
    assert len(titles(second)) == 2 and 'rel="prev"' in second


# -- JSON -----------------------------------------------------------------------------------


def test_the_json_list_needs_no_token(client: Client, world: object) -> None:
    response = client.get("/api/v1/public/decisions", {"q": "罚款", "agency": AGENCY_A})
    assert response.status_code == 200
    data = response.json()
    assert (data["count"], data["page"], data["pages"], data["more"]) == (3, 1, 1, False)
    first = data["results"][0]
    assert first["decision_number"] == "甲市监罚〔2026〕4号"
    assert first["kind"] == "penalty" and first["kind_label"] == "行政处罚"
    assert first["decided_on"] == "2026-04-02"
    assert first["url"] == "http://testserver/public/decisions/4/"
    assert "public" in response["Cache-Control"]


def test_the_json_list_takes_every_filter(client: Client, world: object) -> None:
    params = {
        "kind": "penalty",
        "from": "2026-02-01",
        "to": "2026-03-31",
        "min_amount": "100000",
        "max_amount": "300000",
        "sort": "amount",
    }
    data = client.get("/api/v1/public/decisions", params).json()
    assert [d["publication_id"] for d in data["results"]] == [5, 2]


def test_the_json_list_refuses_a_malformed_date(client: Client, world: object) -> None:
    response = client.get("/api/v1/public/decisions", {"from": "yesterday"})
    assert response.status_code == 422


def test_the_json_list_is_in_the_openapi_schema_without_security(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/public/decisions"]["get"]
    assert not operation.get("security")
    names = {p["name"] for p in operation["parameters"]}
    assert {"q", "agency", "kind", "from", "to", "min_amount", "max_amount", "page"} <= names


# -- CSV ------------------------------------------------------------------------------------


def test_the_csv_download_is_utf8_with_bom_and_the_same_list(client: Client, world: object) -> None:
    response = client.get("/public/search.csv", {"q": "罚款", "sort": "amount"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["文号"] for r in rows] == [
        "乙环罚〔2026〕5号",
        "甲市监罚〔2026〕2号",
        "甲市监罚〔2026〕1号",
        "甲市监罚〔2026〕4号",
    ]
    assert rows[0]["金额（元）"] == "200000.00" and rows[0]["决定类别"] == "行政处罚"
    assert rows[1]["按期公示"] == "否"
    assert rows[0]["链接"] == "http://testserver/public/decisions/5/"


def test_the_csv_download_neutralises_cells_a_spreadsheet_would_run_as_formulas(
    client: Client, world: object
) -> None:
    search_index_put(
        document(
            8,
            decision_number="@SUM(A1:A9)",
            subject='=HYPERLINK("http://evil.example","点此")',
            title="+1+1",
            body="-2+3 罚款",
            agency_name="\t=cmd",
            division_code="130302",
        )
    )
    raw = b"".join(client.get("/public/search.csv").streaming_content)  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    row = next(r for r in rows if r["文号"].endswith("@SUM(A1:A9)"))
    assert row["文号"] == "'@SUM(A1:A9)"
    assert row["执法对象"] == '\'=HYPERLINK("http://evil.example","点此")'
    assert row["执法类别/案由"] == "'+1+1"
    assert row["公示内容"] == "'-2+3 罚款"
    assert row["执法机关"] == "'\t=cmd"
    # Every other cell of every row: none begins with a formula sign.
    for r in rows:
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in r.values())


# -- Atom -----------------------------------------------------------------------------------


def test_each_agency_has_an_atom_feed_of_its_newest_decisions(
    client: Client, world: dict[str, SearchDocument]
) -> None:
    response = client.get(f"/public/agencies/{AGENCY_B}/decisions.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "public" in response["Cache-Control"]
    feed = ET.fromstring(response.content)  # noqa: S314 - our own response
    assert "示范市乙区生态环境分局" in (feed.findtext(f"{ATOM}title") or "")
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "乙环强〔2026〕6号 · 示范市东方化工有限公司 · 查封造成污染物排放的设施",
        "乙环罚〔2026〕5号 · 示范市东方化工有限公司 · 超过大气污染物排放标准排放废气",
    ]
    link = entries[0].find(f"{ATOM}link")
    assert link is not None and link.get("href") == "http://testserver/public/decisions/6/"
    assert (entries[0].findtext(f"{ATOM}updated") or "").startswith("2026-03-26")


def test_the_atom_summary_is_plain_text_so_a_party_name_is_never_markup(
    client: Client, world: object
) -> None:
    name = '示范市乙区A&B贸易有限公司 <测试> "引号"'
    search_index_put(document(7, agency_id=AGENCY_B, subject=name, body="<b>罚款</b>2000元"))
    raw = client.get(f"/public/agencies/{AGENCY_B}/decisions.atom").content
    feed = ET.fromstring(raw)  # noqa: S314 - our own response
    entry = next(
        e for e in feed.findall(f"{ATOM}entry") if name in (e.findtext(f"{ATOM}summary") or "")
    )
    summary = entry.find(f"{ATOM}summary")
    assert summary is not None and summary.get("type") == "text"
    assert "<测试>" in (summary.text or "") and "<b>罚款</b>" in (summary.text or "")
    assert 'type="html"' not in raw.decode()


def test_the_atom_feed_and_its_entries_have_absolute_ids(client: Client, world: object) -> None:
    response = client.get(f"/public/agencies/{AGENCY_B}/decisions.atom")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own response
    assert (
        feed.findtext(f"{ATOM}id") == f"http://testserver/public/agencies/{AGENCY_B}/decisions.atom"
    )
    assert [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")] == [
        "http://testserver/public/decisions/6/",
        "http://testserver/public/decisions/5/",
    ]


def test_an_agency_without_decisions_has_no_feed(client: Client, world: object) -> None:
    assert client.get("/public/agencies/999/decisions.atom").status_code == 404


# -- statistics -----------------------------------------------------------------------------


def test_the_statistics_page_has_each_number_in_a_table(client: Client, world: object) -> None:
    response = client.get("/public/statistics/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<th scope="row">2026-02</th><td class="num">2</td>' in html
    assert '<th scope="row">行政处罚</th><td class="num">4</td>' in html
    assert (
        '示范市甲区市场监督管理局</a></th><td class="num">4</td><td class="num">75.0%</td>' in html
    )
    assert "/static/vendor/echarts.min.js" in html and "/static/js/statistics.js" in html
    assert not re.search(r'<script[^>]+src="https?://', html)  # no CDN
    assert '"values": [1, 2, 2, 1]' in html  # the charts' data
    assert "public" in response["Cache-Control"]


def test_the_statistics_take_a_domain(client: Client, world: object) -> None:
    html = client.get("/public/statistics/", {"domain": "environment"}).content.decode()
    assert "示范市甲区市场监督管理局" not in html.split('<h2 id="per-agency">')[1]


def test_with_many_agencies_the_list_waits_for_a_division(
    client: Client, world: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "AGENCY_CHOICES_MAX", 1)
    html = client.get("/public/search/").content.decode()
    assert "请先在“更多筛选”中填写行政区划代码" in html
    assert "示范市乙区生态环境分局</option>" not in html
    narrowed = client.get("/public/search/", {"division": "130303"}).content.decode()
    assert "示范市乙区生态环境分局</option>" in narrowed
    assert "示范市甲区市场监督管理局</option>" not in narrowed
    chosen = client.get("/public/search/", {"agency": AGENCY_B}).content.decode()
    assert titles(chosen) == [
        "乙环强〔2026〕6号 · 示范市东方化工有限公司 · 查封造成污染物排放的设施",
        "乙环罚〔2026〕5号 · 示范市东方化工有限公司 · 超过大气污染物排放标准排放废气",
    ]
