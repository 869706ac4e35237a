"""A schema-driven fuzz of the whole JSON API, run by ``make test``.

Schemathesis reads the API's own OpenAPI schema (/api/v1/openapi.json) and calls every
operation in-process through the WSGI application (no network), with requests it generates
from the schema — valid ones and invalid ones (wrong types, missing fields, out-of-range
numbers, strings where dates belong, methods a path does not take) — as an officer of agency
A holding a token, and anonymously, on a small world: the personas and a few cases in
different states. Every answer must be what the schema promises: never a 5xx, a status code
the operation documents, a JSON body (of the documented content type) that conforms to the
documented schema, and an invalid request refused.

Bounded and deterministic: a fixed seed, ``derandomize``, no example database, a fixed number
of examples per operation (the coverage phase's boundary and wrong-type cases, plus ten
generated requests per operation for the officer and six for the anonymous caller), the
clock frozen: about 4,400 requests, the same ones on SQLite and on PostgreSQL, in under a
minute of CPU on either (it runs in both passes of ``make test``: PostgreSQL refuses some
values SQLite takes, such as NUL characters in text).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import schemathesis
import time_machine
from django.conf import settings as django_settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings

from config.api import api
from zhifa.cases import services
from zhifa.cases.models import Case, CaseOfficer, CaseStep
from zhifa.cases.numbering import agency_short_name_set
from zhifa.cases.tests.conftest import (
    INSPECTION_CODE,
    PENALTY_CODE,
    SEIZURE_CODE,
    World,
    _publish,
    entered_on,
)
from zhifa.core.api_types import MAX_ID
from zhifa.core.testing import make_personas
from zhifa.record.models import Entry
from zhifa.registry import services as registry
from zhifa.registry.models import Agency, Certificate, Officer, PowerItem

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 5, 6, 10, tzinfo=SH)  # after every step of the world's cases
SEED = 20261205
EXAMPLES = 10  # generated (fuzzing-phase) requests per operation, for the officer

CHECKS = {
    "not_a_server_error": {"enabled": True},
    "status_code_conformance": {"enabled": True},
    "content_type_conformance": {"enabled": True},
    "response_schema_conformance": {"enabled": True},
    "response_headers_conformance": {"enabled": True},
    "negative_data_rejection": {"enabled": True},
    # A valid body may still be refused by a rule (409) or by what a schema cannot say (an
    # officer of another agency: 422); that is not a violation of the schema.
    "positive_data_acceptance": {"enabled": False},
    "use_after_free": {"enabled": False},
    "ensure_resource_availability": {"enabled": False},
}


def _config(*, examples: int, coverage: bool) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {
                "mode": "all",
                "deterministic": True,
                "max-examples": examples,
                # The caller's credentials are the test's (a token, or none), never generated.
                "with-security-parameters": False,
            },
            "phases": {
                "examples": {"enabled": False},
                "coverage": {"enabled": coverage},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": False},
            },
            "checks": CHECKS,
            "operations": [
                {
                    # A multipart form carries text only: a number or null where the schema
                    # says string arrives as the text "19962" or "null", which is text the
                    # upload may take (a place named "null"). Malformed times are refused (422).
                    "include-path": "/api/v1/cases/{case_id}/evidence",
                    "checks": {"negative_data_rejection": {"enabled": False}},
                }
            ],
        }
    )


# Requests made, by caller and phase, and the statuses answered: the figures the test reports.
made: Counter[str] = Counter()
answered: Counter[int] = Counter()


def _world() -> World:
    p = make_personas()
    agency_short_name_set(actor=p.admin, agency=p.agency_a, short_name="示范市监")
    world = World(
        p=p,
        penalty_item=_publish(p, PENALTY_CODE, "对经营超过保质期食品的行政处罚", "penalty"),
        inspection_item=_publish(p, INSPECTION_CODE, "食品经营日常监督检查", "inspection"),
        seizure_item=_publish(p, SEIZURE_CODE, "查封扣押不符合食品安全标准的食品", "coercion"),
    )
    world.clue()  # 线索登记
    world.registered()  # 立案
    world.decided(fine=Decimal(2000))  # 作出处罚决定
    with entered_on(date(2026, 4, 20)):
        services.case_open(
            actor=p.officer,
            kind=Case.Kind.INSPECTION,
            power_code=INSPECTION_CODE,
            title="食品经营日常检查",
            on=date(2026, 4, 20),
            officers=[(world.o1, CaseOfficer.Role.LEAD), (world.o2, CaseOfficer.Role.ASSISTANT)],
        )
        seizure = services.case_open(
            actor=p.officer,
            kind=Case.Kind.SEIZURE,
            power_code=SEIZURE_CODE,
            title="扣押过期食品",
            on=date(2026, 4, 20),
        )
        services.case_seizure_approve(
            actor=p.head, case=seizure, at=datetime(2026, 4, 20, 9, tzinfo=SH)
        )
    assert CaseStep.objects.exists()
    world_ids.update(
        case_id=list(Case.objects.values_list("pk", flat=True)),
        officer_id=list(Officer.objects.values_list("pk", flat=True)),
        agency_id=list(Agency.objects.values_list("pk", flat=True)),
        certificate_id=list(Certificate.objects.values_list("pk", flat=True)),
        item_id=list(PowerItem.objects.values_list("pk", flat=True)),
        seq=list(Entry.objects.values_list("seq", flat=True)),
    )
    return world


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The world, built once for the module inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = _world()
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def officer_token(fuzz_world: World, db: None) -> dict[str, str]:
    _, raw = registry.api_token_issue(actor=fuzz_world.p.officer, name="fuzz")
    return {"Authorization": f"Bearer {raw}"}


# The schema as the API generates it (no request, no database); requests go to the WSGI app.
# The officer's run adds the coverage phase (boundary values of every parameter, every type a
# field must not have, methods a path does not take); the anonymous caller is refused (401)
# before a body is read, except on the public operations, so a few examples suffice.
OPENAPI = api.get_openapi_schema()
officer_schema = schemathesis.openapi.from_dict(
    OPENAPI, config=_config(examples=EXAMPLES, coverage=True)
)
anonymous_schema = schemathesis.openapi.from_dict(
    OPENAPI, config=_config(examples=6, coverage=False)
)
officer_schema.app = anonymous_schema.app = get_wsgi_application()

# Ids of the world's rows, by path parameter: most generated ids are turned into one of them, so
# that requests reach the gates, the forms and the services rather than stopping at 404.
world_ids: dict[str, list[int]] = {}


@officer_schema.hook
def map_path_parameters(context: Any, path_parameters: dict[str, Any]) -> dict[str, Any]:
    for name, value in (path_parameters or {}).items():
        ids, text = world_ids.get(name), str(value)
        # Only ids the schema accepts, so a request meant to be invalid stays invalid.
        valid = ids and not isinstance(value, bool) and text.isdigit() and 1 <= int(text) <= MAX_ID
        if valid and int(text) % 5:  # one in five stays as generated (mostly: not found)
            path_parameters[name] = ids[int(text) % len(ids)]
    return path_parameters


@pytest.fixture(autouse=True)
def no_guessing_throttle() -> Iterator[None]:
    """The coverage phase sends many requests without a valid token; past the guessing limit
    every request from the address, the officer's too, would be 429 (documented, and tested in
    registry's tests) and reach nothing else."""
    throttles = {
        **django_settings.ZHIFA_THROTTLES,
        "api.token_failure": {"limit": 1_000_000, "minutes": 10},
    }
    with override_settings(ZHIFA_THROTTLES=throttles):
        yield


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def one_connection() -> Iterator[None]:
    """Requests go to the WSGI handler itself, which closes the database connection after each
    one; keep it, and the test's transaction, open, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


FUZZ_SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


@officer_schema.parametrize()
@FUZZ_SETTINGS
def test_an_officer_with_a_token_gets_what_the_schema_says(
    case: schemathesis.Case, officer_token: dict[str, str], fuzz_world: World
) -> None:
    made[f"officer {case.meta.phase.name if case.meta else '-'}"] += 1
    answered[case.call_and_validate(headers=officer_token).status_code] += 1


@anonymous_schema.parametrize()
@FUZZ_SETTINGS
def test_an_anonymous_caller_gets_what_the_schema_says(
    case: schemathesis.Case, fuzz_world: World, db: None
) -> None:
    made[f"anonymous {case.meta.phase.name if case.meta else '-'}"] += 1
    answered[case.call_and_validate().status_code] += 1


# Marked as using the database so that the PostgreSQL pass (which runs only such tests) keeps
# this summary of the fuzz tests above.
@pytest.mark.django_db
def test_the_fuzz_made_a_few_thousand_requests_and_got_no_server_error() -> None:
    """Runs after the fuzz (same module, defined after it): the fuzz did not silently shrink,
    and reached past the gates (rule refusals, steps done) rather than stopping at 404."""
    print(f"\nAPI fuzz: {sum(made.values())} requests {dict(made)}; answers {dict(answered)}")
    assert not [status for status in answered if status >= 500]
    if os.environ.get("ZHIFA_TEST_SHARE"):
        # make test shares the operations between its two passes (zhifa/conftest.py): each
        # pass fuzzed about half of them
        assert sum(made.values()) >= 1000 and answered[200] and answered[422]
        return
    assert sum(made.values()) >= 3000
    assert {"officer coverage", "officer fuzzing", "anonymous fuzzing"} <= set(made)
    assert answered[200] and answered[409] and answered[422] and answered[401]
