"""``zhifa evaluation_templates_install --username <account> [--on YYYY-MM-DD]``: create and
publish the two shipped scoring templates (``standard_templates``) for the account's 司法局, or
for the whole deployment when the account is the system administrator. Idempotent."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.exceptions import RuleViolation
from zhifa.evaluation.standard_templates import standard_templates_install
from zhifa.registry.models import Account


class Command(BaseCommand):
    help = (
        "发布随平台提供的两套评查标准（广东办法结构；行政处罚普通程序扣分标准），已有的不重复发布"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--username", required=True, help="执法监督人员或系统管理员的账号")
        parser.add_argument("--on", help="发布日期（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(_("日期格式应为YYYY-MM-DD")) from exc
        actor = Account.objects.filter(username=options["username"]).first()
        if actor is None:
            raise CommandError(_("没有该账号"))
        try:
            templates = standard_templates_install(actor, on)
        except RuleViolation as exc:
            raise CommandError(str(exc)) from exc
        for t in templates:
            self.stdout.write(
                _("%(name)s：第%(version)d版，%(status)s")
                % {"name": t.name, "version": t.version, "status": t.get_status_display()}
            )
