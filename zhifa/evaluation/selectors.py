"""Reads of the evaluation app: who sees which template, campaign and file.

- supervisors see the campaigns whose evaluating body lies in their region, and every file of
  them;
- the head of an agency sees the campaigns its agency runs over its own system (第六条), and, of
  other campaigns, its own agency's files once the results are fed back (state 反馈异议 or later);
- a team member (any account on a campaign's team) sees the campaign and the files assigned to
  them;
- templates: every published version to all staff; drafts to the supervisors of the owning body
  (and shipped drafts to system administrators).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhifa.registry.models import Account
from zhifa.registry.selectors import region_of

from .models import Campaign, File, Scoring, Template

Role = Account.Role
FED_BACK = (Campaign.State.FEEDBACK, Campaign.State.CLOSED)


def _active(account: Account) -> bool:
    return bool(account.is_authenticated and account.is_active)


def may_run_campaigns(account: Account) -> bool:
    """A supervisor with a body, or an agency's head evaluating its own system (第四条、第六条)."""
    return (
        _active(account)
        and account.agency_id is not None
        and account.role
        in (
            Role.SUPERVISOR,
            Role.HEAD,
        )
    )


def templates_visible_to(account: Account) -> QuerySet[Template]:
    qs = Template.objects.select_related("owner")
    if not _active(account):
        return qs.none()
    published = Q(status__in=(Template.Status.PUBLISHED, Template.Status.RETIRED))
    if account.role in (Role.SUPERVISOR, Role.HEAD) and account.agency_id is not None:
        return qs.filter(published | Q(owner_id=account.agency_id))
    if account.role == Role.ADMIN and not account.agency_id and not account.region_code:
        return qs
    return qs.filter(published)


def campaigns_visible_to(account: Account) -> QuerySet[Campaign]:
    qs = Campaign.objects.select_related("body")
    if not _active(account):
        return qs.none()
    member = Q(members__account=account, members__active=True)
    if account.role == Role.SUPERVISOR:
        prefix = region_of(account)
        if prefix is not None:
            return qs.filter(Q(body__division_code__startswith=prefix) | member).distinct()
    if account.role == Role.HEAD and account.agency_id is not None:
        return qs.filter(
            Q(body_id=account.agency_id)
            | Q(agencies=account.agency_id, state__in=FED_BACK)
            | member
        ).distinct()
    return qs.filter(member).distinct()


def files_visible_to(account: Account) -> QuerySet[File]:
    qs = File.objects.select_related("campaign", "case", "agency", "template")
    if not _active(account):
        return qs.none()
    assigned = Q(scorings__reviewer__account=account, scorings__reviewer__active=True)
    leader = Q(campaign__members__account=account, campaign__members__is_leader=True)
    if account.role == Role.SUPERVISOR:
        prefix = region_of(account)
        if prefix is not None:
            return qs.filter(
                Q(campaign__body__division_code__startswith=prefix) | assigned | leader
            ).distinct()
    if account.role == Role.HEAD and account.agency_id is not None:
        return qs.filter(
            Q(campaign__body_id=account.agency_id)
            | Q(agency_id=account.agency_id, campaign__state__in=FED_BACK)
            | assigned
            | leader
        ).distinct()
    return qs.filter(assigned | leader).distinct()


def scorings_visible_to(account: Account, file: File) -> QuerySet[Scoring]:
    """The scorings of ``file`` that ``account`` may read: a reviewer sees their own, and the
    others only once every assigned reviewer has signed (第十条: 独立评分); the campaign's
    supervisors and its leader see the signed ones; the agency, after feedback, the signed ones."""
    qs = Scoring.objects.filter(file=file).select_related("reviewer")
    signed = qs.filter(state=Scoring.State.SIGNED)
    all_signed = not qs.exclude(state=Scoring.State.SIGNED).exists()
    own = qs.filter(reviewer__account=account)
    if own.exists() and not all_signed:
        return own
    return (own | signed).distinct() if all_signed else signed
