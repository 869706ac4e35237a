"""The inspection code (扫码入企): the public page a scanned code opens, with each officer's
certificate checked live; officers' arrival and departure by scanning and the 补录 where no code
was issued, at the period's edge; the enterprise's anonymous rating, read individually by the
region's supervisor only and as aggregates by the inspecting agency."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from zhifa.cases.models import CaseOfficer
from zhifa.cases.tests.conftest import entered_on
from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas
from zhifa.inspections import services as inspections
from zhifa.inspections import services_codes
from zhifa.inspections.models import Inspection, Rating, Visit
from zhifa.inspections.selectors_codes import visits_replay_check
from zhifa.record.models import Entry
from zhifa.record.verification import case_groups
from zhifa.registry import services as registry
from zhifa.registry.models import Account

from .codes_world import SH, CodesWorld, codes_world_build, evidence_in, inspection_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def codes(personas: Personas, settings: Any, tmp_path: Path) -> CodesWorld:
    evidence_in(settings, tmp_path)
    return codes_world_build(personas)


def _at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


def _url(inspection: Inspection, name: str = "inspections_code") -> str:
    return reverse(name, kwargs={"code": inspection.code})


def _client(account: Account | None = None) -> Client:
    client = Client()
    if account is not None:
        client.force_login(account)
    return client


def _rows(html: str) -> dict[str, str]:
    """Each officer's row of the code page, by name, tags stripped."""
    rows = re.findall(r'<tr data-testid="code-officer">(.*?)</tr>', html, flags=re.S)
    out = {}
    for row in rows:
        text = re.sub(r"<[^>]+>", " ", row)
        text = " ".join(text.split())
        out[text.split(" ")[0]] = text
    return out


# -- the public page ------------------------------------------------------------------------------


def test_the_code_page_checks_each_officers_certificate_live(codes: CodesWorld) -> None:
    p = codes.p
    # 王过期's certificate runs to 30 June: named when it was valid, shown after it expired.
    inspection = inspection_make(
        codes, opened_on=date(2026, 6, 15), officers=(p.officer, p.expired_officer)
    )
    # 周乙区 holds a 生态环境 certificate of 乙区: valid, but not for a 市场监管 item here.
    assert p.officer_b.officer is not None
    CaseOfficer.objects.create(
        case=inspection.case,
        officer=p.officer_b.officer,
        role="assistant",
        assigned_on=date(2026, 6, 15),
    )
    with time_machine.travel(_at(6, 30), tick=False):
        before = _rows(_client().get(_url(inspection)).content.decode())
    assert "有效 " in before["王过期"] and "有效期至2026年6月30日" in before["王过期"]
    with time_machine.travel(_at(7, 1), tick=False):
        response = _client().get(_url(inspection))
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    rows = _rows(html)
    assert "130300000001 有效" in rows["张执法"] and rows["张执法"].endswith("是")
    assert "无效" in rows["王过期"] and "证件已于2026年6月30日过期" in rows["王过期"]
    assert "有效" in rows["周乙区"] and "否" in rows["周乙区"]
    assert "证件的执法领域不含“市场监管”" in rows["周乙区"]
    for shown in (
        "示范市甲区市场监督管理局",
        "JC-101 对食品经营者的监督检查",
        "《中华人民共和国食品安全法》第一百一十条",
        "日常检查",
        "本次检查已经批准并赋码",
        "经本机关负责人审批",
        "本年度本机关对该单位第1次检查",
        "尚未公布年度检查频次上限",
        "严禁逐利检查",
        "有权申请回避",
    ):
        assert shown in html, shown
    assert "13800130001" not in html  # no officer's phone


def test_a_code_not_approved_says_so_plainly_and_an_unknown_code_is_a_chinese_404(
    codes: CodesWorld, settings: Any
) -> None:
    requested = inspection_make(codes, opened_on=date(2026, 3, 2), state="requested")
    refused = inspection_make(codes, opened_on=date(2026, 3, 3), state="refused")
    cancelled = inspection_make(codes, opened_on=date(2026, 3, 3))
    with entered_on(date(2026, 3, 3)):
        inspections.inspection_cancel(
            actor=codes.p.head, inspection=cancelled, on=date(2026, 3, 3), reason="企业停业"
        )
    with time_machine.travel(_at(3, 4), tick=False):
        for inspection, state in ((requested, "待审批"), (refused, "不予批准")):
            html = _client().get(_url(inspection)).content.decode()
            assert f"本次检查未经批准（{state}），执法人员不得据此入企检查，您有权拒绝" in html
            assert 'data-testid="code-rating"' not in html  # nothing to rate
        html = _client().get(_url(cancelled)).content.decode()
        assert "本次检查已取消，执法人员不得据此入企检查" in html
        settings.ZHIFA_THROTTLES = {
            **settings.ZHIFA_THROTTLES,
            "inspections.code": {"limit": 2, "minutes": 10},
        }
        client = _client()
        for _ in range(2):
            response = client.get("/public/inspections/code/no-such-code/")
            assert response.status_code == 404
            assert "未找到该检查码" in response.content.decode()
        # guessing codes is throttled: the third unknown lookup from this address is refused
        response = client.get("/public/inspections/code/no-such-code-either/")
        assert response.status_code == 429 and "操作过于频繁" in response.content.decode()


