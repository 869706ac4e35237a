"""``zhifa serve``: the production server — gunicorn with threaded workers, static files under
hashed, compressed names through WhiteNoise (collected into the data folder first), DEBUG off.

`make run` uses it; Django's development server is `make dev`. The database was checked
before this runs (the `zhifa` entry refuses an unmigrated or unreachable one).
"""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhifa.core.server import THREADS, TIMEOUT_SECONDS, ServerOptions, default_workers, serve


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        from argparse import ArgumentTypeError

        raise ArgumentTypeError(_("应为正整数：%(value)s") % {"value": value})
    return n


class Command(BaseCommand):
    help = "启动正式服务（gunicorn + WhiteNoise）：zhifa serve [--bind 127.0.0.1:8000]"
    requires_system_checks: list[str] = []  # the checks run once below, not per worker

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("ZHIFA_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}"),
            help="监听地址，如 127.0.0.1:8000 或 unix:/run/zhifa/zhifa.sock（默认 ZHIFA_BIND）",
        )
        parser.add_argument(
            "--workers",
            type=_positive,
            default=int(os.environ.get("ZHIFA_WORKERS", 0)) or default_workers(),
            help="工作进程数（默认每个CPU核心2个，或 ZHIFA_WORKERS）",
        )
        parser.add_argument(
            "--threads",
            type=_positive,
            default=int(os.environ.get("ZHIFA_THREADS", 0)) or THREADS,
            help="每个进程的线程数（默认4，或 ZHIFA_THREADS）",
        )
        parser.add_argument(
            "--timeout",
            type=_positive,
            default=TIMEOUT_SECONDS,
            help="工作进程无响应多少秒后重启（默认120）",
        )
        parser.add_argument("--banner", default="", help="启动后在地址下方显示的一行说明")
        parser.add_argument("--no-access-log", action="store_true", help="不输出访问日志")

    def handle(self, *args: Any, **options: Any) -> None:
        self.check(display_num_errors=False)
        if settings.DEBUG:
            raise CommandError(
                _(
                    "DEBUG 已开启，不能用于正式服务：请使用 config.settings.prod"
                    "（开发请用 make dev）。"
                )
            )
        try:
            call_command("collectstatic", interactive=False, verbosity=0)
        except OSError as exc:
            raise CommandError(
                _("无法写入静态文件目录 %(path)s：%(error)s")
                % {"path": settings.STATIC_ROOT, "error": exc.strerror}
            ) from exc
        serve(
            ServerOptions(
                bind=options["bind"],
                workers=options["workers"],
                threads=options["threads"],
                timeout=options["timeout"],
                banner=options["banner"],
                access_log=not options["no_access_log"],
                forwarded_allow_ips=os.environ.get("ZHIFA_FORWARDED_ALLOW_IPS", "127.0.0.1"),
            )
        )
