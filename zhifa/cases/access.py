"""The one gate to a case: ``access_case(account, case_id, action)``.

Missing and not-yours answer the same 404. A case the account may see but not act on (a
supervisor's region, an archived case, a reviewer or publisher of the agency) answers 403 with
the reason; the services check the same rules again with the article.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zhifa.registry.models import Account

from . import selectors
from .models import Case

Role = Account.Role


class CaseAction(StrEnum):
    READ = "read"  # see the case, its parties, steps and record
    HANDLE = "handle"  # take an officer's step (笔录, 告知, 送达 …)
    APPROVE = "approve"  # the head's approvals (立案, 决定, 结案 …)
    FILES = "files"  # open the documents and evidence files (full personal data): agency only
    PLAY = "play"  # play an audio/video record in the page: the agency and its supervisors


def access_case(account: Account, case_id: int, action: str = CaseAction.READ) -> Case:
    """The case, if ``account`` may do ``action`` on it.

    Raises Http404 when the case does not exist or is outside the account's scope, and
    PermissionDenied when it is visible but the account may not act on it.
    """
    case = (
        selectors.cases_visible_to(account)
        .select_related("agency", "domain", "power_item")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    if action == CaseAction.READ:
        return case
    if action == CaseAction.PLAY and (
        account.agency_id == case.agency_id or account.role == Role.SUPERVISOR
    ):
        # 国办发〔2018〕118号: supervisors may view enforcement audio/video; every viewing is
        # itself a record entry (cases.views_media).
        return case
    if action in (CaseAction.FILES, CaseAction.PLAY):
        if account.agency_id != case.agency_id:
            raise PermissionDenied("执法文书和证据文件含当事人个人信息，只有本机关人员可以调阅")
        return case
    if account.agency_id != case.agency_id:
        raise PermissionDenied("执法监督人员只能查看案件，不能办理")
    if case.state == Case.State.ARCHIVED:
        raise PermissionDenied("案件已归档，案卷只读")
    if action == CaseAction.HANDLE and account.role in (Role.OFFICER, Role.HEAD):
        return case
    if action == CaseAction.APPROVE and account.role == Role.HEAD:
        return case
    raise PermissionDenied("您的角色不能办理该事项")


def takes_steps(account: Account, case: Case) -> bool:
    """Whether ``account`` is one who takes steps of ``case`` at all — its agency's officers and
    head — whatever the case's stage allows now."""
    return account.agency_id == case.agency_id and account.role in (Role.OFFICER, Role.HEAD)
