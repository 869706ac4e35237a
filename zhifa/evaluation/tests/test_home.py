"""The evaluation home page: the campaigns the account sees and the scorings waiting for it."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from zhifa.evaluation.models import Campaign, File, Scoring, TeamMember
from zhifa.evaluation.recording import record_rows
from zhifa.evaluation.tests.conftest import publish_template
from zhifa.supervision.tests.conftest import Bureau

pytestmark = pytest.mark.django_db


def test_home_lists_the_campaign_and_the_file_waiting_for_the_reviewer(
    bureau: Bureau, world, client: Client
) -> None:
    t = publish_template(bureau)
    case = world.decided()
    c = Campaign.objects.create(
        number="示范市司法局〔2026〕评查1号",
        body=bureau.body,
        name="2026年度行政处罚案卷评查",
        year=2026,
        decided_from=date(2026, 1, 1),
        decided_to=date(2026, 12, 31),
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 12, 31),
        sampling=Campaign.Sampling.RANDOM,
        created_by=bureau.sup1,
    )
    m = TeamMember.objects.create(
        campaign=c, account=bureau.sup2, name="林监督", kind=TeamMember.Kind.SUPERVISOR
    )
    f = File.objects.create(
        campaign=c, case=case, agency=case.agency, template=t, origin=File.Origin.DRAWN
    )
    s = Scoring.objects.create(file=f, reviewer=m)
    record_rows(bureau.sup1, "evaluation.test", [c, m, f, s])

    client.force_login(bureau.sup2)
    page = client.get("/evaluation/").content.decode()
    assert "2026年度行政处罚案卷评查" in page
    assert case.title in page  # waiting for this reviewer

    client.force_login(bureau.far)  # another city's bureau: neither
    page = client.get("/evaluation/").content.decode()
    assert "2026年度行政处罚案卷评查" not in page and case.title not in page


def test_home_asks_the_anonymous_to_log_in(client: Client) -> None:
    assert client.get("/evaluation/").status_code == 302
