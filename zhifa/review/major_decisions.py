"""What is a major enforcement decision (重大执法决定): facts + catalog → verdict with reasons.

《行政处罚法》第五十八条第一款 names four categories that must be reviewed before the decision;
国办发〔2018〕118号 has each agency keep a catalog (法制审核目录清单) by category, level, domain and
amount. This module is the rule: pure, no Django, no clock.

- :class:`Rule` is one line of a catalog (or one of the statute's categories, ``STATUTORY_RULES``,
  which are always in force and cannot be switched off by any catalog);
- :class:`Facts` is what the case says about the decision being prepared;
- :func:`evaluate` answers ``Verdict(major, matches)``; each :class:`Match` names the rule, its
  kind, why it matched (Chinese) and the rule's source (the catalog line or the article).

Amounts are thresholds "at or above" (达到…以上): a fine equal to the threshold matches.

Floors (下限): a rule set at region level by a higher body applies to every agency of the region
(it is simply evaluated with the agency's own rules). An agency may be stricter — a lower amount
— but never looser: :func:`floor_violation` tells a catalog edit that would set an agency's
threshold above the region's floor of the same kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from zhifa.law import penalty

ART58 = penalty.article("五十八")


class RuleKind(StrEnum):
    """The kinds of catalog rule; ``label`` is how a catalog states it."""

    FINE_PERSON = "fine_person"  # fine on a natural person at or above ``amount``
    FINE_ORGANISATION = "fine_organisation"  # fine on an organisation at or above ``amount``
    CONFISCATION = "confiscation"  # confiscated gains/property valued at or above ``amount``
    PENALTY_KIND = "penalty_kind"  # the decision includes ``penalty_kind`` (吊销许可证件 …)
    HEARING = "hearing"  # the case went to a hearing
    FLAGGED = "flagged"  # an officer flagged the case as ``flag`` (with a reason)
    LAW_NAMED = "law_named"  # one of 第五十八条第一款's four categories (``category``)
    ALL_GENERAL = "all_general"  # every general-procedure penalty decision is reviewed

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    RuleKind.FINE_PERSON: "对自然人罚款数额达到标准",
    RuleKind.FINE_ORGANISATION: "对法人或其他组织罚款数额达到标准",
    RuleKind.CONFISCATION: "没收违法所得、非法财物价值达到标准",
    RuleKind.PENALTY_KIND: "拟作出特定种类的行政处罚",
    RuleKind.HEARING: "经过听证程序的案件",
    RuleKind.FLAGGED: "承办人员标注的重大复杂情形",
    RuleKind.LAW_NAMED: "《行政处罚法》第五十八条规定的情形",
    RuleKind.ALL_GENERAL: "普通程序作出的行政处罚决定一律审核",
}

AMOUNT_KINDS = frozenset({RuleKind.FINE_PERSON, RuleKind.FINE_ORGANISATION, RuleKind.CONFISCATION})

# Penalty kinds a catalog line may name (第九条's heavier kinds; the four of the issue first).
CATALOG_PENALTY_KINDS = (
    penalty.PenaltyKind.LICENCE_REVOCATION,
    penalty.PenaltyKind.ORDER_TO_SUSPEND,
    penalty.PenaltyKind.ORDER_TO_CLOSE,
    penalty.PenaltyKind.OCCUPATIONAL_BAN,
    penalty.PenaltyKind.LICENCE_SUSPENSION,
    penalty.PenaltyKind.QUALIFICATION_DOWNGRADE,
    penalty.PenaltyKind.BUSINESS_RESTRICTION,
    penalty.PenaltyKind.DETENTION,
)


class Flag(StrEnum):
    """What an officer may flag about a case (each with a written reason)."""

    PUBLIC_INTEREST = "public_interest"  # 涉及重大公共利益
    MAJOR_RIGHTS = "major_rights"  # 直接关系当事人或者第三人重大权益
    COMPLEX_FACTS = "complex_facts"  # 案件情况疑难复杂
    SEVERAL_RELATIONS = "several_relations"  # 涉及多个法律关系
    OTHER_LAW = "other_law"  # 法律、法规规定应当进行法制审核 (the reason names the provision)

    @property
    def label(self) -> str:
        return _FLAG_LABELS[self]


_FLAG_LABELS = {
    Flag.PUBLIC_INTEREST: "涉及重大公共利益",
    Flag.MAJOR_RIGHTS: "直接关系当事人或者第三人重大权益",
    Flag.COMPLEX_FACTS: "案件情况疑难复杂",
    Flag.SEVERAL_RELATIONS: "涉及多个法律关系",
    Flag.OTHER_LAW: "法律、法规规定应当进行法制审核",
}


class LawCategory(StrEnum):
    """第五十八条第一款's four categories."""

    PUBLIC_INTEREST = "1"  # (一) 涉及重大公共利益的
    MAJOR_RIGHTS_HEARING = "2"  # (二) 直接关系当事人或者第三人重大权益，经过听证程序的
    COMPLEX = "3"  # (三) 案件情况疑难复杂、涉及多个法律关系的
    OTHER_LAW = "4"  # (四) 法律、法规规定应当进行法制审核的其他情形


