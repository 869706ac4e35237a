"""The demo's supervision matters: the 示范市司法局 (and the 丙县司法局) with a matter in every
state and every outcome — 登记, 不予受理 (复议 pending), 移送, 受理, 调查 (two certified
supervisors, a 调阅, an answered request), 处理 (通报), 整改跟踪 (意见书 with an answered
objection, an overdue 督办函, a 决定书), 办结 (with an officer recommendation that suspended
nothing and a clue transfer with its receipt), 终止.

Every write goes through the services (so through the record); no date after ``today``;
idempotent: nothing is written when the city's body already has a matter. Needs the registry's
city demo (its 司法局, the supervisor 吴静, the market bureau's head 陈建国).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from zhifa.cases.models import Case
from zhifa.core.testing import credit_code, id_number
from zhifa.registry import services as registry
from zhifa.registry.demo import DemoAccount
from zhifa.registry.models import Account, Agency, Certificate, Officer

from . import services
from .models import Document, Matter, Step

CITY_BODY = "示范市司法局"
COUNTY_BODY = "示范市丙县司法局"
MARKET = "示范市市场监督管理局"
PASSWORD = "zhifa-supervisor2"  # noqa: S105 - a documented demo login

ACCOUNTS = (
    DemoAccount(
        "supervisor2",
        PASSWORD,
        Account.Role.SUPERVISOR,
        "示范市（139900）",
        "",
        "示范市司法局，持行政执法监督证（与吴静共同调查）",
    ),
    DemoAccount(
        "county_supervisor",
        "zhifa-county-supervisor",
        Account.Role.SUPERVISOR,
        "丙县（139921）",
        "",
        "丙县司法局",
    ),
    # 本系统内部监督 (条例第四十二条): the market bureau's 法制科 supervising the bureaus below it
    DemoAccount(
        "market_supervisor",
        "zhifa-market-supervisor",
        Account.Role.SUPERVISOR,
        "示范市市场监督管理局系统（本系统内部监督）",
        "",
        "示范市市场监督管理局法制科：监督本系统下级市场监督管理局（《行政执法监督条例》第四十二条）",
    ),
    # 司法所协助 (条例第六条第二款): a 司法所 under the 丙县司法局, on one of its matters
    DemoAccount(
        "sfs_supervisor",
        "zhifa-sfs-supervisor",
        Account.Role.SUPERVISOR,
        "丙县司法局加入监督组的事项（司法所协助）",
        "",
        "丙县青石镇司法所：协助丙县司法局开展监督（《行政执法监督条例》第六条第二款）",
    ),
    DemoAccount(
        "sfj_publisher",
        "zhifa-sfj-publisher",
        Account.Role.PUBLISHER,
        "示范市司法局",
        "",
        "示范市司法局公示管理员：审核并公开执法监督结果（执法监督结果公开）",
    ),
)


@dataclass
class DemoMattersResult:
    already: bool
    states: dict[str, int] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    accounts: tuple[DemoAccount, ...] = ACCOUNTS


def demo_matters_loaded() -> bool:
    return Matter.objects.filter(body__name=CITY_BODY).exists()


def _second_supervisor(body: Agency, first: Account, on: date) -> Account | None:
    """An account for another officer of the body holding a 监督证 valid on ``on``."""
    existing = Account.objects.filter(username="supervisor2").first()
    if existing is not None:
        return existing
    cert = (
        Certificate.objects.filter(
            agency=body,
            kind=Certificate.Kind.SUPERVISION,
            status=Certificate.Status.VALID,
            issued_on__lte=on,
            expires_on__gte=on,
            officer__account__isnull=True,
        )
        .exclude(officer_id=first.officer_id or 0)
        .select_related("officer")
        .order_by("pk")
        .first()
    )
    if cert is None:
        return None
    return registry.account_create(
        actor=None,
        username="supervisor2",
        password=PASSWORD,
        role=Account.Role.SUPERVISOR,
        agency=body,
        region_code=first.region_code,
        officer=cert.officer,
        display_name=cert.officer.name,
    )


def _county_supervisor(body: Agency) -> Account | None:
    existing = Account.objects.filter(username="county_supervisor").first()
    if existing is not None:
        return existing
    officer = Officer.objects.filter(agency=body, account__isnull=True).order_by("pk").first()
    if officer is None:
        return None
    return registry.account_create(
        actor=None,
        username="county_supervisor",
        password="zhifa-county-supervisor",  # noqa: S106 - a documented demo login
        role=Account.Role.SUPERVISOR,
        agency=body,
        region_code=body.division_code,
        officer=officer,
        display_name=officer.name,
    )


def demo_matters_load(*, today: date) -> DemoMattersResult:
    """Load the matters (after the registry's city demo; the cases help but are optional).

    Raises ``RuntimeError`` when the city's 司法局, its supervisor or the market bureau's head
    are missing."""
    started = time.perf_counter()
    if demo_matters_loaded():
        return DemoMattersResult(already=True)
    body = Agency.objects.filter(name=CITY_BODY).first()
    sup = Account.objects.filter(username="supervisor").first()
    head = Account.objects.filter(username="head").first()
    market = Agency.objects.filter(name=MARKET).first()
    if body is None or sup is None or head is None or market is None:
        raise RuntimeError("the registry's city demo is not loaded (registry.demo.city_load)")
    if sup.agency_id != body.pk:
        raise RuntimeError("the demo supervisor is not of the city's 司法局")
    d = today - timedelta(days=60)  # the stories run over the two months before today
    with transaction.atomic():
        sup2 = _second_supervisor(body, sup, d)
        _stories(sup, sup2, head, market, d, today)
        _results_and_escalations(body, sup, today)
        county = Agency.objects.filter(name=COUNTY_BODY).first()
        if county is not None:
            county_sup = _county_supervisor(county)
            target = (
                Agency.objects.filter(division_code=county.division_code)
                .exclude(pk=county.pk)
                .order_by("pk")
                .first()
            )
            if county_sup is not None and target is not None:
                m = services.matter_open(
                    actor=county_sup,
                    agency=target,
                    origin=Matter.Origin.NPC_CPPCC,
                    origin_ref="丙县人大建议第12号",
                    title="乡镇赋权事项执法不规范",
                    summary="县人大代表建议关注乡镇综合执法的程序问题",
                    on=d + timedelta(days=5),
                )
                services.matter_accept(actor=county_sup, matter=m, on=d + timedelta(days=6))
        _department_system(market, d)
        if county is not None:
            _township_office(county, d)
    states: dict[str, int] = {}
    for m in Matter.objects.all():
        label = m.get_state_display()
        states[label] = states.get(label, 0) + 1
    docs: dict[str, int] = {}
    for doc in Document.objects.all():
        label = doc.get_kind_display()
        docs[label] = docs.get(label, 0) + 1
    made = set(
        Account.objects.filter(username__in=[a.username for a in ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    return DemoMattersResult(
        already=False,
        states=states,
        documents=docs,
        seconds=time.perf_counter() - started,
        accounts=tuple(a for a in ACCOUNTS if a.username in made),
    )


def _stories(
    sup: Account, sup2: Account | None, head: Account, market: Agency, d: date, today: date
) -> None:
    def opened(title: str, origin: str, summary: str, day: date, **kw: str) -> Matter:
        return services.matter_open(
            actor=sup,
            agency=market,
            origin=origin,
            title=title,
            summary=summary,
            on=day,
            origin_ref=kw.get("origin_ref", ""),
            kind=kw.get("kind", Matter.Kind.ROUTINE),
            key_method=kw.get("key_method", ""),
        )

    def accepted(title: str, origin: str, summary: str, day: date, **kw: str) -> Matter:
        m = opened(title, origin, summary, day, **kw)
        services.matter_accept(actor=sup, matter=m, on=day + timedelta(days=1))
        return m

    def investigated(m: Matter, day: date) -> None:
        if sup2 is not None:
            services.matter_team_join(actor=sup, matter=m, account=sup2, on=day)
            services.matter_measure_record(
                actor=sup,
                matter=m,
                kind=Step.Kind.INSPECTION,
                text="到局检查执法案卷和执法记录仪视频",
                supervisors=[sup, sup2],
                on=day,
            )
        else:  # no second certified supervisor in the registry: a request opens the inquiry
            services.matter_explanation_request(
                actor=sup, matter=m, text="请自查并书面说明", on=day
            )

    # 登记
    opened(
        "群众反映执法人员未出示执法证件",
        "hotline_12345",
        "12345热线转办：检查时未亮证",
        today - timedelta(days=2),
        origin_ref="12345-20261030-0087",
    )
    # 不予受理: the dispute is already under 行政复议 (条例第三十三条)
    m = opened("对罚款决定不服的投诉", "complaint", "当事人认为罚款过重，已申请行政复议", d)
    services.matter_refuse(
        actor=sup, matter=m, reason="review_or_litigation", on=d + timedelta(days=2)
    )
    # 移送
    m = opened("反映医保定点药店违规", "media", "媒体报道，属医疗保障部门职责", d)
    services.matter_transfer(
        actor=sup,
        matter=m,
        transfer_to="示范市医疗保障局",
        reason="不属于本机构监督的执法事项，移送有权处理的机关",
        on=d + timedelta(days=3),
    )
    # 受理 (挂牌督办)
    accepted(
        "食品安全专项整治推进缓慢",
        "npc_cppcc",
        "市人大代表建议：专项整治进度滞后",
        today - timedelta(days=10),
        kind="key",
        key_method="listed",
    )
    # 调查: measures, an answered request, a case file read
    m = accepted(
        "同一事实两次罚款", "complaint", "企业投诉同一违法事实被罚款两次", d + timedelta(days=5)
    )
    investigated(m, d + timedelta(days=8))
    req = services.matter_explanation_request(
        actor=sup, matter=m, text="请说明两次罚款的事实和依据", on=d + timedelta(days=9)
    )
    services.matter_explanation_answer(
        actor=head,
        request=req,
        text="经核查，第二次罚款系系统重复录入，正在撤销",
        on=d + timedelta(days=15),
    )
    case = Case.objects.filter(agency=market).order_by("pk").first()
    if case is not None:
        services.matter_case_file_read(
            actor=sup, matter=m, case_id=case.pk, on=d + timedelta(days=16)
        )
    # 处理: a 通报
    m = accepted(
        "执法公示信息更新不及时", "warning", "预警：行政处罚决定逾期公示", d + timedelta(days=6)
    )
    investigated(m, d + timedelta(days=10))
    services.matter_document_issue(
        actor=sup,
        matter=m,
        kind="notice",
        findings="部分行政处罚决定未在7个工作日内公示",
        requirement="各机关对照整改",
        fields={"scope": "全市各行政执法机关"},
        on=d + timedelta(days=20),
    )
    # 整改跟踪: 意见书 with an answered objection; an overdue 督办函; a 决定书
    m = accepted(
        "以罚代管、重复检查",
        "evaluation",
        "案卷评查发现对同一企业一月内检查四次",
        d + timedelta(days=7),
    )
    investigated(m, d + timedelta(days=12))
    op = services.matter_document_issue(
        actor=sup,
        matter=m,
        kind="opinion",
        findings="对同一企业一个月内重复检查四次，无正当理由",
        requirement="停止重复检查，建立检查计划统筹机制",
        on=d + timedelta(days=25),
    )
    obj = services.document_objection_file(
        actor=head, document=op, reasons="四次检查分属不同专项，均有计划", on=d + timedelta(days=30)
    )
    services.objection_answer(
        actor=sup,
        objection=obj,
        upheld=False,
        answer="专项之间未统筹，异议不成立，继续整改",
        on=d + timedelta(days=35),
    )
    # reported, not accepted at the check, then overdue: escalated by the daily job below
    services.document_report(
        actor=head, document=op, report="已制定年度检查计划", on=d + timedelta(days=40)
    )
    services.document_check(
        actor=sup,
        document=op,
        accepted=False,
        note="未建立各专项检查的统筹机制，整改不到位",
        on=d + timedelta(days=45),
    )
    m = accepted("投诉举报久拖不办", "complaint", "企业举报三个月未处理", d + timedelta(days=1))
    investigated(m, d + timedelta(days=3))
    services.matter_document_issue(
        actor=sup,
        matter=m,
        kind="urge_letter",
        findings="举报受理后三个月未作处理",
        requirement="依法处理并答复举报人",
        on=d + timedelta(days=5),
    )
    m = accepted("拒不落实意见书", "self_found", "前次意见书逾期未整改", d + timedelta(days=2))
    investigated(m, d + timedelta(days=4))
    services.matter_document_issue(
        actor=sup,
        matter=m,
        kind="decision",
        findings="扣押财物超期未处理，经督促仍不纠正",
        requirement="立即解除扣押并返还财物",
        fields={
            "approved_by": "示范市人民政府",
            "approved_on": (d + timedelta(days=20)).isoformat(),
            "grave": True,
        },
        on=d + timedelta(days=21),
    )
    # 办结: an 意见书 rectified and accepted, an officer recommendation and a clue transfer
    m = accepted("执法人员态度粗暴", "external_supervisor", "行政执法监督员反映执法人员态度粗暴", d)
    investigated(m, d + timedelta(days=2))
    op = services.matter_document_issue(
        actor=sup,
        matter=m,
        kind="opinion",
        findings="执法过程中言语粗暴",
        requirement="对相关人员批评教育，开展文明执法培训",
        on=d + timedelta(days=5),
    )
    officer = Officer.objects.filter(agency=market, account__isnull=True).order_by("pk").first()
    if officer is not None:
        rec = services.matter_document_issue(
            actor=sup,
            matter=m,
            kind="officer_recommendation",
            findings="言语粗暴，当事人投诉属实",
            requirement="建议批评教育",
            fields={"officer_id": officer.pk, "measure": "criticism", "to_body": MARKET},
            on=d + timedelta(days=5),
        )
        services.document_outcome_record(
            actor=sup, document=rec, outcome="已对其批评教育并通报", on=d + timedelta(days=20)
        )
    clue = services.matter_document_issue(
        actor=sup,
        matter=m,
        kind="clue_transfer",
        findings="反映该执法人员收受当事人财物",
        requirement="请依法核查",
        fields={"to_body": "示范市纪委监委"},
        on=d + timedelta(days=6),
    )
    services.document_outcome_record(
        actor=sup, document=clue, outcome="已收到示范市纪委监委回执", on=d + timedelta(days=8)
    )
    services.document_report(
        actor=head,
        document=op,
        report="已批评教育，组织文明执法培训一次",
        on=d + timedelta(days=25),
    )
    services.document_check(
        actor=sup, document=op, accepted=True, note="整改到位", on=d + timedelta(days=28)
    )
    services.matter_close(actor=sup, matter=m, reason="整改到位，办结", on=d + timedelta(days=28))
    # 终止
    m = accepted("反映违规异地执法", "media", "网络反映跨区执法", d + timedelta(days=3))
    investigated(m, d + timedelta(days=6))
    services.matter_terminate(
        actor=sup,
        matter=m,
        reason="经核查系联合执法，有授权依据，未发现问题",
        on=d + timedelta(days=14),
    )


# -- a published 通报, escalated rectifications, an objection routed upward -------------


def _results_and_escalations(body: Agency, sup: Account, today: date) -> None:
    """The 通报 published on the portal (条例第三十一条, through the body's publisher's
    redaction review); the overdue rectifications escalated by the daily job as of ``today``;
    and, where the deployment routes objections upward (ZHIFA_SUPERVISION_OBJECTION_TO_UPPER),
    a county document's objection answered by the city's 司法局."""
    from zhifa.publicity import services as publicity

    publisher = Account.objects.filter(username="sfj_publisher").first() or (
        registry.account_create(
            actor=None,
            username="sfj_publisher",
            password="zhifa-sfj-publisher",  # noqa: S106 - a documented demo login
            role=Account.Role.PUBLISHER,
            agency=body,
            display_name="示范市司法局公示管理员",
        )
    )
    notice = (
        Document.objects.filter(matter__body=body, kind=Document.Kind.NOTICE).order_by("pk").first()
    )
    if notice is not None:
        pub = services.document_publication_propose(actor=sup, document=notice, on=notice.issued_on)
        for span in list(pub.spans):
            if span["state"] == "pending":
                pub = publicity.publication_span_resolve(
                    actor=publisher, publication=pub, span_id=span["id"], remove=True
                )
        publicity.publication_publish(
            actor=publisher, publication=pub, on=min(today, notice.issued_on + timedelta(days=3))
        )
    services.rectifications_escalate(today=today)
    if services.objections_go_upward():
        _objection_routed_upward(today)


def _objection_routed_upward(today: date) -> None:
    county = Agency.objects.filter(name=COUNTY_BODY).first()
    county_sup = Account.objects.filter(username="county_supervisor").first()
    if county is None or county_sup is None or services.upper_supervisory_body(county) is None:
        return
    matter = Matter.objects.filter(body=county, state=Matter.State.ACCEPTED).first()
    if matter is None:
        return
    head = Account.objects.filter(agency=matter.agency, role=Account.Role.HEAD).first()
    if head is None:
        return
    day = today - timedelta(days=20)
    services.matter_explanation_request(
        actor=county_sup, matter=matter, text="请说明乡镇赋权事项的执法程序", on=day
    )
    letter = services.matter_document_issue(
        actor=county_sup,
        matter=matter,
        kind="urge_letter",
        findings="乡镇综合执法未按规定出示执法证件",
        requirement="规范执法程序并报送整改情况",
        on=day + timedelta(days=1),
    )
    services.document_objection_file(
        actor=head,
        document=letter,
        reasons="已出示证件，有执法记录为证",
        on=day + timedelta(days=3),
    )


# -- who supervises whom beyond the 司法局's region (条例第四十二条; 第六条第二款) -------------

SFS_NAME = "示范市丙县青石镇司法所"


def _supervision_certificate(officer: Officer, region: str, on: date, admin: Account) -> None:
    """A 行政执法监督证 valid on ``on`` (the demo's officers of other bodies hold none)."""
    if services.has_valid_supervision_certificate_of(officer, on):
        return
    registry.certificate_register(
        actor=admin,
        officer=officer,
        number=f"J{region}{officer.pk:07d}",
        kind=Certificate.Kind.SUPERVISION,
        domains=list(officer.agency.domains.all()[:1]),
        region_code=region,
        status=Certificate.Status.VALID,
        issued_on=on - timedelta(days=365),
        expires_on=on + timedelta(days=5 * 365),
        reason="导入",
        effective_on=on - timedelta(days=365),
    )


def _department_system(market: Agency, d: date) -> None:
    """The market bureau's 法制科 supervising its system (条例第四十二条): a matter about one of
    the bureaus below it, accepted, a written explanation requested."""
    admin = Account.objects.filter(username="admin").first()
    below = Agency.objects.filter(parent=market).order_by("division_code", "pk").first()
    if admin is None or below is None:
        return
    sup = Account.objects.filter(username="market_supervisor").first()
    if sup is None:
        officer = (
            Officer.objects.filter(agency=market, account__isnull=True, status="serving")
            .order_by("pk")
            .first()
        )
        if officer is None:
            return
        _supervision_certificate(officer, market.division_code, d, admin)
        sup = registry.account_create(
            actor=None,
            username="market_supervisor",
            password="zhifa-market-supervisor",  # noqa: S106 - a documented demo login
            role=Account.Role.SUPERVISOR,
            agency=market,
            region_code=market.division_code,
            officer=officer,
            display_name=officer.name,
            supervision_scope=Account.SupervisionScope.SYSTEM,
        )
    m = services.matter_open(
        actor=sup,
        agency=below,
        origin=Matter.Origin.SELF_FOUND,
        title=f"{below.name}抽查结果公示不及时",
        summary="本系统执法监督中发现下级局双随机抽查结果未在规定时间内公示",
        on=d + timedelta(days=8),
    )
    services.matter_accept(actor=sup, matter=m, on=d + timedelta(days=9))
    services.matter_explanation_request(
        actor=sup,
        matter=m,
        text="请说明抽查结果未按时公示的原因，并附公示记录",
        on=d + timedelta(days=10),
    )


def _township_office(county: Agency, d: date) -> None:
    """A 司法所 under the 丙县司法局 assisting it (条例第六条第二款): added to the team of a
    county matter, it takes part in an on-site inspection with the county's supervisor."""
    admin = Account.objects.filter(username="admin").first()
    county_sup = Account.objects.filter(username="county_supervisor").first()
    target = (
        Agency.objects.filter(division_code=county.division_code, level=Agency.Level.TOWNSHIP)
        .order_by("pk")
        .first()
    )
    if admin is None or county_sup is None or target is None or county_sup.officer is None:
        return
    sfs = Agency.objects.filter(name=SFS_NAME).first()
    if sfs is None:
        serial = 990001
        while Agency.objects.filter(
            credit_code=credit_code(serial, division=county.division_code)
        ).exists():
            serial += 1
        sfs = registry.agency_create(
            actor=admin,
            name=SFS_NAME,
            credit_code=credit_code(serial, division=county.division_code),
            level=Agency.Level.TOWNSHIP,
            division_code=county.division_code,
            kind=Agency.Kind.STATUTORY,
            domains=list(county.domains.all()),
            parent=county,
            responsibilities="协助丙县司法局开展行政执法监督工作（《行政执法监督条例》第六条第二款）",
        )
    sup = Account.objects.filter(username="sfs_supervisor").first()
    if sup is None:
        serial = 901
        while Officer.objects.filter(
            id_number=id_number(serial, division=county.division_code, born=date(1988, 9, 9))
        ).exists():
            serial += 1
        officer = registry.officer_create(
            actor=admin,
            agency=sfs,
            name="孙立新",
            id_number=id_number(serial, division=county.division_code, born=date(1988, 9, 9)),
            position="司法所所长",
        )
        _supervision_certificate(officer, county.division_code, d, admin)
        sup = registry.account_create(
            actor=None,
            username="sfs_supervisor",
            password="zhifa-sfs-supervisor",  # noqa: S106 - a documented demo login
            role=Account.Role.SUPERVISOR,
            agency=sfs,
            region_code=county.division_code,
            officer=officer,
            display_name=officer.name,
            supervision_scope=Account.SupervisionScope.ASSIST,
        )
    _supervision_certificate(county_sup.officer, county.division_code, d, admin)
    m = services.matter_open(
        actor=county_sup,
        agency=target,
        origin=Matter.Origin.COMPLAINT,
        origin_ref="丙县投诉第3号",
        title=f"{target.name}综合执法队检查时未出示执法证件",
        summary="群众反映乡镇综合执法队检查时未出示执法证件",
        on=d + timedelta(days=12),
    )
    services.matter_accept(actor=county_sup, matter=m, on=d + timedelta(days=13))
    services.matter_team_join(actor=county_sup, matter=m, account=sup, on=d + timedelta(days=13))
    services.matter_measure_record(
        actor=sup,
        matter=m,
        kind=Step.Kind.INSPECTION,
        text="司法所会同县司法局到乡镇综合执法队现场检查执法记录和证件管理",
        supervisors=[sup, county_sup],
        on=d + timedelta(days=15),
    )
