"""Runs every registered `zhifa` command through ``zhifa.cli.main`` in one process (the
settings come from the environment the test gives it) and prints, as JSON, each command's exit
status and output. One process for all commands keeps the test to seconds; each command still
goes through the same entry point as at the shell.

    python -m zhifa.core.tests.cli_driver RESULT.json ['[["name", "arg", …], …]']
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import traceback


def run(name: str, args: list[str]) -> dict[str, object]:
    from zhifa.cli import main

    out, err = io.StringIO(), io.StringIO()
    code: object = 0
    stdin = sys.stdin
    with (
        open(os.devnull) as devnull,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        sys.stdin = devnull
        try:
            main(["zhifa", name, *args])
        except SystemExit as exc:
            code = exc.code if exc.code is not None else 0
        except BaseException:  # what a user would have seen as a traceback
            code = "uncaught"
            err.write(traceback.format_exc())
        finally:
            sys.stdin = stdin
    return {"name": name, "code": code, "out": out.getvalue(), "err": err.getvalue()}


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    django.setup()
    from django.core.management import get_commands

    # `migrate` last: it is the one command that changes an unmigrated folder.
    if len(sys.argv) > 2:
        runs = [(line[0], line[1:]) for line in json.loads(sys.argv[2])]
    else:
        names = [*sorted(set(get_commands()) - {"migrate"}), "test", "migrate"]
        runs = [(name, []) for name in names]
    results = [run(name, args) for name, args in runs]
    with open(sys.argv[1], "w", encoding="utf-8") as result:
        json.dump(results, result, ensure_ascii=False)


if __name__ == "__main__":
    main()
