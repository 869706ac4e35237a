"""Publication drafts: prepared at the decision, due on the statutory calendar, held back when
the law says so; publishing, corrections, withdrawal and expiry through the services."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import entered_on
from zhifa.core.exceptions import RuleViolation
from zhifa.publicity import policy, services
from zhifa.publicity.models import Publication, PublicationVersion
from zhifa.record.models import Entry
from zhifa.record.selectors import inclusion_proof_for
from zhifa.review.models import CrimeTransfer

from .publication_world import (
    COMPANY,
    MINOR,
    PERSON,
    World,
    entries_since,
    log_size,
    publication_of,
    reviewed,
    world,
)

__all__ = ["world"]

S = Publication.State
AT = datetime(2026, 10, 14, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def seven_days(settings: Any) -> None:
    """No sector rule: penalties are due in 7 working days (国办发〔2018〕118号)."""
    settings.ZHIFA_PUBLICITY_SECTORS = {}


def publish(world: World, publication: Publication, on: date) -> Publication:
    return services.publication_publish(
        actor=world.p.publisher, publication=reviewed(publication), on=on, at=AT
    )


# -- the draft ---------------------------------------------------------------------------------


def test_a_decision_prepares_a_draft_due_on_the_7th_working_day_across_national_day(
    world: World, seven_days: None
) -> None:
    case = world.on_the_spot(date(2026, 9, 29))
    publication = publication_of(case)
    assert publication.state == S.DRAFT
    assert publication.kind == Publication.Kind.PENALTY
    assert publication.due_workdays == 7
    # 9-30, then 国庆 (10-1 … 10-7) is skipped, 10-10 (Saturday) is a make-up working day.
    assert publication.due_on == date(2026, 10, 14)
    assert not publication.due_provisional
    assert publication.calendar_version.startswith("cc")
    assert publication.decision_number == case.decision_number


def test_market_regulation_publishes_penalties_within_20_working_days(world: World) -> None:
    publication = publication_of(world.on_the_spot(date(2026, 9, 29)))
    assert publication.due_workdays == 20
    assert publication.due_on == date(2026, 11, 2)


def test_the_working_days_are_a_setting_per_kind(world: World, settings: Any) -> None:
    settings.ZHIFA_PUBLICITY_SECTORS = {}
    settings.ZHIFA_PUBLICITY_WORKDAYS = {"penalty": 5, "*": 20}
    publication = publication_of(world.on_the_spot(date(2026, 9, 29)))
    assert publication.due_on == date(2026, 10, 12)


def test_an_inspection_result_is_due_in_20_working_days(world: World, seven_days: None) -> None:
    publication = publication_of(world.inspected(date(2026, 6, 1)))
    assert publication.kind == Publication.Kind.INSPECTION
    assert publication.due_workdays == 20


def test_a_due_day_in_an_unpublished_year_is_provisional(world: World, seven_days: None) -> None:
    with entered_on(date(2026, 12, 24)):
        publication = publication_of(world.on_the_spot(date(2026, 12, 24)))
    assert publication.due_provisional
    assert publication.due_on.year == 2027


def test_the_draft_appends_one_record_entry_outside_the_case_entries(world: World) -> None:
    before = log_size()
    case = world.on_the_spot()
    actions = [e.action for e in entries_since(before)]
    assert actions == ["case.simple_decide", "publicity.draft"]
    draft = Entry.objects.get(action="publicity.draft")
    assert draft.case_id is None
    assert draft.data["case"] == case.pk and draft.data["due_on"] == "2026-11-02"


def test_the_draft_text_is_the_decision_and_its_public_fields_hold_no_personal_data(
    world: World,
) -> None:
    publication = publication_of(world.on_the_spot(party=PERSON))
    assert PERSON.id_number in publication.original_text
    fields = publication.draft_fields
    assert fields["target"] == "欧阳某"  # compound surname + 某
    assert fields["credit_code"] == ""
    assert fields["conclusion"] == "罚款人民币200.00元"
    assert fields["number"] == publication.decision_number
    for value in (PERSON.name, PERSON.phone, PERSON.id_number, PERSON.address):
        assert all(value not in v for v in fields.values())


def test_an_organisation_is_named_with_its_credit_code(world: World) -> None:
    case = world.on_the_spot(party=COMPANY, fine=Decimal(1000))
    fields = publication_of(case).draft_fields
    assert fields["target"] == COMPANY.name
    assert fields["credit_code"] == COMPANY.credit_code


def test_the_person_name_is_a_setting_per_jurisdiction(world: World, settings: Any) -> None:
    settings.ZHIFA_PUBLICITY_PERSON_NAME = {"": "surname", "1303": "hidden"}
    assert publication_of(world.on_the_spot()).draft_fields["target"] == "某某"


def test_surnames_compound_and_single() -> None:
    assert policy.public_person_name("欧阳晓明", "surname") == "欧阳某"
    assert policy.public_person_name("刘德华", "surname") == "刘某"
    assert policy.public_person_name("诸葛亮", "surname") == "诸葛某"
    assert policy.public_person_name("刘德华", "full") == "刘德华"


# -- held back ---------------------------------------------------------------------------------


def test_a_minor_party_holds_the_publication_back_with_the_reason(world: World) -> None:
    publication = publication_of(world.on_the_spot(party=MINOR, kind="warning", fine=None))
    assert publication.state == S.HELD
    assert publication.hold_reason == Publication.HoldReason.MINOR
    assert "未成年人" in publication.hold_note
    assert publication.held_at is not None and publication.held_by is None
    assert Entry.objects.get(action="publicity.draft").data["hold_reason"] == "minor"


def test_a_case_reported_as_a_suspected_crime_is_held_back(world: World) -> None:
    case = world.inspection()
    CrimeTransfer.objects.create(
        case=case,
        state=CrimeTransfer.State.TRANSFERRED,
        finding="涉嫌生产销售不符合安全标准的食品罪",
        reported_on=date(2026, 5, 28),
        decision_due_on=date(2026, 6, 2),
    )
    from zhifa.cases import services as cases

    cases.case_inspect(
        actor=world.p.officer,
        case=case,
        on=date(2026, 6, 1),
        officers=[world.o1, world.o2],
        summary="检查",
    )
    cases.case_findings_record(
        actor=world.p.officer,
        case=Case.objects.get(pk=case.pk),
        on=date(2026, 6, 1),
        outcome="no_problem",
        findings="未发现问题",
    )
    publication = publication_of(case)
    assert publication.state == S.HELD
    assert publication.hold_reason == Publication.HoldReason.CRIME


def test_publishing_is_refused_when_a_crime_transfer_came_after_the_draft(world: World) -> None:
    case = world.on_the_spot()
    CrimeTransfer.objects.create(
        case=case,
        state=CrimeTransfer.State.REPORTED,
        finding="涉嫌犯罪",
        reported_on=date(2026, 9, 30),
        decision_due_on=date(2026, 10, 9),
    )
    with pytest.raises(RuleViolation, match=r"国办发〔2018〕118号.*涉嫌犯罪"):
        publish(world, publication_of(case), date(2026, 10, 9))


def test_the_officer_holds_back_a_draft_involving_secrets_with_one_entry(world: World) -> None:
    publication = publication_of(world.on_the_spot())
    before = log_size()
    held = services.publication_hold(
        actor=world.p.officer,
        publication=publication,
        reason=Publication.HoldReason.SECRET,
        note="涉及商业秘密（配方）",
        at=AT,
    )
    assert held.state == S.HELD and held.held_by == world.p.officer
    assert [e.action for e in entries_since(before)] == ["publicity.hold"]
    with pytest.raises(RuleViolation, match="不能进行该操作"):
        publish(world, held, date(2026, 10, 9))


def test_a_hold_needs_a_reason_and_an_actor_of_the_agency(world: World) -> None:
    publication = publication_of(world.on_the_spot())
    with pytest.raises(RuleViolation, match="具体理由"):
        services.publication_hold(
            actor=world.p.publisher, publication=publication, reason="privacy", note=" "
        )
    with pytest.raises(RuleViolation, match="本机关"):
        services.publication_hold(
            actor=world.p.officer_b, publication=publication, reason="privacy", note="隐私"
        )


# -- publishing --------------------------------------------------------------------------------


def test_publishing_removes_the_party_data_records_the_content_and_signs_a_head(
    world: World,
) -> None:
    publication = publication_of(world.on_the_spot())
    before = log_size()
    published = publish(world, publication, date(2026, 10, 9))
    assert published.state == S.PUBLISHED and published.on_time is True
    version = PublicationVersion.objects.get(publication=published)
    for value in (PERSON.name, PERSON.phone, PERSON.id_number, PERSON.address):
        assert value not in version.text
    assert "欧阳某" in version.text
    entries = entries_since(before)
    assert [e.action for e in entries if e.action.startswith("publicity.")][-1] == (
        "publicity.publish"
    )
    entry = Entry.objects.get(seq=version.entry_seq)
    assert entry.case_id == publication.case_id
    assert entry.actor_name.endswith("（行政执法公示）")  # no person's name in a public entry
    assert entry.data["content"]["text"] == version.text
    assert entry.data["content_sha256"] == version.content_sha256
    assert services.content_sha256(entry.data["content"]) == version.content_sha256
    assert inclusion_proof_for(entry) is not None  # covered by a signed head at once


@pytest.mark.parametrize(
    ("published_on", "on_time"),
    [(date(2026, 10, 13), True), (date(2026, 10, 14), True), (date(2026, 10, 15), False)],
)
def test_on_time_is_published_on_or_before_the_due_day(
    world: World, seven_days: None, published_on: date, on_time: bool
) -> None:
    publication = publication_of(world.on_the_spot(date(2026, 9, 29)))
    assert publication.due_on == date(2026, 10, 14)
    assert publish(world, publication, published_on).on_time is on_time


def test_publishing_is_refused_while_an_ambiguous_span_is_undecided(world: World) -> None:
    publication = publication_of(world.on_the_spot())
    spans = list(publication.spans)
    spans.append(
        {
            "id": 99,
            "start": 0,
            "end": 2,
            "kind": "personal",
            "replacement": "×××",
            "state": "pending",
            "origin": "auto",
            "source": "",
        }
    )
    Publication.objects.filter(pk=publication.pk).update(spans=spans)
    publication.refresh_from_db()
    with pytest.raises(RuleViolation, match=r"依据国办发〔2018〕118号，不得公开个人隐私.*1处"):
        services.publication_publish(
            actor=world.p.publisher, publication=publication, on=date(2026, 10, 9)
        )
    publication = services.publication_span_resolve(
        actor=world.p.publisher, publication=publication, span_id=99, remove=False
    )
    services.publication_publish(
        actor=world.p.publisher, publication=publication, on=date(2026, 10, 9)
    )


def test_publishing_is_refused_while_a_party_value_remains_in_the_text(world: World) -> None:
    publication = publication_of(world.on_the_spot())
    phone = next(s for s in publication.spans if s["kind"] == "phone")
    publication = services.publication_span_undo(
        actor=world.p.publisher, publication=publication, span_id=phone["id"]
    )
    with pytest.raises(
        RuleViolation, match="不得公开个人隐私：公开文本中仍有当事人欧阳晓明的联系电话"
    ):
        publish(world, publication, date(2026, 10, 9))
    assert publication_of(publication.case).state == S.DRAFT


def test_publishing_is_refused_while_a_party_value_remains_in_a_field(world: World) -> None:
    publication = publication_of(world.on_the_spot())
    publication = services.publication_fields_edit(
        actor=world.p.publisher,
        publication=publication,
        fields={"content": f"当事人住{PERSON.address}"},
    )
    with pytest.raises(RuleViolation, match="执法内容（违法事实）中仍有当事人欧阳晓明的住址"):
        publish(world, publication, date(2026, 10, 9))


def test_a_spaced_out_id_number_is_still_found(world: World) -> None:
    known = services.decision_text.Known(PERSON.id_number, "id_number")
    spaced = " ".join(PERSON.id_number[i : i + 6] for i in range(0, 18, 6))
    assert services.leaks({"text": f"身份证{spaced}"}, [known])


def test_only_the_agencys_publisher_publishes(world: World) -> None:
    publication = publication_of(world.on_the_spot())
    for actor in (world.p.officer, world.p.head, world.p.supervisor, world.p.officer_b):
        with pytest.raises(RuleViolation, match="公示管理员"):
            services.publication_publish(actor=actor, publication=publication, on=date(2026, 10, 9))


def test_adding_and_undoing_a_span_each_append_one_entry(world: World) -> None:
    publication = publication_of(world.on_the_spot())
    text = publication.original_text
    start = text.index("幸福路菜市场")
    before = log_size()
    publication = services.publication_span_add(
        actor=world.p.publisher,
        publication=publication,
        start=start,
        end=start + len("幸福路菜市场"),
        kind="address",
    )
    added = publication.spans[-1]
    assert added["origin"] == "publisher" and added["state"] == "remove"
    assert "幸福路菜市场" not in services.public_text(publication)
    publication = services.publication_span_undo(
        actor=world.p.publisher, publication=publication, span_id=added["id"]
    )
    assert "幸福路菜市场" in services.public_text(publication)
    assert [e.action for e in entries_since(before)] == [
        "publicity.span_add",
        "publicity.span_undo",
    ]
    with pytest.raises(RuleViolation, match="范围"):
        services.publication_span_add(
            actor=world.p.publisher, publication=publication, start=5, end=99999, kind="address"
        )


# -- corrections, withdrawal, expiry ----------------------------------------------------------


def test_a_correction_is_a_new_version_with_a_notice_and_the_history_kept(world: World) -> None:
    published = publish(world, publication_of(world.on_the_spot()), date(2026, 10, 9))
    report = services.correction_report_submit(
        publication=published, text="罚款金额写错", contact="13311112222", at=AT
    )
    before = log_size()
    version = services.publication_correct(
        actor=world.p.publisher,
        publication=published,
        on=date(2026, 10, 12),
        notice="更正执法依据的条款项",
        fields={"basis": "《中华人民共和国食品安全法》第一百二十四条第一款"},
        report=report,
        at=AT,
    )
    assert [e.action for e in entries_since(before)] == ["publicity.correct"]
    versions = list(PublicationVersion.objects.filter(publication=published).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].superseded_on == date(2026, 10, 12)
    assert versions[0].fields["basis"] != versions[1].fields["basis"]
    assert version.notice == "更正执法依据的条款项"
    entry = Entry.objects.get(seq=version.entry_seq)
    assert entry.data["content"]["supersedes"] == versions[0].content_sha256
    report.refresh_from_db()
    assert report.state == "corrected"
    assert "13311112222" not in str(Entry.objects.get(seq=report.entry_seq).data)


def test_a_revoked_decision_is_withdrawn_due_within_3_working_days(world: World) -> None:
    published = publish(world, publication_of(world.on_the_spot()), date(2026, 10, 9))
    before = log_size()
    services.publication_withdraw(
        actor=world.p.publisher,
        publication=published,
        on=date(2026, 10, 16),
        change_kind="revoked",
        changed_on=date(2026, 10, 9),  # a Friday; 10-10 is a make-up Saturday
        reason="经行政复议撤销",
        at=AT,
    )
    assert [e.action for e in entries_since(before)] == ["publicity.withdraw"]
    withdrawn = publication_of(published.case)
    assert withdrawn.state == S.WITHDRAWN
    assert withdrawn.change_due_on == date(2026, 10, 13)  # 10-10, 10-12, 10-13
    assert withdrawn.withdrawn_on == date(2026, 10, 16)
    versions = list(PublicationVersion.objects.filter(publication=published).order_by("number"))
    assert versions[0].superseded_on == date(2026, 10, 16) and versions[0].text
    assert versions[1].kind == "withdraw" and "撤销" in versions[1].notice


def test_a_changed_decision_is_updated_with_a_new_version(world: World) -> None:
    published = publish(world, publication_of(world.on_the_spot()), date(2026, 10, 9))
    version = services.publication_update_after_change(
        actor=world.p.publisher,
        publication=published,
        on=date(2026, 10, 12),
        change_kind="changed",
        changed_on=date(2026, 10, 12),
        reason="经行政复议变更为警告",
        fields={"conclusion": "警告"},
    )
    assert version.kind == "update" and version.number == 2
    assert publication_of(published.case).state == S.PUBLISHED


def test_expiry_takes_a_decision_down_after_its_online_period_and_records_it(
    world: World, settings: Any
) -> None:
    settings.ZHIFA_PUBLICITY_SECTORS = {
        "market": {"short_online_months": 3, "short_kinds": ["fine"], "small_fine": "500"}
    }
    small = publish(world, publication_of(world.on_the_spot()), date(2026, 10, 9))
    assert small.online_until == date(2027, 1, 9)
    big = publish(
        world,
        publication_of(world.on_the_spot(party=COMPANY, fine=Decimal(3000))),
        date(2026, 10, 9),
    )
    assert big.online_until == date(2029, 10, 9)
    assert services.publications_expire(on=date(2027, 1, 9)) == []
    before = log_size()
    done = services.publications_expire(on=date(2027, 1, 10), at=AT)
    assert [p.pk for p in done] == [small.pk]
    assert [e.action for e in entries_since(before)] == ["publicity.expire"]
    assert publication_of(small.case).state == S.EXPIRED
    assert publication_of(big.case).state == S.PUBLISHED


def test_the_default_online_period_is_three_years(world: World, seven_days: None) -> None:
    published = publish(world, publication_of(world.on_the_spot()), date(2026, 10, 9))
    assert published.online_until == date(2029, 10, 9)
