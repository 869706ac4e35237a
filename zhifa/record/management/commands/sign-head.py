"""``zhifa sign-head``: sign the record log's current tree head (cron this to keep it fresh)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhifa.record.services import head_sign


class Command(BaseCommand):
    help = "签署全过程记录的当前树头（C2SP检查点），并输出签名后的检查点"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(head_sign().note, ending="")
