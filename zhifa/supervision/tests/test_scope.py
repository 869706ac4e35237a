"""Who supervises whom beyond the 司法局's region: a department supervising its own system
(《行政执法监督条例》第四十二条) and a township 司法所 assisting the county 司法局 (第六条第二款)
— each scope's bodies and matters, its refusals, its happy path, the account's validation, the
pages' gate, and ``zhifa verify`` still clean."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from zhifa.cases.selectors import cases_visible_to
from zhifa.cases.tests.conftest import World as CaseWorld
from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import PASSWORD, Personas, credit_code
from zhifa.record.models import Entry
from zhifa.registry import services as registry
from zhifa.registry.models import Account, Agency
from zhifa.registry.selectors import agencies_visible_to
from zhifa.supervision import services
from zhifa.supervision.access import access_matter
from zhifa.supervision.models import Document, Matter, Step
from zhifa.supervision.selectors import (
    agencies_supervisable_by,
    matters_visible_to,
    supervisor_todos,
)

from .conftest import Bureau, make_supervisor

pytestmark = pytest.mark.django_db

ON = date(2026, 3, 2)
SYSTEM = Account.SupervisionScope.SYSTEM
ASSIST = Account.SupervisionScope.ASSIST


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2026-03-02 10:00 +08:00", tick=False):
        yield


def _agency(p: Personas, n: int, name: str, level: str, division: str, parent: Agency | None):
    return registry.agency_create(
        actor=p.admin,
        name=name,
        credit_code=credit_code(n, division=division),
        level=level,
        division_code=division,
        kind=Agency.Kind.STATUTORY,
        domains=[p.domain],
        parent=parent,
    )


def _sup(
    p: Personas, n: int, name: str, body: Agency, region: str, scope: str, certified: bool = True
) -> Account:
    return make_supervisor(p, n, name, body, certified=certified, region=region, scope=scope)


@dataclass
class World:
    b: Bureau
    dept: Agency  # 示范市市场监督管理局
    branch: Agency  # its 甲区分局 (parent: dept)
    station: Agency  # the 分局's 市场监管所 (parent: branch) — depth 2
    d1: Account  # 法制科, system scope
    d2: Account
    county: Agency  # 甲区司法局
    suo: Agency  # 城关司法所 (parent: county)
    c1: Account  # county bureau's supervisors (region 130302)
    c2: Account
    a1: Account  # 司法所, assist scope
    a2: Account  # another of the 司法所's, never added to the team


@pytest.fixture
def w(bureau: Bureau) -> World:
    p = bureau.p
    dept = _agency(p, 71, "示范市市场监督管理局", Agency.Level.CITY, "130300", None)
    branch = _agency(p, 72, "示范市市场监督管理局甲区分局", Agency.Level.COUNTY, "130302", dept)
    station = _agency(p, 73, "甲区分局城关市场监管所", Agency.Level.TOWNSHIP, "130302", branch)
    county = _agency(p, 74, "示范市甲区司法局", Agency.Level.COUNTY, "130302", None)
    suo = _agency(p, 75, "甲区城关司法所", Agency.Level.TOWNSHIP, "130302", county)
    region = Account.SupervisionScope.REGION
    return World(
        b=bureau,
        dept=dept,
        branch=branch,
        station=station,
        d1=_sup(p, 811, "周法制", dept, "130300", SYSTEM),
        d2=_sup(p, 812, "吴法制", dept, "130300", SYSTEM),
        county=county,
        suo=suo,
        c1=_sup(p, 821, "郑县监督", county, "130302", region),
        c2=_sup(p, 822, "冯县监督", county, "130302", region),
        a1=_sup(p, 831, "褚所长", suo, "130302", ASSIST),
        a2=_sup(p, 832, "卫所员", suo, "130302", ASSIST),
    )


def _open(actor: Account, agency: Agency, **kw: object) -> Matter:
    args: dict[str, object] = {
        "actor": actor,
        "agency": agency,
        "origin": Matter.Origin.SELF_FOUND,
        "title": "分局对同一事实重复罚款",
        "summary": "日常监督中发现",
        "on": ON,
    }
    args.update(kw)
    return services.matter_open(**args)  # type: ignore[arg-type]


def _refused(article: str, fn: object, **kw: object) -> RuleViolation:
    with pytest.raises(RuleViolation) as exc:
        fn(**kw)  # type: ignore[operator]
    assert article in str(exc.value), str(exc.value)
    return exc.value


# -- the account ----------------------------------------------------------------------------


def test_account_scope_is_checked_when_the_account_is_made(w: World) -> None:
    p = w.b.p
    base = {"actor": p.admin, "password": PASSWORD, "region_code": "130300"}
    e = _refused(
        "第四十二条",
        registry.account_create,
        username="x1",
        role=Account.Role.SUPERVISOR,
        supervision_scope=SYSTEM,
        **base,
    )
    assert e.field == "agency"
    # a 司法所 account: the agency is a township body under a county one
    _refused(
        "第六条第二款",
        registry.account_create,
        username="x2",
        role=Account.Role.SUPERVISOR,
        agency=w.county,
        supervision_scope=ASSIST,
        **base,
    )
    # (the registry has no "司法行政部门" mark on a body: a township body under any county-level
    # body passes — docs/decisions.md)
    orphan = _agency(p, 76, "孤立司法所", Agency.Level.TOWNSHIP, "130302", None)
    _refused(
        "第六条第二款",
        registry.account_create,
        username="x4",
        role=Account.Role.SUPERVISOR,
        agency=orphan,
        supervision_scope=ASSIST,
        **base,
    )
    _refused(
        "第四十二条",
        registry.account_create,
        username="x5",
        role=Account.Role.HEAD,
        agency=w.dept,
        supervision_scope=SYSTEM,
        **base,
    )
    with pytest.raises(RuleViolation, match="监督范围"):
        registry.account_create(
            username="x6",
            role=Account.Role.SUPERVISOR,
            agency=w.dept,
            supervision_scope="everything",
            **base,
        )
    assert not Account.objects.filter(username__startswith="x").exists()
    entry = Entry.objects.filter(action="registry.account.create").order_by("-seq").first()
    assert entry is not None and entry.data["supervision_scope"] == ASSIST  # a2, the last made
    # existing accounts keep the region scope (the migration's default)
    assert w.b.sup1.supervision_scope == Account.SupervisionScope.REGION


# -- 本系统内部监督 (条例第四十二条) ------------------------------------------------------------


def test_a_department_supervises_the_bodies_below_it_only(w: World) -> None:
    assert set(agencies_supervisable_by(w.d1)) == {w.branch, w.station}
    _refused("第四十二条", _open, actor=w.d1, agency=w.dept)  # itself
    _refused("第四十二条", _open, actor=w.d1, agency=w.b.p.agency_a)  # the region's, not its own
    _refused("第四十二条", _open, actor=w.d1, agency=w.county)
    _refused(
        "第二十一条",
        _open,
        actor=w.d1,
        agency=w.branch,
        kind=Matter.Kind.SPECIAL,
        plan={
            "departments": "各分局",
            "focus": "重复罚款",
            "schedule": "三个月",
            "requirements": "按期报送",
            "approved_by": "示范市人民政府",
            "approved_on": "2026-02-01",
        },
    )
    ours = _open(w.d1, w.station)
    theirs = _open(w.b.sup1, w.b.p.agency_a)  # the 司法局's matter in the same region
    assert list(matters_visible_to(w.d1)) == [ours]
    assert ours in matters_visible_to(w.b.sup1)  # the region's 司法局 still reads it
    with pytest.raises(Exception):  # noqa: B017 - Http404
        access_matter(w.d1, theirs.pk)
    # the 司法局 does not act on the department's matter, nor the department on the 司法局's
    _refused("第六条", services.matter_accept, actor=w.b.sup1, matter=ours, on=ON)
    _refused("第六条", services.matter_accept, actor=w.d1, matter=theirs, on=ON)


def test_a_department_opens_a_matter_about_its_branch_and_issues_an_opinion(w: World) -> None:
    m = _open(w.d1, w.branch)
    assert m.body == w.dept and m.number.startswith("示范市市场监督管理局〔2026〕")
    services.matter_accept(actor=w.d1, matter=m, on=ON)
    services.matter_team_join(actor=w.d1, matter=m, account=w.d2, on=ON)
    services.matter_measure_record(
        actor=w.d1,
        matter=m,
        kind=Step.Kind.INSPECTION,
        text="调取分局罚款决定书",
        supervisors=[w.d1, w.d2],
        on=ON,
    )
    req = services.matter_explanation_request(actor=w.d1, matter=m, text="请说明", on=ON)
    assert req.due_on is not None
    # 决定书: the government's on the 司法局's proposal (第二十九条), not the department's
    _refused(
        "第二十九条",
        services.matter_document_issue,
        actor=w.d1,
        matter=m,
        kind=Document.Kind.DECISION,
        findings="问题严重",
        requirement="立即纠正",
        on=ON,
        fields={"approved_by": "示范市人民政府", "approved_on": "2026-03-01", "grave": True},
    )
    doc = services.matter_document_issue(
        actor=w.d1,
        matter=m,
        kind=Document.Kind.OPINION,
        findings="同一违法行为给予两次罚款",
        requirement="撤销第二次罚款决定",
        on=ON,
    )
    assert doc.number.startswith("示范市市场监督管理局〔2026〕")
    assert Matter.objects.get(pk=m.pk).state == Matter.State.RECTIFYING
    # Overdue, the department's 意见书 is escalated to a 督办函, never to a 决定书 (第二十九条 is
    # the government's on a 司法局's proposal; 第二十七条 applied by 第四十二条).
    assert doc.due_on is not None
    day_after = doc.due_on + timedelta(days=1)
    assert services.rectifications_escalate(today=doc.due_on) == []
    (esc,) = services.rectifications_escalate(today=day_after)
    assert esc.proposal == "urge_letter"
    (todo,) = [t for t in supervisor_todos(w.d1, day_after) if t.key.startswith("sup-escalation")]
    assert "第二十七条、第四十二条" in todo.note and "第二十九条" not in todo.note
    out = StringIO()
    call_command("verify", "--json", stdout=out)
    assert json.loads(out.getvalue())["ok"] is True


# -- 司法所协助 (条例第六条第二款) ---------------------------------------------------------------


def test_a_township_office_assists_only_in_the_matters_it_was_added_to(w: World) -> None:
    assert not agencies_supervisable_by(w.a1).exists()
    _refused("第六条第二款", _open, actor=w.a1, agency=w.b.p.agency_a)
    page = _client(w.a1).get("/supervision/matters/new/")
    assert page.status_code == 200 and "第六条第二款" in page.content.decode()
    m = _open(w.c1, w.b.p.agency_a)
    assert not matters_visible_to(w.a1).exists()  # not on the team yet
    _refused("第六条第二款", services.matter_accept, actor=w.a1, matter=m, on=ON)
    services.matter_accept(actor=w.c1, matter=m, on=ON)
    _refused(
        "第六条第二款",
        services.matter_measure_record,
        actor=w.a1,
        matter=m,
        kind=Step.Kind.INSPECTION,
        text="现场检查",
        supervisors=[w.a1, w.c1],
        on=ON,
    )
    services.matter_team_join(actor=w.c1, matter=m, account=w.a1, on=ON)
    assert list(matters_visible_to(w.a1)) == [m]
    assert not matters_visible_to(w.a2).exists()
    # it records the measures it takes part in, not the county's own
    _refused(
        "第六条第二款",
        services.matter_measure_record,
        actor=w.a1,
        matter=m,
        kind=Step.Kind.INSPECTION,
        text="现场检查",
        supervisors=[w.c1, w.c2],
        on=ON,
    )
    # the 司法所 member records an on-site inspection taken with a county supervisor
    step = services.matter_measure_record(
        actor=w.a1,
        matter=m,
        kind=Step.Kind.INSPECTION,
        text="会同县司法局现场检查执法记录",
        supervisors=[w.a1, w.c1],
        on=ON,
    )
    assert {s["name"] for s in step.supervisors} == {"褚所长", "郑县监督"}
    # one of the 司法所's not on the team takes no part
    with pytest.raises(RuleViolation, match="卫所员"):
        services.matter_measure_record(
            actor=w.c1,
            matter=m,
            kind=Step.Kind.INTERVIEW,
            text="询问",
            supervisors=[w.c1, w.a2],
            on=ON,
        )
    # it assists: no request, no document, no closing
    _refused(
        "第六条第二款",
        services.matter_explanation_request,
        actor=w.a1,
        matter=m,
        text="请说明",
        on=ON,
    )
    _refused(
        "第六条第二款",
        services.matter_document_issue,
        actor=w.a1,
        matter=m,
        kind=Document.Kind.OPINION,
        findings="问题",
        requirement="纠正",
        on=ON,
    )
    _refused("第六条第二款", services.matter_terminate, actor=w.a1, matter=m, reason="无", on=ON)
    # another county's bureau cannot add the 司法所 to its matter
    other = _open(w.b.sup1, w.b.p.agency_a)
    services.matter_accept(actor=w.b.sup1, matter=other, on=ON)
    _refused("第六条", services.matter_team_join, actor=w.b.sup1, matter=other, account=w.a1, on=ON)


def test_the_region_scope_is_unchanged(w: World) -> None:
    # the city 司法局 still supervises every body of its region, the department's too
    bodies = set(agencies_supervisable_by(w.b.sup1))
    assert {w.b.p.agency_a, w.dept, w.branch, w.suo} <= bodies
    m = _open(w.b.sup1, w.branch)
    assert m in matters_visible_to(w.b.sup1) and m not in matters_visible_to(w.d1)


# -- the pages ------------------------------------------------------------------------------


def _client(account: Account) -> Client:
    c = Client()
    c.force_login(account)
    return c


def test_pages_follow_the_scope(w: World) -> None:
    ours = _open(w.d1, w.branch, title="分局系统内监督事项")
    theirs = _open(w.b.sup1, w.b.p.agency_a, title="司法局区域监督事项")
    listing = _client(w.d1).get("/supervision/matters/").content.decode()
    assert ours.number in listing and theirs.number not in listing
    # the dashboard: its own matters to do, nothing of the region's 司法局
    board = _client(w.d1).get("/supervision/dashboard/")
    assert board.status_code == 200
    assert theirs.number not in board.content.decode()
    assert ours.number in _client(w.d1).get("/todos/").content.decode()
    assert _client(w.d1).get(f"/supervision/matters/{theirs.pk}/").status_code == 404
    r = _client(w.d1).post(
        "/supervision/matters/new/",
        {
            "agency": w.b.p.agency_a.pk,
            "origin": ours.origin,
            "kind": "routine",
            "title": "区域外",
            "summary": "区域外",
        },
    )
    assert r.status_code in (400, 409) and "区域外" in r.content.decode()
    assert not Matter.objects.filter(title="区域外").exists()
    # the county bureau's team form offers its 司法所's supervisors
    m = _open(w.c1, w.b.p.agency_a)
    services.matter_accept(actor=w.c1, matter=m, on=ON)
    page = _client(w.c1).get(f"/supervision/matters/{m.pk}/").content.decode()
    assert "褚所长" in page
    assert _client(w.a1).get(f"/supervision/matters/{m.pk}/").status_code == 404
    r = _client(w.c1).post(
        f"/supervision/matters/{m.pk}/steps/matter_team_join/", {"account": w.a1.pk}
    )
    assert r.status_code == 302
    assert _client(w.a1).get(f"/supervision/matters/{m.pk}/").status_code == 200
    assert _client(w.a2).get(f"/supervision/matters/{m.pk}/").status_code == 404
    r = _client(w.a1).post(
        f"/supervision/matters/{m.pk}/steps/matter_measure_record/",
        {"kind": "inspection", "text": "现场检查", "supervisors": [w.a1.pk, w.c1.pk]},
    )
    assert r.status_code == 302
    r = _client(w.a1).post(
        f"/supervision/matters/{m.pk}/steps/matter_explanation_request/", {"text": "请说明"}
    )
    assert r.status_code == 409 and "第六条第二款" in r.content.decode()


# -- the API: the same gate -------------------------------------------------------------------


def test_the_api_follows_the_scope(w: World) -> None:
    from zhifa.cases.tests.conftest import bearer

    api = "/api/v1/supervision"

    def post(account: Account, path: str, body: dict[str, object]) -> object:
        return Client().post(
            api + path, body, content_type="application/json", headers=bearer(account)
        )

    r = post(
        w.d1,
        "/matters",
        {"agency_id": w.b.p.agency_a.pk, "origin": "media", "title": "区域", "summary": "区域"},
    )
    # a body outside the department's system is not found among the bodies it supervises
    assert r.status_code == 422  # type: ignore[attr-defined]
    r = post(
        w.d1,
        "/matters",
        {"agency_id": w.branch.pk, "origin": "media", "title": "分局", "summary": "分局"},
    )
    assert r.status_code == 201  # type: ignore[attr-defined]
    r = post(
        w.a1,
        "/matters",
        {"agency_id": w.b.p.agency_a.pk, "origin": "media", "title": "所", "summary": "所"},
    )
    assert r.status_code == 409 and "第六条第二款" in r.json()["detail"]  # type: ignore[attr-defined]
    m = _open(w.c1, w.b.p.agency_a)
    services.matter_accept(actor=w.c1, matter=m, on=ON)
    assert Client().get(f"{api}/matters/{m.pk}", headers=bearer(w.a1)).status_code == 404
    r = post(w.c1, f"/matters/{m.pk}/team", {"account_id": w.a1.pk})
    assert r.status_code == 200  # type: ignore[attr-defined]
    assert Client().get(f"{api}/matters/{m.pk}", headers=bearer(w.a1)).status_code == 200
    r = post(w.a1, f"/matters/{m.pk}/accept", {})
    assert r.status_code == 409  # type: ignore[attr-defined]


def test_a_department_is_never_the_upper_supervisory_body(w: World) -> None:
    """An objection routed upward goes to the upper 司法局, not to a department of the upper
    division whose supervisors supervise its own system only (条例第四十二条)."""
    p = w.b.p
    dept = _agency(p, 77, "另一市市场监督管理局", Agency.Level.CITY, "130500", None)
    _sup(p, 841, "严法制", dept, "130500", SYSTEM)
    county = _agency(p, 78, "另一市某区司法局", Agency.Level.COUNTY, "130502", None)
    assert services.upper_supervisory_body(county) is None
    assert services.upper_supervisory_body(w.county) == w.b.body


def test_the_administrator_chooses_the_scope_when_making_the_account(w: World) -> None:
    admin = _client(w.b.p.admin)
    form = {
        "username": "market_legal",
        "password1": "zhifa-new-pass-1",
        "password2": "zhifa-new-pass-1",
        "role": Account.Role.SUPERVISOR,
        "agency": "",
        "region_code": "130300",
        "officer": "",
        "display_name": "法制科",
        "is_active": "on",
        "supervision_scope": SYSTEM,
    }
    r = admin.post("/admin/registry/account/add/", form, follow=True)
    assert "第四十二条" in r.content.decode()  # no department given
    assert not Account.objects.filter(username="market_legal").exists()
    r = admin.post("/admin/registry/account/add/", {**form, "agency": w.dept.pk})
    assert r.status_code == 302
    made = Account.objects.get(username="market_legal")
    assert made.supervision_scope == SYSTEM
    assert set(agencies_supervisable_by(made)) == {w.branch, w.station}
    # left out, it is the region's (today's behaviour)
    r = admin.post(
        "/admin/registry/account/add/",
        {**form, "username": "plain", "agency": w.b.body.pk, "supervision_scope": ""},
    )
    assert r.status_code == 302
    assert Account.objects.get(username="plain").supervision_scope == "region"


# -- 调阅 within the department's system (条例第四十二条, 第二十二条第四项) -----------------------


def test_a_department_reads_the_case_files_of_its_system_and_no_others(
    bureau: Bureau, world: CaseWorld
) -> None:
    p = bureau.p
    dept = _agency(p, 77, "示范市生态环境局", Agency.Level.CITY, "130300", None)
    # The registry holds 甲 under the department (arranged: agency_a's 上级主体).
    Agency.objects.filter(pk=p.agency_a.pk).update(parent=dept)
    d = _sup(p, 841, "孙法制", dept, "130300", SYSTEM)
    ours = world.clue(on=ON)  # a case of 甲, below the department
    assert set(cases_visible_to(d)) == {ours}
    assert set(agencies_visible_to(d)) == {dept, p.agency_a}
    m = _open(d, p.agency_a)
    services.matter_accept(actor=d, matter=m, on=ON)
    step = services.matter_case_file_read(actor=d, matter=m, case_id=ours.pk, on=ON)
    assert step.case_id == ours.pk
    # the region's other bodies are not the department's: 乙's matter cannot even be opened
    _refused("第四十二条", _open, actor=d, agency=p.agency_b)
    assert not cases_visible_to(d).exclude(agency_id__in=[dept.pk, p.agency_a.pk]).exists()
