"""``zhifa logins list|unlock``: locked logins, and their unlock by the system administrator.

``unlock`` goes through ``logins.login_unlock`` (recorded, like the page /registry/logins/);
it is the way in for an administrator whose own account or address is locked.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.exceptions import RuleViolation
from zhifa.registry import logins
from zhifa.registry.selectors import account_by_username


class Command(BaseCommand):
    help = (
        "登录锁定：list 列出被锁定的账号和网络地址｜"
        "unlock --account 用户名 或 --address 地址 --as 管理员"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="列出当前被锁定的账号和网络地址")
        unlock = sub.add_parser("unlock", help="解除一个账号或一个网络地址的登录锁定（记录在案）")
        which = unlock.add_mutually_exclusive_group(required=True)
        which.add_argument("--account", default="", help="被锁定的用户名")
        which.add_argument("--address", default="", help="被锁定的网络地址")
        unlock.add_argument("--as", dest="actor", required=True, help="系统管理员的用户名")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list()
            return
        actor = account_by_username(options["actor"], active_only=True)
        if actor is None:
            raise CommandError(_("账号不存在：%(username)s") % {"username": options["actor"]})
        try:
            cleared = logins.login_unlock(
                actor=actor, username=options["account"], address=options["address"]
            )
        except RuleViolation as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("已解除%(who)s的登录锁定（清除失败记录%(n)d条）")
            % {"who": options["account"] or options["address"], "n": cleared}
        )

    def _list(self) -> None:
        locks = logins.lockouts_active(now=timezone.now())
        if not locks:
            self.stdout.write(_("目前没有被锁定的账号或网络地址"))
            return
        self.stdout.write("\t".join([_("类别"), _("对象"), _("失败次数"), _("锁定至")]))
        for lock in locks:
            if lock.scope == logins.ADDRESS:
                kind, who = _("网络地址"), lock.subject
            else:
                kind = _("账号")
                who = lock.subject if lock.account else _("（不存在的账号名，不显示）")
            until = timezone.localtime(lock.until).strftime("%Y-%m-%d %H:%M")
            self.stdout.write("\t".join([str(kind), str(who), str(lock.failures), until]))
