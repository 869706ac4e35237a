"""major_decisions: every rule kind at its threshold (just under, at, over), the statute's own
categories, floors. Pure: no database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhifa.review.major_decisions import (
    STATUTORY_RULES,
    Facts,
    FlagFact,
    Rule,
    RuleKind,
    effective_threshold,
    evaluate,
    floor_violation,
)

PERSON = ("natural_person",)
ORG = ("organisation",)
SRC = "示范目录第1项"


def fine(amount: str, parties: tuple[str, ...] = PERSON) -> Facts:
    return Facts(party_kinds=parties, penalty_kinds=frozenset({"fine"}), fine=Decimal(amount))


def confiscate(amount: str) -> Facts:
    return Facts(
        party_kinds=PERSON,
        penalty_kinds=frozenset({"confiscation_of_gains"}),
        confiscation=Decimal(amount),
    )


def kinds(*names: str) -> Facts:
    return Facts(party_kinds=ORG, penalty_kinds=frozenset(names))


FINE_PERSON = Rule(RuleKind.FINE_PERSON, SRC, 1, amount=Decimal(10000))
FINE_ORG = Rule(RuleKind.FINE_ORGANISATION, SRC, 2, amount=Decimal(100000))
CONFISCATION = Rule(RuleKind.CONFISCATION, SRC, 3, amount=Decimal(50000))


@pytest.mark.parametrize(
    ("rule", "facts", "major"),
    [
        # fine on a natural person ≥ 10,000 元
        (FINE_PERSON, fine("9999.99"), False),
        (FINE_PERSON, fine("10000"), True),
        (FINE_PERSON, fine("10000.01"), True),
        (FINE_PERSON, fine("20000", ORG), False),  # an organisation is not a person
        # fine on an organisation ≥ 100,000 元
        (FINE_ORG, fine("99999.99", ORG), False),
        (FINE_ORG, fine("100000", ORG), True),
        (FINE_ORG, fine("100000.01", ORG), True),
        (FINE_ORG, fine("200000", PERSON), False),
        # confiscation ≥ 50,000 元
        (CONFISCATION, confiscate("49999.99"), False),
        (CONFISCATION, confiscate("50000"), True),
        (CONFISCATION, confiscate("50000.01"), True),
        # penalty kinds the catalog names
        (Rule(RuleKind.PENALTY_KIND, SRC, penalty_kind="licence_revocation"), kinds("fine"), False),
        (
            Rule(RuleKind.PENALTY_KIND, SRC, penalty_kind="licence_revocation"),
            kinds("fine", "licence_revocation"),
            True,
        ),
        (
            Rule(RuleKind.PENALTY_KIND, SRC, penalty_kind="order_to_suspend"),
            kinds("order_to_suspend"),
            True,
        ),
        (
            Rule(RuleKind.PENALTY_KIND, SRC, penalty_kind="order_to_close"),
            kinds("order_to_close"),
            True,
        ),
        (
            Rule(RuleKind.PENALTY_KIND, SRC, penalty_kind="occupational_ban"),
            kinds("occupational_ban"),
            True,
        ),
        (
            Rule(RuleKind.PENALTY_KIND, SRC, penalty_kind="occupational_ban"),
            kinds("warning"),
            False,
        ),
        # hearing
        (Rule(RuleKind.HEARING, SRC), Facts(hearing_held=False), False),
        (Rule(RuleKind.HEARING, SRC), Facts(hearing_held=True), True),
        # an officer's flag
        (
            Rule(RuleKind.FLAGGED, SRC, flag="complex_facts"),
            Facts(flags=(FlagFact("public_interest", "涉及全市供水"),)),
            False,
        ),
        (
            Rule(RuleKind.FLAGGED, SRC, flag="complex_facts"),
            Facts(flags=(FlagFact("complex_facts", "多名当事人、证据相互矛盾"),)),
            True,
        ),
        # every general-procedure penalty
        (Rule(RuleKind.ALL_GENERAL, SRC), kinds("warning"), True),
        (Rule(RuleKind.ALL_GENERAL, SRC), Facts(case_kind="penalty_general"), False),  # 不予处罚
        (
            Rule(RuleKind.ALL_GENERAL, SRC),
            Facts(case_kind="penalty_simple", penalty_kinds=frozenset({"warning"})),
            False,
        ),
    ],
)
def test_each_catalog_rule_kind_matches_at_and_above_its_threshold_only(
    rule: Rule, facts: Facts, major: bool
) -> None:
    verdict = evaluate(facts, [rule])
    assert verdict.major is major
    if major:
        (match,) = verdict.matches
        assert match.rule_id == rule.rule_id and match.source == SRC and match.kind == rule.kind
        assert match.reason_zh


def test_a_match_says_why_with_the_amounts_in_yuan() -> None:
    (match,) = evaluate(fine("12000"), [FINE_PERSON]).matches
    assert match.reason_zh == "对自然人拟罚款12,000.00元，达到10,000.00元的审核标准"


@pytest.mark.parametrize(
    ("flags", "hearing", "items"),
    [
        ((), True, []),  # a hearing alone is not (二): the major rights must be flagged too
        ((FlagFact("public_interest", "涉及全市供水安全"),), False, ["（一）"]),
        ((FlagFact("major_rights", "吊销唯一经营许可"),), False, []),
        ((FlagFact("major_rights", "吊销唯一经营许可"),), True, ["（二）"]),
        ((FlagFact("complex_facts", "证据矛盾"),), False, ["（三）"]),
        ((FlagFact("several_relations", "涉及合同与侵权"),), False, ["（三）"]),
        ((FlagFact("other_law", "《某条例》第十条要求审核"),), False, ["（四）"]),
    ],
)
def test_the_statutes_four_categories_follow_the_officers_flags(
    flags: tuple[FlagFact, ...], hearing: bool, items: list[str]
) -> None:
    verdict = evaluate(Facts(flags=flags, hearing_held=hearing), STATUTORY_RULES)
    assert verdict.major is bool(items)
    assert [m.source[-4:-1] for m in verdict.matches] == items
    assert all("《行政处罚法》第五十八条第一款" in m.source for m in verdict.matches)


def test_an_unflagged_case_without_catalog_is_not_major() -> None:
    assert evaluate(fine("900000"), STATUTORY_RULES).major is False


def test_every_matching_rule_is_listed_with_its_source() -> None:
    rules = [FINE_PERSON, Rule(RuleKind.HEARING, "目录第5项", 9)]
    facts = Facts(
        party_kinds=PERSON,
        penalty_kinds=frozenset({"fine"}),
        fine=Decimal(10000),
        hearing_held=True,
    )
    verdict = evaluate(facts, rules)
    assert [(m.rule_id, m.source) for m in verdict.matches] == [(1, SRC), (9, "目录第5项")]
    assert verdict.reasons[1] == "案件经过听证程序（目录第5项）"


FLOOR = Rule(
    RuleKind.FINE_ORGANISATION, "示范市司法局统一标准", 7, amount=Decimal(100000), region="130300"
)


@pytest.mark.parametrize(
    ("amount", "refused"),
    [("50000", False), ("100000", False), ("100000.01", True), ("200000", True)],
)
def test_an_agency_may_be_stricter_than_a_floor_but_never_looser(
    amount: str, refused: bool
) -> None:
    own = Rule(RuleKind.FINE_ORGANISATION, SRC, amount=Decimal(amount))
    problem = floor_violation(own, [FLOOR])
    assert (problem is not None) is refused
    if refused:
        assert "只能从严" in problem and "示范市司法局统一标准" in problem  # type: ignore[operator]


def test_a_floor_of_another_kind_does_not_bind() -> None:
    assert floor_violation(Rule(RuleKind.FINE_PERSON, SRC, amount=Decimal(900000)), [FLOOR]) is None


def test_the_floor_applies_whatever_the_agency_set() -> None:
    # Even an agency line above the floor (entered before the floor existed) cannot loosen it.
    own = Rule(RuleKind.FINE_ORGANISATION, SRC, 1, amount=Decimal(300000))
    verdict = evaluate(fine("150000", ORG), [own, FLOOR])
    assert verdict.major and [m.rule_id for m in verdict.matches] == [7]
    assert effective_threshold(RuleKind.FINE_ORGANISATION, [own, FLOOR]) == Decimal(100000)
