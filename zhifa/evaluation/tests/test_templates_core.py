"""Creating and publishing a template: validated, recorded, frozen once published."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.core.exceptions import RuleViolation
from zhifa.evaluation import services
from zhifa.evaluation.models import Template
from zhifa.evaluation.tests.conftest import PUBLISHED_ON, publish_template, small_content
from zhifa.record.models import Entry
from zhifa.supervision.tests.conftest import Bureau

pytestmark = pytest.mark.django_db


def test_publishing_a_template_freezes_it_and_records_both_steps(bureau: Bureau) -> None:
    t = publish_template(bureau)
    assert t.status == Template.Status.PUBLISHED and t.published_on == PUBLISHED_ON
    actions = list(
        Entry.objects.filter(action__startswith="evaluation.template").values_list(
            "action", flat=True
        )
    )
    assert actions == ["evaluation.template.create", "evaluation.template.publish"]
    with pytest.raises(RuleViolation, match="已发布"):
        services.template_publish(actor=bureau.sup1, template=t, on=PUBLISHED_ON)


def test_a_new_version_retires_the_published_one_when_it_is_published(bureau: Bureau) -> None:
    v1 = publish_template(bureau)
    v2 = services.template_create(
        actor=bureau.sup1,
        key=v1.key,
        name=v1.name,
        issuer=v1.issuer,
        applies_to=v1.applies_to,
        valid_from=date(2026, 6, 1),
        content=small_content(),
        previous=v1,
        on=date(2026, 5, 1),
    )
    assert v2.version == 2
    services.template_publish(actor=bureau.sup1, template=v2, on=date(2026, 5, 2))
    v1.refresh_from_db()
    assert v1.status == Template.Status.RETIRED


def test_a_template_with_a_faulty_item_is_refused_and_nothing_is_written(bureau: Bureau) -> None:
    content = small_content()
    content["sections"][0]["items"][1]["rule"] = {"kind": "per_occurrence", "points": "0"}
    with pytest.raises(RuleViolation, match="第1部分第2项"):
        services.template_create(
            actor=bureau.sup1,
            key="BAD",
            name="x",
            issuer="示范市司法局",
            applies_to="penalty_general",
            valid_from=date(2026, 1, 1),
            content=content,
            on=PUBLISHED_ON,
        )
    assert not Template.objects.exists()


def test_an_officer_cannot_keep_templates(bureau: Bureau) -> None:
    with pytest.raises(RuleViolation, match="监督机构"):
        services.template_create(
            actor=bureau.p.officer,
            key="X",
            name="x",
            issuer="x",
            applies_to="penalty_general",
            valid_from=date(2026, 1, 1),
            content=small_content(),
            on=PUBLISHED_ON,
        )