# -- arrival and departure -----------------------------------------------------------------------


def test_an_officer_of_the_inspection_records_arrival_and_departure_by_scanning(
    codes: CodesWorld,
) -> None:
    p = codes.p
    inspection = inspection_make(codes, opened_on=date(2026, 3, 2), planned_on=date(2026, 3, 5))
    officer = _client(p.officer)
    with time_machine.travel(_at(3, 5, 9, 30), tick=False):
        page = officer.get(_url(inspection)).content.decode()
        assert "登记到达" in page and "登记离开" not in page
        assert 'data-testid="code-qr"' in page and "data:image/svg+xml" in page  # 亮码
        assert 'data-testid="code-scan"' not in _client().get(_url(inspection)).content.decode()
        response = officer.post(
            _url(inspection, "inspections_code_visit"), {"mode": "scan", "kind": "arrival"}
        )
        assert response.status_code == 303
        again = officer.post(
            _url(inspection, "inspections_code_visit"), {"mode": "scan", "kind": "arrival"}
        )
        assert again.status_code == 400 and "已登记到达，尚未登记离开" in again.content.decode()
    with time_machine.travel(_at(3, 5, 11, 15), tick=False):
        officer.post(
            _url(inspection, "inspections_code_visit"), {"mode": "scan", "kind": "departure"}
        )
        shown = officer.get(_url(inspection)).content.decode()
    visits = list(Visit.objects.filter(inspection=inspection).order_by("at"))
    assert [(v.kind, v.at, v.scanned, v.officer_id) for v in visits] == [
        ("arrival", _at(3, 5, 9, 30), True, p.officer.officer_id),
        ("departure", _at(3, 5, 11, 15), True, p.officer.officer_id),
    ]
    assert "张执法 到达 2026年3月5日 09:30" in shown
    entries = Entry.objects.filter(case_id=inspection.case_id, action="inspection.visit_scan")
    assert [e.data["visit"]["kind"] for e in entries.order_by("seq")] == ["arrival", "departure"]
    assert entries.first().actor_id == p.officer.pk  # type: ignore[union-attr]
    assert list(visits_replay_check(case_groups())) == []


def test_only_the_inspections_officers_scan_and_only_an_approved_code(codes: CodesWorld) -> None:
    p = codes.p
    approved = inspection_make(codes, opened_on=date(2026, 3, 2))
    requested = inspection_make(codes, opened_on=date(2026, 3, 2), state="requested")
    body = {"mode": "scan", "kind": "arrival"}
    with time_machine.travel(_at(3, 5), tick=False):
        assert (
            _client(p.head).post(_url(approved, "inspections_code_visit"), body).status_code == 403
        )
        assert (
            _client(p.officer_b).post(_url(approved, "inspections_code_visit"), body).status_code
            == 403
        )
        anonymous = _client().post(_url(approved, "inspections_code_visit"), body)
        assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
        refused = _client(p.officer).post(_url(requested, "inspections_code_visit"), body)
        assert refused.status_code == 400
        assert "未经批准赋码，不能扫码登记" in refused.content.decode()
        assert "须事先经行政执法主体负责人批准" in refused.content.decode()
    assert not Visit.objects.exists()


