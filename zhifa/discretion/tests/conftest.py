"""Fixtures: the cases' ``world`` and a 基准 entry for its penalty item."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from zhifa.cases.tests.conftest import (  # noqa: F401 - fixtures
    World,
    entered_on,
    evidence_dir,
    world,
)
from zhifa.registry import services as registry
from zhifa.registry.models import DiscretionBenchmark
from zhifa.registry.services import Grade


def entry_for(w: World, **extra: object) -> DiscretionBenchmark:
    """Agency A's 基准 for selling expired food: 5万 to 10万 元 (《食品安全法》第一百二十四条)."""
    fields: dict[str, object] = {
        "agency": w.p.agency_a,
        "range_kind": "amount",
        "range_min": D(50000),
        "range_max": D(100000),
    } | extra
    b = registry.discretion_benchmark_create(
        actor=w.p.admin,
        issuer="示范市市场监督管理局" if fields["agency"] is None else w.p.agency_a.name,
        domain=w.p.domain,
        violation="经营超过保质期的食品",
        basis="《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
        violated_provision="《中华人民共和国食品安全法》第三十四条第（十）项",
        penalty_provision="《中华人民共和国食品安全法》第一百二十四条第一款",
        power_items=[w.penalty_item] if fields["agency"] is not None else [],
        grades=[
            Grade("lighter", "主动消除危害后果或者积极配合调查", "处五万元以上六万五千元以下罚款"),
            Grade("standard", "无从轻、从重情节", "处六万五千元以上八万五千元以下罚款"),
            Grade("heavier", "一年内因同一违法行为受过处罚", "处八万五千元以上十万元以下罚款"),
        ],
        **fields,
    )
    return registry.discretion_benchmark_publish(actor=w.p.admin, benchmark=b, on=date(2026, 1, 5))


@pytest.fixture
def benchmark(world: World) -> DiscretionBenchmark:  # noqa: F811
    return entry_for(world)
