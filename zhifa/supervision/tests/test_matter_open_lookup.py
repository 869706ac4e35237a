"""The supervisor's new-matter form finds the body by typing part of its name, as the complaint
form does (``registry.agency_lookup``), but among every body of the supervisor's region —
suspended and abolished ones too (a matter may concern past acts) — through its own
authenticated lookup ``GET /api/v1/supervision/agencies?q=``. Without script the 查找 button
lists the matches and keeps what was typed; a link may name the body and the origin."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client

from zhifa.cases.tests.conftest import bearer as auth
from zhifa.core.testing import credit_code
from zhifa.record.models import Entry
from zhifa.registry import services as registry
from zhifa.registry.models import Account, Agency
from zhifa.supervision.models import Matter

from .conftest import Bureau

pytestmark = pytest.mark.django_db
NEW = "/supervision/matters/new/"
LOOKUP = "/api/v1/supervision/agencies"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2026-03-02 10:00 +08:00", tick=False):
        yield


def client_for(account: Account) -> Client:
    c = Client()
    c.force_login(account)
    return c


def suspended(b: Bureau) -> Agency:
    """A body of the region suspended since: not in the public lookup, in the supervisor's."""
    agency = registry.agency_create(
        actor=b.p.admin,
        name="示范市甲区城市管理综合执法局",
        credit_code=credit_code(31, division="130302"),
        level=Agency.Level.COUNTY,
        division_code="130302",
        kind=Agency.Kind.STATUTORY,
        domains=[b.p.domain],
    )
    return registry.agency_status_change(
        actor=b.p.admin, agency=agency, to_status=Agency.Status.SUSPENDED
    )


def options(html: str) -> list[str]:
    (select,) = re.findall(r'<select name="agency".*?</select>', html, re.S)
    return re.findall(r'<option value="(\d+)"', select)


def test_the_form_searches_instead_of_listing_every_body(bureau: Bureau) -> None:
    page = client_for(bureau.sup1).get(NEW).content.decode()
    assert 'data-agency-lookup="/api/v1/supervision/agencies"' in page
    assert 'name="agency_q"' in page and "js/agency-search.js" in page
    assert "查找被监督机关" in page
    assert options(page) == []  # nothing listed until something is typed


