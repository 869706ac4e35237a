"""``zhifa registry_export KIND FILE --as USERNAME``: export what the account can see.

The format follows the file's suffix (.xlsx or .csv); the columns are those of the import, so
the file can be imported elsewhere.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhifa.core.exceptions import ZhifaError
from zhifa.registry.exporting import registry_export
from zhifa.registry.importing import SCHEMAS, schema_for
from zhifa.registry.selectors import account_by_username
from zhifa.registry.tabular import table_format


class Command(BaseCommand):
    help = "把账号可见的执法主体、执法人员、执法证件或权责清单事项导出为 .xlsx 或 .csv"

    def add_arguments(self, parser: ArgumentParser) -> None:
        kinds = "、".join(f"{s.kind}（{s.label}）" for s in SCHEMAS.values())
        parser.add_argument("kind", help=f"数据类别：{kinds}")
        parser.add_argument("file", type=Path, help="导出到的 .xlsx 或 .csv 文件")
        parser.add_argument("--as", dest="username", required=True, help="以该账号的可见范围导出")

    def handle(self, *args: Any, **options: Any) -> None:
        account = account_by_username(options["username"])
        if account is None:
            raise CommandError(_("账号不存在：%(username)s") % {"username": options["username"]})
        path: Path = options["file"]
        try:
            schema = schema_for(options["kind"])
            fmt = table_format(path.name)
        except ZhifaError as exc:
            raise CommandError(str(exc)) from exc
        try:
            with path.open("wb") as out:
                registry_export(account=account, kind=schema.kind, fmt=fmt, out=out)
        except OSError as exc:
            raise CommandError(_("无法写入文件：%(path)s") % {"path": path}) from exc
        self.stdout.write(_("已导出%(label)s到%(path)s") % {"label": schema.label, "path": path})
