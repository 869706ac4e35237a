"""``zhifa demo [--scale city|province]``: load the demo city 示范市, or province-scale data.

For the city, the demo cases of ``zhifa.cases.demo`` follow (a few hundred cases in every state;
``--cases sample`` loads one of each kind of case, ``--cases none`` none; the default comes from
the setting ``ZHIFA_DEMO_CASES``, else ``full``). The province gets no cases.

Idempotent: when the data are already there it says so and exits 0 without writing. The demo
accounts and their passwords are printed at the end (also in docs/demo.md).
"""

from __future__ import annotations

import argparse
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from zhifa.alerts.demo import load as alerts_load
from zhifa.cases.demo import demo_cases_load
from zhifa.cases.models import Case
from zhifa.complaints.demo import load as complaints_load
from zhifa.filings.demo import load as filings_load
from zhifa.licensing.demo import load as licensing_load
from zhifa.publicity.demo import load as publicity_load
from zhifa.registry import demo, demo_public
from zhifa.registry.models import Account
from zhifa.review.demo import demo_reviews_load


def _fraction(value: str) -> float:
    try:
        f = float(value)
    except ValueError:
        f = -1.0
    if not 0 < f <= 1:
        raise argparse.ArgumentTypeError(_("比例应在0到1之间：%(value)s") % {"value": value})
    return f


