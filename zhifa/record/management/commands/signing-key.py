"""``zhifa signing-key show`` / ``zhifa signing-key rotate [--reason TEXT]``: the log's signing
keys — the current one and the chain the log announces — and their rotation
(``services.signing_key_rotate``; the rules in ``record.key_chain``, the procedure in
docs/backup.md)."""

from __future__ import annotations

import getpass
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.record.checkpoint import CheckpointError, Verifier
from zhifa.record.selectors import key_rotations
from zhifa.record.services import log_verifier, signing_key_rotate


class Command(BaseCommand):
    help = "查看或轮换全过程记录的签名密钥（新密钥由旧密钥签署的记录公告）"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["show", "rotate"], help="show：查看；rotate：轮换")
        parser.add_argument("--reason", default="", help="轮换原因（记入公告记录）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rotate":
            self._rotate(options["reason"])
        else:
            self._show()

    def _show(self) -> None:
        try:
            current = log_verifier().key
        except (CheckpointError, OSError) as exc:
            raise CommandError(
                _("无法读取签名密钥文件%(path)s（%(error)s）：从备份恢复")
                % {"path": settings.SIGNING_KEY_PATH, "error": exc}
            ) from exc
        self.stdout.write(_("当前签名公钥：%(key)s") % {"key": current})
        rotations = list(key_rotations())
        if not rotations:
            self.stdout.write(_("日志从未轮换过签名密钥。"))
            return
        self.stdout.write(_("日志公告的密钥链："))
        first = rotations[0].data.get("previous_key", "?")
        self.stdout.write(_("  初始密钥：%(key)s") % {"key": first})
        for entry in rotations:
            data = entry.data
            self.stdout.write(
                _("  第%(seq)d条记录（%(at)s）公告：%(key)s%(reason)s")
                % {
                    "seq": entry.seq,
                    "at": timezone.localtime(entry.recorded_at).isoformat(timespec="seconds"),
                    "key": data.get("key", "?"),
                    "reason": f"（{data['reason']}）" if data.get("reason") else "",
                }
            )

    def _rotate(self, reason: str) -> None:
        try:
            old = log_verifier().key
            entry, head = signing_key_rotate(
                actor_id=None,
                actor_name=_("系统管理员（%(user)s）") % {"user": getpass.getuser()},
                role="system",
                reason=reason,
            )
        except FileNotFoundError as exc:
            raise CommandError(
                _("签名密钥文件%(path)s不存在：先从备份恢复原密钥，再轮换")
                % {"path": settings.SIGNING_KEY_PATH}
            ) from exc
        except (CheckpointError, OSError) as exc:
            raise CommandError(_("轮换失败，原密钥未变（%(error)s）") % {"error": exc}) from exc
        new = Verifier.from_key(entry.data["key"])
        self.stdout.write(_("已轮换签名密钥。"))
        self.stdout.write(_("  原公钥：%(key)s") % {"key": old})
        self.stdout.write(_("  新公钥：%(key)s") % {"key": new.key})
        self.stdout.write(
            _("  公告记录：第%(seq)d条；交接树头：%(size)d条（由原密钥与新密钥共同签署）")
            % {"seq": entry.seq, "size": head.size}
        )
        self.stdout.write(
            _(
                "下一步：公布新公钥；运行 zhifa backup；把原密钥文件（%(path)s.retired-%(id)s）"
                "移到离线介质后从本机删除（见docs/backup.md）"
            )
            % {"path": settings.SIGNING_KEY_PATH, "id": old.split("+")[1]}
        )
