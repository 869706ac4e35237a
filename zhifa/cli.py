"""The `zhifa` console command: every Django management command plus zhifa's own.

`zhifa --help` lists them all; `zhifa workdays add 2026-09-30 5`, `zhifa demo`, `zhifa migrate` …
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "zhifa"
    if len(args) > 1 and args[1] in ("--help", "-h"):
        args[1] = "help"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
