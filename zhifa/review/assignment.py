"""Who may review a case (审核人员): a pure rule over facts the services read.

- the reviewer belongs to the agency's legal-review body (国办发〔2018〕118号: 法制审核机构和人员);
- the reviewer did not handle or investigate the case (审查与调查分离: the one who gathered
  the evidence does not judge it);
- a reviewer who has not reviewed penalty decisions before holds 法律职业资格
  (《行政处罚法》第五十八条第二款);
- the reviewer is serving.

:func:`reviewer_eligibility` answers with every reason at once, each naming its rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhifa.law import penalty

RULE_BODY = "国办发〔2018〕118号"
RULE_SEPARATION = f"{penalty.article('五十八')}；{RULE_BODY}（审查与调查分离）"
RULE_QUALIFICATION = f"{penalty.article('五十八')}第二款"


@dataclass(frozen=True)
class ReviewerFacts:
    name: str
    serving: bool
    same_agency: bool
    in_review_body: bool
    handled_case: bool
    reviewed_before: bool
    legal_qualification: bool


@dataclass(frozen=True)
class Reason:
    text: str
    rule: str


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    reasons: tuple[Reason, ...] = ()

    @property
    def message(self) -> str:
        return "；".join(r.text for r in self.reasons)

    @property
    def rules(self) -> str:
        return "；".join(dict.fromkeys(r.rule for r in self.reasons))


def reviewer_eligibility(f: ReviewerFacts) -> Eligibility:
    reasons: list[Reason] = []
    if not f.serving:
        reasons.append(Reason(f"{f.name}已离岗，不能承担法制审核", RULE_BODY))
    if not f.same_agency or not f.in_review_body:
        reasons.append(Reason(f"{f.name}不是本机关法制审核机构的审核人员", RULE_BODY))
    if f.handled_case:
        reasons.append(Reason(f"{f.name}承办或参与调查了本案，不能审核本案", RULE_SEPARATION))
    if not f.reviewed_before and not f.legal_qualification:
        reasons.append(
            Reason(
                f"{f.name}初次从事行政处罚决定法制审核，应当取得法律职业资格", RULE_QUALIFICATION
            )
        )
    return Eligibility(not reasons, tuple(reasons))
