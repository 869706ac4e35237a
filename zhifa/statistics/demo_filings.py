"""The demo's statistics filings (季报/年报) for 2026: the city market bureau filed Q1 (accepted),
Q2 (returned once, then accepted, filed late), Q3 (waiting for the supervisor) and has a draft
2026 annual report; the city environment bureau filed Q1 and Q2 but not Q3 (late on the demo
day); the 丙县农业农村局, whose cases are not in zhifa, filed Q1–Q3 by ``.xlsx`` upload.

Every write goes through the services (so through the record), never dated after ``today``;
idempotent: nothing is written when a filing exists. Needs the registry's city demo (the
market bureau's head 陈建国, the supervisor 吴静); the heads of the two other agencies are
created here.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from zhifa.registry import services as registry
from zhifa.registry.demo import CITY_NAME, DemoAccount
from zhifa.registry.models import Account, Agency

from . import filing_upload
from . import services_filings as svc
from .models import Filing
from .selectors_filings import tables_for

MARKET = f"{CITY_NAME}市场监督管理局"
ENVIRONMENT = f"{CITY_NAME}生态环境局"
COUNTY = f"{CITY_NAME}丙县农业农村局"
ENV_HEAD = DemoAccount(  # only where the city's demo has no head of the bureau (head_env)
    "env_head",
    "zhifa-env-head",
    Account.Role.HEAD,
    ENVIRONMENT,
    "高远",
    "统计报送：第三季度未报送",
)
ACCOUNTS = (
    DemoAccount(
        "county_agri_head",
        "zhifa-county-agri-head",
        Account.Role.HEAD,
        COUNTY,
        "林峰",
        "统计报送：案件未在本平台办理，以Excel填报",
    ),
)


def _account(spec: DemoAccount, agency: Agency) -> Account:
    found = Account.objects.filter(username=spec.username).first()
    if found is not None:
        return found
    return registry.account_create(
        actor=None,
        username=spec.username,
        password=spec.password,
        role=spec.role,
        agency=agency,
        display_name=spec.display_name,
    )


def _quarter(head: Account, agency: Agency, quarter: int, on: date) -> Filing:
    filing = svc.filing_generate(actor=head, agency=agency, year=2026, quarter=quarter, on=on)
    for prompt in svc.prompts_of(filing):
        filing = svc.filing_special_note_save(
            actor=head,
            filing=filing,
            table=prompt.table,
            text=f"本季度未实施{prompt.kind_name}，系因本季度未发现相关违法行为。",
            on=on,
        )
    return svc.filing_submit(actor=head, filing=filing, on=on)


@transaction.atomic
def load(today: date) -> list[str]:
    """Load the filings; the lines say what was loaded (empty: already there or no city)."""
    if Filing.objects.exists():
        return []
    market = Agency.objects.filter(name=MARKET).first()
    env = Agency.objects.filter(name=ENVIRONMENT).first()
    county = Agency.objects.filter(name=COUNTY).first()
    head = Account.objects.filter(username="head").first()
    supervisor = Account.objects.filter(username="supervisor").first()
    if None in (market, env, county, head, supervisor):
        return []
    assert market and env and county and head and supervisor
    env_head = Account.objects.filter(
        role=Account.Role.HEAD, agency=env, is_active=True
    ).first() or _account(ENV_HEAD, env)
    county_head = _account(ACCOUNTS[0], county)
    lines = []

    q1 = _quarter(head, market, 1, date(2026, 4, 10))
    svc.filing_accept(actor=supervisor, filing=q1, on=date(2026, 4, 13))
    q2 = _quarter(head, market, 2, date(2026, 7, 14))
    q2 = svc.filing_return(
        actor=supervisor,
        filing=q2,
        comments="情况说明未分析罚没金额变化的原因，请补充后重新报送。",
        on=date(2026, 7, 16),
    )
    q2 = svc.filing_narrative_save(
        actor=head,
        filing=q2,
        text=q2.narrative + "\n罚没金额下降主要因本季度以警告、责令改正为主的轻微违法案件增多。",
        on=date(2026, 7, 17),
    )
    q2 = svc.filing_submit(actor=head, filing=q2, on=date(2026, 7, 17))  # two days late
    svc.filing_accept(actor=supervisor, filing=q2, on=date(2026, 7, 20))
    if today >= date(2026, 10, 12):
        _quarter(head, market, 3, date(2026, 10, 12))  # waiting for the supervisor
    svc.filing_generate(actor=head, agency=market, year=2026, quarter=0, on=today)
    lines.append(
        f"{MARKET}：2026年第一、二季度已接收（第二季度退回一次），第三季度待审查，年报编制中"
    )

    for quarter, on in ((1, date(2026, 4, 14)), (2, date(2026, 7, 15))):
        f = _quarter(env_head, env, quarter, on)
        svc.filing_accept(actor=supervisor, filing=f, on=on)
    lines.append(f"{ENVIRONMENT}：第一、二季度已接收，第三季度逾期未报送")

    codes = filing_upload.fileable(tables_for(county))
    for quarter, on, n in (
        (1, date(2026, 4, 9), 3),
        (2, date(2026, 7, 8), 5),
        (3, date(2026, 10, 9), 4),
    ):
        sheet = filing_upload.template_xlsx(
            codes,
            {
                "penalty.kind.warning": {"count": n - 1, "amount": None},
                "penalty.kind.fine": {"count": 1, "amount": None},
                "penalty.total": {"count": n, "amount": None},
                "penalty.amount": {"count": 0, "amount": f"{2000 * n}.00"},
                "inspection.count": {"count": 10 * n, "amount": None},
                "licensing.applied": {"count": 2 * n, "amount": None},
                "licensing.accepted": {"count": 2 * n, "amount": None},
                "licensing.granted": {"count": 2 * n - 1, "amount": None},
                "licensing.refused": {"count": 1, "amount": None},
            },
        )
        figures = filing_upload.read_upload(sheet, "统计数据填报.xlsx", codes)
        f = svc.filing_file(
            actor=county_head,
            agency=county,
            year=2026,
            quarter=quarter,
            figures=figures,
            on=on,
            how="upload",
        )
        f = svc.filing_submit(actor=county_head, filing=f, on=on)
        if quarter < 3:
            svc.filing_accept(actor=supervisor, filing=f, on=on)
    lines.append(f"{COUNTY}：以Excel填报第一至三季度")
    return lines
