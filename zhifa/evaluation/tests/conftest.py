"""Fixtures of the evaluation tests: the 示范市司法局 with its supervisors (supervision's
``bureau``), the cases' ``world``, and a small published template of every rule kind."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import fresh_tokens, world  # noqa: F401 - the cases fixtures
from zhifa.evaluation import services
from zhifa.evaluation.models import Template
from zhifa.supervision.tests.conftest import Bureau, bureau  # noqa: F401

PUBLISHED_ON = date(2026, 1, 10)


def small_content(**over: Any) -> dict[str, Any]:
    """卷面 20 + 内容 80, one item of each rule kind, one veto naming a record check."""
    content: dict[str, Any] = {
        "sections": [
            {
                "code": "A",
                "name": "卷面",
                "max_points": "20",
                "items": [
                    {
                        "code": "A1",
                        "text": "使用规定文书",
                        "max_points": "2",
                        "rule": {"kind": "fixed", "points": "2"},
                        "source": "测绘地理信息行政处罚案卷评查标准",
                    },
                    {
                        "code": "A2",
                        "text": "文书填写规范",
                        "max_points": "4",
                        "rule": {"kind": "per_occurrence", "points": "1", "cap": "4"},
                    },
                ],
            },
            {
                "code": "B",
                "name": "内容",
                "max_points": "80",
                "items": [
                    {
                        "code": "B1",
                        "text": "违法使用强制措施",
                        "max_points": "15",
                        "rule": {"kind": "range", "min": "5", "max": "15"},
                    },
                    {
                        "code": "B2",
                        "text": "无送达手续",
                        "max_points": "80",
                        "rule": {"kind": "per_occurrence", "points": "30"},
                    },
                ],
            },
        ],
        "vetoes": [
            {
                "code": "V1",
                "text": "执法人员少于两人或者不具备执法资格",
                "check": "two_certified_officers",
                "source": "《广东省行政执法案卷评查办法》第十七条",
            }
        ],
        "grade_bands": [
            {"from": "90", "grade": "优秀"},
            {"from": "75", "grade": "良好"},
            {"from": "60", "grade": "合格"},
            {"from": "0", "grade": "不合格"},
        ],
    }
    content.update(over)
    return content


def publish_template(
    b: Bureau,
    *,
    key: str = "T-SMALL",
    applies_to: str = Case.Kind.PENALTY_GENERAL,
    veto_effect: str = Template.VetoEffect.FAIL,
    content: dict[str, Any] | None = None,
) -> Template:
    t = services.template_create(
        actor=b.sup1,
        key=key,
        name="处罚案卷评查标准（测试）",
        issuer="示范市司法局",
        applies_to=applies_to,
        valid_from=date(2026, 1, 1),
        content=content or small_content(),
        veto_effect=veto_effect,
        on=PUBLISHED_ON,
    )
    return services.template_publish(actor=b.sup1, template=t, on=PUBLISHED_ON)


@pytest.fixture
def template(bureau: Bureau) -> Template:  # noqa: F811
    return publish_template(bureau)