def test_an_emergency_inspection_is_entered_late_within_ten_days_not_on_the_eleventh(
    codes: CodesWorld,
) -> None:
    p = codes.p
    emergency = inspection_make(codes, opened_on=date(2026, 3, 2), state="emergency")
    officer = _client(p.officer)
    url = _url(emergency, "inspections_code_visit")
    with time_machine.travel(_at(3, 2, 18), tick=False):
        scan = officer.post(url, {"mode": "scan", "kind": "arrival"})
        assert scan.status_code == 400 and "紧急实施的检查请补录" in scan.content.decode()
        no_reason = officer.post(
            url,
            {"mode": "late", "kind": "arrival", "visited_at": "2026-03-02T10:00", "reason": " "},
        )
        assert no_reason.status_code == 400
    # 3 March … 12 March is 10 natural days after the visit of 2 March (12 March a Thursday).
    with time_machine.travel(_at(3, 12, 20), tick=False):
        ok = officer.post(
            url,
            {
                "mode": "late",
                "kind": "arrival",
                "visited_at": "2026-03-02T10:00",
                "reason": "现场无网络，未能扫码",
            },
        )
        assert ok.status_code == 303
    with time_machine.travel(_at(3, 13, 9), tick=False):
        late = officer.post(
            url,
            {
                "mode": "late",
                "kind": "departure",
                "visited_at": "2026-03-02T11:30",
                "reason": "现场无网络，未能扫码",
            },
        )
        text = late.content.decode()
        assert late.status_code == 400
        assert "须在2026年3月12日前补录（10日），已超过补录期限" in text
        assert "深府规〔2025〕6号" in text
        assert 'value="现场无网络，未能扫码"' in text or "现场无网络，未能扫码</textarea>" in text
    visit = Visit.objects.get(inspection=emergency)
    assert (visit.scanned, visit.late_reason, visit.at) == (
        False,
        "现场无网络，未能扫码",
        _at(3, 2, 10),
    )
    entry = Entry.objects.get(case_id=emergency.case_id, action="inspection.visit_late")
    assert entry.data["visit"]["late_reason"] == "现场无网络，未能扫码"


def test_the_late_entry_period_is_a_time_limit_row_a_deployment_may_change(
    codes: CodesWorld, settings: Any
) -> None:
    settings.ZHIFA_TIME_LIMITS = {
        services_codes.LATE_ENTRY: {
            "count": 3,
            "unit": "workdays",
            "source": "《某市扫码入企办法》第九条",
        }
    }
    assert services_codes.late_entry_due(date(2026, 3, 2)) == date(2026, 3, 5)


# -- ratings ---------------------------------------------------------------------------------------


def _rate(inspection: Inspection, **data: Any) -> Any:
    return _client().post(_url(inspection, "inspections_code_rate"), data)


def test_a_rating_is_anonymous_the_agency_sees_aggregates_the_supervisor_the_answers(
    codes: CodesWorld,
) -> None:
    p = codes.p
    inspection = inspection_make(codes, opened_on=date(2026, 3, 2))
    secret = "检查人员要求我们法定代表人陈某（13912345678）必须到场"
    with time_machine.travel(_at(3, 6), tick=False):
        response = _rate(inspection, score="2", breaches=["disturb"], comment=secret)
        assert response.status_code == 303 and response["Location"].endswith("?rated=1")
        _rate(inspection, score="5")
    rating = Rating.objects.get(score=2)
    assert rating.breaches == ["disturb"] and rating.comment == secret
    entry = next(
        e for e in Entry.objects.filter(action="inspection.rate") if e.data["rating"] == rating.pk
    )
    assert entry.case_id is None and entry.actor_id is None and entry.role == "public"
    assert secret not in entry.payload and "13912345678" not in entry.payload
    assert entry.data["score"] == 2 and entry.data["breaches"] == ["disturb"]
    # the case timeline the agency reads has no rating
    assert not Entry.objects.filter(case_id=inspection.case_id, action="inspection.rate").exists()

    agency = _client(p.head).get(reverse("inspections_ratings")).content.decode()
    assert 'data-testid="ratings-count">2<' in agency and "评价不足3条" in agency
    assert secret not in agency and "ratings-average" not in agency
    with time_machine.travel(_at(3, 7), tick=False):
        _rate(inspection, score="4", comment="")
    agency = _client(p.officer).get(reverse("inspections_ratings")).content.decode()
    assert 'data-testid="ratings-average">3.67<' in agency
    assert "严禁干扰企业正常生产经营：1次" in agency and secret not in agency

    supervisor = _client(p.supervisor).get(reverse("inspections_ratings_region")).content.decode()
    assert secret in supervisor and supervisor.count('data-testid="rating-row"') == 3
    assert "严禁干扰企业正常生产经营" in supervisor
    assert _client(p.head).get(reverse("inspections_ratings_region")).status_code == 403
    assert _client(p.supervisor).get(reverse("inspections_ratings")).status_code == 403
    # agency B sees none of A's
    other = _client(p.officer_b).get(reverse("inspections_ratings")).content.decode()
    assert 'data-testid="ratings-count">0<' in other
    assert list(visits_replay_check(case_groups())) == []


