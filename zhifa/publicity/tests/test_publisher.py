"""The publisher's pages (/publish/) and the public decision pages (/public/decisions/)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhifa.core.testing import PASSWORD
from zhifa.publicity import services
from zhifa.publicity.models import CorrectionReport, Publication
from zhifa.registry.models import Account

from .publication_world import COMPANY, PERSON, World, publication_of, reviewed, world

__all__ = ["world"]

NOW = datetime(2026, 10, 12, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
PERSONAL = (PERSON.name, PERSON.id_number, PERSON.phone, PERSON.address)


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def client_for(account: Account | None) -> Client:
    client = Client()
    if account is not None:
        client.force_login(account)
    return client


def published(world: World, **kw: Any) -> Publication:
    publication = publication_of(world.on_the_spot(date(2026, 9, 29), **kw))
    return services.publication_publish(
        actor=world.p.publisher, publication=reviewed(publication), on=date(2026, 10, 9)
    )


# -- access -----------------------------------------------------------------------------------


def test_the_publisher_sees_the_due_list_with_a_working_day_countdown(world: World) -> None:
    publication = publication_of(world.on_the_spot(date(2026, 9, 29)))
    response = client_for(world.p.publisher).get("/publish/")
    assert response.status_code == 200
    html = response.content.decode()
    assert publication.decision_number in html
    assert "15个工作日" in html  # 10-12 → 11-02 (market regulation: 20 working days)


def test_an_overdue_draft_is_listed_apart(world: World) -> None:
    publication_of(world.on_the_spot(date(2026, 6, 1)))
    html = client_for(world.p.publisher).get("/publish/").content.decode()
    overdue = html.split('id="publication-overdue"')[1].split("</table>")[0]
    assert "逾期" in overdue


def test_anonymous_visitors_cannot_reach_the_publisher_pages(world: World) -> None:
    publication = publication_of(world.on_the_spot())
    for url in ("/publish/", "/publish/statistics/", f"/publish/{publication.pk}/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_other_roles_get_404_on_the_publisher_pages(world: World) -> None:
    publication = publication_of(world.on_the_spot())
    for account in (world.p.officer, world.p.head, world.p.reviewer):
        client = client_for(account)
        assert client.get("/publish/").status_code == 404
        assert client.get(f"/publish/{publication.pk}/").status_code == 404


def test_a_publisher_of_agency_b_cannot_see_agency_as_drafts(world: World) -> None:
    publisher_b = Account.objects.create_user(
        username="publisher_b",
        password=PASSWORD,
        role=Account.Role.PUBLISHER,
        agency=world.p.agency_b,
    )
    publication = publication_of(world.on_the_spot())
    client = client_for(publisher_b)
    assert client.get(f"/publish/{publication.pk}/").status_code == 404
    response = client.post(f"/publish/{publication.pk}/steps/publish/", {"on": "2026-10-09"})
    assert response.status_code == 404
    assert publication.decision_number not in client.get("/publish/").content.decode()


def test_the_supervisor_reads_but_cannot_publish(world: World) -> None:
    publication = publication_of(world.on_the_spot())
    client = client_for(world.p.supervisor)
    page = client.get(f"/publish/{publication.pk}/")
    assert page.status_code == 200
    assert 'id="publish-form"' not in page.content.decode()
    response = client.post(f"/publish/{publication.pk}/steps/publish/", {"on": "2026-10-09"})
    assert response.status_code == 403
    assert publication_of(publication.case).state == Publication.State.DRAFT


# -- the review screen ------------------------------------------------------------------------


def test_the_review_shows_original_and_redacted_side_by_side_with_labels(world: World) -> None:
    publication = publication_of(world.on_the_spot())
    html = client_for(world.p.publisher).get(f"/publish/{publication.pk}/").content.decode()
    original = html.split('id="original"')[1].split("</pre>")[0]
    redacted = html.split('id="redacted"')[1].split("</pre>")[0]
    labels = services.kind_labels()
    assert PERSON.id_number in original
    assert f'data-kind="{labels["id_number"]}"' in original
    assert PERSON.id_number not in redacted and PERSON.phone not in redacted
    assert f'data-kind="{labels["phone"]}"' in redacted
    assert "欧阳某" in redacted


def test_the_publisher_adds_a_span_with_htmx_and_gets_the_panel_back(world: World) -> None:
    publication = publication_of(world.on_the_spot())
    start = publication.original_text.index("幸福路菜市场")
    response = client_for(world.p.publisher).post(
        f"/publish/{publication.pk}/steps/span_add/",
        {"start": start, "end": start + 6, "kind": "address"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="redaction"')
    redacted = html.split('id="redacted"')[1].split("</pre>")[0]
    assert "幸福路菜市场" not in redacted
    assert "人工标注" in html


def test_a_refused_publication_shows_the_rule_and_changes_nothing(world: World) -> None:
    publication = publication_of(world.on_the_spot())
    phone = next(s for s in publication.spans if s["kind"] == "phone")
    client = client_for(world.p.publisher)
    client.post(f"/publish/{publication.pk}/steps/span_undo/", {"span": phone["id"]})
    response = client.post(
        f"/publish/{publication.pk}/steps/publish/", {"on": "2026-10-09"}, follow=True
    )
    assert "依据国办发〔2018〕118号，不得公开个人隐私" in response.content.decode()
    assert publication_of(publication.case).state == Publication.State.DRAFT


def test_the_publisher_publishes_from_the_review_page(world: World) -> None:
    publication = reviewed(publication_of(world.on_the_spot()))
    response = client_for(world.p.publisher).post(
        f"/publish/{publication.pk}/steps/publish/", {"on": "2026-10-09"}
    )
    assert response.status_code == 303
    assert publication_of(publication.case).state == Publication.State.PUBLISHED


def test_the_statistics_page_gives_each_agencys_on_time_rate(world: World) -> None:
    published(world)
    late = publication_of(world.on_the_spot(date(2026, 6, 1)))
    services.publication_publish(
        actor=world.p.publisher, publication=reviewed(late), on=date(2026, 10, 9)
    )
    publication_of(world.on_the_spot(date(2026, 6, 2)))  # still a draft, overdue
    html = client_for(world.p.supervisor).get("/publish/statistics/").content.decode()
    row = html.split('id="on-time-rates"')[1].split("</tr>")[1]
    assert world.p.agency_a.name in row
    cells = [c.split(">")[-1] for c in row.split("</td>")[1:6]]
    assert cells == ["2", "1", "1", "1", "50%"]


# -- the public pages -------------------------------------------------------------------------


def test_the_public_list_shows_published_decisions_only(world: World) -> None:
    done = published(world)
    draft = publication_of(world.on_the_spot(party=COMPANY, fine=Decimal(1000)))
    html = Client().get("/public/decisions/").content.decode()
    assert done.decision_number in html
    assert draft.decision_number not in html
    assert Client().get(f"/public/decisions/{draft.pk}/").status_code == 404


def test_public_pages_never_show_the_partys_personal_data(world: World) -> None:
    done = published(world)
    client = Client()
    pages = [
        client.get("/public/decisions/").content.decode(),
        client.get(f"/public/decisions/{done.pk}/").content.decode(),
        client.get(f"/public/decisions/{done.pk}/proof.json").content.decode(),
        client.get("/public/decisions/verify/").content.decode(),
    ]
    for page in pages:
        for value in PERSONAL:
            assert value not in page
    assert "欧阳某" in pages[1]


def test_the_decision_page_shows_its_proof_and_signed_head(world: World) -> None:
    done = published(world)
    html = Client().get(f"/public/decisions/{done.pk}/").content.decode()
    assert 'id="leaf-index"' in html and 'id="checkpoint"' in html
    assert "zhifa.local/record" in html  # the checkpoint's origin and the key's name
    assert "/public/decisions/verify/" in html
    bundle = json.loads(Client().get(f"/public/decisions/{done.pk}/proof.json").content)
    assert bundle["format"] == "zhifa-publication-proof/1"
    assert bundle["content"]["fields"]["number"] == done.decision_number
    assert bundle["entry"]["seq"] >= 0 and bundle["proof"]["tree_size"] > bundle["entry"]["seq"]


def test_the_public_reports_an_error_and_the_publisher_corrects_it(world: World) -> None:
    done = published(world)
    response = Client().post(
        f"/public/decisions/{done.pk}/",
        {"text": "执法依据写错了", "contact": "13322223333"},
    )
    assert response.status_code == 303
    report = CorrectionReport.objects.get(publication=done)
    publisher = client_for(world.p.publisher)
    assert "13322223333" in publisher.get(f"/publish/{done.pk}/").content.decode()
    publisher.post(
        f"/publish/{done.pk}/steps/correct/",
        {
            "on": "2026-10-12",
            "notice": "更正执法依据",
            "basis": "《食品安全法》第一百二十四条",
            "report": report.pk,
        },
    )
    html = Client().get(f"/public/decisions/{done.pk}/").content.decode()
    assert "更正说明" in html and "更正执法依据" in html
    assert "已被替代" in html  # version 1 stays in the history
    assert "13322223333" not in html


def test_the_supervisor_reads_a_correction_report_but_cannot_answer_it(world: World) -> None:
    done = published(world)
    report = services.correction_report_submit(publication=done, text="执法依据写错了")
    client = client_for(world.p.supervisor)
    assert "执法依据写错了" in client.get(f"/publish/{done.pk}/").content.decode()
    response = client.post(f"/publish/reports/{report.pk}/answer/", {"answer": "经核实无误"})
    assert response.status_code == 403
    assert CorrectionReport.objects.get(pk=report.pk).state == CorrectionReport.State.OPEN
    response = client_for(world.p.officer_b).post(
        f"/publish/reports/{report.pk}/answer/", {"answer": "经核实无误"}
    )
    assert response.status_code == 404


def test_a_withdrawn_decision_says_so_and_keeps_the_old_version_readable(world: World) -> None:
    done = published(world)
    client_for(world.p.publisher).post(
        f"/publish/{done.pk}/steps/withdraw/",
        {
            "on": "2026-10-12",
            "change_kind": "revoked",
            "changed_on": "2026-10-12",
            "reason": "经行政复议撤销",
        },
    )
    html = Client().get(f"/public/decisions/{done.pk}/").content.decode()
    assert "已撤回" in html and "经行政复议撤销" in html and "2026-10-12" in html
    assert 'id="public-text"' in html  # the withdrawn text, marked superseded
    assert done.decision_number not in Client().get("/public/decisions/").content.decode()


def test_an_expired_decision_is_gone_from_the_portal(world: World) -> None:
    done = published(world)
    services.publications_expire(on=date(2030, 1, 1))
    response = Client().get(f"/public/decisions/{done.pk}/")
    assert response.status_code == 410
    assert PERSON.id_number not in response.content.decode()
    assert Client().get(f"/public/decisions/{done.pk}/proof.json").status_code == 404