def test_find_without_script_lists_the_region_including_suspended_and_keeps_the_typing(
    bureau: Bureau,
) -> None:
    gone = suspended(bureau)
    before = Entry.objects.count()
    r = client_for(bureau.sup1).post(
        NEW,
        {
            "agency_q": "甲区",
            "find": "1",
            "origin": "media",
            "title": "媒体反映的执法问题",
            "summary": "报道称多次重复检查",
        },
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert sorted(options(html)) == sorted([str(bureau.p.agency_a.pk), str(gone.pk)])
    assert "示范市甲区城市管理综合执法局（暂停）" in html
    assert "已列出匹配的执法主体，请在上方选择。" in html and "附件需要重新选择" not in html
    assert 'value="甲区"' in html and 'value="媒体反映的执法问题"' in html
    assert "报道称多次重复检查" in html
    assert not Matter.objects.exists() and Entry.objects.count() == before
    # Another city's bureau is not in the region: not listed.
    r = client_for(bureau.sup1).post(NEW, {"agency_q": "司法局", "find": "1"})
    assert str(bureau.body.pk) in options(r.content.decode())
    assert "另市司法局" not in r.content.decode()


def test_a_matter_about_a_suspended_body_is_opened_from_the_form(bureau: Bureau) -> None:
    gone = suspended(bureau)
    r = client_for(bureau.sup1).post(
        NEW,
        {
            "agency_q": "城市管理",
            "agency": gone.pk,
            "origin": "media",
            "kind": "routine",
            "title": "暂停前的执法行为",
            "summary": "暂停资格前作出的处罚",
        },
    )
    assert r.status_code == 302, r.content.decode()
    m = Matter.objects.get()
    assert m.agency == gone and m.title == "暂停前的执法行为"
    assert Entry.objects.filter(action="supervision.matter.open").count() == 1


def test_a_body_outside_the_region_is_refused_and_what_was_typed_stays(bureau: Bureau) -> None:
    other = Agency.objects.get(name="另市司法局")
    r = client_for(bureau.sup1).post(
        NEW,
        {"agency": other.pk, "origin": "media", "title": "越界", "summary": "不在辖区"},
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert 'value="越界"' in html and "请检查标出的栏目" in html
    assert not Matter.objects.exists()


def test_a_link_names_the_body_and_the_origin(bureau: Bureau) -> None:
    a = bureau.p.agency_a
    html = (
        client_for(bureau.sup1)
        .get(NEW, {"agency": a.pk, "origin": "warning", "origin_ref": "W-7"})
        .content.decode()
    )
    assert options(html) == [str(a.pk)]
    assert re.search(rf'<option value="{a.pk}" selected>', html)
    assert re.search(r'<option value="warning" selected>', html) and 'value="W-7"' in html


def test_the_lookup_answers_supervisors_of_the_region_only(bureau: Bureau) -> None:
    gone = suspended(bureau)
    r = Client().get(LOOKUP, {"q": "甲区"}, headers=auth(bureau.sup1))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["more"] is False
    by_id = {row["id"]: row for row in body["results"]}
    assert set(by_id) == {bureau.p.agency_a.pk, gone.pk}
    assert by_id[gone.pk]["status"] == "suspended"
    assert by_id[gone.pk]["label"] == "示范市甲区城市管理综合执法局（暂停）"
    assert by_id[bureau.p.agency_a.pk]["label"] == "示范市甲区市场监督管理局"
    # The page's script asks with the browser's session.
    assert client_for(bureau.sup1).get(LOOKUP, {"q": "甲区"}).status_code == 200
    # The public lookup still lists active bodies only.
    public = Client().get("/api/v1/public/agencies", {"q": "甲区"}).json()
    assert gone.pk not in {row["id"] for row in public["results"]}
    # Another region's supervisor finds none of ours; no one else may ask; anonymous: 401.
    far = Client().get(LOOKUP, {"q": "甲区"}, headers=auth(bureau.far)).json()
    assert far["results"] == []
    for who in (bureau.p.head, bureau.p.officer, bureau.p.admin):
        assert Client().get(LOOKUP, {"q": "甲区"}, headers=auth(who)).status_code == 403
    assert Client().get(LOOKUP, {"q": "甲区"}).status_code == 401
    assert Client().get(LOOKUP, headers=auth(bureau.sup1)).status_code == 422


def test_many_matches_are_cut_at_twenty_with_more(bureau: Bureau) -> None:
    for n in range(21):
        registry.agency_create(
            actor=bureau.p.admin,
            name=f"示范市丙县第{n:02d}执法队",
            credit_code=credit_code(40 + n, division="130304"),
            level=Agency.Level.COUNTY,
            division_code="130304",
            kind=Agency.Kind.STATUTORY,
            domains=[bureau.p.domain],
        )
    body = Client().get(LOOKUP, {"q": "执法队"}, headers=auth(bureau.sup1)).json()
    assert len(body["results"]) == 20 and body["more"] is True


def test_the_complaint_form_keeps_the_public_lookup_of_active_bodies(bureau: Bureau) -> None:
    """The lookup pieces shared with the complaint form stay as they were for it."""
    gone = suspended(bureau)
    page = Client().get("/public/complaints/").content.decode()
    assert 'data-agency-lookup="/api/v1/public/agencies"' in page
    found = Client().post("/public/complaints/", {"agency_q": "甲区", "find": "1"}).content.decode()
    assert str(bureau.p.agency_a.pk) in options(found) and str(gone.pk) not in options(found)
    assert "附件需要重新选择" in found
