"""The access matrix: every URL pattern and every API operation × every persona, on objects of two
agencies (issue 10).

``TABLE`` has one entry per URL pattern — the route with its prefix, as ``get_resolver()`` spells
it (``cases/<int:pk>/evidence/<str:sha256>/``) — and one per API operation (``METHOD /api/v1/…``
as the OpenAPI schema spells it). An entry says how to fill the path parameters from one agency's
objects (``matrix_world.Ids``) and who may read it (GET) or write it (POST, or the operation's
method). Who is named relative to the agency that owns the object: ``officer`` … ``publisher``
are that agency's staff, ``outsider`` an officer of the other agency, then ``supervisor`` (the
city's, which covers both), ``admin`` (the system administrator) and ``anonymous``. The Django
admin's pages follow one rule (staff only, no 5xx), so ``ADMIN_MODELS`` only lists the models
registered with it. Adding a URL, an operation or an admin registration without an entry fails
``test_the_table_has_one_entry_per_url_and_operation``, naming it; so does an entry left behind.

For each entry × persona × method, on agency A's object and on agency B's:

- never a 5xx;
- anonymous is sent to the login (pages) or gets 401 (API), unless the entry is public;
- whoever the entry allows gets a non-error answer (GET: below 400; a write with an empty or
  minimal body: anything but 401/403/404/405 and 5xx — past the gate);
- anyone else is refused with 403/404/405 and nothing is recorded (the record log's size is
  unchanged); someone who may not even know the object exists (outside ``sees``: the other
  agency's officer, an agency's staff for the other agency's object, a non-publisher on the
  publisher's pages) gets exactly what an id that exists nowhere gets — same status, same body
  apart from the URL — so existence leaks nowhere;
- no response to anyone outside agency A carries its party's 身份证号码, phone or address, none to
  anyone outside agency B its party's, none to the other agency's officer or the anonymous visitor
  the word only A's case carries, and none to anyone but the administrator an officer's full ID
  number or phone (registry.personal_data).

A second check puts the other agency's file or document inside one's own case URL
(``cases/<own case>/evidence/<their hash>/``): it must read exactly as a hash that exists nowhere.

The world is built once for the module (``matrix_world.world_build``) in a transaction rolled back
at the end; each check runs in its own savepoint, every request with no cookie but its persona's.

Adding a URL is one line in ``TABLE``, next to its neighbours — for instance

    "cases/<int:pk>/notes/": page(lambda o: {"pk": o.case}, read=SCOPE),
    "cases/<int:pk>/notes/add/": post_only(lambda o: {"pk": o.case}, write=HANDLERS),
    "POST /api/v1/cases/{case_id}/notes": api_write(lambda o: {"case_id": o.case},
                                                    write=HANDLERS, body=dict),
    "public/notes/": public(),

(``page`` serves API reads too; ``sees`` narrows who may learn that the object exists, as on the
publisher's pages). A new kind of object is a field of ``matrix_world.Ids`` (with its id in
``MISSING``) that ``world_build`` fills for agency A, and for B when it has one (else None).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from pydantic import BaseModel

from config.api import api as ninja_api
from zhifa.cases.action_schemas import STEP_SCHEMAS
from zhifa.cases.forms import is_approval
from zhifa.cases.models import Case
from zhifa.core.testing import without_csrf
from zhifa.licensing.api import STEP_SCHEMAS as LICENSING_STEP_SCHEMAS
from zhifa.record.models import Entry
from zhifa.registry.models import Account, Officer
from zhifa.registry.services import account_create, api_token_issue

from .matrix_world import (
    A_MARKER,
    COMPLAINANT,
    MISSING,
    NOW,
    PARTY,
    PARTY_B,
    PENALTY,
    Ids,
    World,
    world_build,
)

pytestmark = pytest.mark.django_db

# -- who -------------------------------------------------------------------------------------

PERSONAS = (
    "anonymous",
    "officer",
    "officer2",
    "expired_officer",
    "reviewer",
    "head",
    "publisher",
    "officer_b",
    "supervisor",
    "admin",
    "monitor",  # 行政执法监督员: region 130300, no agency, not appointed (nothing but its pages)
)
A_STAFF = frozenset({"officer", "officer2", "expired_officer", "reviewer", "head", "publisher"})

Who = frozenset[str]
HANDLERS: Who = frozenset({"officer", "officer2", "expired_officer", "head"})  # take case steps
STAFF: Who = HANDLERS | {"reviewer", "publisher"}  # the owning agency
SCOPE: Who = STAFF | {"supervisor", "admin"}  # who sees the agency's objects
LOGGED_IN: Who = SCOPE | {"outsider", "monitor"}
EVERYONE: Who = LOGGED_IN | {"anonymous"}
PUBLICITY: Who = frozenset({"publisher", "supervisor", "admin"})  # the publisher's pages
NOBODY: Who = frozenset()
SUPERVISOR: Who = frozenset({"supervisor"})
# A complaint: the region's supervisor, the administrator, and the head of the agency it is about
# once accepted (B's complaint is not yet: B has no head persona anyway).
COMPLAINT_READERS: Who = frozenset({"supervisor", "admin", "head"})
MONITOR: Who = frozenset({"monitor"})
MATTER: Who = frozenset({"supervisor", "head"})  # a supervision matter's two sides
SUPERVISORS: Who = frozenset({"supervisor", "admin"})  # the supervisor's dashboard
WARNING_READERS: Who = frozenset({"head", "supervisor", "admin"})  # early warnings (alerts)
STAT_PREPARERS: Who = frozenset({"head", "publisher"})  # prepare the statistics filings
CHECK_READERS: Who = frozenset({"head", "supervisor"})  # 系统预评 (evaluation, issue 15)


# issue 14, directory part
DIRECTORY: Who = SCOPE | {"outsider"}  # the directory and a joint inspection of A and B
ADMINS: Who = frozenset({"admin"})  # directory writes
CONFLICT_KEEPERS: Who = frozenset({"head", "admin"})  # 回避
PLANNERS: Who = HANDLERS | {"admin", "outsider"}  # prepare their agency's plans
PLAN_DECIDERS: Who = frozenset({"head", "admin"})  # approve, publish, withdraw
JOINT_DECIDERS: Who = frozenset({"head", "supervisor"})  # merge or not


def relation(persona: str, owner: str) -> str:
    """Who ``persona`` is to agency ``owner`` ("a" or "b"): its role name inside that agency,
    ``outsider`` for an officer of the other agency; supervisor, admin, anonymous as they are."""
    if persona in ("anonymous", "supervisor", "admin", "monitor"):
        return persona
    if owner == "a":
        return persona if persona in A_STAFF else "outsider"
    return "officer" if persona == "officer_b" else "outsider"


# -- the table ---------------------------------------------------------------------------------

Params = dict[str, object]
Fill = Callable[[Ids], Params]
Query = Callable[[Account | None, Params], str]


def no_params(o: Ids) -> Params:
    return {}


@dataclass(frozen=True)
class Rule:
    fill: Fill = no_params  # path parameters from one agency's objects (a None value: it has none)
    read: Who = NOBODY  # who gets a non-error answer to GET (NOBODY: GET is not allowed)
    # A write endpoint (POST, or the operation's method): who passes — or, where that depends on
    # the object (a case step is the head's approval in some stages), who passes for it.
    write: Who | Callable[[Ids], Who] | None = None
    sees: Who = SCOPE  # who may learn that the object exists; anyone else: as for a missing id
    public: bool = False  # anonymous is not sent to the login
    body: Callable[[], dict[str, Any]] | None = None  # a write's minimal body (default empty)
    query: Query | None = None  # a query string the request needs, for the persona
    admin: bool = False  # a Django admin page: the one admin rule


def page(fill: Fill = no_params, *, read: Who, post: Who | None = None, **kw: Any) -> Rule:
    return Rule(fill, read=read, write=post, **kw)


def post_only(fill: Fill = no_params, *, write: Who, **kw: Any) -> Rule:
    """A view that only takes POST: GET is 405 for everyone logged in."""
    return Rule(fill, read=NOBODY, write=write, **kw)


def public(fill: Fill = no_params, *, post: Who | None = None, read: Who = EVERYONE) -> Rule:
    return Rule(fill, read=read, write=post, sees=EVERYONE, public=True)


def api_write(
    fill: Fill = no_params,
    *,
    write: Who | Callable[[Ids], Who],
    body: Callable[[], dict[str, Any]],
) -> Rule:
    return Rule(fill, write=write, body=body)


def admin_page(fill: Fill = no_params) -> Rule:
    return Rule(fill, admin=True)


def grant(account: Account | None, params: Params) -> str:
    """The signed grant ``case_media_play`` hands out, made for this persona and URL."""
    if account is None:
        return ""
    value = {"a": account.pk, "c": params["pk"], "s": params["sha256"], "e": 1}
    return "grant=" + signing.dumps(value, salt="zhifa.cases.av-view")


def case_opening() -> dict[str, Any]:
    return {"kind": "penalty_general", "power_code": PENALTY, "title": "矩阵测试"}


def status_change() -> dict[str, Any]:
    return {"to_status": "suspended", "reason": "矩阵测试", "effective_on": NOW.date().isoformat()}


def upload() -> dict[str, Any]:
    return {"file": SimpleUploadedFile("a.txt", b"matrix", content_type="text/plain")}


def eval_template_body() -> dict[str, Any]:
    """A scoring template's fields (issue 15): one section, one item."""
    item = {
        "code": "A1",
        "text": "矩阵",
        "max_points": "100",
        "rule": {"kind": "fixed", "points": "1"},
    }
    return {
        "key": "MATRIX",
        "name": "矩阵测试",
        "issuer": "矩阵",
        "applies_to": "penalty_general",
        "valid_from": "2026-01-01",
        "content": {
            "sections": [{"code": "A", "name": "矩阵", "max_points": "100", "items": [item]}]
        },
    }


def filing_review() -> dict[str, Any]:
    return {"outcome": "registered"}


def filing_close() -> dict[str, Any]:
    return {"proceeding": "litigation", "body": "示范市中级人民法院", "accepted_on": "2026-04-09"}


SUPERVISOR: Who = frozenset({"supervisor"})  # the body a filing is addressed to
# issue 15, campaigns part: A's self-evaluation — its head leads, the reviewer and the publisher
# score; the region's supervisor sees it too
EVAL_TEAM: Who = frozenset({"head", "reviewer", "publisher", "supervisor"})
EVAL_REVIEWERS: Who = frozenset({"reviewer", "publisher"})

