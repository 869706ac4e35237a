"""``zhifa verify-publication URL-or-FILE [--key KEY] [--json]``: check a published decision's
``proof.json`` offline (after fetching it). Runs ``zhifa.publicity.verify`` and nothing else:
no database access. Exits 0 when everything holds, 1 naming each failed check, 2 when the
bundle cannot be read."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhifa.publicity import verify


class Command(BaseCommand):
    help = "离线校验公示的行政执法决定：内容哈希、记录叶哈希、包含证明、签名树头"
    requires_system_checks: list[str] = []  # offline: nothing but the bundle is read

    def add_arguments(self, parser: ArgumentParser) -> None:
        verify.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            bundle = verify.load(options["source"])
        except (OSError, ValueError) as exc:
            raise CommandError(
                _("无法读取公示证明：%(error)s") % {"error": exc}, returncode=2
            ) from exc
        report = verify.verify_bundle(bundle, source=options["source"], key=options["key"])
        self.stdout.write(verify.render(report, as_json=options["json"]))
        if not report.ok:
            failed = "、".join(sorted({p.kind for p in report.problems}))
            raise CommandError(_("校验未通过（%(failed)s）") % {"failed": failed}, returncode=1)
