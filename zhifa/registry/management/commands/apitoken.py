"""``zhifa apitoken issue|revoke|list``: API tokens of an account, from the shell.

The raw token is shown once, on the last line of ``issue`` (scripts read it with ``tail -1``);
only its SHA-256 is stored.
"""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.exceptions import RuleViolation
from zhifa.registry import services
from zhifa.registry.models import Account, ApiToken
from zhifa.registry.selectors import account_by_username


def _account(username: str) -> Account:
    account = account_by_username(username, active_only=False)
    if account is None:
        raise CommandError(_("账号不存在：%(username)s") % {"username": username})
    return account


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"


class Command(BaseCommand):
    help = "接口令牌：issue 用户名 --name 用途 [--days 天数]｜revoke 前缀 --as 用户名｜list 用户名"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="为账号签发接口令牌（令牌只显示这一次）")
        issue.add_argument("username")
        issue.add_argument("--name", default="API", help="用途，如“统计报送”")
        issue.add_argument(
            "--days",
            type=int,
            default=None,
            help="有效天数（默认及上限为 ZHIFA_API_TOKEN_DAYS，出厂为365天）",
        )
        revoke = sub.add_parser("revoke", help="停用账号的一个接口令牌")
        revoke.add_argument("prefix", help="令牌前缀（list 显示的前8位）")
        revoke.add_argument("--as", dest="username", required=True, help="令牌所属账号")
        listing = sub.add_parser("list", help="列出账号的接口令牌")
        listing.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        account = _account(options["username"])
        action = options["action"]
        try:
            if action == "issue":
                self._issue(account, options["name"], options["days"])
            elif action == "revoke":
                self._revoke(account, options["prefix"])
            else:
                self._list(account)
        except RuleViolation as exc:
            raise CommandError(str(exc)) from exc

    def _issue(self, account: Account, name: str, days: int | None) -> None:
        token, raw = services.api_token_issue(actor=account, name=name, days=days)
        self.stdout.write(
            _(
                "已为%(username)s签发接口令牌“%(name)s”（前缀%(prefix)s），有效至%(expires)s。"
                "令牌只显示这一次："
            )
            % {
                "username": account.username,
                "name": token.name,
                "prefix": token.prefix,
                "expires": _when(token.expires_at),
            }
        )
        self.stdout.write(raw)

    def _revoke(self, account: Account, prefix: str) -> None:
        # A whole token may be pasted instead of its prefix: the prefix is its first 8 characters.
        matches = list(
            account.api_tokens.filter(prefix=prefix.strip()[:8], revoked_at__isnull=True)
        )
        if not matches:
            raise CommandError(
                _("%(username)s没有前缀为%(prefix)s的有效接口令牌")
                % {"username": account.username, "prefix": prefix}
            )
        if len(matches) > 1:
            raise CommandError(
                _("前缀%(prefix)s对应多个令牌，请先停用后重新签发") % {"prefix": prefix}
            )
        token = services.api_token_revoke(actor=account, token=matches[0])
        self.stdout.write(
            _("已停用接口令牌%(prefix)s（%(name)s）") % {"prefix": token.prefix, "name": token.name}
        )

    def _list(self, account: Account) -> None:
        tokens: list[ApiToken] = list(account.api_tokens.order_by("created_at", "pk"))
        if not tokens:
            self.stdout.write(_("%(username)s没有接口令牌") % {"username": account.username})
            return
        now = timezone.now()
        self.stdout.write(
            "\t".join([_("前缀"), _("用途"), _("签发"), _("到期"), _("最近使用"), _("状态")])
        )
        for t in tokens:
            if t.revoked_at:
                status = _("已停用 %(when)s") % {"when": _when(t.revoked_at)}
            elif t.expires_at <= now:
                status = _("已过期")
            else:
                status = _("有效")
            self.stdout.write(
                "\t".join(
                    [
                        t.prefix,
                        t.name,
                        _when(t.created_at),
                        _when(t.expires_at),
                        _when(t.last_used_at),
                        str(status),
                    ]
                )
            )
