"""The demo publications: on the portal after review, one late, one held (minor), one
withdrawn, one corrected, drafts due and overdue; idempotent; no party data on any page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from zhifa.cases.models import Party
from zhifa.demo.testing import DemoSnapshot, demo_loaded
from zhifa.publicity import demo
from zhifa.publicity.models import Publication
from zhifa.registry.demo import REFERENCE_DAY

pytestmark = pytest.mark.django_db
S = Publication.State


@pytest.fixture(scope="module")
def loaded(
    django_db_setup: None, django_db_blocker: Any, demo_snapshot: DemoSnapshot
) -> Iterator[str]:
    """``zhifa demo`` (its publicity step included); yields what it printed."""
    with (
        demo_loaded(demo_snapshot, django_db_blocker) as output,
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield output
        transaction.set_rollback(True)


def test_the_demo_has_every_kind_of_publication(loaded: str) -> None:
    assert "已加载行政执法公示" in loaded
    published = Publication.objects.filter(state=S.PUBLISHED)
    assert published.count() >= 3 and published.filter(on_time=False).count() == 1
    assert published.filter(versions__kind="correct").distinct().count() == 1
    assert Publication.objects.filter(state=S.WITHDRAWN).count() == 1
    assert Publication.objects.filter(state=S.HELD, hold_reason="minor").exists()
    overdue = Publication.objects.filter(state=S.DRAFT, due_on__lt=REFERENCE_DAY)
    assert overdue.count() >= 2
    assert demo.load(today=REFERENCE_DAY).already


def test_no_party_value_of_any_demo_case_is_on_a_public_page(loaded: str) -> None:
    client = Client()
    pages = [client.get("/public/decisions/").content.decode()]
    for p in Publication.objects.filter(state__in=(S.PUBLISHED, S.WITHDRAWN)):
        pages.append(client.get(f"/public/decisions/{p.pk}/").content.decode())
        pages.append(client.get(f"/public/decisions/{p.pk}/proof.json").content.decode())
    text = "\n".join(pages)
    for party in Party.objects.filter(case__publication__state__in=(S.PUBLISHED, S.WITHDRAWN)):
        values = [party.phone]
        if party.kind == Party.Kind.NATURAL_PERSON:
            values += [party.name, party.id_number, party.address]
        else:
            values += [party.legal_representative]
        for value in filter(None, values):
            assert value not in text, f"{value} of case {party.case_id} is public"
