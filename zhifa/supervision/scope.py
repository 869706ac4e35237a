"""Whom a supervisor supervises: the one place that answers it for the supervision app.

The account's ``supervision_scope`` (registry, set when the account is made; docs/decisions.md)
decides, never a body's name:

- ``region`` — 条例第六条第一款: the 司法局 of a region. Bodies: every body of its region
  (``region_code``); matters: those of the region's supervisory bodies about the region's
  bodies (acting: its own body's, ``guards.actor_is_supervisor``). Unchanged from before.
- ``system`` — 条例第四十二条: a department supervising its own system. Bodies: those below the
  account's agency through 上级主体 (``Agency.parent``, any depth) — not the department itself,
  not the rest of the region; matters: those whose supervisory body is the department.
- ``assist`` — 条例第六条第二款: a township 司法所 assisting the county 司法局 (its agency's
  上级主体). Bodies: none (it opens no matter); matters: the bureau's matters whose team it was
  added to; acting: the measures it takes part in only.

``selectors.matters_visible_to`` / ``agencies_supervisable_by`` and the services' checks all
come here, so a page, the API and a service answer alike.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhifa.registry.models import Account, Agency
from zhifa.registry.selectors import agencies_below, region_of

from . import guards

Scope = Account.SupervisionScope


def scope_of(account: Account) -> str:
    return str(getattr(account, "supervision_scope", Scope.REGION) or Scope.REGION)


def system_of(agency_id: int) -> set[int]:
    """The ids of the bodies below ``agency_id`` through 上级主体, any depth (itself excluded)."""
    return agencies_below(agency_id)


def agencies_supervisable(account: Account) -> QuerySet[Agency]:
    """The bodies ``account`` (an active supervisor) may open a matter about."""
    scope = scope_of(account)
    if scope == Scope.SYSTEM:
        if account.agency_id is None:
            return Agency.objects.none()
        return Agency.objects.filter(pk__in=system_of(account.agency_id))
    if scope == Scope.ASSIST:
        return Agency.objects.none()
    prefix = region_of(account)
    if prefix is None:
        return Agency.objects.none()
    return Agency.objects.filter(division_code__startswith=prefix)


def matters_filter(account: Account) -> Q | None:
    """The filter of the matters ``account`` (an active supervisor) sees; None: none."""
    from .models import MatterSupervisor

    scope = scope_of(account)
    if scope == Scope.SYSTEM:
        if account.agency_id is None:
            return None
        return Q(body_id=account.agency_id)
    if scope == Scope.ASSIST:
        bureau = _bureau_of(account)
        if bureau is None:
            return None
        team = MatterSupervisor.objects.filter(account_id=account.pk).values("matter_id")
        return Q(body_id=bureau, pk__in=team)
    prefix = region_of(account)
    if prefix is None:
        return None
    return Q(body__division_code__startswith=prefix, agency__division_code__startswith=prefix)


def _bureau_of(account: Account) -> int | None:
    """The county 司法局 a 司法所 account assists: its agency's 上级主体."""
    if account.agency_id is None:
        return None
    return Agency.objects.filter(pk=account.agency_id).values_list("parent_id", flat=True).first()


def check_may_open_any(actor: Account) -> None:
    """A 司法所 assisting the county bureau opens no matter (第六条第二款)."""
    if scope_of(actor) == Scope.ASSIST:
        guards.assistant_may(allowed=False, on_team=False, of_body=False)


def check_may_open(actor: Account, agency: Agency, kind: str) -> None:
    """May ``actor`` (a supervisor with a body) open a matter of ``kind`` about ``agency``?"""
    scope = scope_of(actor)
    if scope == Scope.ASSIST:
        guards.assistant_may(allowed=False, on_team=False, of_body=False)
    if scope == Scope.SYSTEM:
        guards.department_kind_allowed(kind=kind)
        guards.agency_in_system(
            in_system=actor.agency_id is not None and agency.pk in system_of(actor.agency_id),
            is_department=agency.pk == actor.agency_id,
        )
        return
    guards.agency_in_region(division_code=agency.division_code, region_prefix=region_of(actor))


def is_assistant_of(account: Account, body_id: int) -> bool:
    """Is ``account`` a 司法所 supervisor assisting the bureau ``body_id``?"""
    return (
        account.role == Account.Role.SUPERVISOR
        and scope_of(account) == Scope.ASSIST
        and _bureau_of(account) == body_id
    )


def check_acts(actor: Account, matter: object, *, assist_ok: bool = False) -> None:
    """May ``actor`` act on ``matter`` (a ``Matter``)? The body's own supervisors within their
    scope; a 司法所 assisting the body only where ``assist_ok`` (a measure it takes part in) and
    on the matter's team."""
    from .models import Matter, MatterSupervisor

    assert isinstance(matter, Matter)
    if scope_of(actor) == Scope.ASSIST and actor.role == Account.Role.SUPERVISOR:
        guards.assistant_may(
            allowed=assist_ok,
            on_team=MatterSupervisor.objects.filter(matter=matter, account=actor).exists(),
            of_body=_bureau_of(actor) == matter.body_id,
        )
        return
    guards.actor_is_supervisor(
        role=actor.role, actor_body_id=actor.agency_id, body_id=matter.body_id
    )
    if scope_of(actor) == Scope.SYSTEM:
        guards.agency_in_system(
            in_system=matter.agency_id in system_of(matter.body_id),
            is_department=matter.agency_id == matter.body_id,
        )
        return
    guards.agency_in_region(
        division_code=matter.agency.division_code, region_prefix=region_of(actor)
    )


def check_outcome(actor: Account, kind: str) -> None:
    """A department supervising its system does not ask for a 决定书 (第二十九条)."""
    if scope_of(actor) == Scope.SYSTEM:
        guards.department_outcome_allowed(kind=kind)


def body_is_department(body_id: int) -> bool:
    """Does the supervisory body ``body_id`` supervise as a department its own system (its
    supervisors are of 本系统内部监督 scope, 第四十二条), not as a 司法局?"""
    return Account.objects.filter(
        agency_id=body_id, role=Account.Role.SUPERVISOR, supervision_scope=Scope.SYSTEM
    ).exists()


def may_join_team(account: Account, body_id: int) -> bool:
    """Who the body's supervisor may add to a matter's team: its own supervisors, and the
    supervisors of the 司法所 assisting it (第六条第二款)."""
    if account.role != Account.Role.SUPERVISOR or not account.is_active:
        return False
    return account.agency_id == body_id or is_assistant_of(account, body_id)


def team_candidates(body_id: int) -> QuerySet[Account]:
    """The accounts ``may_join_team`` admits, for the team form's choices."""
    below = Agency.objects.filter(parent_id=body_id).values("pk")
    return Account.objects.filter(role=Account.Role.SUPERVISOR, is_active=True).filter(
        Q(agency_id=body_id) | Q(agency_id__in=below, supervision_scope=Scope.ASSIST)
    )
