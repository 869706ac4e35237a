"""Reads of supervision matters. Every list comes from a ``*_visible_to`` here.

Scope (``scope.py``, by the account's ``supervision_scope``): a 司法局's supervisor sees the
matters of the supervisory bodies of its region (its own, and below it: the province's
supervisors see every matter of the province) about agencies of its region — acting on one is
for its own body's supervisors (``guards.actor_is_supervisor``); a department supervising its
system (条例第四十二条) sees its own matters; a 司法所 (第六条第二款) those it was added to;
an agency's head sees what is addressed to its agency (matters past 登记 — a clue the body has
not taken on is not the agency's business), never the supervisors' internal notes on the team.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from zhifa.core.calendar import counted
from zhifa.core.time_limits import time_limit
from zhifa.record.models import Entry
from zhifa.record.verification import Problem
from zhifa.registry.models import Account, Agency
from zhifa.todos.items import Todo

from . import scope
from . import time_limits as tl
from .escalation import proposal_for
from .models import FINAL_STATES, Document, Escalation, Matter, MatterSupervisor, Objection, Step

Role = Account.Role

# What the agency sees: from 受理 on (a refused or transferred clue was never put to it).
AGENCY_STATES = [
    Matter.State.ACCEPTED,
    Matter.State.INVESTIGATING,
    Matter.State.HANDLING,
    Matter.State.RECTIFYING,
    Matter.State.CLOSED,
    Matter.State.TERMINATED,
]


def matters_visible_to(account: Account) -> QuerySet[Matter]:
    qs = Matter.objects.select_related("body", "agency")
    if not account.is_authenticated or not account.is_active:
        return qs.none()
    if account.role == Role.SUPERVISOR:
        # by the account's scope: region (第六条第一款), system (第四十二条), assist (第六条第二款)
        where = scope.matters_filter(account)
        if where is None:
            return qs.none()
        return qs.filter(where)
    if account.role == Role.HEAD and account.agency_id is not None:
        return qs.filter(agency_id=account.agency_id, state__in=AGENCY_STATES)
    return qs.none()


# -- the bodies a supervisor may open a matter about ---------------------------

AGENCY_MATCHES = 20  # as many as the public lookup lists (registry.public_api)


def agencies_supervisable_by(account: Account) -> QuerySet[Agency]:
    """Every body of the supervisor's region, whatever its status: a matter may concern acts of
    a body suspended or abolished since (条例第二条、第六条: the region's bodies). The public
    lookup lists active bodies only. Nobody but a supervisor with a region gets any."""
    if not account.is_authenticated or not account.is_active or account.role != Role.SUPERVISOR:
        return Agency.objects.none()
    # 本系统内部监督 (第四十二条): the bodies below the department; 司法所协助: none
    return scope.agencies_supervisable(account)


@dataclass(frozen=True)
class AgencyMatch:
    """One body found by name: ``label`` is the name, with its status when it is not active."""

    id: int
    name: str
    division_code: str
    status: str
    status_label: str
    label: str


def agencies_supervisable_search(
    account: Account, q: str, limit: int = AGENCY_MATCHES
) -> tuple[list[AgencyMatch], bool]:
    """The bodies of ``agencies_supervisable_by`` whose name contains ``q``, at most ``limit``
    by region and name, and whether more match."""
    labels = dict(Agency.Status.choices)
    rows = list(
        agencies_supervisable_by(account)
        .filter(name__contains=q.strip())
        .order_by("division_code", "name", "pk")
        .values_list("pk", "name", "division_code", "status")[: limit + 1]
    )
    out = [
        AgencyMatch(
            id=pk,
            name=name,
            division_code=code,
            status=status,
            status_label=labels.get(status, status),
            label=name if status == Agency.Status.ACTIVE else f"{name}（{labels.get(status)}）",
        )
        for pk, name, code, status in rows
    ]
    return out[:limit], len(out) > limit


def matters_search(
    account: Account,
    *,
    q: str = "",
    state: str = "",
    kind: str = "",
    origin: str = "",
    agency_id: int | None = None,
) -> QuerySet[Matter]:
    qs = matters_visible_to(account)
    if q:
        qs = qs.filter(
            Q(number__icontains=q) | Q(title__icontains=q) | Q(agency__name__icontains=q)
        )
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if origin:
        qs = qs.filter(origin=origin)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    return qs


def matter_steps(matter: Matter) -> QuerySet[Step]:
    return matter.steps.select_related("answers").order_by("on", "pk")


def matter_documents(matter: Matter) -> QuerySet[Document]:
    return matter.documents.prefetch_related("objections__answer_body").order_by("issued_on", "pk")


def matter_team(matter: Matter) -> QuerySet[MatterSupervisor]:
    return matter.team.select_related("account").order_by("pk")


def matter_entries(matter: Matter) -> list[Entry]:
    """The matter's record entries (its timeline), in order."""
    return [
        e
        for e in Entry.objects.filter(
            action__startswith="supervision.", seq__gte=_first_seq(matter)
        )
        .order_by("seq")
        .iterator(chunk_size=500)
        if e.data.get("matter") == matter.pk
    ]


def _first_seq(matter: Matter) -> int:
    """The matter's opening entry is its first; the team row it made was written by it."""
    first = matter.team.order_by("pk").values_list("entry_seq", flat=True).first()
    return 0 if first is None or first < 0 else min(first, matter.entry_seq)


def remaining_days(due: date, today: date, unit: str) -> int:
    """Days (working days for a working-day limit) left until ``due``; negative when overdue."""
    if unit == "workdays":
        if due >= today:
            return counted(lambda cal: cal.workdays_between(today, due), from_year=today.year)[0]
        return -counted(lambda cal: cal.workdays_between(due, today), from_year=due.year)[0]
    return (due - today).days


@dataclass(frozen=True)
class Countdown:
    what: str
    due_on: date
    remaining: int
    unit: str
    text: str  # the time limit's row: "30日（依据：…）"

    @property
    def overdue(self) -> bool:
        return self.remaining < 0


def countdown(key: str, what: str, due: date, today: date) -> Countdown:
    row = time_limit(key)
    unit = "个工作日" if row.unit == "workdays" else "日"
    return Countdown(what, due, remaining_days(due, today, row.unit), unit, row.text)


def open_requests(matter: Matter) -> QuerySet[Step]:
    return matter.steps.filter(
        kind=Step.Kind.EXPLANATION_REQUEST, answered_by__isnull=True
    ).order_by("due_on")


def open_rectifications_of(matters: QuerySet[Matter]) -> QuerySet[Document]:
    return Document.objects.filter(
        matter__in=matters,
        kind__in=["urge_letter", "opinion", "decision"],
        status__in=[Document.Status.ISSUED, Document.Status.REJECTED],
    ).select_related("matter", "matter__agency")


def rectifications_overdue(account: Account, today: date) -> QuerySet[Document]:
    """The overdue list: rectifications not reported by their due day."""
    return open_rectifications_of(matters_visible_to(account)).filter(due_on__lt=today)


def matter_countdowns(matter: Matter, today: date) -> list[Countdown]:
    """Every running time limit of the matter, with its source."""
    out: list[Countdown] = []
    for step in open_requests(matter):
        if step.due_on:
            out.append(countdown(tl.EXPLANATION, f"书面说明：{step.text[:20]}", step.due_on, today))
    for doc in matter.documents.all():
        if doc.status in (Document.Status.ISSUED, Document.Status.REJECTED) and doc.due_on:
            key = tl.FOR_DOCUMENT[doc.kind]
            out.append(countdown(key, f"{doc.get_kind_display()}{doc.number}", doc.due_on, today))
        for obj in doc.objections.all():
            if obj.status == Objection.Status.FILED:
                if obj.answer_body_id is not None:
                    # Routed upward: the upper-level body answers (its own row and source).
                    out.append(
                        countdown(
                            tl.OBJECTION_ANSWER_UPPER,
                            f"上级行政执法监督机构答复异议（{doc.number}）",
                            obj.answer_due,
                            today,
                        )
                    )
                    continue
                out.append(
                    countdown(
                        tl.OBJECTION_ANSWER, f"答复异议（{doc.number}）", obj.answer_due, today
                    )
                )
    return out


# -- to-dos ---------------------------------------------------------------------------------


def _todo(key: str, kind: str, label: str, what: str, url: str, cd: Countdown | None) -> Todo:
    if cd is None:
        return Todo(key=key, kind=kind, kind_label=label, what=what, url=url)
    return Todo(
        key=key,
        kind=kind,
        kind_label=label,
        what=what,
        url=url,
        due_on=cd.due_on,
        remaining=cd.remaining,
        unit=cd.unit,
        article=cd.text,
        deadline_name=cd.what,
    )


def supervisor_todos(account: Account, today: date) -> list[Todo]:
    """Open matters with their countdowns; reports to check; objections to answer. Only the
    matters the account's own body handles: an upper-level body sees its region's matters but
    does not do the lower body's work (its own to-dos are the objections routed to it)."""
    out: list[Todo] = [
        *upper_objection_todos(account, today),
        *escalation_todos(account, today),
    ]
    matters = (
        matters_visible_to(account)
        .filter(body_id=account.agency_id)
        .exclude(state__in=list(FINAL_STATES))
    )
    for matter in matters.prefetch_related("documents__objections"):
        url = f"/supervision/matters/{matter.pk}/"
        cds = matter_countdowns(matter, today)
        if not cds:
            out.append(
                _todo(
                    f"sup:{matter.pk}",
                    "supervision",
                    "监督事项",
                    f"{matter.number} {matter.title}（{matter.get_state_display()}）",
                    url,
                    None,
                )
            )
        for i, cd in enumerate(cds):
            if cd.what.startswith("上级行政执法监督机构"):
                continue  # the upper-level body answers it (its own to-do), not this body
            out.append(
                _todo(
                    f"sup:{matter.pk}:{i}",
                    "supervision",
                    "监督事项",
                    f"{matter.number} {cd.what}",
                    url,
                    cd,
                )
            )
        for doc in matter.documents.all():
            if doc.status == Document.Status.REPORTED:
                out.append(
                    _todo(
                        f"sup-check:{doc.pk}",
                        "supervision",
                        "整改验收",
                        f"验收整改情况：{doc.number}",
                        url,
                        None,
                    )
                )
    return out


def head_todos(account: Account, today: date) -> list[Todo]:
    """The agency head's: requests to answer, rectifications to report, by their limits."""
    out: list[Todo] = []
    matters = matters_visible_to(account).exclude(state__in=list(FINAL_STATES))
    for matter in matters:
        url = f"/supervision/inbox/{matter.pk}/"
        for step in open_requests(matter):
            cd = countdown(tl.EXPLANATION, "书面说明", step.due_on, today) if step.due_on else None
            out.append(
                _todo(
                    f"head-req:{step.pk}",
                    "supervision",
                    "监督事项",
                    f"说明情况：{matter.title}",
                    url,
                    cd,
                )
            )
        for doc in open_rectifications_of(Matter.objects.filter(pk=matter.pk)):
            cd = (
                countdown(tl.FOR_DOCUMENT[doc.kind], "报送整改情况", doc.due_on, today)
                if doc.due_on
                else None
            )
            out.append(
                _todo(
                    f"head-doc:{doc.pk}",
                    "supervision",
                    "监督事项",
                    f"落实{doc.get_kind_display()}{doc.number}",
                    url,
                    cd,
                )
            )
    return out


# -- zhifa verify ---------------------------------------------------------------------------


def supervision_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """``zhifa verify``: fold the ``rows`` of every supervision entry, in order, and compare the
    tables with the replay — a row changed outside the services, or a row without entries, is
    reported with the entry that last wrote it."""
    from .services import _REPLAYED, row_fields, row_key

    del groups  # supervision entries carry no case
    replay: dict[str, dict[str, Any]] = {}
    last_seq: dict[str, int] = {}
    for entry in (
        Entry.objects.filter(action__startswith="supervision.")
        .order_by("seq")
        .iterator(chunk_size=2000)
    ):
        for key, fields in (entry.data.get("rows") or {}).items():
            replay.setdefault(key, {}).update(fields)
            last_seq[key] = entry.seq
    seen: set[str] = set()
    for model in _REPLAYED:
        for obj in model._default_manager.order_by("pk").iterator(chunk_size=2000):
            key = row_key(obj)
            seen.add(key)
            want = replay.get(key)
            if want is None:
                yield Problem(
                    kind="supervision_row_unrecorded", message=f"监督事项数据{key}没有对应的记录"
                )
                continue
            have = row_fields(obj)
            diff = sorted(k for k in want if have.get(k) != want[k])
            if diff:
                yield Problem(
                    kind="supervision_row_differs",
                    seq=last_seq[key],
                    message=f"监督事项数据{key}的{('、'.join(diff))}与记录#{last_seq[key]}重放的结果不一致",
                )
    for key in sorted(set(replay) - seen):
        yield Problem(
            kind="supervision_row_missing",
            seq=last_seq[key],
            message=f"记录#{last_seq[key]}登记的监督事项数据{key}已不存在",
        )


# -- objections routed upward; escalations of overdue rectifications ------------------


def objections_to_answer(account: Account) -> QuerySet[Objection]:
    """Objections routed to the account's body as the upper-level supervisory body
    (ZHIFA_SUPERVISION_OBJECTION_TO_UPPER) and not answered yet, about matters it sees."""
    if account.role != Role.SUPERVISOR or account.agency_id is None:
        return Objection.objects.none()
    return (
        Objection.objects.filter(
            answer_body_id=account.agency_id,
            status=Objection.Status.FILED,
            document__matter__in=matters_visible_to(account),
        )
        .select_related("document", "document__matter", "document__matter__agency")
        .order_by("answer_due", "pk")
    )


def upper_objection_todos(account: Account, today: date) -> list[Todo]:
    """The upper-level body's to-dos: answer each objection routed to it, by its row."""
    out: list[Todo] = []
    for obj in objections_to_answer(account):
        doc = obj.document
        cd = countdown(tl.OBJECTION_ANSWER_UPPER, "答复异议", obj.answer_due, today)
        out.append(
            _todo(
                f"sup-upper-objection:{obj.pk}",
                "supervision",
                "答复下级监督文书的异议",
                f"答复{doc.matter.agency.name}对{doc.number}的异议",
                f"/supervision/matters/{doc.matter_id}/",
                cd,
            )
        )
    return out


def escalations_open(account: Account) -> QuerySet[Escalation]:
    """Escalations of the account's own body whose proposal is not yet followed: no document
    of the proposed kind issued on the matter since the escalation."""
    if account.role != Role.SUPERVISOR or account.agency_id is None:
        return Escalation.objects.none()
    qs = Escalation.objects.filter(
        matter__in=matters_visible_to(account).filter(body_id=account.agency_id)
    ).exclude(matter__state__in=list(FINAL_STATES))
    followed = Document.objects.filter(
        matter_id=models.OuterRef("matter_id"),
        kind=models.OuterRef("proposal"),
        issued_on__gte=models.OuterRef("on"),
    )
    return (
        qs.exclude(models.Exists(followed))
        .select_related("document", "matter", "matter__agency")
        .order_by("on", "pk")
    )


def escalation_todos(account: Account, today: date) -> list[Todo]:
    """The supervisor's to-do of each escalation: propose a 决定书 / issue a 督办函."""
    from .services import overdue_days

    out: list[Todo] = []
    for esc in escalations_open(account):
        doc = esc.document
        days = overdue_days(doc, today) or esc.overdue_days
        unit = "个工作日" if esc.unit == "workdays" else "日"
        out.append(
            Todo(
                key=f"sup-escalation:{esc.pk}",
                kind="supervision",
                kind_label="逾期整改升级",
                what=f"{esc.get_proposal_display()}（{doc.get_kind_display()}{doc.number}"
                f"已逾期{days}{unit}）",
                url=f"/supervision/matters/{esc.matter_id}/",
                due_on=esc.due_on,
                remaining=-days,
                unit=unit,
                article=f"依据：{esc.basis}",
                deadline_name="整改、报告期限",
                note="建议措施的依据："
                + proposal_for(doc.kind, department=scope.body_is_department(esc.matter.body_id))[
                    1
                ],
            )
        )
    return out


@dataclass(frozen=True)
class Overdue:
    """What the workspace and the inbox show of an overdue rectification."""

    document: Document
    days: int
    unit: str
    text: str  # "已逾期3日（依据：《广东省行政执法监督条例》第三十三条）"
    escalation: Escalation | None


def matter_overdue(matter: Matter, today: date) -> list[Overdue]:
    """The matter's rectifications overdue today (not reported, or reported and not accepted,
    by the due day on the configured calendar), each with its escalation when the job has made
    one."""
    from .services import overdue_days

    out: list[Overdue] = []
    for doc in matter.documents.filter(
        kind__in=list(tl.FOR_DOCUMENT),
        status__in=[Document.Status.ISSUED, Document.Status.REJECTED],
        due_on__lt=today,
    ).order_by("due_on", "pk"):
        if doc.kind not in ("urge_letter", "opinion", "decision"):
            continue
        row = time_limit(tl.FOR_DOCUMENT[doc.kind])
        days = overdue_days(doc, today)
        esc = Escalation.objects.filter(document=doc).first()
        out.append(
            Overdue(
                doc,
                days,
                row.unit_label,
                f"已逾期{days}{row.unit_label}（依据：{row.source}）",
                esc,
            )
        )
    return out


# -- what people without access to personal data read of a matter ------------------------------


def matter_title_without_personal_data(matter: Matter) -> str:
    """The matter's title as a 行政执法监督员 may read it: the personal values of the cases the
    matter read and of its source (a complainant's identity) removed, as a published result's
    are (the publicity app's redaction), every natural person's name as 某某."""
    from zhifa.cases.models import Case
    from zhifa.publicity.decision_text import Known, known_values
    from zhifa.publicity.services import redact_field

    from .personal_values import personal_values

    read = Step.objects.filter(matter=matter, case_id__isnull=False).values_list("case_id")
    known: list[Known] = []
    for case in Case.objects.filter(pk__in=read).order_by("pk"):
        known += known_values(case, "hidden")
    known += [Known(value, kind, "", label) for value, kind, label in personal_values(matter)]
    return redact_field(matter.title, known, matter.agency.division_code)
