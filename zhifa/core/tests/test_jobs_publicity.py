"""``zhifa cron`` takes a published decision down the night after its online period ends."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from zhifa.publicity import services
from zhifa.publicity.models import Publication
from zhifa.publicity.selectors import publications_public
from zhifa.publicity.tests.publication_world import World, publication_of, reviewed, world

__all__ = ["world"]

SH = ZoneInfo("Asia/Shanghai")


def cron() -> str:
    out = StringIO()
    call_command("cron", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_decision_whose_online_period_ended_goes_down_at_five_past_midnight(
    world: World, settings: Any
) -> None:
    settings.ZHIFA_PUBLICITY_SECTORS = {  # a small fine stays online for three months
        "market": {"short_online_months": 3, "short_kinds": ["fine"], "small_fine": "500"}
    }
    published = services.publication_publish(
        actor=world.p.publisher,
        publication=reviewed(publication_of(world.on_the_spot())),
        on=date(2026, 10, 9),
        at=datetime(2026, 10, 9, 10, tzinfo=SH),
    )
    assert published.online_until == date(2027, 1, 9)

    with time_machine.travel(datetime(2027, 1, 9, 0, 5, tzinfo=SH), tick=False) as clock:
        assert "公示到期下线（publicity.expire）：成功。没有到期的公示。" in cron()  # its last day
        clock.move_to(datetime(2027, 1, 10, 0, 4, tzinfo=SH))
        cron()
        assert list(publications_public()) == [published]
        clock.move_to(datetime(2027, 1, 10, 0, 5, tzinfo=SH))
        out = cron()

    assert f"下线1项到期公示：{published.decision_number}。" in out
    assert list(publications_public()) == []
    assert publication_of(published.case).state == Publication.State.EXPIRED
    assert publication_of(published.case).expired_on == date(2027, 1, 10)
