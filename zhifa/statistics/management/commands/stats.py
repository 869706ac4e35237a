"""``zhifa stats report|rebuild``: the statistics from the shell.

``zhifa stats report --year 2026 [--quarter 3] (--agency ID | --region CODE)
[--format json|xlsx|csv] [--out FILE] [--cases]`` prints (or writes) the report counted from the
record — the figures a filing generated now would hold — as ``{"tables": [{"code", "name",
"columns", "rows": [{"agency", "values"}]}]}``; ``--cases`` adds the ids of the cases counted in
each cell. ``zhifa stats rebuild`` recomputes every case's facts (after a change of the
counting settings).
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhifa.registry.models import Agency
from zhifa.statistics import exporting
from zhifa.statistics.facts import facts_rebuild
from zhifa.statistics.periods import period_of
from zhifa.statistics.selectors_publication import live_report, scope_of


class Command(BaseCommand):
    help = "行政执法统计：report 统计报表｜rebuild 重新计算统计事实"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        report = sub.add_parser("report", help="按年度（季度）输出某机关或某地区的统计报表")
        report.add_argument("--year", type=int, required=True, help="年度")
        report.add_argument("--quarter", type=int, default=0, help="季度（1–4；不填为全年）")
        who = report.add_mutually_exclusive_group(required=True)
        who.add_argument("--agency", type=int, help="执法机关ID")
        who.add_argument("--region", help="行政区划代码")
        report.add_argument("--format", choices=("json", "xlsx", "csv"), default="json")
        report.add_argument("--out", help="输出文件（不填则输出到屏幕；xlsx须指定）")
        report.add_argument("--cases", action="store_true", help="附各项计入的案件ID")
        sub.add_parser("rebuild", help="按现行统计口径重新计算全部案件的统计事实")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rebuild":
            n = facts_rebuild()
            self.stdout.write(_("已重新计算统计事实：%(n)s 条") % {"n": n})
            return
        fmt, out = options["format"], options["out"]
        if fmt == "xlsx" and not out:  # the arguments first, then what they name
            raise CommandError(_("xlsx 格式须用 --out 指定输出文件"))
        try:
            period = period_of(options["year"], options["quarter"])
            scope = scope_of(agency_id=options["agency"], region=options["region"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        except Agency.DoesNotExist:
            raise CommandError(_("执法机关不存在：%(id)s") % {"id": options["agency"]}) from None
        report = live_report(period, scope, with_cases=options["cases"])
        if fmt == "json":
            data = exporting.report_json(report)
        elif fmt == "csv":
            data = exporting.report_csv(report, title=scope.label, period=period.label)
        else:
            data = exporting.report_xlsx(report, title=scope.label, period=period.label)
        if out:
            try:
                Path(out).write_bytes(data)
            except OSError as exc:
                raise CommandError(
                    _("无法写入文件：%(path)s（%(why)s）") % {"path": out, "why": exc.strerror}
                ) from exc
            self.stdout.write(_("已写入 %(path)s") % {"path": out})
        else:
            self.stdout.write(data.decode("utf-8-sig"))
