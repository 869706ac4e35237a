"""The catalog as data (floors, scope), the verdict stored on a case, and the frozen submission."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest

from zhifa.cases import services as cases
from zhifa.cases.models import Case, CaseStep
from zhifa.core.exceptions import RuleViolation
from zhifa.record import merkle
from zhifa.record.canonical import canonical_text
from zhifa.record.models import Entry
from zhifa.registry import services as registry
from zhifa.registry.models import Account
from zhifa.review import selectors, services
from zhifa.review.models import Assessment, CatalogRule, Submission
from zhifa.review.services import Proposal

from .conftest import CATALOG, COMPANY, Review, World, actions_after, last_entry, rule

pytestmark = pytest.mark.django_db


# -- the catalog --------------------------------------------------------------------------------


def test_catalog_rule_add_records_the_line_with_its_source(world: World) -> None:
    row = rule(world, "fine_person", 2, amount=Decimal(10000))
    assert row.active and row.amount == Decimal("10000.00") and row.source == f"{CATALOG}第2项"
    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None and entry.action == "review.catalog.add" and entry.case_id is None
    assert entry.data["rule"]["amount"] == "10000.00"


@pytest.mark.parametrize(
    ("kind", "kwargs", "message"),
    [
        ("fine_person", {}, "须写明数额标准"),
        ("penalty_kind", {"penalty_kind": "warning"}, "不能列入目录"),
        ("flagged", {"flag": "nothing"}, "标注情形"),
        ("law_named", {"category": "9"}, "第五十八条情形"),
        ("no_such_kind", {}, "目录情形"),
    ],
)
def test_catalog_rule_add_refuses_a_line_missing_what_its_kind_needs(
    world: World, kind: str, kwargs: dict[str, str], message: str
) -> None:
    with pytest.raises(RuleViolation, match=message):
        rule(world, kind, **kwargs)


def test_an_agency_cannot_loosen_a_floor_set_for_its_region(world: World) -> None:
    p = world.p
    services.catalog_rule_add(
        actor=p.admin,
        region_code="130300",
        on=date(2026, 1, 2),
        kind="fine_organisation",
        amount=Decimal(100000),
        source="示范市司法局重大执法决定法制审核统一标准第1项",
    )
    with pytest.raises(RuleViolation, match="只能从严、不能放宽") as exc:
        rule(world, "fine_organisation", amount=Decimal(200000))
    assert "国办发〔2018〕118号" in str(exc.value)
    stricter = rule(world, "fine_organisation", amount=Decimal(50000))
    floors = selectors.region_floors_for(p.agency_a)
    assert [f.source for f in floors] == ["示范市司法局重大执法决定法制审核统一标准第1项"]
    assert {r.rule_id for r in selectors.catalog_rules_for(p.agency_a)} >= {
        stricter.pk,
        floors[0].rule_id,
    }
    # The floor does not reach the other district's agency only through A's line.
    assert selectors.region_floors_for(p.agency_b)[0].region == "130300"


def test_the_catalog_is_edited_only_by_administrators_of_its_scope(world: World) -> None:
    p = world.p
    other = registry.account_create(
        actor=p.admin,
        username="yiqu-admin",
        password="x" * 12,
        role=Account.Role.ADMIN,
        region_code="130303",
    )
    with pytest.raises(RuleViolation, match="系统管理员"):
        services.catalog_rule_add(
            actor=other, agency=p.agency_a, on=date(2026, 1, 5), kind="hearing", source="目录"
        )
    with pytest.raises(RuleViolation, match="区域"):
        services.catalog_rule_add(
            actor=other, region_code="130300", on=date(2026, 1, 5), kind="hearing", source="目录"
        )
    with pytest.raises(RuleViolation, match="系统管理员"):
        services.catalog_rule_add(
            actor=p.head, agency=p.agency_a, on=date(2026, 1, 5), kind="hearing", source="目录"
        )
    assert not CatalogRule.objects.exists()
    assert list(selectors.catalog_rules_visible_to(p.officer_b)) == []


def test_a_retired_line_no_longer_makes_a_case_major(world: World, flow: Review) -> None:
    line = rule(world, "fine_person", amount=Decimal(10000))
    services.catalog_rule_retire(
        actor=world.p.admin, rule=line, on=date(2026, 3, 1), reason="目录修订"
    )
    case = flow.stated()
    assert selectors.case_assessment(case) is None
    assert Entry.objects.filter(action="review.catalog.retire").count() == 1


# -- the verdict on a case ------------------------------------------------------------------


def test_an_agency_without_catalog_writes_no_review_entry_and_decides_without_review(
    world: World,
) -> None:
    case = world.decided()
    assert case.state == Case.State.DECIDED
    assert not Assessment.objects.exists()
    assert not Entry.objects.filter(action__startswith="review.").exists()


def test_the_catalog_is_evaluated_when_the_case_reaches_case_review(world: World) -> None:
    case = world.investigated(world.registered(), date(2026, 3, 5))
    services.major_flag_add(
        actor=world.p.officer,
        case=case,
        on=date(2026, 3, 6),
        flag="complex_facts",
        reason="多名当事人、证据相互矛盾",
    )
    assert selectors.case_assessment(case) is None  # evaluated when it reaches 案件审核
    before = last_entry(case).seq
    case = cases.case_submit_review(actor=world.p.officer, case=case, on=date(2026, 3, 10))
    assert actions_after(case, before) == ["case.submit_review", "review.assess"]
    found = selectors.case_assessment(case)
    assert found is not None and found.major and found.trigger == Assessment.Trigger.SUBMITTED
    (match,) = found.matches
    assert match["source"] == "《行政处罚法》第五十八条第一款第（三）项"
    assert "多名当事人、证据相互矛盾" in match["reason"]
    assert last_entry(case).data["matches"] == found.matches


def test_changing_the_proposed_decision_evaluates_the_catalog_again(
    world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    case = world.in_review(date(2026, 3, 4), date(2026, 3, 20))
    assert selectors.case_assessment(case) is None  # nothing proposed yet
    before = last_entry(case).seq
    case = cases.case_notify(
        actor=world.p.officer,
        case=case,
        on=date(2026, 4, 1),
        facts="销售过期牛奶",
        reasons="违反《食品安全法》第三十四条",
        basis="《食品安全法》第一百二十四条",
        penalty_kinds=["warning", "fine"],
        fine=Decimal(20000),
    )
    assert actions_after(case, before) == ["case.notify", "review.assess"]
    found = selectors.case_assessment(case)
    assert found is not None and found.major and found.trigger == Assessment.Trigger.NOTIFIED
    assert found.matches[0]["rule_id"] == fine_catalog.pk
    assert found.matches[0]["source"] == f"{CATALOG}第1项"
    # The handling unit sends a lighter proposal: no longer major, stored as such.
    flow.submit(case, on=date(2026, 4, 3), proposal=Proposal(("warning", "fine"), Decimal(5000)))
    latest = selectors.case_assessment(case)
    assert latest is not None and not latest.major and latest.trigger == "review_submitted"
    assert Assessment.objects.filter(case=case).count() == 2


def test_an_organisation_is_measured_against_the_organisation_threshold(world: World) -> None:
    rule(world, "fine_organisation", amount=Decimal(100000))
    case = world.notified(date(2026, 3, 4), date(2026, 4, 1), fine=Decimal(100000), party=COMPANY)
    found = selectors.case_assessment(case)
    assert found is not None and found.major
    assert "法人或其他组织" in found.matches[0]["reason"]


# -- the submission ---------------------------------------------------------------------------


def test_the_submission_is_frozen_and_later_changes_show_as_changes(
    world: World, flow: Review
) -> None:
    case = world.in_review(date(2026, 3, 4), date(2026, 3, 20))
    before = [(e.seq, e.action) for e in Entry.objects.filter(case_id=case.pk).order_by("seq")]
    sub = flow.submit(
        case,
        on=date(2026, 3, 23),
        proposal=Proposal(("warning", "fine"), Decimal(15000), text="警告并罚款"),
    )
    entry = Entry.objects.get(seq=sub.entry_seq)
    assert entry.action == "review.submit" and entry.case_id == case.pk
    frozen = selectors.submission_frozen(sub)
    content = frozen.content
    assert frozen.intact and not frozen.changed_since
    assert content["proposal"] == {
        "penalty_kinds": ["fine", "warning"],
        "labels": ["罚款", "警告"],
        "fine": "15000.00",
        "confiscation": None,
        "text": "警告并罚款",
    }
    assert content["discretion"].startswith("适用本局裁量基准第3档")
    assert [e["kind"] for e in content["evidence"]] == ["询问笔录"]
    assert [(e["seq"], e["action"]) for e in content["case_file"]["entries"]] == before
    assert sub.last_case_seq == before[-1][0]
    # The log as it stood: size and root of the tree just before the submission entry.
    size = content["case_file"]["tree_size"]
    assert size == sub.tree_size == sub.entry_seq
    leaves = [e.leaf_hash for e in Entry.objects.filter(seq__lt=size).order_by("seq")]
    assert content["case_file"]["tree_root"] == merkle.root(leaves).hex() == sub.tree_root
    assert sub.digest == hashlib.sha256(canonical_text(content).encode()).hexdigest()

    # 补充调查 after the submission: the reviewer still sees exactly what was sent …
    cases.case_investigate(
        actor=world.p.officer,
        case=case,
        on=date(2026, 3, 24),
        kind=CaseStep.Kind.EVIDENCE,
        officers=[world.o1, world.o2],
        summary="补充调取进货台账",
    )
    again = selectors.submission_frozen(Submission.objects.get(pk=sub.pk))
    assert again.content == content and again.intact
    assert [e["kind"] for e in again.content["evidence"]] == ["询问笔录"]
    # … and the change is shown as a change since the submission.
    assert again.changed_since and "调查取证" in again.changes[0]


def test_a_tampered_submission_is_found(world: World, flow: Review) -> None:
    case = world.in_review(date(2026, 3, 4), date(2026, 3, 20))
    sub = flow.submit(case, on=date(2026, 3, 23), proposal=Proposal(("warning",)))
    assert list(selectors.submissions_replay_check([])) == []
    Submission.objects.filter(pk=sub.pk).update(digest="0" * 64)
    assert not selectors.submission_frozen(Submission.objects.get(pk=sub.pk)).intact
    (problem,) = selectors.submissions_replay_check([])
    assert problem.kind == "review_submission_digest" and problem.seq == sub.entry_seq


def test_review_submit_refuses_what_is_not_ready(world: World, flow: Review) -> None:
    investigating = world.investigated(world.registered(), date(2026, 3, 5))
    with pytest.raises(RuleViolation, match="不能送审法制审核") as exc:
        flow.submit(investigating, proposal=Proposal(("warning",)))
    assert exc.value.article == "《行政处罚法》第五十八条"
    case = world.in_review(date(2026, 3, 4), date(2026, 3, 20), clue_on=date(2026, 3, 3))
    with pytest.raises(RuleViolation, match="须写明拟处理意见"):
        flow.submit(case)
    with pytest.raises(RuleViolation, match="缺少裁量基准适用说明"):
        flow.submit(case, proposal=Proposal(("warning",)), discretion=" ")
    with pytest.raises(RuleViolation, match="拟罚款的须写明罚款数额"):
        flow.submit(case, proposal=Proposal(("fine",)))
    flow.submit(case, proposal=Proposal(("warning",)))
    with pytest.raises(RuleViolation, match="尚未完成，不能重复送审"):
        flow.submit(case, proposal=Proposal(("warning",)))
    with pytest.raises(RuleViolation, match="只有本机关的执法人员"):
        services.review_submit(
            actor=world.p.officer_b,
            case=case,
            on=date(2026, 3, 23),
            facts="x",
            legal_basis="x",
            discretion="x",
        )


def test_the_checklist_is_prefilled_from_the_registry_and_the_record(
    world: World, flow: Review
) -> None:
    sub = flow.submit(flow.stated())
    rows = {a.point: a for a in sub.checklist.all()}
    assert len(rows) == 10
    assert rows["subject"].prefill_verdict == "pass"
    assert "示范市甲区市场监督管理局（有效）" in rows["subject"].prefill_evidence[0]
    assert rows["officers"].prefill_verdict == "pass"
    assert any("张执法持有效执法证" in line for line in rows["officers"].prefill_evidence)
    assert rows["law"].prefill_evidence == [
        "权责清单所列依据：中华人民共和国食品安全法第一百二十四条"
    ]
    assert (
        rows["facts"].prefill_verdict == ""
        and rows["verdict_unset" if False else "facts"].verdict == ""
    )
    frozen = selectors.submission_frozen(sub).content
    assert frozen["checklist_prefill"]["officers"]["verdict"] == "pass"
