"""Editing templates: only a draft changes; a new version is a copy; retiring; the shipped
standards parse, total 100 and install once."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.core.exceptions import RuleViolation
from zhifa.evaluation import scoring, services_templates
from zhifa.evaluation.models import Template
from zhifa.evaluation.standard_templates import (
    CHECK_CODES,
    STANDARDS,
    standard_templates_install,
)
from zhifa.evaluation.tests.conftest import publish_template, small_content
from zhifa.record.action_labels import action_label
from zhifa.record.models import Entry
from zhifa.supervision.tests.conftest import Bureau

pytestmark = pytest.mark.django_db
ON = date(2026, 3, 2)


def _draft(b: Bureau) -> Template:
    from zhifa.evaluation import services

    return services.template_create(
        actor=b.sup1,
        key="DRAFT",
        name="草稿标准",
        issuer="示范市司法局",
        applies_to="penalty_general",
        valid_from=date(2026, 1, 1),
        content=small_content(),
        on=ON,
    )


def test_a_draft_is_updated_and_recorded(bureau: Bureau) -> None:
    t = _draft(bureau)
    content = small_content()
    content["sections"][0]["items"][0]["text"] = "使用统一格式文书"
    services_templates.template_update(
        actor=bureau.sup1, template=t, on=ON, name="新名称", content=content
    )
    t.refresh_from_db()
    assert t.name == "新名称"
    assert t.content["sections"][0]["items"][0]["text"] == "使用统一格式文书"
    entry = Entry.objects.filter(action="evaluation.template.update").get()
    assert action_label(entry.action) == "修改评查标准草稿"


def test_a_published_version_is_never_changed_and_the_refusal_names_the_rule(
    bureau: Bureau,
) -> None:
    t = publish_template(bureau)
    before = dict(t.content)
    with pytest.raises(RuleViolation, match="已发布的评查标准不能修改") as exc:
        services_templates.template_update(actor=bureau.sup1, template=t, on=ON, name="改名")
    assert "第十四条" in str(exc.value.article)
    t.refresh_from_db()
    assert t.name != "改名" and t.content == before
    assert not Entry.objects.filter(action="evaluation.template.update").exists()


def test_an_update_with_a_faulty_item_writes_nothing(bureau: Bureau) -> None:
    t = _draft(bureau)
    bad = small_content()
    bad["sections"][1]["items"][0]["rule"] = {"kind": "range", "min": "9", "max": "5"}
    with pytest.raises(RuleViolation, match="第2部分第1项"):
        services_templates.template_update(actor=bureau.sup1, template=t, on=ON, content=bad)
    t.refresh_from_db()
    assert t.content == small_content()


def test_another_bodys_supervisor_cannot_edit(bureau: Bureau) -> None:
    t = _draft(bureau)
    with pytest.raises(RuleViolation, match="制定该标准的机构"):
        services_templates.template_update(actor=bureau.p.officer, template=t, on=ON, name="改名")


def test_a_new_version_copies_the_published_one_which_stays_in_use(bureau: Bureau) -> None:
    v1 = publish_template(bureau)
    v2 = services_templates.template_new_version(actor=bureau.sup1, template=v1, on=ON)
    assert (v2.version, v2.status, v2.previous_id) == (2, Template.Status.DRAFT, v1.pk)
    assert v2.content == v1.content and v2.key == v1.key
    content = small_content()
    content["sections"][0]["max_points"] = "25"
    services_templates.template_update(actor=bureau.sup1, template=v2, on=ON, content=content)
    v1.refresh_from_db()
    # The campaign-safe version: unchanged and still published until v2 is published.
    assert v1.content == small_content() and v1.status == Template.Status.PUBLISHED
    with pytest.raises(RuleViolation, match="已有后续版本"):
        services_templates.template_new_version(actor=bureau.sup1, template=v1, on=ON)
    with pytest.raises(RuleViolation, match="草稿可以直接修改"):
        services_templates.template_new_version(actor=bureau.sup1, template=v2, on=ON)
    assert Entry.objects.filter(action="evaluation.template.new_version").count() == 1


def test_retiring_a_published_version(bureau: Bureau) -> None:
    t = publish_template(bureau)
    services_templates.template_retire(actor=bureau.sup1, template=t, on=ON, reason="已废止")
    t.refresh_from_db()
    assert t.status == Template.Status.RETIRED
    with pytest.raises(RuleViolation, match="已停用"):
        services_templates.template_retire(actor=bureau.sup1, template=t, on=ON)
    with pytest.raises(RuleViolation, match="无需停用"):
        services_templates.template_retire(actor=bureau.sup1, template=_draft(bureau), on=ON)


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.key)
def test_the_standard_templates_parse_and_total_100(standard: object) -> None:
    spec = scoring.parse_template(standard.content, veto_effect=standard.veto_effect)  # type: ignore[attr-defined]
    assert spec.max_total == 100
    for item in spec.items():
        assert item.source, item.code
        assert not item.check or item.check in CHECK_CODES
    for veto in spec.vetoes:
        assert veto.source and (not veto.check or veto.check in CHECK_CODES)
    assert [g for _f, g in spec.bands] == ["优秀", "良好", "合格", "不合格"]


def test_the_guangdong_standard_has_the_art_17_vetoes_and_fails_on_one() -> None:
    gd = STANDARDS[0]
    spec = scoring.parse_template(gd.content, veto_effect=gd.veto_effect)
    assert len(spec.vetoes) == 5 and spec.veto_effect == scoring.VETO_FAIL
    assert [s.name for s in spec.sections][:3] == ["事实证据", "法律依据", "程序"]
    result = scoring.score(spec, {"vetoes": {"GV1": {"hit": True}}})
    assert result.total == 100 and result.grade == "不合格"


def test_the_penalty_standard_zeroes_on_a_veto_and_has_the_two_officer_veto() -> None:
    cf = STANDARDS[1]
    spec = scoring.parse_template(cf.content, veto_effect=cf.veto_effect)
    assert [s.max_points for s in spec.sections] == [20, 80]
    two = [v for v in spec.vetoes if v.text == "执法人员少于2人"]
    assert two and two[0].check == "two_certified_officers"
    assert scoring.score(spec, {"vetoes": {two[0].code: {"hit": True}}}).total == 0
    # 查处无管辖权案件 −10
    n1 = next(i for i in spec.items() if i.code == "N1")
    assert n1.rule.text() == "扣10分"


def test_installing_the_standards_twice_makes_them_once(bureau: Bureau) -> None:
    first = standard_templates_install(bureau.sup1, ON)
    again = standard_templates_install(bureau.sup1, ON)
    assert [t.pk for t in first] == [t.pk for t in again]
    assert all(t.status == Template.Status.PUBLISHED for t in first)
    assert Template.objects.count() == 2


def test_the_demo_installs_the_standards_once_with_a_draft(bureau: Bureau) -> None:
    from zhifa.evaluation import demo_templates

    # the personas' "supervisor" has no 司法局: the demo skips
    assert "跳过" in demo_templates.load(date(2026, 11, 1))[0]
    bureau.p.supervisor.username = "city_supervisor"
    bureau.p.supervisor.save(update_fields=["username"])
    bureau.sup1.username = "supervisor"
    bureau.sup1.save(update_fields=["username"])
    first = demo_templates.load(date(2026, 11, 1))
    again = demo_templates.load(date(2026, 11, 1))
    assert first == again
    assert Template.objects.filter(status="published").count() == 2
    assert Template.objects.filter(status="draft").count() == 1


def test_zhifa_verify_replays_every_template_write(bureau: Bureau) -> None:
    from zhifa.evaluation.recording import evaluation_replay_check

    v1 = publish_template(bureau)
    v2 = services_templates.template_new_version(actor=bureau.sup1, template=v1, on=ON)
    services_templates.template_update(actor=bureau.sup1, template=v2, on=ON, name="第二版")
    services_templates.template_retire(actor=bureau.sup1, template=v1, on=ON)
    assert list(evaluation_replay_check([])) == []
    Template.objects.filter(pk=v1.pk).update(name="改过")  # outside the services
    problems = list(evaluation_replay_check([]))
    assert [p.kind for p in problems] == ["evaluation_row_differs"]


def test_the_install_command_publishes_the_standards_and_refuses_an_officer(
    bureau: Bureau,
) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("evaluation_templates_install", username=bureau.sup1.username, stdout=out)
    assert "第1版，已发布" in out.getvalue()
    with pytest.raises(CommandError, match="监督机构"):
        call_command("evaluation_templates_install", username=bureau.p.officer.username)