class Command(BaseCommand):
    help = "加载示范数据：示范市（默认），或 --scale province 加载省级规模数据（用于性能测试）"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--scale",
            choices=["city", "province"],
            default="city",
            help="city：示范市（约40个执法主体）；province：示范省（5000个主体、10万名执法人员）",
        )
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")
        # A fraction of the province (tests load 1/1000 of it).
        parser.add_argument("--scale-factor", type=_fraction, default=1.0, help=argparse.SUPPRESS)
        parser.add_argument(
            "--cases",
            choices=["full", "sample", "none"],
            default=getattr(settings, "ZHIFA_DEMO_CASES", "full"),
            help="示范市的示范案件：full（约330件，默认）、sample（每种情形一件）、none（不加载）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        listings_loaded = False
        if options["scale"] == "province":
            result = demo.province_load(
                scale_factor=options["scale_factor"], progress=not options["no_progress"]
            )
            what = _("示范省（省级规模数据）")
        else:
            if options["scale_factor"] != 1.0:
                raise CommandError(_("--scale-factor 只用于 --scale province"))
            result = demo.city_load()
            what = _("示范市")
            listings_loaded = not demo_public.city_public_load().already
        if result.already:
            self.stdout.write(_("%(what)s数据已加载，未做改动。") % {"what": what})
        else:
            c = result.counts
            self.stdout.write(
                _(
                    "已加载%(what)s：执法主体%(agencies)s个，执法人员%(officers)s名，"
                    "执法证件%(certificates)s件（状态记录%(changes)s条），培训记录%(trainings)s条，"
                    "考试成绩%(exams)s条，权责清单事项%(items)s个版本（设定依据%(bases)s条），"
                    "用时%(seconds).1f秒。"
                )
                % {
                    "what": what,
                    "agencies": c.agencies,
                    "officers": c.officers,
                    "certificates": c.certificates,
                    "changes": c.status_changes,
                    "trainings": c.trainings,
                    "exams": c.exams,
                    "items": c.power_items,
                    "bases": c.bases,
                    "seconds": result.seconds,
                }
            )
        if options["scale"] == "city" and listings_loaded:
            self.stdout.write(
                _("已加载示范市公示清单：随机抽查事项、裁量基准、不予处罚和从轻减轻清单。")
            )
        # -- issue 13: 裁量基准 with statutory ranges (discretion) --
        if options["scale"] == "city":
            from zhifa.discretion.demo import load as discretion_load

            if discretion_load():
                self.stdout.write(_("已加载裁量基准的法定幅度、倍数罚款和区级细化基准。"))
        accounts = result.accounts
        if options["scale"] == "city" and options["cases"] != "none":
            accounts += self._cases(sample=options["cases"] == "sample")
            accounts += self._reviews(sample=options["cases"] == "sample")
            self._publicity()
            accounts += self._supervision()
            filings_load(today=demo.REFERENCE_DAY, stdout=self.stdout)
            self._licensing()
            self._inspections()
            # 行政执法统计 (issue 16): the deployment's tables and 复议/诉讼 on the decided cases
            from zhifa.statistics.demo_tables import load as statistics_tables_load

            for line in statistics_tables_load(demo.REFERENCE_DAY):
                self.stdout.write(line)
            accounts += self._statistics_filings()
            self._statistics_publication()  # the accepted annual reports of the filings above
            self._evaluation()
        if options["scale"] == "city":
            accounts += self._complaints()  # needs no cases: the city's bodies and accounts
            self._alerts()
        if connection.vendor == "postgresql":
            # A bulk load leaves PostgreSQL without statistics until autovacuum gets to it, and
            # the planner's guesses meanwhile make some pages slow (nested loops over officers).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write("")
        self.stdout.write(_("演示账号（见 docs/demo.md）："))
        labels = dict(Account.Role.choices)
        for account in accounts:
            line = f"  {account.username:<16} {account.password:<22} {labels[account.role]}"
            line += f"  {account.scope}  {account.display_name}"
            if account.note:
                line += f"（{account.note}）"
            self.stdout.write(line)

    def _cases(self, *, sample: bool) -> tuple[demo.DemoAccount, ...]:
        """Load the demo cases."""
        result = demo_cases_load(today=demo.REFERENCE_DAY, stdout=self.stdout, sample=sample)
        if result.already:
            self.stdout.write(_("示范案件已加载，未做改动。"))
            return result.accounts
        self.stdout.write(
            _(
                "已加载示范案件%(cases)s件（全过程记录%(entries)s条，证据文件%(files)s个，"
                "执法文书%(documents)s份，逾期%(overdue)s件），用时%(seconds).1f秒。"
            )
            % {
                "cases": result.cases,
                "entries": result.entries,
                "files": result.evidence_files,
                "documents": result.documents,
                "overdue": result.overdue,
                "seconds": result.seconds,
            }
        )
        for kind, states in result.labelled():
            parts = "、".join(f"{label}{n}" for label, n in states)
            self.stdout.write(f"  {kind}：{parts}")
        for what, number, agency in result.highlights:
            self.stdout.write(f"  {what}：{number}（{agency}）")
        return result.accounts

    def _reviews(self, *, sample: bool) -> tuple[demo.DemoAccount, ...]:
        """Load the catalogs and demo reviews."""
        result = demo_reviews_load(today=demo.REFERENCE_DAY, stdout=self.stdout, sample=sample)
        if result.already:
            self.stdout.write(_("示范法制审核已加载，未做改动。"))
            return result.accounts
        outcomes = "、".join(f"{label}{n}" for label, n in sorted(result.outcomes.items()))
        self.stdout.write(
            _(
                "已加载法制审核目录清单%(rules)s条、法制审核%(rounds)s轮（%(outcomes)s），"
                "涉嫌犯罪移送%(transfers)s件，集体讨论%(discussions)s次，"
                "法制审核意见书%(documents)s份，用时%(seconds).1f秒。"
            )
            % {
                "rules": result.rules,
                "rounds": result.rounds,
                "outcomes": outcomes,
                "transfers": result.transfers,
                "discussions": result.discussions,
                "documents": result.documents,
                "seconds": result.seconds,
            }
        )
        return result.accounts

    def _licensing(self) -> None:
        """行政许可 applications in every state (after the cases)."""
        result = licensing_load(today=demo.REFERENCE_DAY)
        if result.already:
            self.stdout.write(_("示范行政许可申请已加载，未做改动。"))
        elif result.counts:
            labels = dict(Case.State.choices)
            parts = "、".join(f"{labels[k]}{n}件" for k, n in sorted(result.counts.items()))
            self.stdout.write(_("已加载示范行政许可申请（%(parts)s）。") % {"parts": parts})

    def _inspections(self) -> None:
        """涉企行政检查: the directory, plans, caps and quiet periods, approvals in every state,
        the joint 双随机 task drawn from a signed head, scanned codes and ratings (issue 14)."""
        from zhifa.inspections.demo_core import load as inspections_load

        for line in inspections_load(today=demo.REFERENCE_DAY).lines:
            self.stdout.write(line)

    def _evaluation(self) -> None:
        """案卷评查 and 效能评价 (issue 15): templates, the 2026 campaigns with scored files,
        their outcomes and the 2026 效能评价 of 示范市司法局."""
        from zhifa.evaluation.demo_core import load as evaluation_load

        for line in evaluation_load(today=demo.REFERENCE_DAY):
            self.stdout.write(line)

    def _complaints(self) -> tuple[demo.DemoAccount, ...]:
        """The complaints and the two 监督员 (after the cases)."""
        result = complaints_load(today=demo.REFERENCE_DAY)
        if result.already:
            self.stdout.write(_("示范投诉举报已加载，未做改动。"))
        else:
            short = {
                "received": _("待受理"),
                "accepted": _("办理中"),
                "refused": _("不予受理"),
                "transferred": _("已移送"),
                "concluded": _("已办结"),
            }
            parts = "、".join(f"{short.get(k, k)}{n}件" for k, n in result.counts.items())
            self.stdout.write(
                _("已加载示范投诉举报（%(parts)s）和行政执法监督员2名。") % {"parts": parts}
            )
        return result.accounts

    def _supervision(self) -> tuple[demo.DemoAccount, ...]:
        """Supervision matters of the 示范市司法局 and the 丙县司法局 (after the cases)."""
        from zhifa.supervision.demo import demo_matters_load

        result = demo_matters_load(today=demo.REFERENCE_DAY)
        if result.already:
            self.stdout.write(_("示范监督事项已加载，未做改动。"))
            return result.accounts
        states = "、".join(f"{k}{v}" for k, v in result.states.items())
        docs = "、".join(f"{k}{v}" for k, v in result.documents.items())
        self.stdout.write(
            _("已加载监督事项（%(states)s），监督文书（%(docs)s），用时%(seconds).1f秒。")
            % {"states": states, "docs": docs, "seconds": result.seconds}
        )
        return result.accounts

    def _publicity(self) -> None:
        """Publish, correct, withdraw and hold the demo's decisions (after the cases)."""
        result = publicity_load(today=demo.REFERENCE_DAY, stdout=self.stdout)
        if result.already:
            self.stdout.write(_("示范行政执法公示已加载，未做改动。"))
            return
        self.stdout.write(
            _(
                "已加载行政执法公示：已公开%(published)s件（逾期公开%(late)s件），更正%(corrected)s件，"
                "撤回%(withdrawn)s件，不予公开%(held)s件，待公开%(due)s件（已逾期%(overdue)s件）。"
            )
            % {
                "published": result.published,
                "late": result.late,
                "corrected": result.corrected,
                "withdrawn": result.withdrawn,
                "held": result.held,
                "due": result.due,
                "overdue": result.overdue,
            }
        )

    def _statistics_filings(self) -> tuple[demo.DemoAccount, ...]:
        """The 2026 statistics filings (季报/年报) of three agencies (issue 16, after the cases)."""
        from zhifa.statistics.demo_filings import ACCOUNTS, load

        for line in load(demo.REFERENCE_DAY):
            self.stdout.write(_("已加载统计报送：%(line)s") % {"line": line})
        return ACCOUNTS

    def _statistics_publication(self) -> None:
        """年度数据公开 (issue 16): the accepted annual reports on the portal."""
        from zhifa.statistics.demo_publication import load as statistics_publication_load

        for line in statistics_publication_load(today=demo.REFERENCE_DAY):
            self.stdout.write(line)

    def _alerts(self) -> None:
        """The early warnings of the demo city on its reference day (after every other app)."""
        result = alerts_load(today=demo.REFERENCE_DAY)
        self.stdout.write(
            _("已运行执法监督预警：预警中%(open)s条（%(rules)s）。")
            % {"open": result.open, "rules": result.text}
        )
