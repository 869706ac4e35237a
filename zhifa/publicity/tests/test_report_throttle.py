"""Anonymous 纠错 reports are throttled per network address (finding 9 of issue 10: 20 of 20
accepted in a burst): five in ten minutes (settings), the sixth refused with a Chinese message
naming the rule and the time to retry, nothing recorded for it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhifa.publicity import services
from zhifa.publicity.models import CorrectionReport, Publication
from zhifa.record.models import Entry

from .publication_world import World, publication_of, reviewed, world

__all__ = ["world"]

NOW = datetime(2026, 10, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def frozen() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


@pytest.fixture
def done(world: World, frozen: time_machine.Coordinates) -> Publication:
    publication = publication_of(world.on_the_spot(date(2026, 9, 29)))
    return services.publication_publish(
        actor=world.p.publisher, publication=reviewed(publication), on=date(2026, 10, 9)
    )


def report(publication: Publication, address: str, n: int) -> Any:
    return Client(REMOTE_ADDR=address).post(
        f"/public/decisions/{publication.pk}/", {"text": f"第{n}处错误", "contact": ""}
    )


def test_the_fifth_report_in_a_burst_is_accepted_and_the_sixth_refused(
    done: Publication, frozen: time_machine.Coordinates
) -> None:
    for n in range(5):
        assert report(done, "198.51.100.7", n).status_code == 303
    reports_before = Entry.objects.filter(action="publicity.report").count()

    refused = report(done, "198.51.100.7", 6)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "操作过于频繁：同一网络地址每10分钟最多提交纠错意见5次。请于10:12后再试。" in html
    assert "第6处错误" in html  # what was typed is kept in the form
    assert refused["Retry-After"] == str(12 * 60)
    assert CorrectionReport.objects.filter(publication=done).count() == 5
    assert Entry.objects.filter(action="publicity.report").count() == reports_before

    assert report(done, "203.0.113.50", 7).status_code == 303  # another address
    frozen.shift(timedelta(minutes=12))
    assert report(done, "198.51.100.7", 8).status_code == 303


def test_reading_the_page_is_never_throttled(done: Publication) -> None:
    for n in range(5):
        report(done, "198.51.100.7", n)
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(10):
        assert client.get(f"/public/decisions/{done.pk}/").status_code == 200
