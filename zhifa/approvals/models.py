"""A request for the head's approval (提请审批): an officer asks the head of the agency to take
one of the head's steps on a case (立案, 处罚决定, 结案 …) with a note. The head approves it by
taking the step itself, or returns it with a reason; the requester may withdraw it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from zhifa.cases.models import Case
from zhifa.registry.models import Account


class ApprovalRequest(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "待审批"  # waiting for the head
        APPROVED = "approved", "已批准"  # the head took the step requested
        RETURNED = "returned", "已退回"  # the head returned it with a reason
        WITHDRAWN = "withdrawn", "已撤回"  # the requester withdrew it
        LAPSED = "lapsed", "已失效"  # the case moved on; the step is no longer possible

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="approval_requests"
    )
    service = models.CharField("审批事项", max_length=40)
    from_state = models.CharField("提请时的案件阶段", max_length=32)
    note = models.TextField("提请说明")
    requested_by = models.ForeignKey(
        Account, verbose_name="提请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("提请时间")
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.PENDING)
    answered_by = models.ForeignKey(
        Account,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField("处理时间", null=True, blank=True)
    reason = models.TextField("退回理由", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审批申请"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "service"],
                condition=Q(state="pending"),
                name="one_pending_request_per_step",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.service}"

    @property
    def service_label(self) -> str:
        from zhifa.cases.transitions import SERVICE_LABELS

        return SERVICE_LABELS.get(self.service, self.service)
