"""What `/healthz` checks: can this server do its work right now?

For load balancers and the systemd unit: the database answers, the data folder takes a write,
the record log's signing key is there (without it no tree head can be signed, so no decision
can be published with its proof). Each check says what is wrong in Chinese.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

from .preflight import explain


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


def database_check() -> Check:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver's failure is the finding
        return Check("database", False, _("数据库无法访问：%(reason)s") % {"reason": explain(exc)})
    return Check("database", True)


def data_folder_check() -> Check:
    folder = Path(settings.DATA_DIR)
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".healthz-") as probe:
            probe.write(b"ok")
            probe.flush()
    except OSError as exc:
        return Check(
            "data_folder",
            False,
            _("数据目录不可写：%(folder)s（%(error)s）")
            % {"folder": folder, "error": exc.strerror},
        )
    return Check("data_folder", True)


def signing_key_check() -> Check:
    path = Path(settings.SIGNING_KEY_PATH)
    try:
        present = path.is_file() and path.stat().st_size > 0
    except OSError:
        present = False
    if not present:
        return Check(
            "signing_key",
            False,
            _("全过程记录的签名密钥不存在：%(path)s（从备份恢复，或运行 zhifa migrate 生成）")
            % {"path": path},
        )
    return Check("signing_key", True)


def health_checks() -> list[Check]:
    return [database_check(), data_folder_check(), signing_key_check()]
