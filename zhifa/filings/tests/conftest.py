"""The case tests' world (agency A, a ``World`` that walks a case to a decision) reused."""

from zhifa.cases.tests.conftest import evidence_dir, world

__all__ = ["evidence_dir", "world"]
