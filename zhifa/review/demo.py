"""Demo legal reviews for 示范市 (``zhifa demo``, after the demo cases).

The catalogs (法制审核目录清单) of the demo bodies — amount rules per body, the floor the city
sets for every body in it, penalty-kind rules, the hearing rule; the city market bureau's switch
"every general-procedure penalty is reviewed" set and then switched off, 甲区's left on — and then
reviews in every outcome on cases opened for them: 同意 (decided), 建议纠正 with the head
deciding the dispute, 建议补充调查 with the clock stopped then a second round, 其他意见 settled
by 集体讨论, the national 存在问题, a suspected crime transferred to the police and answered,
and open rounds (one due, one overdue) for the reviewers' queues.

Every write goes through ``review.services``, ``cases.services`` and ``cases.documents``; the
cases are opened after the catalogs exist, so each reaches 案件审核 with a catalog in force and
the verdict is stored as it would be. The cases the demo loaded before are left as they are: the
decision gate is not retroactive, and nothing replays it. Dates are fixed 2026 working days
before the demo's today. Idempotent: nothing is written when the demo bodies have a catalog.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from typing import Any, Protocol

from django.db import transaction

from zhifa.cases import demo as case_demo
from zhifa.cases import services as cases
from zhifa.cases.demo import LATE_REASON
from zhifa.cases.documents import document_generate
from zhifa.cases.models import Case, CaseDocument, CaseOfficer, CaseStep, Party
from zhifa.core.calendar import current_calendar
from zhifa.core.testing import credit_code, id_number
from zhifa.law.coercion import LOCAL_TIME
from zhifa.registry import demo as city
from zhifa.registry import services as registry_services
from zhifa.registry.models import Account, Agency, Officer, PowerItem
from zhifa.registry.selectors import officer_may_act

from . import crime_transfer, services
from .checklist import POINTS, Point
from .models import CatalogRule, CrimeTransfer, Submission

Role = Account.Role
CITY_FLOOR = f"{city.CITY_NAME}重大执法决定法制审核目录清单指导标准（2026年）"
CATALOG_DAY = date(2026, 1, 5)

# Reviewer accounts the reviews need beyond registry.demo.CITY_ACCOUNTS (docs/demo.md).
REVIEW_ACCOUNTS: tuple[city.DemoAccount, ...] = (
    city.DemoAccount(
        "reviewer_env",
        "zhifa-reviewer-env",
        Role.REVIEWER,
        case_demo.AGENCIES[1].name,
        "",
        "法制审核机构，具有法律职业资格",
    ),
    city.DemoAccount(
        "reviewer_jq",
        "zhifa-reviewer-jq",
        Role.REVIEWER,
        case_demo.AGENCIES[5].name,
        "",
        "法制审核机构，具有法律职业资格",
    ),
)


@dataclass(frozen=True)
class Amounts:
    """An agency's amount rules (元): fines on persons and organisations, confiscation."""

    person: int
    organisation: int
    confiscation: int


# Each body's own thresholds: at or below the city's floor (a body may only be stricter).
AMOUNTS: dict[str, Amounts] = {
    "market": Amounts(50_000, 200_000, 100_000),
    "environment": Amounts(30_000, 200_000, 100_000),
    "urban": Amounts(20_000, 100_000, 50_000),
    "transport": Amounts(20_000, 100_000, 50_000),
    "emergency": Amounts(30_000, 150_000, 100_000),
    "jq_market": Amounts(20_000, 100_000, 50_000),
}
FLOOR = Amounts(50_000, 200_000, 100_000)  # the city's floor for every body in 139900
PENALTY_KIND_RULES = (
    "licence_revocation",
    "order_to_suspend",
    "order_to_close",
    "occupational_ban",
)


@dataclass(frozen=True)
class Story:
    """One demo review: the body, the party and proposal, and what happens in review."""

    key: str
    agency: str  # AgencySpec.key
    start: date  # the day the case is opened and registered (a working day)
    organisation: bool
    fine: Decimal
    outcome: str  # "" leaves the round open
    extra: frozenset[str] = frozenset()
    submit_on: date | None = None  # default: 7 working days after the start


def _story(
    key: str,
    agency: str,
    start: date,
    organisation: bool,
    fine: int,
    outcome: str,
    *extra: str,
) -> Story:
    return Story(key, agency, start, organisation, Decimal(fine), outcome, frozenset(extra))


