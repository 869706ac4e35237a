"""``zhifa registry_import KIND FILE --as USERNAME``: import a table into the registry.

All or nothing: on any error nothing is saved, every error is printed (one line each, with row
and column) and the command exits with status 1.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.exceptions import ZhifaError
from zhifa.registry.importing import SCHEMAS, registry_import
from zhifa.registry.selectors import account_by_username


class Command(BaseCommand):
    help = "从 .xlsx 或 .csv 导入执法主体、执法人员、执法证件或权责清单事项（全部成功才保存）"

    def add_arguments(self, parser: ArgumentParser) -> None:
        kinds = "、".join(f"{s.kind}（{s.label}）" for s in SCHEMAS.values())
        parser.add_argument("kind", help=f"数据类别：{kinds}")
        parser.add_argument("file", type=Path, help=".xlsx 或 .csv 文件")
        parser.add_argument("--as", dest="username", required=True, help="执行导入的管理员账号")

    def handle(self, *args: Any, **options: Any) -> None:
        account = account_by_username(options["username"])
        if account is None:
            raise CommandError(_("账号不存在：%(username)s") % {"username": options["username"]})
        path: Path = options["file"]
        try:
            content = path.open("rb")  # streamed within the import limits, never read whole
        except OSError as exc:
            raise CommandError(_("无法读取文件：%(path)s") % {"path": path}) from exc
        try:
            with content:
                result = registry_import(
                    actor=account,
                    kind=options["kind"],
                    content=content,
                    filename=path.name,
                    today=timezone.localdate(),
                )
        except ZhifaError as exc:
            raise CommandError(str(exc)) from exc
        label = SCHEMAS[result.kind].label
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("发现%(count)d处错误，未导入任何数据") % {"count": len(result.errors)}
            )
        self.stdout.write(
            _("导入成功：共导入%(count)d条%(label)s") % {"count": result.created, "label": label}
        )
