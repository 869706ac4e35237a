from __future__ import annotations

import pytest

from zhifa.core.workdays import WorkdayCalendar


@pytest.fixture
def cal() -> WorkdayCalendar:
    """The package's statutory calendar (2026 notice), without overrides."""
    return WorkdayCalendar()
