#!/usr/bin/env python
"""Django's manage.py; the installed `zhifa` command does the same."""

from zhifa.cli import main

if __name__ == "__main__":
    main()
