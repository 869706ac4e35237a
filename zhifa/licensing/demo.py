"""The demo's 行政许可 applications (``zhifa demo``, after the cases): at 示范市市场监督管理局,
on a published 行政许可 item of its power list, one application in every state of the licensing
procedure — received, told to complete its materials, accepted with a 第四十五条 test running
and the period extended, not accepted, granted, refused, issued (its licence verifiable), the
refusal served, closed and archived. All through the services, dated before the reference day
and entered late with the demo's reason. Idempotent: nothing is written when present."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from stdnum.cn import uscc

from zhifa.cases.demo import LATE_REASON
from zhifa.cases.models import Case
from zhifa.cases.services import PartyInput, case_archive, case_close
from zhifa.registry.demo import CITY_NAME
from zhifa.registry.models import Account, Agency, PowerItem

from . import services
from .models import Application, ExcludedPeriod

LATE = LATE_REASON  # the cases demo's: the timeline shows one reason for the whole demo
MARKET = f"{CITY_NAME}市场监督管理局"


@dataclass
class DemoLicensingResult:
    already: bool
    counts: dict[str, int] = field(default_factory=dict)


def demo_licensing_loaded() -> bool:
    return Application.objects.exists()


def _credit_code(body: str) -> str:
    return body + uscc.calc_check_digit(body)


def _company(n: int, name: str) -> PartyInput:
    return PartyInput(
        kind="organisation",
        name=name,
        credit_code=_credit_code(f"91130302{900 + n:09d}"),
        legal_representative="赵某",
        address=f"{CITY_NAME}海港区迎宾路{n}号",
        phone=f"1390399{n:04d}",
    )


def load(*, today: date) -> DemoLicensingResult:
    """Load as of ``today`` (the demo's reference day). Needs the demo city; writes nothing
    when its agency or a published 行政许可 item is missing."""
    if demo_licensing_loaded():
        return DemoLicensingResult(already=True)
    agency = Agency.objects.filter(name=MARKET).first()
    officer = Account.objects.filter(username="officer").first()
    head = Account.objects.filter(agency=agency, role=Account.Role.HEAD).first()
    item = (
        PowerItem.objects.filter(
            agency=agency,
            category=PowerItem.Category.LICENSING,
            status=PowerItem.Status.PUBLISHED,
        )
        .order_by("code")
        .first()
    )
    if agency is None or officer is None or head is None or item is None:
        return DemoLicensingResult(already=False)
    start = today - timedelta(days=60)
    with transaction.atomic():
        cases = [
            services.licence_apply(
                actor=officer,
                power_code=item.code,
                matter=f"{item.name}（{name}）",
                channel="online" if n % 2 else "window",
                on=start + timedelta(days=n),
                applicant=_company(n + 1, name),
                materials=["申请书", "营业执照复印件"],
                late_reason=LATE,
            )
            for n, name in enumerate(
                (
                    "示范市海港区晨光餐饮有限公司",
                    "示范市海港区百味食品店",
                    "示范市海港区好邻居超市有限公司",
                    "示范市海港区速达物流有限公司",
                    "示范市海港区老街面馆",
                    "示范市海港区绿源农产品有限公司",
                    "示范市海港区福满楼酒店有限公司",
                    "示范市海港区甜心烘焙坊",
                    "示范市海港区鲜果汇商贸有限公司",
                    "示范市海港区一品茶社",
                )
            )
        ]
        applied, correction, accepted, not_accepted, granted = cases[:5]
        refused, issued, served, closed, archived = cases[5:]
        day = start + timedelta(days=12)
        services.case_licence_correct(
            actor=officer,
            case=correction,
            on=start + timedelta(days=2),
            missing=["健康证明"],
            late_reason=LATE,
        )
        services.case_licence_not_accept(
            actor=head,
            case=not_accepted,
            on=day,
            reason="申请事项不属于本机关职权范围",
            late_reason=LATE,
        )
        for case in (accepted, granted, refused, issued, served, closed, archived):
            services.case_licence_accept(actor=officer, case=case, on=day, late_reason=LATE)
        services.case_licence_pause(
            actor=officer,
            case=accepted,
            on=day + timedelta(days=2),
            kind=ExcludedPeriod.Kind.TESTING,
            note="委托检验机构检验",
            late_reason=LATE,
        )
        services.case_licence_extend(
            actor=head,
            case=accepted,
            on=day + timedelta(days=3),
            reason="需检验检测",
            late_reason=LATE,
        )
        decided = day + timedelta(days=10)
        for case in (granted, issued, closed, archived):
            services.case_licence_grant(
                actor=head,
                case=case,
                on=decided,
                content="预包装食品销售，热食类食品制售",
                valid_from=decided,
                valid_until=decided.replace(year=decided.year + 5) - timedelta(days=1),
                late_reason=LATE,
            )
        for case in (refused, served):
            services.case_licence_refuse(
                actor=head,
                case=case,
                on=decided,
                reasons="经营场所与污染源距离不符合要求",
                late_reason=LATE,
            )
        for case in (issued, closed, archived):
            services.case_licence_issue(
                actor=officer, case=case, on=decided + timedelta(days=1), late_reason=LATE
            )
        services.case_licence_serve(
            actor=officer, case=served, on=decided + timedelta(days=1), late_reason=LATE
        )
        for case in (closed, archived):
            case_close(actor=head, case=case, on=decided + timedelta(days=2), late_reason=LATE)
        case_archive(actor=head, case=archived, on=decided + timedelta(days=3), late_reason=LATE)
        assert applied.state == Case.State.APPLIED
    counts: dict[str, int] = {}
    for state in Case.objects.filter(kind=Case.Kind.LICENSING).values_list("state", flat=True):
        counts[state] = counts.get(state, 0) + 1
    return DemoLicensingResult(already=False, counts=counts)
