"""The `zhifa` console command: every Django management command plus zhifa's own.

`zhifa --help` lists them all; `zhifa workdays add 2026-09-30 5`, `zhifa demo`, `zhifa migrate` …

A condition a user can cause never answers with a traceback. Before a command runs, what it
needs of the database is checked (``zhifa.core.preflight``): a missing data folder, a database
that does not answer or has not been migrated is said in one line with what to do. While it
runs, a refusal (``CommandError``, a zhifa rule) is printed as its message alone; a database
failure as one line naming the database; anything else as one line, with the traceback written
to ``<data folder>/log/zhifa-errors.log`` (``ZHIFA_TRACEBACK=1`` shows it instead, for
developers). Every failure exits non-zero.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import traceback
from datetime import datetime
from difflib import get_close_matches
from pathlib import Path
from typing import NoReturn

# What each command needs of the database before it starts (zhifa.core.preflight.Need); every
# command not named here needs a migrated database.
NEEDS_NONE = {
    # Django's that touch no database
    "check",
    "collectstatic",
    "compilemessages",
    "diffsettings",
    "export_openapi_schema",
    "findstatic",
    "makemessages",
    "makemigrations",
    "optimizemigration",
    "sendtestemail",
    "shell",
    "squashmigrations",
    "startapp",
    "startproject",
    # zhifa's: pure, or they check the database themselves and report what they find
    "redact",
    "restore",
    "verify",
    "verify-archive",
    "verify-publication",
}
NEEDS_CONNECTION = {
    "createcachetable",
    "dbshell",
    "inspectdb",
    "migrate",
    "showmigrations",
    "sqlflush",
    "sqlmigrate",
    "sqlsequencereset",
}
# Django's commands that make no sense in zhifa, answered with where to go instead.
REDIRECTED = {
    "test": "zhifa 的测试由 pytest 运行：make test（或 .venv/bin/pytest）。",
    "testserver": "请用 make dev 启动开发服务器，或用 zhifa serve 启动正式服务。",
}
HELP = {"help", "--help", "-h", "version", "--version"}


def _fail(message: str, code: int = 1) -> NoReturn:
    sys.stderr.write(message.rstrip() + "\n")
    sys.exit(code)


def _error_log(exc: BaseException, argv: list[str]) -> Path | None:
    """Write the traceback where an administrator finds it; return where, or None."""
    folder = Path(os.environ.get("ZHIFA_DATA_DIR", "var")).resolve() / "log"
    text = (
        f"--- {datetime.now().astimezone().isoformat(timespec='seconds')} "
        f"{' '.join(argv)}\n{''.join(traceback.format_exception(exc))}"
    )
    for place in (folder, Path(tempfile.gettempdir())):
        try:
            place.mkdir(parents=True, exist_ok=True)
            path = place / "zhifa-errors.log"
            with path.open("a", encoding="utf-8") as log:
                log.write(text)
            return path
        except OSError:
            continue
    return None


def _unexpected(exc: BaseException, argv: list[str], what: str) -> NoReturn:
    if os.environ.get("ZHIFA_TRACEBACK"):
        raise exc
    from zhifa.core.preflight import first_line

    where = _error_log(exc, argv)
    detail = f"（详细信息已写入 {where}）" if where else ""
    _fail(f"{what}：{exc.__class__.__name__}: {first_line(exc)}{detail}")


def _setup(argv: list[str]) -> None:
    """Settings and apps, after --settings/--pythonpath as Django's own utility reads them."""
    from django.core.management.base import CommandParser, handle_default_options

    parser = CommandParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--settings")
    parser.add_argument("--pythonpath")
    parser.add_argument("args", nargs="*")
    # Malformed options are left to the command's own parser, which says what is wrong.
    with contextlib.suppress(Exception):
        options, _ = parser.parse_known_args(argv[2:])
        handle_default_options(options)
    import django

    try:
        django.setup()
    except Exception as exc:  # a settings file or an environment variable is wrong
        if os.environ.get("ZHIFA_TRACEBACK"):
            raise
        from zhifa.core.preflight import first_line

        _fail(
            f"配置有误，zhifa 无法启动：{first_line(exc).rstrip('.。')}。"
            "请检查 DATABASE_URL、ZHIFA_DATA_DIR 等环境变量（见 README.md）。"
        )


def _run(argv: list[str]) -> None:
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import ManagementUtility, get_commands
    from django.core.management.base import CommandError, SystemCheckError
    from django.db import DatabaseError, connections

    from zhifa.core.exceptions import ZhifaError
    from zhifa.core.preflight import (
        Need,
        data_folder_create,
        database_label,
        database_problem,
        explain,
        is_sqlite,
    )

    name = argv[1]
    if name in REDIRECTED:
        _fail(REDIRECTED[name])
    commands = get_commands()
    if name not in commands:
        close = get_close_matches(name, commands)
        hint = f"是否要运行 zhifa {close[0]}？" if close else ""
        _fail(f"没有这个命令：{name}。{hint}运行 zhifa help 查看全部命令。")
    command = ManagementUtility(argv).fetch_command(name)
    need = (
        Need.NONE
        if name in NEEDS_NONE
        else Need.CONNECTION
        if name in NEEDS_CONNECTION
        else Need.MIGRATED
    )
    if name == "migrate" and is_sqlite():
        data_folder_create()
    problem = database_problem(need)
    if problem:
        _fail(problem)

    command._called_from_command_line = True  # type: ignore[attr-defined]  # as Django does
    parser = command.create_parser(argv[0], name)
    options = parser.parse_args(argv[2:])  # bad arguments: usage and the error, exit 2
    cmd_options = vars(options)
    args = cmd_options.pop("args", ())
    try:
        command.execute(*args, **cmd_options)
    except SystemCheckError as exc:
        _fail(str(exc))
    except CommandError as exc:
        if cmd_options.get("traceback"):
            raise
        _fail(str(exc), exc.returncode)
    except ZhifaError as exc:  # a rule refused: its message names the rule and the article
        _fail(str(exc))
    except DatabaseError as exc:
        if cmd_options.get("traceback") or os.environ.get("ZHIFA_TRACEBACK"):
            raise
        _fail(f"数据库出错（{database_label()}）：{explain(exc)}。请检查数据库后重试。")
    except KeyboardInterrupt:
        _fail("已中断。", 130)
    except Exception as exc:
        if cmd_options.get("traceback"):
            raise
        _unexpected(exc, argv, f"zhifa {name} 未能完成")
    finally:
        with contextlib.suppress(ImproperlyConfigured, DatabaseError):
            connections.close_all()


# Files zhifa creates — the SQLite database and its WAL/SHM, the secret and signing keys,
# evidence, logs, collected static files, backups — are its own user's alone (0600, folders
# 0700): the data folder holds personal data and the keys that sign the record.
PRIVATE_UMASK = 0o077


def main(argv: list[str] | None = None) -> None:
    os.umask(PRIVATE_UMASK)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    args = list(sys.argv if argv is None else argv)
    args[0] = "zhifa"
    if len(args) > 1 and args[1] in ("--help", "-h"):
        args[1] = "help"
    _setup(args)
    if len(args) < 2 or args[1] in HELP or args[1].startswith("-"):
        from django.core.management import execute_from_command_line

        execute_from_command_line(args)
        return
    try:
        _run(args)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        _fail("已中断。", 130)
    except Exception as exc:  # loading a command failed, or a preflight check itself did
        _unexpected(exc, args, f"zhifa {args[1]} 未能启动")


if __name__ == "__main__":
    main()