TABLE: dict[str, Rule] = {
    # -- operations and the API's own pages
    "healthz": public(),
    "api/v1/": public(read=NOBODY),
    "api/v1/openapi.json": public(),
    "api/v1/docs": public(),
    "^api/": public(read=NOBODY),  # any other path under /api/: a JSON 404
    "GET /api/v1/domains": page(read=LOGGED_IN),
    "GET /api/v1/agencies": page(read=LOGGED_IN),
    "GET /api/v1/agencies/{agency_id}": page(lambda o: {"agency_id": o.agency}, read=SCOPE),
    "GET /api/v1/officers": page(read=LOGGED_IN),
    "GET /api/v1/officers/{officer_id}": page(lambda o: {"officer_id": o.officer}, read=SCOPE),
    "GET /api/v1/officers/{officer_id}/eligibility": page(
        lambda o: {"officer_id": o.officer}, read=SCOPE, query=lambda a, p: "domain=market"
    ),
    "GET /api/v1/certificates/{certificate_id}": page(
        lambda o: {"certificate_id": o.certificate}, read=SCOPE
    ),
    "POST /api/v1/certificates/{certificate_id}/status": api_write(
        lambda o: {"certificate_id": o.certificate}, write=frozenset({"admin"}), body=status_change
    ),
    "GET /api/v1/power-items": page(read=LOGGED_IN),
    "GET /api/v1/power-items/{item_id}": page(lambda o: {"item_id": o.power_item}, read=SCOPE),
    "GET /api/v1/record/public-key": public(),
    "GET /api/v1/record/heads/latest": public(),
    "GET /api/v1/record/entries/{seq}/proof": page(
        lambda o: {"seq": o.entry}, read=LOGGED_IN, sees=LOGGED_IN
    ),
    "GET /api/v1/record/consistency": Rule(
        read=EVERYONE, sees=EVERYONE, public=True, query=lambda a, p: "old=1&new=2"
    ),
    "GET /api/v1/cases/": page(read=LOGGED_IN),
    "GET /api/v1/supervision/matters": page(read=LOGGED_IN),
    "POST /api/v1/supervision/matters": api_write(
        write=SUPERVISOR,
        body=lambda: {"agency_id": 1, "origin": "media", "title": "矩阵测试", "summary": "矩阵"},
    ),
    "GET /api/v1/supervision/matters/{matter_id}": page(
        lambda o: {"matter_id": o.matter}, read=SUPERVISOR, sees=SUPERVISOR
    ),
    **{
        f"POST /api/v1/supervision/matters/{{matter_id}}/{what}": api_write(
            lambda o: {"matter_id": o.matter}, write=SUPERVISOR, body=body
        )
        for what, body in (
            ("accept", dict),
            ("refuse", lambda: {"reason": "矩阵测试"}),
            ("explanation-requests", lambda: {"text": "矩阵测试"}),
            (
                "documents",
                lambda: {"kind": "notice", "findings": "矩阵测试", "requirement": "矩阵测试"},
            ),
            ("terminate", lambda: {"reason": "矩阵测试"}),
            ("close", lambda: {"reason": "矩阵测试"}),
        )
    },
    "POST /api/v1/supervision/objections/{objection_id}/answer": api_write(
        lambda o: {"objection_id": o.matter_objection},
        write=SUPERVISOR,
        body=lambda: {"upheld": False, "answer": "矩阵测试"},
    ),
    "POST /api/v1/supervision/documents/{document_id}/check": api_write(
        lambda o: {"document_id": o.matter_document},
        write=SUPERVISOR,
        body=lambda: {"accepted": True, "note": "矩阵测试"},
    ),
    "GET /api/v1/supervision/inbox/{matter_id}": page(
        lambda o: {"matter_id": o.matter}, read=frozenset({"head"}), sees=frozenset({"head"})
    ),
    "POST /api/v1/supervision/inbox/requests/{step_id}/answer": api_write(
        lambda o: {"step_id": o.matter_request},
        write=frozenset({"head"}),
        body=lambda: {"text": "矩阵测试"},
    ),
    "POST /api/v1/supervision/inbox/documents/{document_id}/objection": api_write(
        lambda o: {"document_id": o.matter_document},
        write=frozenset({"head"}),
        body=lambda: {"reasons": "矩阵测试"},
    ),
    "POST /api/v1/supervision/inbox/documents/{document_id}/report": api_write(
        lambda o: {"document_id": o.matter_document},
        write=frozenset({"head"}),
        body=lambda: {"report": "矩阵测试"},
    ),
    # -- supervision API: the workspace's other steps and the documents' files (issue 12)
    **{
        f"POST /api/v1/supervision/matters/{{matter_id}}/{what}": api_write(
            lambda o: {"matter_id": o.matter}, write=SUPERVISOR, body=body
        )
        for what, body in (
            ("transfer", lambda: {"transfer_to": "矩阵测试", "reason": "矩阵测试"}),
            ("team", lambda: {"account_id": 1}),
            ("recusals", lambda: {"account_id": 1, "reason": "矩阵测试"}),
            ("case-file-reads", lambda: {"case_id": 1}),
            (
                "measures",
                lambda: {
                    "kind": "note",
                    "text": "矩阵测试",
                    "supervisor_ids": "1",
                    "attachments": SimpleUploadedFile(
                        "a.txt", b"matrix", content_type="text/plain"
                    ),
                },
            ),
        )
    },
    "POST /api/v1/supervision/documents/{document_id}/outcome": api_write(
        lambda o: {"document_id": o.matter_document},
        write=SUPERVISOR,
        body=lambda: {"outcome": "矩阵测试"},
    ),
    "GET /api/v1/supervision/documents/{document_id}/files/{fmt}": page(
        lambda o: {"document_id": o.matter_document, "fmt": "pdf"}, read=MATTER, sees=MATTER
    ),
    # -- objections routed upward, escalations, results published --
    "GET /api/v1/supervision/objections/to-answer": page(read=LOGGED_IN),
    "GET /api/v1/supervision/escalations": page(read=LOGGED_IN),
    "POST /api/v1/supervision/documents/{document_id}/publish": api_write(
        lambda o: {"document_id": o.matter_document}, write=SUPERVISOR, body=dict
    ),
    # -- the supervisor's lookup of the region's bodies (suspended ones too) --
    "GET /api/v1/supervision/agencies": page(
        read=SUPERVISOR, sees=LOGGED_IN, query=lambda a, p: "q=%E5%B8%82"
    ),
    # -- the agency's head adds files to its answer, objection or report --
    "POST /api/v1/supervision/inbox/{matter_id}/attachments": api_write(
        lambda o: {"matter_id": o.matter},
        write=frozenset({"head"}),
        body=lambda: {
            "to": "objection",
            "id": "1",
            "attachments": SimpleUploadedFile("a.txt", b"matrix", content_type="text/plain"),
        },
    ),
    "POST /api/v1/cases/": api_write(write=STAFF | {"outsider"}, body=case_opening),
    "GET /api/v1/cases/{case_id}": page(lambda o: {"case_id": o.case}, read=SCOPE),
    "GET /api/v1/cases/{case_id}/entries": page(lambda o: {"case_id": o.case}, read=SCOPE),
    "POST /api/v1/cases/{case_id}/evidence": api_write(
        lambda o: {"case_id": o.case}, write=HANDLERS, body=upload
    ),
    "GET /api/v1/public/decisions": public(),
    "GET /api/v1/statistics/public/{year}/agencies/{agency_id}": public(
        lambda o: {"year": 2026, "agency_id": o.agency}
    ),
    "GET /api/v1/statistics/public/{year}/regions/{code}": public(
        lambda o: {"year": 2026, "code": "130300"}
    ),
    "GET /api/v1/public/agencies": Rule(
        read=EVERYONE, sees=EVERYONE, public=True, query=lambda a, p: "q=%E5%B8%82"
    ),
    "GET /api/v1/filings/": page(read=LOGGED_IN),
    "GET /api/v1/filings/unfiled": page(read=LOGGED_IN),
    "GET /api/v1/filings/agencies": page(read=LOGGED_IN),  # the list's agency search
    "GET /api/v1/filings/{filing_id}": page(lambda o: {"filing_id": o.filing}, read=SCOPE),
    "POST /api/v1/filings/cases/{case_id}/submit": api_write(
        lambda o: {"case_id": o.case}, write=HANDLERS, body=dict
    ),
    "POST /api/v1/filings/{filing_id}/review": api_write(
        lambda o: {"filing_id": o.filing}, write=SUPERVISOR, body=filing_review
    ),
    "POST /api/v1/filings/{filing_id}/close": api_write(
        lambda o: {"filing_id": o.filing}, write=SUPERVISOR, body=filing_close
    ),
    # -- registry: import and export
    "registry/transfer/": page(read=LOGGED_IN),
    "registry/transfer/template/<slug:kind>/<slug:fmt>/": page(
        lambda o: {"kind": "officers", "fmt": "csv"}, read=LOGGED_IN
    ),
    "registry/transfer/export/<slug:kind>/<slug:fmt>/": page(
        lambda o: {"kind": "officers", "fmt": "csv"}, read=LOGGED_IN
    ),
    "registry/transfer/import/": post_only(write=frozenset({"admin"})),
    # -- registry: 裁量基准 entries (issue 13)
    "registry/discretion/": page(read=LOGGED_IN),
    "registry/discretion/new/": page(read=frozenset({"admin"}), post=frozenset({"admin"})),
    # -- issue 16: statistics filings (季报/年报)
    "statistics/filings/": page(read=LOGGED_IN),
    "statistics/filings/generate/": post_only(write=STAT_PREPARERS),
    "statistics/filings/file/": page(read=STAT_PREPARERS, post=STAT_PREPARERS),
    "statistics/filings/template.xlsx": page(read=STAT_PREPARERS),
    "statistics/filings/coverage/": page(read=SUPERVISOR),
    "statistics/filings/<int:pk>/": page(lambda o: {"pk": o.stat_filing}, read=SCOPE),
    "statistics/filings/<int:pk>/json/": page(lambda o: {"pk": o.stat_filing}, read=SCOPE),
    "statistics/filings/<int:pk>/cases/<str:indicator>/": page(
        lambda o: {"pk": o.stat_filing, "indicator": "penalty.total"}, read=SCOPE
    ),
    "statistics/filings/<int:pk>/<slug:action>/": post_only(
        lambda o: {"pk": o.stat_filing, "action": "narrative"}, write=SCOPE
    ),
    "GET /api/v1/statistics/filings": page(read=LOGGED_IN),
    "GET /api/v1/statistics/coverage": page(read=SUPERVISOR),
    "GET /api/v1/statistics/filings/{filing_id}": page(
        lambda o: {"filing_id": o.stat_filing}, read=SCOPE
    ),
    "GET /api/v1/statistics/filings/{filing_id}/differences": page(
        lambda o: {"filing_id": o.stat_filing}, read=SCOPE
    ),
    "GET /api/v1/statistics/filings/{filing_id}/cases/{indicator}": page(
        lambda o: {"filing_id": o.stat_filing, "indicator": "penalty.total"}, read=SCOPE
    ),
    "POST /api/v1/statistics/filings": api_write(
        write=STAT_PREPARERS, body=lambda: {"year": 2026, "quarter": 1}
    ),
    "POST /api/v1/statistics/filed-figures": api_write(
        write=STAT_PREPARERS, body=lambda: {"year": 2026, "quarter": 2, "figures": {}}
    ),
    **{
        f"POST /api/v1/statistics/filings/{{filing_id}}/{what}": api_write(
            lambda o: {"filing_id": o.stat_filing}, write=SCOPE, body=body
        )
        for what, body in (
            ("narrative", lambda: {"text": "情况说明"}),
            ("special-notes", lambda: {"table": "inspection", "text": "未发生"}),
            ("submit", dict),
            ("accept", dict),
            ("return", lambda: {"comments": "请补充"}),
        )
    },
    # -- issue 15: evaluation (案卷评查 and 效能评价)
    "evaluation/": page(read=LOGGED_IN),
    # -- issue 14: caps, quiet periods and the supervisor's inspection pages (inspections rules)
    "inspections/rules/caps/": page(read=LOGGED_IN),
    "inspections/rules/caps/new/": page(read=SUPERVISORS, post=SUPERVISORS),
    "inspections/rules/caps/end/": post_only(write=SUPERVISORS),
    "inspections/rules/quiet-periods/": page(read=LOGGED_IN),
    "inspections/rules/quiet-periods/new/": page(read=SUPERVISORS, post=SUPERVISORS),
    "inspections/rules/quiet-periods/end/": post_only(write=SUPERVISORS),
    "inspections/supervision/caps/": page(read=SUPERVISORS),
    "inspections/supervision/quiet-exceptions/": page(read=SUPERVISORS),
    "inspections/supervision/warnings/": page(read=SUPERVISORS),
    # -- registry: login lockouts (the system administrator's; 404 to anyone else)
    "registry/logins/": page(read=frozenset({"admin"}), sees=frozenset({"admin"})),
    "registry/logins/unlock/": post_only(write=frozenset({"admin"}), sees=frozenset({"admin"})),
    # -- cases
    "cases/": page(read=LOGGED_IN),
    "cases/new/": page(read=HANDLERS | {"outsider"}, post=HANDLERS | {"outsider"}),
    "cases/simple/new/": page(read=HANDLERS | {"outsider"}, post=HANDLERS | {"outsider"}),
    "cases/approvals/": page(read=LOGGED_IN),
    "filings/": page(read=LOGGED_IN),
    "filings/<int:pk>/": page(lambda o: {"pk": o.filing}, read=SCOPE),
    "filings/<int:pk>/review/": post_only(lambda o: {"pk": o.filing}, write=SUPERVISOR),
    "filings/<int:pk>/close/": post_only(lambda o: {"pk": o.filing}, write=SUPERVISOR),
    "filings/<int:pk>/documents/<int:doc_id>/<str:fmt>/": page(
        lambda o: {"pk": o.filing, "doc_id": o.filing_document, "fmt": "pdf"}, read=SCOPE
    ),
    "filings/case/<int:pk>/submit/": post_only(lambda o: {"pk": o.case}, write=HANDLERS),
    "cases/approvals/case/<int:pk>/request/": post_only(lambda o: {"pk": o.case}, write=HANDLERS),
    "cases/approvals/case/<int:pk>/return/": post_only(
        lambda o: {"pk": o.case}, write=frozenset({"head"})
    ),
    "cases/approvals/case/<int:pk>/withdraw/": post_only(lambda o: {"pk": o.case}, write=HANDLERS),
    # -- issue 13: the 裁量基准 applied to a case (discretion)
    # -- issue 14, directory part: the 检查对象名录库 (shared by the deployment's staff, not the
    # 监督员), 回避, inspection plans, 综合查一次
    "inspections/entities/": page(read=LOGGED_IN),  # the monitor: an empty list
    "inspections/entities/new/": page(read=ADMINS, post=ADMINS),
    "inspections/entities/<int:pk>/": page(
        lambda o: {"pk": o.inspection_entity}, read=DIRECTORY, sees=DIRECTORY
    ),
    "inspections/entities/<int:pk>/edit/": page(
        lambda o: {"pk": o.inspection_entity}, read=ADMINS, post=ADMINS, sees=DIRECTORY
    ),
    "inspections/entities/<int:pk>/conflicts/": post_only(
        lambda o: {"pk": o.inspection_entity}, write=CONFLICT_KEEPERS, sees=DIRECTORY
    ),
    "inspections/entities/<int:pk>/conflicts/<int:conflict_pk>/end/": post_only(
        lambda o: {"pk": o.inspection_entity, "conflict_pk": o.conflict},
        write=CONFLICT_KEEPERS,
        sees=DIRECTORY,
    ),
    "inspections/plans/": page(read=LOGGED_IN),
    "inspections/plans/new/": page(read=PLANNERS, post=PLANNERS),
    "inspections/plans/publication/": page(read=LOGGED_IN),
    "inspections/plans/<int:pk>/": page(lambda o: {"pk": o.plan}, read=SCOPE),
    "inspections/plans/<int:pk>/approve/": post_only(lambda o: {"pk": o.plan}, write=PLAN_DECIDERS),
    "inspections/plans/<int:pk>/publish/": post_only(lambda o: {"pk": o.plan}, write=PLAN_DECIDERS),
    "inspections/plans/<int:pk>/withdraw/": post_only(
        lambda o: {"pk": o.plan}, write=PLAN_DECIDERS
    ),
    "inspections/joint/": page(read=LOGGED_IN),
    "inspections/joint/agree/": post_only(write=JOINT_DECIDERS),
    "inspections/joint/decline/": post_only(write=JOINT_DECIDERS),
    "inspections/joint/rate/": page(read=SUPERVISORS),
    "inspections/joint/<int:pk>/": page(lambda o: {"pk": o.joint}, read=DIRECTORY, sees=DIRECTORY),
    "discretion/case/<int:pk>/": page(lambda o: {"pk": o.case}, read=HANDLERS, post=HANDLERS),
    "discretion/case/<int:pk>/calculate/": post_only(lambda o: {"pk": o.case}, write=HANDLERS),
    "discretion/case/<int:pk>/approve/": post_only(
        lambda o: {"pk": o.case}, write=frozenset({"head"})
    ),
    "cases/overdue/": page(read=LOGGED_IN),
    "cases/<int:pk>/": page(lambda o: {"pk": o.case}, read=SCOPE),
    "cases/<int:pk>/actions/<str:service>/": post_only(
        lambda o: {"pk": o.case, "service": o.step}, write=HANDLERS
    ),
    "cases/<int:pk>/documents/": post_only(lambda o: {"pk": o.case}, write=STAFF),
    "cases/<int:pk>/documents/<int:doc_id>/<str:fmt>/": page(
        lambda o: {"pk": o.case, "doc_id": o.document, "fmt": "pdf"}, read=STAFF
    ),
    "cases/<int:pk>/evidence/<str:sha256>/": page(
        lambda o: {"pk": o.case, "sha256": o.photo}, read=STAFF
    ),
    "cases/<int:pk>/evidence/<str:sha256>/play/": post_only(
        lambda o: {"pk": o.case, "sha256": o.video}, write=STAFF | {"supervisor"}
    ),
    "cases/<int:pk>/evidence/<str:sha256>/stream/": page(
        lambda o: {"pk": o.case, "sha256": o.video}, read=STAFF | {"supervisor"}, query=grant
    ),
    # -- 行政许可 (issue 13)
    "licensing/new/": page(read=HANDLERS | {"outsider"}, post=HANDLERS | {"outsider"}),
    "licensing/<int:pk>/": page(lambda o: {"pk": o.licence_case}, read=SCOPE),
    "licensing/<int:pk>/steps/<str:service>/": post_only(
        lambda o: {"pk": o.licence_case, "service": "case_licence_accept"}, write=HANDLERS
    ),
    "licensing/<int:pk>/licence/<str:act>/": post_only(
        lambda o: {"pk": o.licensed_case, "act": "change"}, write=HANDLERS
    ),
    "public/licences/<str:token>/": public(lambda o: {"token": o.licence_token}),
    # 涉企行政检查 (issue 14) — the core
    "inspections/": page(read=LOGGED_IN),
    "inspections/new/": page(read=HANDLERS | {"outsider"}, post=HANDLERS | {"outsider"}),
    "inspections/<int:pk>/": page(lambda o: {"pk": o.inspection}, read=SCOPE),
    "inspections/<int:pk>/approve/": post_only(lambda o: {"pk": o.inspection}, write=HANDLERS),
    "inspections/<int:pk>/refuse/": post_only(lambda o: {"pk": o.inspection}, write=HANDLERS),
    "inspections/<int:pk>/cancel/": post_only(lambda o: {"pk": o.inspection}, write=HANDLERS),
    "inspections/<int:pk>/emergency/": post_only(lambda o: {"pk": o.inspection}, write=HANDLERS),
    "public/inspections/": public(),
    # -- 扫码入企: the code page, the enterprise's rating, officers' visits, ratings (issue 14)
    "public/inspections/code/<str:code>/": public(lambda o: {"code": o.inspection_code}),
    "public/inspections/code/<str:code>/rate/": public(
        lambda o: {"code": o.inspection_code}, post=EVERYONE, read=NOBODY
    ),
    "inspections/code/<str:code>/visit/": post_only(
        lambda o: {"code": o.inspection_code},
        write=frozenset({"officer", "officer2"}),  # the inspection's own officers
        sees=EVERYONE,  # the code page is public: a code's existence is no secret
    ),
    "inspections/ratings/": page(read=STAFF | {"outsider"}),  # aggregates of one's own agency
    "inspections/ratings/region/": page(read=SUPERVISOR),  # the answers, to the supervisor
    # -- legal review
    "review/": page(read=LOGGED_IN),
    "review/submit/<int:case_id>/": page(
        lambda o: {"case_id": o.case}, read=HANDLERS, post=HANDLERS
    ),
    "review/catalog/": page(read=LOGGED_IN, post=frozenset({"admin"})),
    "review/catalog/<int:rule_id>/retire/": post_only(
        lambda o: {"rule_id": o.catalog_rule}, write=frozenset({"admin"})
    ),
    "review/stats/": page(read=LOGGED_IN),
    "review/flag/<int:case_id>/": page(lambda o: {"case_id": o.case}, read=HANDLERS, post=HANDLERS),
    "review/transfers/<int:pk>/": page(lambda o: {"pk": o.transfer}, read=SCOPE),
    "review/transfers/<int:pk>/steps/<str:name>/": post_only(
        lambda o: {"pk": o.transfer, "name": "decide"}, write=STAFF
    ),
    "review/<int:pk>/": page(lambda o: {"pk": o.submission}, read=SCOPE),
    "review/<int:pk>/steps/<str:name>/": post_only(
        lambda o: {"pk": o.submission, "name": "resume"}, write=HANDLERS | {"reviewer"}
    ),
    "review/<int:pk>/opinion-document/": post_only(lambda o: {"pk": o.submission}, write=STAFF),
    # -- supervision matters: the body's supervisors (the city's supervisor reads, its steps are
    # refused by rule, 409); the supervised agency's head in its inbox
    "supervision/matters/": page(read=SUPERVISOR),
    "supervision/matters/new/": page(read=NOBODY, post=NOBODY),  # the persona has no 司法局
    "supervision/matters/<int:pk>/": page(
        lambda o: {"pk": o.matter}, read=SUPERVISOR, sees=SUPERVISOR
    ),
    "supervision/matters/<int:pk>/steps/<str:name>/": post_only(
        lambda o: {"pk": o.matter, "name": "matter_terminate"}, write=SUPERVISOR, sees=SUPERVISOR
    ),
    "supervision/matters/<int:pk>/files/<str:sha256>/": page(
        lambda o: {"pk": o.matter, "sha256": o.matter_file}, read=MATTER, sees=MATTER
    ),
    "supervision/documents/<int:pk>/<str:fmt>/": page(
        lambda o: {"pk": o.matter_document, "fmt": "pdf"}, read=MATTER, sees=MATTER
    ),
    "supervision/templates/": page(read=NOBODY),  # the persona has no 司法局
    "supervision/templates/<str:kind>/": page(
        lambda o: {"kind": "opinion"}, read=NOBODY, post=NOBODY
    ),
    "supervision/inbox/": page(read=frozenset({"head"})),
    "supervision/inbox/<int:pk>/": page(
        lambda o: {"pk": o.matter}, read=frozenset({"head"}), sees=frozenset({"head"})
    ),
    "supervision/inbox/<int:pk>/steps/<str:name>/": post_only(
        lambda o: {"pk": o.matter, "name": "report"},
        write=frozenset({"head"}),
        sees=frozenset({"head"}),
    ),
    # -- to-dos and notifications (each account's own)
    "todos/": page(read=LOGGED_IN),
    "notifications/": page(read=LOGGED_IN),
    "notifications/open/": post_only(write=LOGGED_IN),
    "notifications/read/": post_only(write=LOGGED_IN),
    "notifications/settings/": page(read=LOGGED_IN, post=LOGGED_IN),
    # -- publicity: the public's pages
    "public/decisions/": public(),
    "public/decisions/verify/": public(),
    "public/decisions/<int:pk>/": public(lambda o: {"pk": o.published}, post=EVERYONE),
    "public/decisions/<int:pk>/proof.json": public(lambda o: {"pk": o.published}),
    "public/supervision-results/": public(),  # 执法监督结果公开
    "public/search/": public(),
    "public/search.csv": public(),
    "public/statistics/": public(),
    # 年度数据公开 (issue 16, statistics publication): the agency's head or publisher publishes
    # its accepted annual report. The world has no statistics filing yet (the filings part adds
    # one): the entry checks nothing until its fill names that filing.
    "statistics/publication/filings/<int:pk>/publish/": post_only(
        lambda o: {"pk": None}, write=frozenset({"head", "publisher"})
    ),
    # 年度数据公开 (issue 16, statistics publication): published annual figures, no login
    "public/statistics/annual/": public(),
    "public/statistics/annual/<int:year>/agency/<int:pk>/": public(
        lambda o: {"year": 2026, "pk": o.agency}
    ),
    "public/statistics/annual/<int:year>/agency/<int:pk>/download/<str:fmt>/": public(
        lambda o: {"year": 2026, "pk": o.agency, "fmt": "json"}
    ),
    "public/statistics/annual/<int:year>/region/<str:code>/": public(
        lambda o: {"year": 2026, "code": "130300"}
    ),
    "public/statistics/annual/<int:year>/region/<str:code>/download/<str:fmt>/": public(
        lambda o: {"year": 2026, "code": "130300", "fmt": "csv"}
    ),
    "public/agencies/<int:agency_id>/decisions.atom": public(
        lambda o: {"agency_id": o.agency if o.published else None}  # an agency that published
    ),
    "public/": public(),
    # -- 双随机 draws (inspections, issue 14)
    # -- 案卷评查活动 (issue 15, campaigns part): A's head's self-evaluation of A
    "evaluation/campaigns/": page(read=LOGGED_IN),
    "evaluation/campaigns/new/": page(read=frozenset({"head"}), post=frozenset({"head"})),
    "evaluation/campaigns/<int:pk>/": page(
        lambda o: {"pk": o.eval_scoring_campaign}, read=EVAL_TEAM, sees=EVAL_TEAM
    ),
    "evaluation/campaigns/<int:pk>/members/": post_only(
        lambda o: {"pk": o.eval_scoring_campaign}, write=frozenset({"head"}), sees=EVAL_TEAM
    ),
    "evaluation/campaigns/<int:pk>/draw/": post_only(
        lambda o: {"pk": o.eval_scoring_campaign}, write=frozenset({"head"}), sees=EVAL_TEAM
    ),
    "evaluation/campaigns/<int:pk>/submit/": page(
        lambda o: {"pk": o.eval_scoring_campaign}, read=NOBODY, post=NOBODY, sees=EVAL_TEAM
    ),
    "evaluation/my-files/": page(read=LOGGED_IN),
    "evaluation/files/<int:pk>/score/": page(
        lambda o: {"pk": o.eval_scoring_file}, read=EVAL_TEAM, post=EVAL_REVIEWERS, sees=EVAL_TEAM
    ),
    "evaluation/files/<int:pk>/case/": page(
        lambda o: {"pk": o.eval_scoring_file}, read=EVAL_TEAM, sees=EVAL_TEAM
    ),
    "evaluation/files/<int:pk>/reconcile/": page(
        lambda o: {"pk": o.eval_scoring_file},
        read=frozenset({"head"}),
        post=frozenset({"head"}),
        sees=EVAL_TEAM,
    ),
    "GET /api/v1/evaluation/campaigns": page(read=LOGGED_IN),
    "POST /api/v1/evaluation/campaigns": api_write(
        write=frozenset({"head"}),
        body=lambda: {
            "name": "矩阵评查",
            "agency_ids": [1],
            "kinds": ["penalty_simple"],
            "decided_from": "2026-04-01",
            "decided_to": "2026-04-08",
            "starts_on": "2026-04-09",
            "ends_on": "2026-06-30",
            "sampling": "census",
        },
    ),
    "GET /api/v1/evaluation/campaigns/{campaign_id}": page(
        lambda o: {"campaign_id": o.eval_scoring_campaign}, read=EVAL_TEAM, sees=EVAL_TEAM
    ),
    "POST /api/v1/evaluation/campaigns/{campaign_id}/members": Rule(
        lambda o: {"campaign_id": o.eval_scoring_campaign},
        write=frozenset({"head"}),
        body=lambda: {"kind": "expert", "name": "矩阵专家"},
        sees=EVAL_TEAM,
    ),
    "POST /api/v1/evaluation/campaigns/{campaign_id}/draw": Rule(
        lambda o: {"campaign_id": o.eval_scoring_campaign},
        write=frozenset({"head"}),
        body=dict,
        sees=EVAL_TEAM,
    ),
    "POST /api/v1/evaluation/campaigns/{campaign_id}/submissions": Rule(
        lambda o: {"campaign_id": o.eval_scoring_campaign},
        write=NOBODY,
        body=lambda: {"case_id": 1},
        sees=EVAL_TEAM,
    ),
    "GET /api/v1/evaluation/my-files": page(read=LOGGED_IN),
    "GET /api/v1/evaluation/files/{file_id}": page(
        lambda o: {"file_id": o.eval_scoring_file}, read=EVAL_TEAM, sees=EVAL_TEAM
    ),
    "PUT /api/v1/evaluation/files/{file_id}/scoring": Rule(
        lambda o: {"file_id": o.eval_scoring_file}, write=EVAL_REVIEWERS, body=dict, sees=EVAL_TEAM
    ),
    "POST /api/v1/evaluation/files/{file_id}/scoring/sign": Rule(
        lambda o: {"file_id": o.eval_scoring_file}, write=EVAL_REVIEWERS, body=dict, sees=EVAL_TEAM
    ),
    "POST /api/v1/evaluation/files/{file_id}/reconcile": Rule(
        lambda o: {"file_id": o.eval_scoring_file},
        write=frozenset({"head"}),
        body=lambda: {"reason": "矩阵核定"},
        sees=EVAL_TEAM,
    ),
    "GET /api/v1/evaluation/files/{file_id}/case": page(
        lambda o: {"file_id": o.eval_scoring_file}, read=EVAL_TEAM, sees=EVAL_TEAM
    ),
    "inspections/draws/": page(read=LOGGED_IN),
    "inspections/draws/new/": page(read=HANDLERS | {"outsider"}, post=HANDLERS | {"outsider"}),
    "inspections/draws/<int:pk>/": page(lambda o: {"pk": o.draw_task}, read=SCOPE),
    "inspections/draws/<int:pk>/freeze/": post_only(lambda o: {"pk": o.draw_task}, write=HANDLERS),
    "inspections/draws/<int:pk>/draw/": post_only(lambda o: {"pk": o.draw_task}, write=HANDLERS),
    "inspections/draws/<int:pk>/request/": post_only(lambda o: {"pk": o.draw_task}, write=HANDLERS),
    "public/inspections/draws/": public(),
    "public/inspections/draws/algorithm/": public(),
    "public/inspections/draws/<int:pk>/": public(lambda o: {"pk": o.draw_task}),
    "public/inspections/draws/<int:pk>.json": public(lambda o: {"pk": o.draw_task}),
    "public/inspections/draws/<int:pk>/pools/<int:position>.txt": public(
        lambda o: {"pk": o.draw_task, "position": 0}
    ),
    # -- complaints (投诉举报) and 行政执法监督员
    "public/complaints/": public(post=EVERYONE),
    "public/complaints/receipt/": public(),
    "public/complaints/status/": public(post=EVERYONE),
    "complaints/": page(read=COMPLAINT_READERS),
    "complaints/channels/": page(read=NOBODY, post=NOBODY),  # a supervisor of a 司法局 only
    "complaints/import/": page(read=SUPERVISOR, post=SUPERVISOR),
    "complaints/monitors/": page(read=NOBODY, post=NOBODY),  # a supervisor of a 司法局 only
    "complaints/monitors/invite/": post_only(write=NOBODY),  # a supervisor of a 司法局 only
    "complaints/<int:pk>/": page(lambda o: {"pk": o.complaint}, read=COMPLAINT_READERS),
    "complaints/<int:pk>/attachments/<str:sha256>/": page(
        lambda o: {"pk": o.complaint, "sha256": o.complaint_file}, read=SUPERVISOR
    ),
    "complaints/<int:pk>/<str:action>/": post_only(
        lambda o: {"pk": o.complaint, "action": "accept"}, write=SUPERVISOR
    ),
    "monitor/": page(read=MONITOR),
    "monitor/opinions/": post_only(write=MONITOR),
    "monitor/ratings/": post_only(write=MONITOR),
    "monitor/hearings/<int:case_id>/observe/": post_only(
        lambda o: {"case_id": o.case}, write=MONITOR
    ),
    "GET /api/v1/complaints/": page(read=LOGGED_IN),
    "GET /api/v1/complaints/{complaint_id}": page(
        lambda o: {"complaint_id": o.complaint}, read=COMPLAINT_READERS
    ),
    "POST /api/v1/complaints/{complaint_id}/accept": api_write(
        lambda o: {"complaint_id": o.complaint}, write=SUPERVISOR, body=lambda: {"on": "2026-04-09"}
    ),
    "POST /api/v1/complaints/{complaint_id}/refuse": api_write(
        lambda o: {"complaint_id": o.complaint},
        write=SUPERVISOR,
        body=lambda: {"reason": "duplicate", "on": "2026-04-09"},
    ),
    "POST /api/v1/complaints/{complaint_id}/transfer": api_write(
        lambda o: {"complaint_id": o.complaint},
        write=SUPERVISOR,
        body=lambda: {"to": "示范市信访局", "on": "2026-04-09"},
    ),
    "POST /api/v1/complaints/{complaint_id}/conclude": api_write(
        lambda o: {"complaint_id": o.complaint},
        write=SUPERVISOR,
        body=lambda: {"result": "办结", "on": "2026-04-09"},
    ),
    # -- 行政执法监督员 API (issue 12): the persona is not appointed, so its writes are refused by
    # rule (409); anyone else 403, as the pages
    "GET /api/v1/monitor/": page(read=MONITOR),
    "POST /api/v1/monitor/opinions": api_write(
        write=MONITOR,
        body=lambda: {"agency_id": 1, "facts": "矩阵测试", "happened_on": "2026-04-09"},
    ),
    "POST /api/v1/monitor/ratings": api_write(
        write=MONITOR, body=lambda: {"agency_id": 1, "campaign": "矩阵测试", "score": 3}
    ),
    "POST /api/v1/monitor/hearings/{case_id}/observe": api_write(
        lambda o: {"case_id": o.case}, write=MONITOR, body=dict
    ),
    "public/agencies/": public(),
    "public/agencies/<int:pk>/": public(lambda o: {"pk": o.agency}),
    "public/officers/": public(),
    "public/powers/": public(),
    "public/powers/<int:pk>/": public(lambda o: {"pk": o.power_item}),
    "public/inspection-items/": public(),
    "public/discretion/": public(),
    "public/inspections/rules/": public(),
    # -- issue 14, directory part: published inspection plans
    "public/inspections/plans/": public(),
    "public/inspections/plans/<int:pk>/": public(lambda o: {"pk": o.published_plan}),
    "public/lenient-lists/": public(),
    # -- publicity: the publisher's pages
    "publish/": page(read=PUBLICITY),
    "supervision/dashboard/": page(read=SUPERVISORS),
    "supervision/warnings/": page(read=WARNING_READERS),
    "supervision/warnings/rules/": page(read=WARNING_READERS),
    "supervision/warnings/<int:pk>/": page(
        lambda o: {"pk": o.warning}, read=WARNING_READERS, sees=WARNING_READERS
    ),
    "supervision/warnings/<int:pk>/dismiss/": post_only(
        lambda o: {"pk": o.warning}, write=frozenset({"supervisor"}), sees=WARNING_READERS
    ),
    "supervision/warnings/<int:pk>/matter/": post_only(
        lambda o: {"pk": o.warning}, write=frozenset({"supervisor"}), sees=WARNING_READERS
    ),
    # -- issue 15, templates part: scoring templates (评查标准). Pages for supervisors and the
    # system administrator; the shipped template (no owner) is kept by the administrator only.
    # The API reads published versions for all staff; writes by the keeping body (403 else).
    "evaluation/templates/": page(read=SUPERVISORS),
    "evaluation/templates/new/": page(read=ADMINS, post=ADMINS),
    "evaluation/templates/import/": page(read=ADMINS, post=ADMINS),
    "evaluation/templates/<int:pk>/": page(
        lambda o: {"pk": o.eval_template}, read=SUPERVISORS, sees=SUPERVISORS
    ),
    "evaluation/templates/<int:pk>/edit/": page(
        lambda o: {"pk": o.eval_template}, read=ADMINS, post=ADMINS, sees=SUPERVISORS
    ),
    **{
        f"evaluation/templates/<int:pk>/{what}/": post_only(
            lambda o: {"pk": o.eval_template}, write=ADMINS, sees=SUPERVISORS
        )
        for what in ("publish", "new-version", "retire")
    },
    "evaluation/templates/<int:pk>/export/<str:fmt>/": page(
        lambda o: {"pk": o.eval_template, "fmt": "xlsx"}, read=SUPERVISORS, sees=SUPERVISORS
    ),
    "evaluation/templates/<int:pk>/preview/": page(
        lambda o: {"pk": o.eval_template}, read=SUPERVISORS, sees=SUPERVISORS
    ),
    "GET /api/v1/evaluation/templates": page(read=LOGGED_IN),
    "POST /api/v1/evaluation/templates": api_write(write=ADMINS, body=eval_template_body),
    "GET /api/v1/evaluation/templates/{template_id}": page(
        lambda o: {"template_id": o.eval_template}, read=LOGGED_IN, sees=LOGGED_IN
    ),
    "GET /api/v1/evaluation/templates/{template_id}/export": page(
        lambda o: {"template_id": o.eval_template}, read=LOGGED_IN, sees=LOGGED_IN
    ),
    **{
        f"POST /api/v1/evaluation/templates/{{template_id}}/{what}": Rule(
            lambda o: {"template_id": o.eval_template},
            write=ADMINS,
            body=(lambda: {k: v for k, v in eval_template_body().items() if k != "key"})
            if what == "update"
            else dict,
            sees=LOGGED_IN,
        )
        for what in ("update", "publish", "new-version", "retire")
    },
    "GET /api/v1/alerts/dashboard": page(read=SUPERVISORS),
    "GET /api/v1/alerts/rules": page(read=WARNING_READERS),
    "GET /api/v1/alerts/warnings": page(read=WARNING_READERS),
    "GET /api/v1/alerts/warnings/{warning_id}": page(
        lambda o: {"warning_id": o.warning}, read=WARNING_READERS, sees=WARNING_READERS
    ),
    "POST /api/v1/alerts/warnings/{warning_id}/dismiss": Rule(
        lambda o: {"warning_id": o.warning},
        write=frozenset({"supervisor"}),
        body=lambda: {"reason": "矩阵测试"},
        sees=WARNING_READERS,
    ),
    "POST /api/v1/alerts/warnings/{warning_id}/matter": Rule(
        lambda o: {"warning_id": o.warning},
        write=frozenset({"supervisor"}),
        body=dict,
        sees=WARNING_READERS,
    ),
    # -- issue 15, checks part: the record's proposals (系统预评) and the override report
    "evaluation/checks/": page(read=CHECK_READERS),
    "evaluation/checks/cases/<int:case_id>/": page(
        lambda o: {"case_id": o.case}, read=CHECK_READERS
    ),
    "GET /api/v1/evaluation/checks": page(read=CHECK_READERS),
    "GET /api/v1/evaluation/checks/cases/{case_id}": page(
        lambda o: {"case_id": o.case}, read=CHECK_READERS
    ),
    "GET /api/v1/evaluation/checks/overrides": page(read=CHECK_READERS),
    "publish/statistics/": page(read=PUBLICITY),
    "publish/reports/<int:pk>/answer/": post_only(
        lambda o: {"pk": o.report}, write=frozenset({"publisher"}), sees=PUBLICITY
    ),
    "publish/<int:pk>/": page(lambda o: {"pk": o.draft}, read=PUBLICITY, sees=PUBLICITY),
    "publish/<int:pk>/steps/<str:name>/": post_only(
        lambda o: {"pk": o.draft, "name": "publish"}, write=frozenset({"publisher"}), sees=PUBLICITY
    ),
    # -- registry pages
    "": public(),
    "check/": public(),
    "login/": public(post=EVERYONE),
    "logout/": public(read=NOBODY, post=EVERYONE),
    "workbench/": page(read=LOGGED_IN),
    "registry/agencies/": page(read=LOGGED_IN),
    "registry/agencies/<int:pk>/": page(lambda o: {"pk": o.agency}, read=SCOPE),
    "registry/officers/": page(read=LOGGED_IN),
    "registry/officers/<int:pk>/": page(lambda o: {"pk": o.officer}, read=SCOPE),
    "registry/certificates/<int:pk>/status/": post_only(
        lambda o: {"pk": o.certificate}, write=frozenset({"admin"})
    ),
    "registry/power-items/": page(read=LOGGED_IN),
    "registry/power-items/<int:pk>/": page(lambda o: {"pk": o.power_item}, read=SCOPE),
    "registry/power-items/<int:pk>/publish/": post_only(
        lambda o: {"pk": o.power_item}, write=frozenset({"admin"})
    ),
    "registry/power-items/<int:pk>/repeal/": post_only(
        lambda o: {"pk": o.power_item}, write=frozenset({"admin"})
    ),
    "registry/power-items/<int:pk>/revise/": post_only(
        lambda o: {"pk": o.power_item}, write=frozenset({"admin"})
    ),
    # -- the Django admin's own pages (its models' pages: ADMIN_MODELS)
    "admin/": admin_page(),
    "admin/login/": public(post=EVERYONE),
    "admin/logout/": admin_page(),
    "admin/password_change/": admin_page(),
    "admin/password_change/done/": admin_page(),
    "admin/autocomplete/": admin_page(),
    "admin/jsi18n/": admin_page(),
    "admin/r/<path:content_type_id>/<path:object_id>/": admin_page(
        lambda o: {
            "content_type_id": ContentType.objects.get(model="agency").pk,
            "object_id": o.agency,
        }
    ),
    "admin/^(?P<app_label>core|registry)/$": admin_page(lambda o: {"app_label": "registry"}),
    "admin/(?P<url>.*)$": admin_page(lambda o: {"url": "no-such-page/"}),
}


