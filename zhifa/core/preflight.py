"""What a command or a server needs of the database before it starts, checked first and said
in one line of Chinese — never a traceback.

Three needs: ``NONE`` (pure commands: ``redact``, ``verify-archive`` …), ``CONNECTION`` (the
database must answer: ``migrate``, ``restore``), ``MIGRATED`` (every table there: everything
that reads or writes zhifa's data). ``database_problem(need)`` returns the sentence that says
what is wrong and what to do, or ``None``.
"""

from __future__ import annotations

import enum
import os
import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _


class Need(enum.Enum):
    NONE = "none"  # touches no database
    CONNECTION = "connection"  # the database must answer; its tables may be missing
    MIGRATED = "migrated"  # every migration applied


def is_sqlite(alias: str = DEFAULT_DB_ALIAS) -> bool:
    return str(settings.DATABASES[alias]["ENGINE"]).endswith("sqlite3")


def database_label(alias: str = DEFAULT_DB_ALIAS) -> str:
    """The database as a person would name it: the SQLite file, or the URL without password."""
    config = settings.DATABASES[alias]
    if is_sqlite(alias):
        return str(config["NAME"])
    url = os.environ.get("DATABASE_URL", "")
    if url:
        parts = urlsplit(url)
        if parts.password:
            host = parts.hostname or ""
            netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
            parts = parts._replace(netloc=netloc)
        return urlunsplit(parts)
    return f"{config.get('ENGINE')} {config.get('HOST')}:{config.get('PORT')}/{config.get('NAME')}"


# libpq's and SQLite's reasons, in the words an official reads (the original stays beside it).
_REASONS = [
    (re.compile(r"connection refused", re.I), "连接被拒绝，数据库服务器没有在该地址和端口运行"),
    (
        re.compile(r"could not translate host name|name or service not known", re.I),
        "主机名无法解析",
    ),
    (re.compile(r"timeout expired|timed out", re.I), "连接超时"),
    (re.compile(r"password authentication failed", re.I), "用户名或密码错误"),
    (re.compile(r'database ".*" does not exist', re.I), "数据库不存在，请先创建"),
    (re.compile(r'role ".*" does not exist', re.I), "数据库用户不存在"),
    (re.compile(r"no pg_hba.conf entry", re.I), "数据库服务器拒绝本机连接（pg_hba.conf）"),
    (re.compile(r"file is not a database|malformed", re.I), "文件已损坏或不是SQLite数据库"),
    (re.compile(r"unable to open database file", re.I), "无法打开数据库文件"),
    (re.compile(r"readonly database|read-only", re.I), "数据库文件只读"),
    (re.compile(r"database is locked", re.I), "数据库被其他进程锁定，请稍后重试"),
]


def first_line(exc: BaseException) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return text.splitlines()[0].strip()


def explain(exc: BaseException) -> str:
    """A database error's reason in Chinese, with its own first line in parentheses."""
    original = first_line(exc)
    for pattern, words in _REASONS:
        if pattern.search(str(exc)):
            return f"{words}（{original}）"
    return original


def _sqlite_in_memory() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    return bool(getattr(connection, "is_in_memory_db", lambda: False)())


def _sqlite_folder_problem() -> str | None:
    if _sqlite_in_memory():
        return None
    path = Path(str(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]))
    if not path.parent.is_dir():
        return _(
            "数据目录不存在：%(folder)s（由 ZHIFA_DATA_DIR 指定）。新建请运行 zhifa migrate，"
            "从备份恢复请运行 zhifa restore。"
        ) % {"folder": path.parent}
    return None


def _sqlite_file_missing() -> bool:
    """No database file yet (connecting would create an empty one). An in-memory database
    (the test suite's) has no file to miss."""
    if not is_sqlite() or _sqlite_in_memory():
        return False
    return not Path(str(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"])).exists()


def _not_initialised() -> str:
    return _("数据库尚未初始化（%(db)s 中没有数据表）：请先运行 zhifa migrate。") % {
        "db": database_label()
    }


def connection_problem() -> str | None:
    """Does the database answer? (On SQLite: does the data folder exist, is the file one?)"""
    if is_sqlite():
        problem = _sqlite_folder_problem()
        if problem:
            return problem
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.ensure_connection()
        # Reading the schema is what finds a file that is not (or no longer) a database.
        connection.introspection.table_names()
    except Exception as exc:  # every driver's error: the sentence below names it
        connection.close_if_unusable_or_obsolete()
        if is_sqlite():
            return _(
                "无法使用数据库 %(db)s：%(reason)s。请运行 zhifa verify 查看详情，"
                "或从备份恢复（zhifa restore）。"
            ) % {"db": database_label(), "reason": explain(exc)}
        return _(
            "无法连接数据库 %(db)s：%(reason)s。请检查 DATABASE_URL 和数据库服务器是否在运行。"
        ) % {"db": database_label(), "reason": explain(exc)}
    return None


def unapplied_migrations() -> list[str]:
    """Migrations not yet applied to the default database, as ``app.name``."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, backwards in plan if not backwards]


def migration_problem() -> str | None:
    try:
        pending = unapplied_migrations()
    except Exception as exc:  # a schema the loader cannot read is the database's problem
        return _("无法读取数据库的迁移记录 %(db)s：%(reason)s。") % {
            "db": database_label(),
            "reason": explain(exc),
        }
    if not pending:
        return None
    tables = set(connections[DEFAULT_DB_ALIAS].introspection.table_names())
    if "django_migrations" not in tables:
        return _not_initialised()
    return _("数据库有%(n)d项迁移尚未执行（首项：%(first)s）：请先运行 zhifa migrate。") % {
        "n": len(pending),
        "first": pending[0],
    }


def database_problem(need: Need) -> str | None:
    """The one line that says why the database does not meet ``need``, or None."""
    if need is Need.NONE:
        return None
    if need is Need.MIGRATED and _sqlite_folder_problem() is None and _sqlite_file_missing():
        return _not_initialised()
    problem = connection_problem()
    if problem or need is Need.CONNECTION:
        return problem
    return migration_problem()


def data_folder_create() -> None:
    """Create the data folder (``zhifa migrate`` on a new machine; SQLite needs the folder),
    readable by its owner only: it holds personal data and the keys."""
    Path(settings.DATA_DIR).mkdir(mode=0o700, parents=True, exist_ok=True)
