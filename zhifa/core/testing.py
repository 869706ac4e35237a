"""Test personas and valid identifiers, shared by every app's tests and the demo.

Personas (STYLE.md rule 8): officers of agency A (one with a valid certificate, one whose
certificate expired), a legal reviewer, an agency head and a publisher of A, an officer of agency
B, a supervisor of the city that holds both, the system administrator, and the anonymous visitor.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from stdnum.cn import ric, uscc

# The browser tests drive Debian's Chromium (never a downloaded one), headless, with nothing
# that would reach the network.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from zhifa.registry.models import Account, Agency, Domain, Officer

PASSWORD = "zhifa-test-pass"  # noqa: S105 - test personas only


def credit_code(serial: int, *, prefix: str = "11", division: str = "130302") -> str:
    """A valid 统一社会信用代码 (GB 32100) for the serial number; 11 = 机关."""
    body = f"{prefix}{division}{serial:09d}"
    return body + uscc.calc_check_digit(body)


def id_number(serial: int, *, division: str = "130302", born: date = date(1985, 6, 15)) -> str:
    """A valid 18-digit 居民身份证号码 (GB 11643) for the serial number."""
    body = f"{division}{born:%Y%m%d}{serial % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


@dataclass
class Personas:
    domain: Domain
    other_domain: Domain
    agency_a: Agency
    agency_b: Agency
    admin: Account
    officer: Account  # agency A, valid certificate in 市场监管
    officer2: Account  # agency A, valid certificate in 市场监管 (the second acting officer)
    expired_officer: Account  # agency A, certificate expired 2026-06-30
    reviewer: Account  # agency A, in its legal-review body, has 法律职业资格
    head: Account  # agency A
    publisher: Account  # agency A
    officer_b: Account  # agency B
    supervisor: Account  # 示范市 司法局: sees A and B
    anonymous: AnonymousUser

    @property
    def officer_record(self) -> Officer:
        assert self.officer.officer is not None
        return self.officer.officer


def make_personas() -> Personas:
    """Create the personas in the database (call inside a test with DB access)."""
    from zhifa.registry import services
    from zhifa.registry.models import Account, Agency, Certificate, Domain, TrainingRecord

    admin = services.account_create(
        actor=None,
        username="admin",
        password=PASSWORD,
        role=Account.Role.ADMIN,
        display_name="系统管理员",
    )
    market, _ = Domain.objects.get_or_create(code="market", defaults={"name": "市场监管"})
    env, _ = Domain.objects.get_or_create(code="environment", defaults={"name": "生态环境"})
    agency_a = services.agency_create(
        actor=admin,
        name="示范市甲区市场监督管理局",
        credit_code=credit_code(1),
        level=Agency.Level.COUNTY,
        division_code="130302",
        kind=Agency.Kind.STATUTORY,
        domains=[market],
        qualification_announced_on=date(2024, 3, 1),
    )
    agency_b = services.agency_create(
        actor=admin,
        name="示范市乙区生态环境分局",
        credit_code=credit_code(2, division="130303"),
        level=Agency.Level.COUNTY,
        division_code="130303",
        kind=Agency.Kind.STATUTORY,
        domains=[env],
    )
    services.review_body_set(actor=admin, agency=agency_a, name="甲区市场监管局法制审核科")
    trainings: list[TrainingRecord] = []

    def person(
        n: int,
        name: str,
        agency: Agency,
        role: str,
        domain: Domain,
        expires: date = date(2029, 12, 31),
        legal: bool = False,
    ) -> Account:
        officer = services.officer_create(
            actor=admin,
            agency=agency,
            name=name,
            id_number=id_number(n),
            phone=f"1380013{n:04d}",
            has_legal_qualification=legal,
        )
        services.certificate_register(
            actor=admin,
            officer=officer,
            number=f"13030{n:07d}",
            kind="enforcement",
            domains=[domain],
            region_code=agency.division_code,
            status=Certificate.Status.VALID,
            issued_on=date(2023, 1, 1),
            expires_on=expires,
            reason="导入",
            effective_on=date(2023, 1, 1),
        )
        for year in (2024, 2025, 2026):
            for kind in ("legal", "professional"):
                trainings.append(
                    TrainingRecord.objects.create(
                        officer=officer, year=year, kind=kind, hours=Decimal(30)
                    )
                )
        return services.account_create(
            actor=admin,
            username=f"p{n}",
            password=PASSWORD,
            role=role,
            agency=agency,
            officer=officer,
        )

    reviewer = person(4, "赵审核", agency_a, Account.Role.REVIEWER, market, legal=True)
    assert reviewer.officer is not None
    services.review_staff_assign(actor=admin, officer=reviewer.officer)
    personas = Personas(
        domain=market,
        other_domain=env,
        agency_a=agency_a,
        agency_b=agency_b,
        admin=admin,
        officer=person(1, "张执法", agency_a, Account.Role.OFFICER, market),
        officer2=person(2, "李执法", agency_a, Account.Role.OFFICER, market),
        expired_officer=person(
            3, "王过期", agency_a, Account.Role.OFFICER, market, expires=date(2026, 6, 30)
        ),
        reviewer=reviewer,
        head=person(5, "钱局长", agency_a, Account.Role.HEAD, market),
        publisher=services.account_create(
            actor=admin,
            username="publisher",
            password=PASSWORD,
            role=Account.Role.PUBLISHER,
            agency=agency_a,
            display_name="孙公示",
        ),
        officer_b=person(6, "周乙区", agency_b, Account.Role.OFFICER, env),
        supervisor=services.account_create(
            actor=admin,
            username="supervisor",
            password=PASSWORD,
            role=Account.Role.SUPERVISOR,
            region_code="130300",
            display_name="吴监督",
        ),
        anonymous=AnonymousUser(),
    )
    # The training hours are written in bulk, as a data load would: one entry records them.
    services.rows_load_record(actor=None, load="personas", rows=trainings)
    return personas


# The CSRF token a page carries (the body's hx-headers, a form's hidden field) is masked anew on
# every response: two answers that must be alike are compared without it.
CSRF_TOKEN = re.compile(
    r"(?<=\"X-CSRFToken\": \")[A-Za-z0-9]+|(?<=name=\"csrfmiddlewaretoken\" value=\")[A-Za-z0-9]+"
)


def without_csrf(page: str) -> str:
    """``page`` with its CSRF tokens replaced by ``{csrf}``."""
    return CSRF_TOKEN.sub("{csrf}", page)


# -- browser tests ---------------------------------------------------------------------------


def desktop_page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh context of its own (its own cookies: one person logged in), Chinese
    locale, a desktop window, downloads kept; closed after the test (``yield from`` it in a
    fixture)."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@contextmanager
def server_frozen_at(settings: Any, tmp_path: Path, now: datetime) -> Iterator[None]:
    """The live server's clock at ``now`` (ticking), its evidence in ``tmp_path``. The browser's
    clock is not frozen: cookies must not carry an expiry date it would judge by its own clock."""
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    import time_machine  # a test dependency: imported only by the tests that use it

    with time_machine.travel(now, tick=True):
        yield