def step_body(
    service: str, schemas: Mapping[str, type[BaseModel]] = STEP_SCHEMAS
) -> Callable[[], dict[str, Any]]:
    """A body of the step's schema with its required fields only, each the simplest value of its
    type: past the schema (a 422 would come before the gate), so the gate and the rules answer."""
    schema = schemas[service].model_json_schema()
    defs = schema.get("$defs", {})

    def value(prop: dict[str, Any]) -> Any:
        if "$ref" in prop:
            return value(defs[prop["$ref"].rsplit("/", 1)[1]])
        if "anyOf" in prop:
            return value(prop["anyOf"][0])
        if "enum" in prop:
            return prop["enum"][0]
        kind = prop.get("type")
        if kind == "array":
            return [value(prop["items"])] * max(prop.get("minItems", 0), 1)
        if kind == "object":
            return {k: value(prop["properties"][k]) for k in prop.get("required", ())}
        if kind in ("integer", "number"):
            return max(prop.get("minimum", 1), 1)
        if kind == "boolean":
            return False
        if prop.get("format") == "date":
            return NOW.date().isoformat()
        if prop.get("format") == "date-time":
            return NOW.isoformat()
        return "矩阵测试"

    return lambda: {k: value(schema["properties"][k]) for k in schema.get("required", ())}


