"""Fixtures shared by every app's tests."""

from __future__ import annotations

import pytest

from zhifa.core.testing import Personas, make_personas


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()
