"""``zhifa draw-verify URL-or-FILE [--key KEY] [--json]``: check a published 双随机 draw
(``/public/inspections/draws/<id>.json``) offline: every pool's hash, the checkpoint's signature
against the log's published key, the seed = its root, its size ≥ the seed size, and every pool's
selection = its top k after the recorded skips (``zhifa.inspections.draw``). Without ``--key``
the key is this instance's published verifier key. Exits 0 when everything holds, 1 naming each
failed check, 2 when the document cannot be read."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhifa.inspections import draw


class Command(BaseCommand):
    help = "离线校验“双随机”抽取结果：名录哈希、签名树头签名、种子、排序与抽中结果"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        draw.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["key"]
        if not key:
            from zhifa.record.services import public_verifier_key

            key = public_verifier_key()
        try:
            doc = draw.load(options["source"])
        except (OSError, ValueError) as exc:
            raise CommandError(
                _("无法读取抽取结果：%(error)s") % {"error": exc}, returncode=2
            ) from exc
        report = draw.verify_document(doc, key=key, source=options["source"])
        self.stdout.write(draw.render(report, as_json=options["json"]))
        if not report.ok:
            failed = "、".join(sorted({f.kind for f in report.failures}))
            raise CommandError(_("校验未通过（%(failed)s）") % {"failed": failed}, returncode=1)