STORIES: tuple[Story, ...] = (
    _story("agree", "market", date(2026, 8, 3), True, 260_000, "agree", "decide", "document"),
    _story("correct", "market", date(2026, 8, 10), True, 230_000, "correct", "head_decides"),
    _story("supplement", "market", date(2026, 8, 17), True, 210_000, "supplement", "round_two"),
    _story("other", "market", date(2026, 8, 24), True, 300_000, "other", "collective"),
    _story("all_general", "jq_market", date(2026, 8, 31), False, 3_000, "agree", "decide"),
    _story("problem", "environment", date(2026, 9, 7), True, 250_000, "problem"),
    _story("crime", "environment", date(2026, 9, 14), True, 400_000, "problem", "crime"),
    # Opened early enough for the 90-day limit of 第六十条 to end in 2026 (2027's holidays
    # are not published), sent to review late enough to be due after the demo's today.
    replace(
        _story("due", "market", date(2026, 9, 28), True, 220_000, ""), submit_on=date(2026, 10, 26)
    ),
    _story("overdue", "market", date(2026, 9, 1), True, 240_000, ""),
)

# -- results -------------------------------------------------------------------------------


@dataclass
class DemoReviewsResult:
    """What ``demo_reviews_load`` did (``already``: nothing, the catalogs were there)."""

    already: bool
    rules: int = 0
    rounds: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)  # label → rounds
    transfers: int = 0
    discussions: int = 0
    documents: int = 0
    seconds: float = 0.0
    accounts: tuple[city.DemoAccount, ...] = ()


class _Out(Protocol):
    def write(self, msg: str, /) -> Any: ...


# -- the loader ----------------------------------------------------------------------------


@dataclass
class _Body:
    key: str
    agency: Agency
    officer: Account
    head: Account
    reviewer: Account
    actors: list[Officer]
    heads: list[Officer]
    item: PowerItem