def step_takers(service: str) -> Callable[[Ids], Who]:
    """Who passes the gate of ``service`` on the case: the head alone where the step is an
    approval in the case's stage (决定, 延期 …), else the agency's handlers — who, for a step the
    stage does not allow, then hear the stage (409)."""

    def who(o: Ids) -> Who:
        case = Case.objects.filter(pk=o.case).first()
        if case is not None and is_approval(case.kind, case.state, service):
            return frozenset({"head"})
        return HANDLERS

    return who


# Every case step is its own operation, its body typed by the step's schema: who may take it
# passes the gate (the step may then be refused by its rules, 409, or its form, 422).
for _service in sorted(STEP_SCHEMAS):
    TABLE[f"POST /api/v1/cases/{{case_id}}/actions/{_service}"] = api_write(
        lambda o: {"case_id": o.case}, write=step_takers(_service), body=step_body(_service)
    )

# 行政许可 (issue 13): the application read and registered, and each step its own operation.
TABLE["GET /api/v1/licensing/{case_id}"] = page(lambda o: {"case_id": o.licence_case}, read=SCOPE)
TABLE["POST /api/v1/licensing/applications"] = api_write(
    write=HANDLERS | {"outsider"},
    body=lambda: {
        "power_code": "XK-A",
        "matter": "矩阵测试",
        "channel": "online",
        "applicant_kind": "organisation",
        "name": "矩阵测试",
    },
)


