"""Fixtures of the statistics tests: the cases world (a penalty case walker)."""

from zhifa.cases.tests.conftest import fresh_tokens, world  # noqa: F401 - the cases fixtures