class _Loader:
    def __init__(self, today: date, sample: bool) -> None:
        self.today = today
        self.sample = sample
        self.cal = current_calendar()
        self.admin = Account.objects.get(username="admin")
        self.cityadmin = Account.objects.get(username="cityadmin")
        self.bodies: dict[str, _Body] = {}
        self.serial = 0
        self.documents = 0

    def wd(self, day: date, n: int) -> date:
        return self.cal.add_workdays(day, n) if n else day

    # catalogs

    def catalogs(self) -> int:
        added = 0
        for kind, amount, item in (
            ("fine_person", FLOOR.person, 1),
            ("fine_organisation", FLOOR.organisation, 2),
            ("confiscation", FLOOR.confiscation, 3),
        ):
            services.catalog_rule_add(
                actor=self.cityadmin,
                on=CATALOG_DAY,
                region_code=city.CITY_CODE,
                kind=kind,
                amount=amount,
                source=f"{CITY_FLOOR}第{item}项",
            )
            added += 1
        for spec in case_demo.AGENCIES:
            agency = Agency.objects.get(name=spec.name, division_code__startswith="1399")
            src = f"{agency.name}重大执法决定法制审核目录清单（2026年版）"
            a = AMOUNTS[spec.key]
            rows: list[dict[str, Any]] = [
                {"kind": "fine_person", "amount": a.person},
                {"kind": "fine_organisation", "amount": a.organisation},
                {"kind": "confiscation", "amount": a.confiscation},
                *({"kind": "penalty_kind", "penalty_kind": k} for k in PENALTY_KIND_RULES),
                {"kind": "hearing"},
                {"kind": "flagged", "flag": "public_interest"},
                {"kind": "flagged", "flag": "complex_facts"},
            ]
            if spec.key == "jq_market":
                rows.append({"kind": "all_general"})  # this county reviews every penalty
            for i, row in enumerate(rows, start=1):
                services.catalog_rule_add(
                    actor=self.cityadmin,
                    agency=agency,
                    on=CATALOG_DAY,
                    source=f"{src}第{i}项",
                    **row,
                )
                added += 1
            if spec.key == "market":
                # The switch was on for the first weeks of the year, then switched off.
                switch = services.catalog_rule_add(
                    actor=self.cityadmin,
                    agency=agency,
                    on=CATALOG_DAY,
                    kind="all_general",
                    source=f"{src}第{len(rows) + 1}项",
                )
                services.catalog_rule_retire(
                    actor=self.cityadmin,
                    rule=switch,
                    on=date(2026, 3, 2),
                    reason="改为按数额和处罚种类标准审核，一般程序案件不再全部审核",
                )
                added += 1
        return added

    # people

    def body(self, key: str) -> _Body:
        if key in self.bodies:
            return self.bodies[key]
        spec = next(s for s in case_demo.AGENCIES if s.key == key)
        agency = Agency.objects.get(name=spec.name, division_code__startswith="1399")
        domain = agency.domains.order_by("pk").first()
        assert domain is not None
        officers = list(Officer.objects.filter(agency=agency).order_by("pk"))
        heads = [o for o in officers if o.position in ("局长", "副局长", "支队长", "副支队长")]
        officer = Account.objects.get(username=spec.officer)
        actors = [
            o
            for o in officers
            if o not in heads
            and o.review_body_id is None
            and all(
                officer_may_act(o, domain, day, region=agency.division_code).allowed
                for day in (case_demo.YEAR_START, self.today)
            )
        ]
        if officer.officer in actors:
            actors.remove(officer.officer)
            actors.insert(0, officer.officer)
        item = (
            PowerItem.objects.filter(
                agency=agency,
                status=PowerItem.Status.PUBLISHED,
                category=PowerItem.Category.PENALTY,
                domain=domain,
                published_on__lte=case_demo.YEAR_START,
            )
            .order_by("code")
            .first()
        )
        assert item is not None and len(actors) >= 2, key
        found = _Body(
            key,
            agency,
            officer,
            Account.objects.get(username=spec.head),
            self._reviewer(key, agency),
            actors,
            heads,
            item,
        )
        self.bodies[key] = found
        return found

    def _reviewer(self, key: str, agency: Agency) -> Account:
        username = {"market": "reviewer", "environment": "reviewer_env", "jq_market": "reviewer_jq"}
        existing = Account.objects.filter(username=username[key]).first()
        if existing is not None:
            return existing
        spec = next(a for a in REVIEW_ACCOUNTS if a.username == username[key])
        staff = Officer.objects.filter(
            agency=agency,
            review_body__agency=agency,
            has_legal_qualification=True,
            status=Officer.Status.SERVING,
        ).order_by("pk")
        chosen = staff.first()
        assert chosen is not None, key
        return registry_services.account_create(
            actor=None,
            username=spec.username,
            password=spec.password,
            role=spec.role,
            agency=agency,
            officer=chosen,
            display_name=chosen.name,
        )

    def _party(self, story: Story, body: _Body) -> cases.PartyInput:
        self.serial += 1
        n = self.serial
        district = "示范市甲区" if body.key == "jq_market" else "示范市乙区"
        if story.organisation:
            return cases.PartyInput(
                kind=Party.Kind.ORGANISATION,
                name=f"示范市{_FIRMS[n % len(_FIRMS)]}{_TRADES[n % len(_TRADES)]}有限公司",
                credit_code=credit_code(700 + n, prefix="91", division="139902"),
                legal_representative=("周志刚", "吴海燕", "郑国华", "钱立新")[n % 4],
                phone=f"1390399{n:04d}",
                address=f"{district}建设路{100 + n}号",
            )
        return cases.PartyInput(
            kind=Party.Kind.NATURAL_PERSON,
            name=("何晓东", "罗春梅", "高建军")[n % 3],
            id_number=id_number(800 + n, division="139902"),
            phone=f"1390398{n:04d}",
            address=f"{district}和平街{20 + n}号",
        )

    # one story

    def story(self, s: Story) -> Submission | None:
        b = self.body(s.agency)
        lead, assistant = b.actors[0], b.actors[1 + self.serial % (len(b.actors) - 1)]
        day = s.start
        party = self._party(s, b)
        case = cases.case_open(
            actor=b.officer,
            kind=Case.Kind.PENALTY_GENERAL,
            power_code=b.item.code,
            title=f"{party.name}涉嫌违反{b.item.name.removeprefix('对')}规定案"[:200],
            on=day,
            summary=f"{day:%Y年%m月%d日}接举报，反映当事人涉嫌违法，违法情节较重。",
            act_ended_on=day - timedelta(days=10),
            parties=[party],
            officers=[(lead, CaseOfficer.Role.LEAD), (assistant, CaseOfficer.Role.ASSISTANT)],
            late_reason=LATE_REASON,
        )
        cases.case_register(
            actor=b.head, case=case, on=day, opinion="同意立案调查", late_reason=LATE_REASON
        )
        for n, kind, summary in (
            (1, CaseStep.Kind.INSPECTION_RECORD, "现场检查，发现当事人涉嫌违法，制作现场检查笔录"),
            (2, CaseStep.Kind.INTERVIEW_RECORD, "询问当事人的法定代表人，其对违法事实予以承认"),
        ):
            cases.case_investigate(
                actor=b.officer,
                case=case,
                on=self.wd(day, n),
                kind=kind,
                officers=[lead, assistant],
                summary=summary,
                late_reason=LATE_REASON,
            )
        cases.case_submit_review(
            actor=b.officer,
            case=case,
            on=self.wd(day, 3),
            report="调查终结，建议给予行政处罚",
            late_reason=LATE_REASON,
        )
        kinds = ["warning", "fine"]
        cases.case_notify(
            actor=b.officer,
            case=case,
            on=self.wd(day, 4),
            facts=f"经查，当事人存在{b.item.name.removeprefix('对')}所涉违法行为，有现场检查笔录、询问笔录为证。",
            reasons=f"当事人的行为违反了{_basis(b.item)}的规定。",
            basis=_basis(b.item),
            penalty_kinds=kinds,
            fine=s.fine,
            late_reason=LATE_REASON,
        )
        case = cases.case_statement_record(
            actor=b.officer,
            case=Case.objects.get(pk=case.pk),
            on=self.wd(day, 6),
            content="当事人称系初次违法，请求从轻处罚",
            adoption="partly",
            adoption_reasons="当事人初次违法，依法从轻处罚；但违法事实清楚，不予免除处罚",
            late_reason=LATE_REASON,
        )
        sub = self._submit(b, case, s.submit_on or self.wd(day, 7))
        if not s.outcome:  # left open: one due, one overdue
            return sub
        return self._conclude(s, b, case, sub, self.wd(day, 7))

    def _submit(self, b: _Body, case: Case, on: date, note: str = "") -> Submission:
        sub = services.review_submit(
            actor=b.officer,
            case=case,
            on=on,
            facts="当事人违法事实清楚，有现场检查笔录、询问笔录等证据证明",
            legal_basis=_basis(b.item),
            discretion="违法情节较重，按本机关行政处罚裁量基准第3档，在法定幅度中间偏上处罚",
            note=note,
        )
        return services.review_assign(
            actor=b.reviewer, submission=sub, reviewer=_officer(b.reviewer), on=on
        )

    def _answer(self, b: _Body, sub: Submission, on: date, problems: dict[Point, str]) -> None:
        for point in POINTS:
            problem = problems.get(point)
            services.review_checklist_answer(
                actor=b.reviewer,
                submission=sub,
                on=on,
                point=point.value,
                verdict="problem" if problem else "pass",
                comment=problem or "",
            )

    def _conclude(
        self, s: Story, b: _Body, case: Case, sub: Submission, submitted: date
    ) -> Submission:
        on = self.wd(submitted, 3)
        if "round_two" in s.extra:
            # The reviewer stops the clock for material, then it arrives.
            services.review_pause(
                actor=b.reviewer,
                submission=sub,
                on=self.wd(submitted, 1),
                reason="请补充涉案产品的检验报告",
            )
            sub = services.review_resume(
                actor=b.officer,
                submission=sub,
                on=self.wd(submitted, 3),
                material="涉案产品检验报告（示范市产品质量检验所）",
            )
            on = self.wd(submitted, 5)
        problems = _PROBLEMS.get(s.key, {})
        self._answer(b, sub, on, problems)
        agreed = s.outcome == "agree"
        sub = services.review_conclude(
            actor=b.reviewer,
            submission=sub,
            on=on,
            outcome=s.outcome,
            opinion=_OPINIONS[s.key],
            required_changes=() if agreed else _CHANGES[s.key],
        )
        if "document" in s.extra or not self.sample:
            self._document(b, case, on)
        after = self.wd(on, 1)
        if "head_decides" in s.extra:
            dispute = services.review_dispute_raise(
                actor=b.officer,
                submission=sub,
                on=after,
                reason="承办机构认为本案已按裁量基准第3档处罚，罚款数额适当，不同意审核意见",
            )
            dispute = services.review_dispute_coordinate(
                actor=b.reviewer,
                dispute=dispute,
                on=self.wd(after, 1),
                note="法制审核机构与承办机构协调，双方意见未能统一",
                settled=False,
            )
            services.review_dispute_decide(
                actor=b.head,
                dispute=dispute,
                on=self.wd(after, 2),
                uphold_opinion=False,
                reason="当事人违法情节较重且拒不改正，按承办机构拟处理意见作出决定",
            )
            self._decide(b, case, s, self.wd(after, 3))
        elif "collective" in s.extra:
            dispute = services.review_dispute_raise(
                actor=b.officer,
                submission=sub,
                on=after,
                reason="承办机构认为本案无需责令停产停业，不同意审核意见",
            )
            dispute = services.review_dispute_coordinate(
                actor=b.reviewer,
                dispute=dispute,
                on=self.wd(after, 1),
                note="协调未达成一致，提请机关负责人集体讨论",
                settled=False,
            )
            names = [o.name for o in b.heads] or [b.head.display_name]
            opinions = ("同意审核意见", "同意审核意见，承办机构应补充论证", "同意审核意见")
            services.collective_discussion_record(
                actor=b.head,
                dispute=dispute,
                on=self.wd(after, 3),
                chair=names[0],
                members_total=len(names),
                members=[
                    services.Member(name, o.position, opinions[i % 3])
                    for i, (name, o) in enumerate(zip(names, b.heads, strict=True))
                ],
                conclusion="维持法制审核意见，承办机构补充论证后重新送审",
                uphold_opinion=True,
            )
        elif "round_two" in s.extra:
            again = self._submit(b, case, self.wd(on, 3), note="已按审核意见补充调查")
            self._answer(b, again, self.wd(on, 5), {})
            sub = services.review_conclude(
                actor=b.reviewer,
                submission=again,
                on=self.wd(on, 5),
                outcome="agree",
                opinion="经审核，补充调查后事实清楚、证据确凿，同意承办机构的处理意见",
            )
            if not self.sample:
                self._document(b, case, self.wd(on, 5))
        elif "crime" in s.extra:
            self._transfer(b, sub, after)
        elif "decide" in s.extra:
            self._decide(b, case, s, self.wd(on, 2))
        return sub

    def _decide(self, b: _Body, case: Case, s: Story, on: date) -> None:
        cases.case_decide(
            actor=b.head,
            case=Case.objects.get(pk=case.pk),
            on=on,
            penalty_kinds=["warning", "fine"],
            fine=s.fine,
            opinion="经法制审核，同意作出行政处罚决定",
            late_reason=LATE_REASON,
        )

    def _transfer(self, b: _Body, sub: Submission, on: date) -> None:
        transfer = CrimeTransfer.objects.get(submission=sub)
        decided = datetime.combine(on, clock(10), tzinfo=LOCAL_TIME)
        transfer = services.crime_transfer_decide(
            actor=b.head, transfer=transfer, at=decided, approved=True
        )
        sent = datetime.combine(on, clock(16, 30), tzinfo=LOCAL_TIME)
        transfer = services.crime_transfer_send(
            actor=b.head,
            transfer=transfer,
            at=sent,
            organ=f"{city.CITY_NAME}公安局乙区分局",
            documents=[*crime_transfer.REQUIRED_DOCUMENTS, "涉案物品清单", "有关检验报告"],
            late_reason=LATE_REASON,
        )
        services.crime_transfer_answer(
            actor=b.officer,
            transfer=transfer,
            on=self.wd(on, 2),
            accepted=True,
            answer="经审查，认为有犯罪事实需要追究刑事责任，决定立案侦查",
        )

    def _document(self, b: _Body, case: Case, on: date) -> None:
        document_generate(actor=b.reviewer, case=case, kind=CaseDocument.Kind.REVIEW_OPINION, on=on)
        self.documents += 1