def licence_step_takers(service: str) -> Callable[[Ids], Who]:
    """As ``step_takers``, on the agency's licence application."""

    def who(o: Ids) -> Who:
        case = Case.objects.filter(pk=o.licence_case).first()
        if case is not None and is_approval(case.kind, case.state, service):
            return frozenset({"head"})
        return HANDLERS

    return who


for _service in sorted(LICENSING_STEP_SCHEMAS):
    TABLE[f"POST /api/v1/licensing/{{case_id}}/steps/{_service}"] = api_write(
        lambda o: {"case_id": o.licence_case},
        write=licence_step_takers(_service),
        body=step_body(_service, LICENSING_STEP_SCHEMAS),
    )

# -- issue 15, efficiency part: the city bureau's 效能评价 (unpublished: the region's supervisor
# reads; only the bureau's own supervisor — no persona — writes) and a token survey about A.
_SCHEME: Fill = lambda o: {"pk": o.efficiency_scheme}  # noqa: E731
_RESULT: Fill = lambda o: {"pk": o.efficiency_result}  # noqa: E731
_SURVEY: Fill = lambda o: {"pk": o.survey}  # noqa: E731
_SURVEY_READERS: Who = frozenset({"supervisor", "head"})
_INDICATOR = {"code": "X1", "component": "duty", "name": "按期办结率", "formula": "cases_decided"}
TABLE.update(
    {
        "evaluation/efficiency/": page(read=LOGGED_IN),
        "evaluation/efficiency/<int:pk>/": page(_SCHEME, read=SUPERVISOR, sees=SUPERVISOR),
        "evaluation/efficiency/<int:pk>/indicators/": page(
            _SCHEME, read=NOBODY, post=NOBODY, sees=SUPERVISOR
        ),
        "evaluation/efficiency/<int:pk>/compute/": post_only(
            _SCHEME, write=NOBODY, sees=SUPERVISOR
        ),
        "evaluation/efficiency/<int:pk>/publish/": post_only(
            _SCHEME, write=NOBODY, sees=SUPERVISOR
        ),
        "evaluation/efficiency/<int:pk>/report/<str:fmt>/": page(
            lambda o: {"pk": o.efficiency_scheme, "fmt": "xlsx"}, read=SUPERVISOR, sees=SUPERVISOR
        ),
        "evaluation/efficiency/results/<int:pk>/": page(_RESULT, read=SUPERVISOR, sees=SUPERVISOR),
        "evaluation/efficiency/results/<int:pk>/report/<str:fmt>/": page(
            lambda o: {"pk": o.efficiency_result, "fmt": "xlsx"}, read=SUPERVISOR, sees=SUPERVISOR
        ),
        "evaluation/efficiency/results/<int:pk>/behind/<str:source>/": page(
            lambda o: {"pk": o.efficiency_result, "source": "cases"},
            read=SUPERVISOR,
            sees=SUPERVISOR,
        ),
        "evaluation/efficiency/surveys/": page(read=SUPERVISOR, post=SUPERVISOR),
        "evaluation/efficiency/surveys/import/": post_only(write=SUPERVISOR),
        "evaluation/efficiency/surveys/<int:pk>/": page(
            _SURVEY, read=_SURVEY_READERS, post=NOBODY, sees=_SURVEY_READERS
        ),
        "evaluation/efficiency/surveys/<int:pk>/tokens/<str:fmt>/": page(
            lambda o: {"pk": o.survey, "fmt": "print"}, read=NOBODY, sees=_SURVEY_READERS
        ),
        "public/evaluation/surveys/<str:key>/": public(
            lambda o: {"key": o.survey_key}, post=EVERYONE
        ),
        "public/evaluation/surveys/<str:key>/code/": public(
            lambda o: {"key": o.survey_key}, post=EVERYONE, read=NOBODY
        ),
        "GET /api/v1/evaluation/efficiency/schemes": page(read=LOGGED_IN),
        "POST /api/v1/evaluation/efficiency/schemes": api_write(
            write=SUPERVISOR, body=lambda: {"year": 2026}
        ),
        "GET /api/v1/evaluation/efficiency/schemes/{scheme_id}": page(
            lambda o: {"scheme_id": o.efficiency_scheme}, read=SUPERVISOR, sees=SUPERVISOR
        ),
        "POST /api/v1/evaluation/efficiency/schemes/{scheme_id}/indicators": api_write(
            lambda o: {"scheme_id": o.efficiency_scheme},
            write=NOBODY,
            body=lambda: {
                "indicators": [dict(_INDICATOR, formula="files_failed / files_scored")],
                "weights": {"quality": 30, "duty": 50, "satisfaction": 20},
            },
        ),
        "POST /api/v1/evaluation/efficiency/indicators/check": api_write(
            write=LOGGED_IN, body=lambda: dict(_INDICATOR)
        ),
        "POST /api/v1/evaluation/efficiency/schemes/{scheme_id}/compute": api_write(
            lambda o: {"scheme_id": o.efficiency_scheme}, write=NOBODY, body=dict
        ),
        "POST /api/v1/evaluation/efficiency/schemes/{scheme_id}/publish": api_write(
            lambda o: {"scheme_id": o.efficiency_scheme}, write=NOBODY, body=dict
        ),
        "GET /api/v1/evaluation/efficiency/schemes/{scheme_id}/results": page(
            lambda o: {"scheme_id": o.efficiency_scheme}, read=SUPERVISOR, sees=SUPERVISOR
        ),
        "GET /api/v1/evaluation/efficiency/results/{result_id}": page(
            lambda o: {"result_id": o.efficiency_result}, read=SUPERVISOR, sees=SUPERVISOR
        ),
        "GET /api/v1/evaluation/efficiency/surveys": page(read=LOGGED_IN),
        "GET /api/v1/evaluation/efficiency/surveys/{survey_id}": page(
            lambda o: {"survey_id": o.survey}, read=_SURVEY_READERS, sees=_SURVEY_READERS
        ),
    }
)