_LAW_ITEMS = {
    LawCategory.PUBLIC_INTEREST: "（一）",
    LawCategory.MAJOR_RIGHTS_HEARING: "（二）",
    LawCategory.COMPLEX: "（三）",
    LawCategory.OTHER_LAW: "（四）",
}


def law_source(category: LawCategory) -> str:
    return f"{ART58}第一款第{_LAW_ITEMS[category]}项"


@dataclass(frozen=True)
class Rule:
    """One catalog line. ``rule_id`` is the row's id (None for the statute's own categories);
    ``source`` says where the line comes from (the catalog's name and item, or the article);
    ``region`` is set for a floor laid down by a higher body (its division code)."""

    kind: RuleKind
    source: str
    rule_id: int | None = None
    amount: Decimal | None = None
    penalty_kind: str = ""
    flag: str = ""
    category: str = ""
    region: str = ""

    @property
    def is_floor(self) -> bool:
        return bool(self.region)


# The statute's four categories: always evaluated, whatever the catalog says. They depend on
# what the officer flagged (and, for (二), on a hearing having been held), so a case nobody
# flagged is not made major by them.
STATUTORY_RULES: tuple[Rule, ...] = tuple(
    Rule(kind=RuleKind.LAW_NAMED, category=c.value, source=law_source(c)) for c in LawCategory
)


@dataclass(frozen=True)
class FlagFact:
    flag: str
    reason: str


@dataclass(frozen=True)
class Facts:
    """What the case says about the decision being prepared.

    ``penalty_kinds`` empty means no penalty is proposed (不予处罚); ``party_kinds`` are the
    values of ``penalty.PartyKind``; amounts in 元.
    """

    case_kind: str = "penalty_general"
    party_kinds: tuple[str, ...] = ()
    penalty_kinds: frozenset[str] = frozenset()
    fine: Decimal | None = None
    confiscation: Decimal | None = None
    hearing_held: bool = False
    flags: tuple[FlagFact, ...] = ()

    @property
    def flagged(self) -> dict[str, str]:
        """flag → its reason(s), joined."""
        out: dict[str, str] = {}
        for f in self.flags:
            out[f.flag] = f"{out[f.flag]}；{f.reason}" if f.flag in out else f.reason
        return out


@dataclass(frozen=True)
class Match:
    rule_id: int | None
    kind: str
    reason_zh: str
    source: str

    def as_dict(self) -> dict[str, object]:
        return {
            "rule_id": self.rule_id,
            "kind": self.kind,
            "reason": self.reason_zh,
            "source": self.source,
        }


@dataclass(frozen=True)
class Verdict:
    major: bool
    matches: tuple[Match, ...] = field(default=())

    @property
    def reasons(self) -> list[str]:
        return [f"{m.reason_zh}（{m.source}）" for m in self.matches]

    def as_dict(self) -> dict[str, object]:
        return {"major": self.major, "matches": [m.as_dict() for m in self.matches]}


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}元"