def _officer(account: Account) -> Officer:
    assert account.officer is not None
    return account.officer


def _basis(item: PowerItem) -> str:
    bases = item.bases.all().order_by("position", "pk")
    return "、".join(f"《{b.law}》{b.article}" for b in bases) or item.name


_FIRMS = ("恒达", "宏远", "瑞丰", "鑫源", "华泰", "金桥", "同创", "安和", "永盛")
_TRADES = ("商贸", "实业", "化工", "食品")
_OPINIONS: dict[str, str] = {
    "agree": "经审核，本案执法主体合法，事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，"
    "同意承办机构的处理意见",
    "correct": "经审核，本案罚款数额的裁量档次适用有误，建议纠正",
    "supplement": "经审核，涉案产品是否属于不合格产品的证据不足，建议补充调查",
    "other": "经审核，当事人拒不改正，建议在罚款的同时一并考虑责令停产停业",
    "all_general": "经审核，同意承办机构的处理意见",
    "problem": "经审核，本案违法所得的认定缺少书证，存在问题",
    "crime": "经审核，当事人非法处置危险废物数量巨大，涉嫌污染环境罪，应当移送公安机关",
}
_CHANGES: dict[str, tuple[str, ...]] = {
    "correct": ("按裁量基准第2档重新确定罚款数额",),
    "supplement": ("补充涉案产品的检验报告", "补充当事人进货台账"),
    "other": ("就是否责令停产停业补充论证",),
    "problem": ("补充违法所得的销售凭证等书证", "重新核定违法所得数额"),
    "crime": ("依照《行政执法机关移送涉嫌犯罪案件的规定》移送公安机关",),
}
_PROBLEMS: dict[str, dict[Point, str]] = {
    "correct": {Point.DISCRETION: "违法情节一般，应适用裁量基准第2档"},
    "supplement": {Point.FACTS: "缺少涉案产品的检验报告"},
    "other": {Point.OTHER: "当事人拒不改正，仅罚款不足以纠正违法行为"},
    "problem": {Point.FACTS: "违法所得数额无书证支持"},
    "crime": {Point.CRIME: "非法处置危险废物三吨以上，涉嫌污染环境罪（《刑法》第三百三十八条）"},
}