def test_a_supervisor_of_another_region_sees_no_rating(codes: CodesWorld) -> None:
    p = codes.p
    inspection = inspection_make(codes, opened_on=date(2026, 3, 2))
    with time_machine.travel(_at(3, 6), tick=False):
        _rate(inspection, score="1", breaches=["profit"], comment="收受礼品")
    elsewhere = registry.account_create(
        actor=p.admin,
        username="supervisor-elsewhere",
        password="zhifa-test-pass",
        role=Account.Role.SUPERVISOR,
        region_code="140100",
        display_name="郑监督",
    )
    page = _client(elsewhere).get(reverse("inspections_ratings_region")).content.decode()
    assert "收受礼品" not in page and 'data-testid="rating-row"' not in page
    assert (
        "收受礼品"
        in _client(p.supervisor).get(reverse("inspections_ratings_region")).content.decode()
    )


def test_ratings_are_refused_for_codes_not_approved_bad_scores_and_too_often(
    codes: CodesWorld, settings: Any
) -> None:
    requested = inspection_make(codes, opened_on=date(2026, 3, 2), state="requested")
    approved = inspection_make(codes, opened_on=date(2026, 3, 2))
    # four ratings an hour from one address: three refused for their content, one taken
    settings.ZHIFA_THROTTLES = {
        **settings.ZHIFA_THROTTLES,
        "inspections.rate": {"limit": 4, "minutes": 60},
    }
    with time_machine.travel(_at(3, 6), tick=False):
        refused = _rate(requested, score="3")
        assert refused.status_code == 400 and "不能评价" in refused.content.decode()
        assert _rate(approved, score="9").status_code == 400
        assert _rate(approved, score="3", breaches=["bribe"]).status_code == 400
        assert _rate(approved, score="3").status_code == 303
        throttled = _rate(approved, score="4", comment="再评一次")
        assert throttled.status_code == 429 and "操作过于频繁" in throttled.content.decode()
        assert "再评一次" in throttled.content.decode()  # what was typed is kept
    assert Rating.objects.count() == 1


def test_zhifa_verify_catches_an_edited_visit_or_rating(codes: CodesWorld) -> None:
    p = codes.p
    inspection = inspection_make(codes, opened_on=date(2026, 3, 2))
    with time_machine.travel(_at(3, 5), tick=False):
        services_codes.visit_scan(actor=p.officer, inspection=inspection, kind="arrival")
        services_codes.rating_submit(inspection=inspection, score=4, breaches=[], comment="好")
    assert list(visits_replay_check(case_groups())) == []
    Visit.objects.update(at=_at(3, 5, 8))
    Rating.objects.update(comment="改过的")
    kinds = {problem.kind for problem in visits_replay_check(case_groups())}
    assert kinds == {"inspection_visit_mismatch", "inspection_rating_mismatch"}


def test_an_emergency_inspection_approved_afterwards_still_has_no_code_to_scan(
    codes: CodesWorld,
) -> None:
    p = codes.p
    row = inspection_make(codes, opened_on=date(2026, 3, 2), state="emergency")
    with entered_on(date(2026, 3, 3)):
        row = inspections.inspection_approve(actor=p.head, inspection=row, on=date(2026, 3, 3))
    assert (row.state, row.coded) == ("approved", False)
    with time_machine.travel(_at(3, 3, 15), tick=False):
        with pytest.raises(RuleViolation, match="检查前未赋码，不能扫码登记"):
            services_codes.visit_scan(actor=p.officer, inspection=row, kind="arrival")
        visit = services_codes.visit_late_record(
            actor=p.officer,
            inspection=row,
            kind="arrival",
            visited_at=_at(3, 2, 10),
            reason="紧急实施，检查时尚未赋码",
        )
    assert not visit.scanned


def test_the_officer_is_reminded_to_enter_an_emergency_visit_until_entered(
    codes: CodesWorld,
) -> None:
    from zhifa.todos.items import todos_for

    p = codes.p
    row = inspection_make(codes, opened_on=date(2026, 3, 2), state="emergency")
    items = [
        t for t in todos_for(p.officer, date(2026, 3, 4)) if t.key.startswith("inspection-visit")
    ]
    assert [(t.due_on, t.remaining, t.deadline_name) for t in items] == [
        (date(2026, 3, 12), 8, "补录期限")
    ]
    assert "深府规〔2025〕6号" in items[0].article
    assert not [
        t for t in todos_for(p.head, date(2026, 3, 4)) if t.key.startswith("inspection-visit")
    ]
    with time_machine.travel(_at(3, 4), tick=False):
        services_codes.visit_late_record(
            actor=p.officer,
            inspection=row,
            kind="arrival",
            visited_at=_at(3, 2, 10),
            reason="紧急实施，检查时尚未赋码",
        )
    assert not [
        t for t in todos_for(p.officer, date(2026, 3, 4)) if t.key.startswith("inspection-visit")
    ]
