"""The production server `zhifa serve` runs: gunicorn, in-process, with zhifa's defaults.

Threaded workers (``gthread``): a request that takes long — an hour-long video uploaded over a
slow line, a recording played back with ranged requests, a case file exported — keeps one
thread busy while the worker's main thread still reports to the arbiter, so gunicorn's
``timeout`` kills only a worker that is really stuck. The application is loaded once in the
arbiter (``preload_app``) and the workers fork from it; every database connection the checks
opened is closed before they do.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication

# Defaults; each can be set per deployment (`zhifa serve --help`, or ZHIFA_WORKERS/THREADS).
THREADS = 4
TIMEOUT_SECONDS = 120
# A worker is replaced after this many requests (± jitter): bounds what a leak can grow to.
MAX_REQUESTS = 2000
# gunicorn's default access line, then the request's id (the X-Request-ID zhifa answers), so
# the access line and the application's log lines of one request are found together.
ACCESS_LOG_FORMAT = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'
)

SHARED_MEMORY = "/dev/shm"  # noqa: S108 - gunicorn's heartbeat files, not data


def default_workers() -> int:
    """Two per core: a thread waiting on the database or disk leaves the core to another."""
    return max(2, 2 * (os.cpu_count() or 1))


@dataclass(frozen=True)
class ServerOptions:
    bind: str
    workers: int
    threads: int
    timeout: int
    banner: str = ""
    access_log: bool = True
    forwarded_allow_ips: str = "127.0.0.1"

    def address(self) -> str:
        host, _, port = self.bind.rpartition(":")
        if self.bind.startswith("unix:"):
            return self.bind
        return f"http://{host or '0.0.0.0'}:{port}/"  # noqa: S104 - only the printed address


class ZhifaServer(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
    def __init__(self, application: Any, options: ServerOptions) -> None:
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        o = self.options
        settings = {
            "bind": [o.bind],
            "workers": o.workers,
            "worker_class": "gthread",
            "threads": o.threads,
            "timeout": o.timeout,
            "graceful_timeout": 30,
            "keepalive": 5,
            "preload_app": True,
            "max_requests": MAX_REQUESTS,
            "max_requests_jitter": MAX_REQUESTS // 10,
            "accesslog": "-" if o.access_log else None,
            "access_log_format": ACCESS_LOG_FORMAT,
            "errorlog": "-",
            "forwarded_allow_ips": o.forwarded_allow_ips,
            "proc_name": "zhifa",
            "when_ready": self._when_ready,
            "control_socket_disable": True,  # nothing drives gunicorn but its signals
        }
        if os.path.isdir(SHARED_MEMORY):
            settings["worker_tmp_dir"] = SHARED_MEMORY  # heartbeats off the data disk
        for key, value in settings.items():
            self.cfg.set(key, value)

    def _when_ready(self, server: Any) -> None:
        o = self.options
        lines = [
            f"zhifa 已启动：{o.address()}（gunicorn，{o.workers}个进程×{o.threads}个线程；"
            "Ctrl+C 停止）"
        ]
        if o.banner:
            lines.append(o.banner)
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()

    def load(self) -> Any:
        return self.application


def serve(options: ServerOptions) -> None:
    """Serve the Django application until stopped (blocks; gunicorn handles the signals)."""
    from django.core.wsgi import get_wsgi_application
    from django.db import connections

    application = get_wsgi_application()
    connections.close_all()  # no connection may be shared by forked workers
    ZhifaServer(application, options).run()