# -- entry points --------------------------------------------------------------------------


def demo_reviews_loaded() -> bool:
    """Whether the demo bodies (or the city) already have a catalog."""
    return CatalogRule.objects.filter(region_code=city.CITY_CODE).exists()


def _accounts_described() -> tuple[city.DemoAccount, ...]:
    names = dict(
        Account.objects.filter(username__in=[a.username for a in REVIEW_ACCOUNTS]).values_list(
            "username", "display_name"
        )
    )
    return tuple(
        city.DemoAccount(a.username, a.password, a.role, a.scope, names.get(a.username, ""), a.note)
        for a in REVIEW_ACCOUNTS
    )


def demo_reviews_load(
    *, today: date, stdout: _Out | None = None, sample: bool = False
) -> DemoReviewsResult:
    """Add the catalogs and the demo reviews (after ``cases.demo.demo_cases_load``).

    Guarantees: every write through the services (so through the record); no date after
    ``today``; every outcome of the market and national vocabularies, a crime transfer answered
    by the police, a head's and a collective decision on a dispute, a due and an overdue round;
    idempotent (``already=True`` when the city's floor exists); one transaction. ``sample``
    generates one 法制审核意见书 instead of one per concluded round.
    Raises ``RuntimeError`` when the demo cases are not loaded.
    """
    started = time.perf_counter()
    if not case_demo.demo_cases_loaded():
        raise RuntimeError("the demo cases are not loaded (cases.demo.demo_cases_load)")
    if demo_reviews_loaded():
        return DemoReviewsResult(already=True, accounts=_accounts_described())
    del stdout  # a handful of cases: no progress lines
    with transaction.atomic():
        loader = _Loader(today, sample)
        rules = loader.catalogs()
        first = Submission.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for story in STORIES:
            loader.story(story)
        rounds = Submission.objects.filter(pk__gt=first)
    outcomes: dict[str, int] = {}
    for label in rounds.values_list("outcome_label", flat=True):
        outcomes[label or "审核中"] = outcomes.get(label or "审核中", 0) + 1
    return DemoReviewsResult(
        already=False,
        rules=rules,
        rounds=rounds.count(),
        outcomes=outcomes,
        transfers=CrimeTransfer.objects.filter(submission__in=rounds).count(),
        discussions=rounds.filter(dispute__collective_discussion__isnull=False).count(),
        documents=loader.documents,
        seconds=time.perf_counter() - started,
        accounts=_accounts_described(),
    )
