"""Notifications: messages to one account about work waiting or done (an approval requested, a
request returned, a deadline near). They are not the legal record — the step, the request and
its answer are entries of the record log; a notification only points at them (docs/decisions.md).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from zhifa.registry.models import Account


class Notification(models.Model):
    """One message to ``recipient``. ``key`` makes a notification sent at most once (a deadline
    reminder is keyed by the item, the due day and the stage); blank: no such guarantee."""

    class Kind(models.TextChoices):
        APPROVAL_REQUESTED = "approval_requested", "审批申请"
        APPROVAL_ANSWERED = "approval_answered", "审批结果"
        REVIEW_REQUESTED = "review_requested", "案件审核"
        REMINDER = "reminder", "期限提醒"
        FILING = "filing", "重大处罚备案"  # filed, reviewed or closed (the filings app)
        COMPLAINT = "complaint", "投诉举报"
        WARNING = "warning", "执法监督预警"  # a new early warning (the alerts app)
        STATISTICS = "statistics", "统计报送"  # a filing submitted, returned or accepted
        EVALUATION = "evaluation", "案卷评查与效能评价"  # campaigns, objections, results
        SUPERVISION = "supervision", "执法监督事项"  # a matter, its documents and answers
        PUBLICATION = "publication", "公开审核"  # a result or report waiting for the publisher

    recipient = models.ForeignKey(
        Account, verbose_name="接收人", on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField("类别", max_length=32, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    case_id = models.IntegerField("案件", null=True, blank=True)
    key = models.CharField("去重键", max_length=200, blank=True)
    created_at = models.DateTimeField("发送时间")
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知"
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~Q(key=""),
                name="notification_sent_once",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class NotificationSetting(models.Model):
    """How one account wants to be told: inside zhifa (the count in the header) and by e-mail
    (where the deployment has an SMTP server and the account an address). No row: both on."""

    account = models.OneToOneField(
        Account,
        verbose_name="账号",
        on_delete=models.PROTECT,
        related_name="notification_setting",
    )
    in_app = models.BooleanField("站内通知（页面顶部显示未读数）", default=True)
    email = models.BooleanField("电子邮件通知", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知设置"

    def __str__(self) -> str:
        return str(self.account)