def _match(rule: Rule, facts: Facts) -> str | None:
    """Why ``rule`` matches ``facts`` (Chinese), or None."""
    kind = rule.kind
    flagged = facts.flagged
    if kind in (RuleKind.FINE_PERSON, RuleKind.FINE_ORGANISATION):
        party = (
            penalty.PartyKind.NATURAL_PERSON
            if kind is RuleKind.FINE_PERSON
            else penalty.PartyKind.ORGANISATION
        )
        if rule.amount is None or party.value not in facts.party_kinds:
            return None
        if penalty.PenaltyKind.FINE.value not in facts.penalty_kinds or facts.fine is None:
            return None
        if facts.fine >= rule.amount:
            return f"对{party.label}拟罚款{_yuan(facts.fine)}，达到{_yuan(rule.amount)}的审核标准"
        return None
    if kind is RuleKind.CONFISCATION:
        if rule.amount is None or facts.confiscation is None:
            return None
        if facts.confiscation >= rule.amount:
            return f"拟没收{_yuan(facts.confiscation)}，达到{_yuan(rule.amount)}的审核标准"
        return None
    if kind is RuleKind.PENALTY_KIND:
        if rule.penalty_kind and rule.penalty_kind in facts.penalty_kinds:
            return f"拟作出“{penalty.PenaltyKind(rule.penalty_kind).label}”的行政处罚"
        return None
    if kind is RuleKind.HEARING:
        return "案件经过听证程序" if facts.hearing_held else None
    if kind is RuleKind.FLAGGED:
        if rule.flag in flagged:
            return f"承办人员标注“{Flag(rule.flag).label}”：{flagged[rule.flag]}"
        return None
    if kind is RuleKind.ALL_GENERAL:
        if facts.case_kind == "penalty_general" and facts.penalty_kinds:
            return "本机关对普通程序作出的行政处罚决定一律进行法制审核"
        return None
    if kind is RuleKind.LAW_NAMED:
        return _law_named(LawCategory(rule.category), facts, flagged)
    return None  # pragma: no cover - every kind is handled above


def _law_named(category: LawCategory, facts: Facts, flagged: dict[str, str]) -> str | None:
    if category is LawCategory.PUBLIC_INTEREST and Flag.PUBLIC_INTEREST in flagged:
        return f"涉及重大公共利益：{flagged[Flag.PUBLIC_INTEREST]}"
    if (
        category is LawCategory.MAJOR_RIGHTS_HEARING
        and facts.hearing_held
        and Flag.MAJOR_RIGHTS in flagged
    ):
        return f"直接关系重大权益且经过听证程序：{flagged[Flag.MAJOR_RIGHTS]}"
    if category is LawCategory.COMPLEX:
        found = [Flag(f) for f in (Flag.COMPLEX_FACTS, Flag.SEVERAL_RELATIONS) if f in flagged]
        if found:
            return "；".join(f"{f.label}：{flagged[f]}" for f in found)
    if category is LawCategory.OTHER_LAW and Flag.OTHER_LAW in flagged:
        return f"法律、法规规定应当进行法制审核：{flagged[Flag.OTHER_LAW]}"
    return None


def evaluate(facts: Facts, rules: Iterable[Rule]) -> Verdict:
    """Every rule of ``rules`` (the catalog, region floors and, normally, ``STATUTORY_RULES``)
    that ``facts`` meet; the decision is major when at least one matches."""
    matches = []
    for rule in rules:
        reason = _match(rule, facts)
        if reason is not None:
            matches.append(Match(rule.rule_id, rule.kind.value, reason, rule.source))
    return Verdict(bool(matches), tuple(matches))


def floor_violation(rule: Rule, floors: Sequence[Rule]) -> str | None:
    """Why an agency's ``rule`` would loosen a higher body's floor (Chinese), or None.

    For an amount rule: a floor of the same kind with a lower amount means the agency's amount
    may not exceed it (an agency can only be stricter). The floor stays in force either way —
    :func:`evaluate` applies both — so this guards the catalog editor, not the verdict.
    """
    if rule.kind not in AMOUNT_KINDS or rule.amount is None:
        return None
    for floor in floors:
        if floor.kind is rule.kind and floor.amount is not None and rule.amount > floor.amount:
            return (
                f"“{rule.kind.label}”的标准{_yuan(rule.amount)}高于上级设定的"
                f"{_yuan(floor.amount)}（{floor.source}），本机关只能从严、不能放宽"
            )
    return None


def effective_threshold(kind: RuleKind, rules: Iterable[Rule]) -> Decimal | None:
    """The lowest amount at which a decision of amount ``kind`` becomes major (None: none)."""
    amounts = [r.amount for r in rules if r.kind is kind and r.amount is not None]
    return min(amounts) if amounts else None
