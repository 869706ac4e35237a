"""``zhifa export-case CASE_ID [--out FILE.zip] [--as USERNAME]``: write one case's electronic
file (电子案卷) as a ZIP that ``zhifa verify-archive`` checks offline.

Without ``--as`` the system exports (any case); with it, the account's case gate and the
export rule apply (an officer, head or administrator of the case's agency). The export is
recorded (``case.export``) after the ZIP is written, so that entry is not inside it.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils.translation import gettext as _

from zhifa.cases.archive import case_export, case_for_export
from zhifa.core.exceptions import ZhifaError
from zhifa.registry.selectors import account_by_username


class Command(BaseCommand):
    help = "导出一个案件的电子案卷（ZIP：索引、执法文书、证据、全过程记录及其包含证明、签名树头）"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("case_id", type=int, help="案件编号（数据库编号）")
        parser.add_argument("--out", type=Path, help="输出文件（默认：当前目录下 case-编号.zip）")
        parser.add_argument(
            "--as", dest="username", help="以该账号导出（默认：系统导出，不受账号范围限制）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        account = None
        if options["username"]:
            account = account_by_username(options["username"])
            if account is None:
                raise CommandError(
                    _("账号不存在：%(username)s") % {"username": options["username"]}
                )
        try:
            case = case_for_export(options["case_id"], account)
        except Http404 as exc:
            raise CommandError(
                _("案件不存在或无权查看：%(id)s") % {"id": options["case_id"]}
            ) from exc
        out: Path = options["out"] or Path(f"case-{case.pk}.zip")
        try:
            result = case_export(case=case, out=out, actor=account)
        except ZhifaError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(
                _("无法写入文件：%(path)s（%(error)s）") % {"path": out, "error": exc}
            ) from exc
        self.stdout.write(
            _(
                "已导出电子案卷%(path)s：%(entries)d条记录、%(files)d个证据文件、"
                "%(documents)d份文书版本，签名树头%(size)d条。\nSHA-256：%(sha256)s\n"
                "本次导出已记入全过程记录（序号%(seq)d，动作case.export），该记录不在压缩包内。"
            )
            % {
                "path": result.path,
                "entries": result.entries,
                "files": result.evidence_files,
                "documents": result.documents,
                "size": result.head_size,
                "sha256": result.sha256,
                "seq": result.entry.seq,
            }
        )