# 行政执法统计 (issue 16, tables part): 复议/诉讼 on the case, the catalogue, the table editor.
TABLE.update(
    {
        "cases/<int:pk>/challenges/": post_only(lambda o: {"pk": o.case}, write=HANDLERS),
        "cases/<int:pk>/challenges/<int:challenge_id>/conclude/": post_only(
            lambda o: {"pk": o.challenge_case, "challenge_id": o.challenge}, write=HANDLERS
        ),
        "GET /api/v1/cases/{case_id}/challenges": page(lambda o: {"case_id": o.case}, read=SCOPE),
        "POST /api/v1/cases/{case_id}/challenges": api_write(
            lambda o: {"case_id": o.case},
            write=HANDLERS,
            body=lambda: {"kind": "reconsideration", "body": "矩阵测试", "filed_on": "2026-04-08"},
        ),
        "POST /api/v1/cases/{case_id}/challenges/{challenge_id}/conclude": api_write(
            lambda o: {"case_id": o.challenge_case, "challenge_id": o.challenge},
            write=HANDLERS,
            body=lambda: {"outcome": "upheld", "concluded_on": "2026-04-08"},
        ),
        "statistics/catalogue/": page(read=LOGGED_IN),
        "statistics/tables/": page(read=ADMINS, post=ADMINS),
        "statistics/tables/<slug:code>/": page(lambda o: {"code": "penalty"}, read=ADMINS),
        "statistics/tables/<slug:code>/columns/": post_only(
            lambda o: {"code": "penalty"}, write=ADMINS
        ),
        "statistics/tables/<slug:code>/active/": post_only(
            lambda o: {"code": "penalty"}, write=ADMINS
        ),
        "GET /api/v1/statistics/catalogue": page(read=LOGGED_IN),
        "GET /api/v1/statistics/tables": page(read=LOGGED_IN),
        "POST /api/v1/statistics/tables": api_write(
            write=ADMINS,
            body=lambda: {"code": "matrix", "name": "矩阵测试", "columns": ["penalty.total"]},
        ),
        "GET /api/v1/statistics/tables/{code}": page(lambda o: {"code": "penalty"}, read=LOGGED_IN),
        "POST /api/v1/statistics/tables/{code}/columns": api_write(
            lambda o: {"code": "penalty"}, write=ADMINS, body=lambda: {"columns": ["penalty.total"]}
        ),
        "POST /api/v1/statistics/tables/{code}/active": api_write(
            lambda o: {"code": "penalty"}, write=ADMINS, body=lambda: {"active": False}
        ),
        "GET /api/v1/statistics/officers": page(
            lambda o: {"agency_q": o.agency},
            read=SCOPE,
            query=lambda a, p: f"agency_id={p['agency_q']}",
        ),
    }
)

