"""``zhifa verify-archive FILE.zip [--key KEY | --key-file F] [--json]``: check an exported
case archive offline. Runs ``zhifa.record.archive_check`` and nothing else: no database
access, no system checks. Exits non-zero on any problem, naming each entry or file."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhifa.record import archive_check


class Command(BaseCommand):
    help = "离线校验电子案卷压缩包：签名树头、每条记录的叶哈希与包含证明、每个证据和文书文件的哈希"
    requires_system_checks: list[str] = []  # offline: nothing but the ZIP is read

    def add_arguments(self, parser: ArgumentParser) -> None:
        archive_check.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            key = archive_check.read_key(options["key"], options["key_file"])
        except (OSError, ValueError) as exc:
            raise CommandError(_("无法读取公钥：%(error)s") % {"error": exc}, returncode=2) from exc
        report = archive_check.archive_verify(options["archive"], key=key)
        self.stdout.write(archive_check.render(report, as_json=options["json"]))
        if not report.ok:
            raise CommandError(_("校验发现%(n)d个问题") % {"n": len(report.problems)}, returncode=1)
