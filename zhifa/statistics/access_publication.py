"""The gate to a filing for publishing it: the head (机关负责人) or the publisher (公示管理员)
of the filing's agency — the agency publishes its own figures (国办发〔2018〕118号（六）: "公开
本机关…数据"). Missing and not-yours answer the same 404."""

from __future__ import annotations

from django.http import Http404

from zhifa.registry.models import Account

from .models import Filing

PUBLISHERS = frozenset({Account.Role.HEAD, Account.Role.PUBLISHER})


def access_filing_to_publish(account: Account, pk: int) -> Filing:
    filing = Filing.objects.select_related("agency").filter(pk=pk).first()
    if (
        filing is None
        or account.role not in PUBLISHERS
        or account.agency_id is None
        or account.agency_id != filing.agency_id
    ):
        raise Http404
    return filing