# Models registered with the Django admin: their pages (list, add, change, history, delete) are
# for the system administrator only, like every admin page.
# 案卷评查 outcomes (issue 15): agency A's self-evaluation (its head runs it, the city's
# supervisor sees it), its failed file, the head's objection, the team report, the accountability
# record about A's case. The supervisor persona has no body: its writes are refused by the
# services (409, past the gate); the accountability register is the region's supervisors'.
EVAL_SIDES: Who = frozenset({"supervisor", "head"})
TABLE.update(
    {
        "evaluation/campaigns/<int:pk>/outcomes/": page(
            lambda o: {"pk": o.eval_campaign}, read=EVAL_SIDES
        ),
        **{
            f"evaluation/campaigns/<int:pk>/outcomes/{what}/": post_only(
                lambda o: {"pk": o.eval_campaign}, write=EVAL_SIDES
            )
            for what in ("team-report", "feedback", "close")
        },
        "evaluation/files/<int:pk>/recheck/": post_only(
            lambda o: {"pk": o.eval_file}, write=SUPERVISOR
        ),
        "evaluation/files/<int:pk>/matter/": post_only(
            lambda o: {"pk": o.eval_file}, write=SUPERVISOR
        ),
        "evaluation/files/<int:pk>/objection/": post_only(
            lambda o: {"pk": o.eval_file}, write=frozenset({"head"})
        ),
        "evaluation/objections/<int:pk>/answer/": post_only(
            lambda o: {"pk": o.eval_objection}, write=SUPERVISOR
        ),
        "evaluation/reports/<int:pk>/publish/": post_only(
            lambda o: {"pk": o.eval_report}, write=SUPERVISOR
        ),
        "evaluation/reports/<int:pk>/<str:fmt>/": page(
            lambda o: {"pk": o.eval_report, "fmt": "pdf"}, read=EVAL_SIDES
        ),
        "evaluation/agency/": page(read=frozenset({"head"})),
        "evaluation/repeated-failures/": page(read=SUPERVISOR),
        "evaluation/accountability/": page(read=EVAL_SIDES),
        "evaluation/accountability/new/": page(read=SUPERVISOR, post=SUPERVISOR),
        "evaluation/accountability/<int:pk>/": page(
            lambda o: {"pk": o.eval_accountability}, read=EVAL_SIDES
        ),
        "GET /api/v1/evaluation/campaigns/{campaign_id}/outcomes": page(
            lambda o: {"campaign_id": o.eval_campaign}, read=EVAL_SIDES
        ),
        **{
            f"POST /api/v1/evaluation/campaigns/{{campaign_id}}/{what}": api_write(
                lambda o: {"campaign_id": o.eval_campaign}, write=EVAL_SIDES, body=dict
            )
            for what in ("team-report", "feedback", "close")
        },
        "POST /api/v1/evaluation/files/{file_id}/recheck": api_write(
            lambda o: {"file_id": o.eval_file},
            write=SUPERVISOR,
            body=lambda: {"marks": {"items": {}}, "reasons": "矩阵复评"},
        ),
        "POST /api/v1/evaluation/files/{file_id}/matter": api_write(
            lambda o: {"file_id": o.eval_file}, write=SUPERVISOR, body=dict
        ),
        "POST /api/v1/evaluation/files/{file_id}/objection": api_write(
            lambda o: {"file_id": o.eval_file},
            write=frozenset({"head"}),
            body=lambda: {"reasons": "矩阵异议"},
        ),
        "POST /api/v1/evaluation/objections/{objection_id}/answer": api_write(
            lambda o: {"objection_id": o.eval_objection},
            write=SUPERVISOR,
            body=lambda: {"upheld": False, "answer": "矩阵答复"},
        ),
        "GET /api/v1/evaluation/reports/{report_id}/files/{fmt}": page(
            lambda o: {"report_id": o.eval_report, "fmt": "pdf"}, read=EVAL_SIDES
        ),
        "POST /api/v1/evaluation/reports/{report_id}/publish": api_write(
            lambda o: {"report_id": o.eval_report}, write=SUPERVISOR, body=dict
        ),
        "GET /api/v1/evaluation/repeated-failures": page(read=SUPERVISOR),
        "GET /api/v1/evaluation/agency/files": page(read=frozenset({"head"})),
        "GET /api/v1/evaluation/accountability": page(read=EVAL_SIDES),
        "POST /api/v1/evaluation/accountability": api_write(
            write=SUPERVISOR,
            body=lambda: {
                "agency_id": 1,
                "ground": "fault",
                "measure": "criticism",
                "deciding_body": "矩阵",
                "decided_on": "2026-04-08",
            },
        ),
        "GET /api/v1/evaluation/accountability/{accountability_id}": page(
            lambda o: {"accountability_id": o.eval_accountability}, read=EVAL_SIDES
        ),
    }
)

ADMIN_MODELS = frozenset(
    {
        "core/calendaryear",
        "core/calendaroverride",
        "core/jobrun",
        "registry/domain",
        "registry/agency",
        "registry/reviewbody",
        "registry/certificate",
        "registry/officer",
        "registry/trainingrecord",
        "registry/examresult",
        "registry/trainingrequirement",
        "registry/poweritem",
        "registry/account",
        "registry/apitoken",
    }
)

# -- what exists -------------------------------------------------------------------------------


def _walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def _is_operation(p: URLPattern) -> bool:
    return getattr(p.callback, "__module__", "") == "ninja.operation"


def url_patterns() -> list[str]:
    """Every URL pattern's route, the API's operations apart (they come from the schema)."""
    return [route for route, p in _walk(get_resolver()) if not _is_operation(p)]


def api_operations() -> list[str]:
    paths = ninja_api.get_openapi_schema()["paths"]
    return [f"{method.upper()} {path}" for path, ops in paths.items() for method in ops]


def operation_routes() -> list[str]:
    """The API operations' routes as the resolver holds them, as schema paths."""
    return [
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        for route, p in _walk(get_resolver())
        if _is_operation(p)
    ]


def admin_model_label(route: str) -> str | None:
    """``app/model`` when ``route`` is an admin page of a model (list, add, change …)."""
    m = re.match(r"^admin/(\w+)/(\w+)/", route)
    if m is None:
        return None
    try:
        apps.get_model(m[1], m[2])
    except LookupError:
        return None
    return f"{m[1]}/{m[2]}"


def admin_model_routes() -> list[tuple[str, str]]:
    """(route, model label) of every admin page of a model."""
    return [(r, label) for r in url_patterns() if (label := admin_model_label(r)) is not None]


def test_the_table_has_one_entry_per_url_and_operation() -> None:
    routes = [r for r in url_patterns() if admin_model_label(r) is None]
    wanted = set(routes) | set(api_operations())
    missing = sorted(wanted - set(TABLE))
    stale = sorted(set(TABLE) - wanted)
    assert not missing, f"URLs or API operations without an entry in TABLE: {missing}"
    assert not stale, f"TABLE entries for URLs or operations that no longer exist: {stale}"
    registered = {label for _, label in admin_model_routes()}
    assert registered == ADMIN_MODELS, (
        f"admin models without an entry in ADMIN_MODELS: {sorted(registered - ADMIN_MODELS)}; "
        f"entries for models no longer registered: {sorted(ADMIN_MODELS - registered)}"
    )
    paths = {op.split(" ", 1)[1] for op in api_operations()}
    assert set(operation_routes()) <= paths, "an API route the schema does not describe"


# -- the world and the personas' sessions ------------------------------------------------------


@dataclass
class Matrix:
    world: World
    accounts: dict[str, Account]
    sessions: dict[str, str]  # persona → session cookie
    tokens: dict[str, str]  # persona → API token
    client: Client = field(default_factory=Client)
    forbidden: dict[str, tuple[str, ...]] = field(default_factory=dict)  # persona → never shown


