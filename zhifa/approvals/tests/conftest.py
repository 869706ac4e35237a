"""The case tests' world (agency A's power items, a ``World`` that walks a case) reused."""

from zhifa.cases.tests.conftest import evidence_dir, world

__all__ = ["evidence_dir", "world"]
