"""``zhifa verify [--json] [--skip-files]``: check the whole record log; non-zero exit on any
problem, each named by its entry, file or case. A clean log gets a freshly signed head.

A database that is missing, unreachable, corrupt or lacks a table is a finding like any other
(``verification.database_problems``); this command never ends in a traceback.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhifa.record.models import SignedHead
from zhifa.record.services import head_sign
from zhifa.record.verification import Report, log_verify


class Command(BaseCommand):
    help = (
        "校验全过程记录：数据库、记录、日志树、签名树头、证据文件、案件重放；"
        "发现问题时以非零状态退出"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="以JSON输出结果")
        parser.add_argument(
            "--skip-files", action="store_true", help="不重新计算证据文件的哈希（大型文件库）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = log_verify(check_files=not options["skip_files"])
        except Exception as exc:  # a bug of ours or an unforeseen state: say so, in one line
            raise CommandError(
                _("校验未能完成（%(type)s：%(error)s）：请把这条信息报告给系统管理员")
                % {"type": type(exc).__name__, "error": exc},
                returncode=2,
            ) from exc
        head, sign_error = self._sign(report)
        if options["json"]:
            out = report.as_dict()
            if head is not None:
                out["signed_head"] = {"size": head.size, "root_hash": head.root_hash_hex}
            if sign_error:
                out["sign_error"] = sign_error
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                _(
                    "已校验%(entries)d条记录、%(nodes)d个树节点、%(heads)d个签名树头、"
                    "%(files)d个证据文件，用时%(seconds).1f秒。"
                )
                % {
                    "entries": report.entries,
                    "nodes": report.nodes,
                    "heads": report.heads,
                    "files": report.files,
                    "seconds": report.seconds,
                }
            )
            for problem in report.problems:
                self.stdout.write(f"  ✗ {problem.message}")
            if head is not None:
                self.stdout.write(
                    _("校验通过。已签署树头：%(size)d条，根哈希%(root)s")
                    % {"size": head.size, "root": head.root_hash_hex}
                )
            elif sign_error:
                self.stdout.write(
                    _("校验通过，但未能签署新的树头：%(error)s") % {"error": sign_error}
                )
        if not report.ok:
            raise CommandError(_("校验发现%(n)d个问题") % {"n": len(report.problems)}, returncode=1)

    def _sign(self, report: Report) -> tuple[SignedHead | None, str]:
        """A fresh head over the verified log, or why none could be signed (a read-only copy,
        a key file that cannot be read): the verification itself still stands."""
        if not report.ok:
            return None, ""
        try:
            return head_sign(), ""
        except Exception as exc:  # reported beside the (passing) result, not as a crash
            return None, f"{type(exc).__name__}：{exc}"
