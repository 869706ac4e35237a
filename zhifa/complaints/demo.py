"""The demo's complaints and 监督员 (``zhifa demo``, after the cases): the channels of 示范市司法局
and 丙县司法局, complaints in every state (some anonymous, one from 12345), and two 监督员 with
their appointments, an opinion and ratings. Idempotent: nothing is written when present."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from zhifa.registry import services as registry
from zhifa.registry.demo import CITY_CODE, DemoAccount
from zhifa.registry.models import Account, Agency, Certificate

from . import services
from .models import Complaint, ComplaintChannel

Role = Account.Role

MONITORS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "monitor1",
        "zhifa-monitor1",
        Role.EXTERNAL_SUPERVISOR,
        f"示范市（{CITY_CODE}）",
        "林晓",
        "行政执法监督员（律师），聘期内",
    ),
    DemoAccount(
        "monitor2",
        "zhifa-monitor2",
        Role.EXTERNAL_SUPERVISOR,
        f"示范市（{CITY_CODE}）",
        "郭晨",
        "行政执法监督员（新闻工作者），聘期内",
    ),
)


@dataclass
class DemoComplaintsResult:
    already: bool
    counts: dict[str, int] = field(default_factory=dict)
    accounts: tuple[DemoAccount, ...] = MONITORS


def demo_complaints_loaded() -> bool:
    return ComplaintChannel.objects.exists()


def load(*, today: date) -> DemoComplaintsResult:
    """Load as of ``today`` (the demo's reference day). Needs the demo city."""
    if demo_complaints_loaded():
        return DemoComplaintsResult(already=True)
    supervisor = Account.objects.get(username="supervisor")
    assert supervisor.agency is not None
    bureau = supervisor.agency
    county_bureau = Agency.objects.filter(name__startswith="丙县", name__endswith="司法局").first()
    agencies = list(
        Agency.objects.filter(division_code__startswith=CITY_CODE[:4])
        .exclude(name__endswith="司法局")
        .order_by("pk")[:6]
    )
    cert = (
        Certificate.objects.filter(agency=agencies[0], kind="enforcement", status="valid")
        .order_by("number")
        .first()
    )
    with transaction.atomic():
        services.complaint_channel_set(
            actor=supervisor,
            body=bureau,
            phone="0399-12345678",
            email="jiandu@sfj.example.gov.cn",
            address="示范市人民路1号示范市司法局行政执法协调监督科",
            hours="工作日 9:00—12:00，14:00—17:30",
        )
        if county_bureau is not None:
            admin = Account.objects.get(username="admin")
            services.complaint_channel_set(
                actor=admin,
                body=county_bureau,
                phone="0399-7654321",
                email="",
                address="丙县城关镇政府路8号丙县司法局",
                hours="工作日",
            )

        def submit(n: int, days_ago: int, **kw: Any) -> Complaint:
            received = today - timedelta(days=days_ago)
            c, _code = services.complaint_submit(
                agency=agencies[n % len(agencies)],
                facts=kw.pop("facts", "执法人员检查时未出示执法证件，态度生硬。"),
                happened_on=received - timedelta(days=2),
                today=received,
                received_on=received,
                **kw,
            )
            return c

        named = {"anonymous": False, "name": "演示投诉人", "contact": "demo@example.com"}
        counts = {"received": 0, "accepted": 0, "refused": 0, "transferred": 0, "concluded": 0}
        submit(
            0,
            1,
            anonymous=True,
            certificate_number=cert.number if cert else "",
            officer_given=cert.number if cert else "",
        )
        submit(1, 2, **named)
        counts["received"] += 2
        for n, days in ((2, 12), (3, 40)):
            c = submit(
                n,
                days,
                facts="多次到同一商户重复检查。",
                **({"anonymous": True} if n == 3 else named),
            )
            services.complaint_accept(actor=supervisor, complaint=c, on=c.accept_due)
            counts["accepted"] += 1
        c = submit(4, 20, **named, facts="对罚款决定不服。")
        services.complaint_refuse(
            actor=supervisor,
            complaint=c,
            reason="review_or_litigation",
            note="投诉人已申请行政复议",
            on=c.received_on + timedelta(days=3),
        )
        counts["refused"] += 1
        c = submit(5, 15, anonymous=True, facts="反映的是劳动争议，不属于行政执法。")
        services.complaint_transfer(
            actor=supervisor,
            complaint=c,
            to="示范市劳动人事争议仲裁委员会",
            on=c.received_on + timedelta(days=2),
        )
        counts["transferred"] += 1
        c = submit(0, 50, **named, facts="执法人员以罚代管。")
        services.complaint_accept(
            actor=supervisor, complaint=c, on=c.received_on + timedelta(days=1)
        )
        services.complaint_conclude(
            actor=supervisor,
            complaint=c,
            result="经核查属实，已向该局制发督办函并责令整改。",
            on=c.received_on + timedelta(days=20),
        )
        counts["concluded"] += 1
        submit(
            1,
            3,
            anonymous=False,
            name="12345市民",
            contact="13800000000",
            origin=Complaint.Origin.HOTLINE,
            source_ref="GD20261029000123",
            submitted_by=supervisor,
            with_code=False,
        )
        counts["received"] += 1

        for spec in MONITORS:
            account = registry.account_create(
                actor=None,
                username=spec.username,
                password=spec.password,
                role=spec.role,
                region_code=CITY_CODE,
                display_name=spec.display_name,
            )
            services.appointment_create(
                actor=supervisor,
                account=account,
                sector="lawyer" if spec.username == "monitor1" else "journalist",
                document="示政办〔2026〕15号",
                term_start=date(2026, 3, 1),
                term_end=date(2029, 2, 28),
            )
            services.agency_rate(
                actor=account,
                agency=agencies[0],
                campaign=f"{today.year}年度评议",
                score=4 if spec.username == "monitor1" else 3,
                comment="",
                today=today,
            )
        monitor1 = Account.objects.get(username="monitor1")
        services.monitor_opinion_submit(
            actor=monitor1,
            agency=agencies[1],
            facts="办事窗口未公示执法人员信息。",
            happened_on=today,
            today=today,
        )
        counts["received"] += 1
    return DemoComplaintsResult(already=False, counts=counts)