def _forbidden(persona: str) -> tuple[str, ...]:
    """The exact strings no response to ``persona`` may carry."""
    values: list[str] = []
    if persona not in A_STAFF:
        values += [PARTY.id_number, PARTY.phone, PARTY.address]
    if persona != "officer_b":
        values += [PARTY_B.id_number, PARTY_B.phone, PARTY_B.address]
    if persona in ("anonymous", "officer_b", "monitor"):
        values.append(A_MARKER)
    if persona not in ("supervisor", "admin"):
        values += list(COMPLAINANT)
    if persona != "admin":
        for id_number, phone in Officer.objects.values_list("id_number", "phone"):
            values += [v for v in (id_number, phone) if v]
    return tuple(values)


@pytest.fixture(scope="module")
def matrix(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Matrix]:
    evidence = Path(tmp_path_factory.mktemp("matrix")) / "evidence"
    with (
        django_db_blocker.unblock(),
        override_settings(EVIDENCE_DIR=evidence),
        time_machine.travel(NOW, tick=False),
        transaction.atomic(),
    ):
        world = world_build()
        accounts = {
            name: getattr(world.p, name)
            for name in PERSONAS
            if name not in ("anonymous", "monitor")
        }
        accounts["monitor"] = account_create(
            actor=world.p.admin,
            username="monitor",
            password=None,
            role=Account.Role.EXTERNAL_SUPERVISOR,
            region_code="130300",
            display_name="矩阵监督员",
        )
        sessions, tokens = {}, {}
        for name, account in accounts.items():
            client = Client()
            client.force_login(account)
            sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
            tokens[name] = api_token_issue(actor=account, name="矩阵")[1]
        forbidden = {name: _forbidden(name) for name in PERSONAS}
        yield Matrix(world, accounts, sessions, tokens, forbidden=forbidden)
        transaction.set_rollback(True)


# -- requests ----------------------------------------------------------------------------------


def is_api(key: str) -> bool:
    return " " in key


def url_of(key: str, params: Params) -> str:
    if is_api(key):
        return key.split(" ", 1)[1].format(**params)
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(params[m[1]]), key)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(params[m[1]]), url)
    return "/" + url.replace("^", "").replace("$", "")


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    location: str
    content_type: str

    def normalised(self, url: str) -> tuple[int, str, str, str]:
        """The answer with the request's URL taken out (the id is part of it)."""

        def strip(text: str) -> str:
            text = text.replace(quote(url), "{url}").replace(url, "{url}")
            return without_csrf(text)  # masked anew on every response

        return self.status, strip(self.body), strip(self.location), self.content_type


def _body(response: Any) -> str:
    # The test client closes the response itself (a streamed one once read): closing it again
    # would fire request_finished, whose handler closes the database connection — on
    # PostgreSQL with the module's transaction in it.
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def send(m: Matrix, persona: str, key: str, rule: Rule, method: str, url: str) -> Answer:
    # One client (a new one loads the middleware again: WhiteNoise scans the static files),
    # its cookies cleared for every request: no message of one request shows in the next.
    client = m.client
    client.cookies = SimpleCookie()
    headers: dict[str, str] = {}
    if persona != "anonymous":
        if is_api(key):
            headers["Authorization"] = f"Bearer {m.tokens[persona]}"
        else:
            client.cookies[settings.SESSION_COOKIE_NAME] = m.sessions[persona]
    if method == "GET":
        response = client.get(url, headers=headers)
    else:
        body = rule.body() if rule.body else {}
        if not is_api(key) or any(isinstance(v, SimpleUploadedFile) for v in body.values()):
            response = client.post(url, body, headers=headers)
        else:
            response = client.generic(
                method, url, json.dumps(body), content_type="application/json", headers=headers
            )
    return Answer(
        response.status_code,
        _body(response),
        response.get("Location", ""),
        response.get("Content-Type", ""),
    )


# -- the checks --------------------------------------------------------------------------------


def cases() -> Iterator[Any]:
    for key, rule in TABLE.items():
        methods = [key.split(" ", 1)[0]] if is_api(key) else ["GET"]
        if not is_api(key) and rule.write is not None:
            methods.append("POST")
        for method in methods:
            for persona in PERSONAS:
                yield pytest.param(key, method, persona, id=f"{key} {method} {persona}")


def _with_query(url: str, rule: Rule, account: Account | None, params: Params) -> str:
    query = rule.query(account, params) if rule.query else ""
    return f"{url}?{query}" if query else url


def _bare(route: str) -> str:
    return route.replace("^", "").replace("$", "")


def check(m: Matrix, key: str, method: str, persona: str, rule: Rule) -> None:
    account = m.accounts.get(persona)
    for owner, ids in (("a", m.world.a), ("b", m.world.b)):
        writers = rule.write(ids) if callable(rule.write) else rule.write
        allowed = rule.read if method == "GET" else (writers or NOBODY)
        params, missing = rule.fill(ids), rule.fill(MISSING)
        if any(v is None for v in params.values()):
            continue  # this agency has no such object in the world
        if owner == "b" and params == missing:
            break  # no object: a list or a form, asked once
        url = _with_query(url_of(key, params), rule, account, params)
        whose = "" if params == missing else f" (agency {owner.upper()}'s object)"
        where = f"{method} {url} as {persona}{whose}"
        if not is_api(key):
            reached = resolve(url.split("?")[0]).route
            assert _bare(reached) == _bare(key), f"{url} reaches {reached}, not {key}"
        before = Entry.objects.count()
        answer = send(m, persona, key, rule, method, url)
        assert answer.status < 500, f"{where}: {answer.status}"
        for value in m.forbidden[persona]:
            assert value not in answer.body, f"{where}: the answer shows {value!r}"
        who = relation(persona, owner)
        if rule.admin:
            if persona == "admin":
                continue
            # To the admin's login (or, for its logout, to its index, which sends there).
            assert answer.status == 302 and answer.location.startswith("/admin/"), where
        elif persona == "anonymous" and not rule.public:
            if is_api(key):
                assert answer.status == 401, f"{where}: {answer.status}"
            else:
                assert answer.status == 302, f"{where}: {answer.status}"
                assert answer.location.startswith(resolve_url(settings.LOGIN_URL) + "?"), where
        elif who in allowed:
            if method == "GET":
                assert answer.status < 400, f"{where}: {answer.status} {answer.body[:300]}"
            else:
                assert answer.status not in (401, 403, 404, 405), (
                    f"{where}: {answer.status} {answer.body[:300]}"
                )
            continue
        else:
            assert answer.status in (403, 404, 405), f"{where}: {answer.status}"
            if params != missing and who not in rule.sees:
                missing_url = _with_query(url_of(key, missing), rule, account, missing)
                other = send(m, persona, key, rule, method, missing_url)
                assert answer.normalised(url) == other.normalised(missing_url), (
                    f"{where}: answers otherwise than for an id that does not exist"
                )
        assert Entry.objects.count() == before, f"{where}: recorded something"


@pytest.mark.parametrize(("key", "method", "persona"), list(cases()))
def test_access(matrix: Matrix, key: str, method: str, persona: str) -> None:
    with transaction.atomic():  # a savepoint: a write that passes leaves the world as it was
        check(matrix, key, method, persona, TABLE[key])
        transaction.set_rollback(True)


def _admin_object(label: str) -> object:
    model = apps.get_model(*label.split("/"))
    assert model in admin.site._registry
    return model._default_manager.order_by("pk").values_list("pk", flat=True).first() or 987654


@pytest.mark.parametrize(
    ("route", "label", "persona"),
    [
        pytest.param(route, label, persona, id=f"{route} GET {persona}")
        for route, label in admin_model_routes()
        if label in ADMIN_MODELS
        for persona in PERSONAS
    ],
)
def test_admin_model_pages(matrix: Matrix, route: str, label: str, persona: str) -> None:
    rule = admin_page(lambda o: {"object_id": _admin_object(label)} if "<" in route else {})
    check(matrix, route, "GET", persona, rule)
    if persona == "admin" and label.startswith("registry/") and route.endswith("/delete/"):
        # The registry keeps its history: deletion is switched off in the admin.
        url = url_of(route, {"object_id": _admin_object(label)})
        assert send(matrix, persona, route, rule, "GET", url).status == 403, url


# -- an object of the other agency inside one's own URL ----------------------------------------


def _probe() -> Ids:
    """Ids that differ from MISSING in every object id, to tell objects from fixed parameters."""
    values = {
        name: value + 1 if isinstance(value, int) else value.replace("0", "1")
        for name, value in asdict(MISSING).items()
        if name != "step"
    }
    return replace(MISSING, **values)


def object_params(rule: Rule) -> list[str]:
    """The path parameters of ``rule`` that name objects, in the route's order."""
    missing, probe = rule.fill(MISSING), rule.fill(_probe())
    return [name for name in missing if missing[name] != probe[name]]


NESTED = [k for k, r in TABLE.items() if not r.admin and len(object_params(r)) >= 2]


@pytest.mark.parametrize("key", NESTED)
@pytest.mark.parametrize("persona", ["officer", "officer_b", "supervisor", "admin"])
def test_the_other_agencys_file_in_ones_own_case_reads_as_a_missing_one(
    matrix: Matrix, key: str, persona: str
) -> None:
    """``cases/<own case>/evidence/<a hash of the other agency's file>/`` (or its document)
    answers exactly as a hash that exists nowhere: no file crosses agencies by its id."""
    rule = TABLE[key]
    account = matrix.accounts[persona]
    _, *inner = object_params(rule)
    methods = (["GET"] if rule.read else []) + (["POST"] if rule.write is not None else [])
    for own, other in ((matrix.world.a, matrix.world.b), (matrix.world.b, matrix.world.a)):
        params, foreign, missing = rule.fill(own), rule.fill(other), rule.fill(MISSING)
        mixed = {**params, **{name: foreign[name] for name in inner}}
        absent = {**params, **{name: missing[name] for name in inner}}
        for method in methods:
            url = _with_query(url_of(key, mixed), rule, account, mixed)
            absent_url = _with_query(url_of(key, absent), rule, account, absent)
            before = Entry.objects.count()
            answer = send(matrix, persona, key, rule, method, url)
            assert answer.status in (403, 404, 405), f"{method} {url} as {persona}: {answer.status}"
            expected = send(matrix, persona, key, rule, method, absent_url)
            assert answer.normalised(url) == expected.normalised(absent_url), (
                f"{method} {url} as {persona}: answers otherwise than {absent_url}"
            )
            assert Entry.objects.count() == before, f"{method} {url} as {persona}: recorded"
