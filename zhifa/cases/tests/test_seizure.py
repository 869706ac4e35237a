"""行政强制措施（查封、扣押）: approval or emergency, the on-site rules, the one extension."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from zhifa.cases import services
from zhifa.cases.models import Case, Extension
from zhifa.core.exceptions import RuleViolation

from .conftest import COMPANY, SEIZURE_CODE, FileIn, World, actions_of, entries_of, upload

pytestmark = pytest.mark.django_db

S = Case.State
BJ = ZoneInfo("Asia/Shanghai")
ITEMS = [services.SeizedItem("过期牛奶", "12盒"), services.SeizedItem("进货单据", "3张")]


def _proposed(world: World) -> Case:
    return services.case_open(
        actor=world.p.officer,
        kind=Case.Kind.SEIZURE,
        power_code=SEIZURE_CODE,
        title="扣押过期食品",
        on=date(2026, 6, 10),
        parties=[COMPANY],
    )


def _approved(world: World) -> Case:
    return services.case_seizure_approve(
        actor=world.p.head, case=_proposed(world), at=datetime(2026, 6, 10, 9, tzinfo=BJ)
    )


def _execute(world: World, case: Case, at: datetime, files: list[FileIn], **kw: object) -> Case:
    return services.case_seizure_execute(
        actor=world.p.officer,
        case=case,
        at=at,
        officers=[world.o1, world.o2],
        measure=Case.SeizureMeasure.SEIZE,
        items=ITEMS,
        files=upload(world.p.officer, case, *files),
        party_signed=bool(kw.pop("party_signed", True)),
        **kw,  # type: ignore[arg-type]
    )


def test_a_seizure_runs_from_approval_to_archive(world: World, video: FileIn) -> None:
    case = _approved(world)
    case = _execute(world, case, datetime(2026, 6, 10, 10, tzinfo=BJ), [video])
    assert case.state == S.EXECUTED
    assert case.number == "示范市监强〔2026〕1号"
    assert case.seizure_deadline == date(2026, 7, 10)  # 30 d (第二十五条)
    case = services.case_seizure_release(
        actor=world.p.officer, case=case, on=date(2026, 7, 1), reason="检验合格"
    )
    case = services.case_close(actor=world.p.head, case=case, on=date(2026, 7, 2))
    case = services.case_archive(actor=world.p.head, case=case, on=date(2026, 7, 3))
    assert actions_of(case) == [
        "case.open",
        "case.seizure_approve",
        "evidence.upload",
        "case.seizure_execute",
        "case.seizure_release",
        "case.close",
        "case.archive",
    ]
    execute = entries_of(case)[3]
    assert execute.file_refs == [video.ref]
    assert execute.data["step"]["data"]["items"][0] == {
        "name": "过期牛奶",
        "quantity": "12盒",
        "note": "",
    }


def test_a_seizure_without_audio_or_video_is_refused(world: World, photo: FileIn) -> None:
    with pytest.raises(RuleViolation, match="全程音像记录") as exc:
        _execute(world, _approved(world), datetime(2026, 6, 10, 10, tzinfo=BJ), [photo])
    assert exc.value.article == "国办发〔2018〕118号"


def test_a_seizure_at_23_00_is_refused_unless_urgent(world: World, video: FileIn) -> None:
    case = _approved(world)
    night = datetime(2026, 6, 10, 23, tzinfo=BJ)
    with pytest.raises(RuleViolation, match="夜间或法定节假日") as exc:
        _execute(world, case, night, [video])
    assert exc.value.article == "《行政强制法》第四十三条"
    with pytest.raises(RuleViolation, match="夜间"):
        _execute(world, case, night, [video], urgent=True)  # urgent needs its reasons
    case = _execute(world, case, night, [video], urgent=True, urgent_reason="食品即将转移")
    assert case.state == S.EXECUTED


def test_a_seizure_on_a_statutory_holiday_is_refused(world: World, video: FileIn) -> None:
    with pytest.raises(RuleViolation, match="法定节假日"):
        _execute(world, _approved(world), datetime(2026, 10, 2, 10, tzinfo=BJ), [video])


def test_an_absent_party_needs_a_witness_signature(world: World, video: FileIn) -> None:
    case = _approved(world)
    at = datetime(2026, 6, 10, 10, tzinfo=BJ)
    with pytest.raises(RuleViolation, match="见证人签名"):
        _execute(world, case, at, [video], party_signed=False)
    case = _execute(world, case, at, [video], party_signed=False, witness_name="社区主任王某")
    assert case.state == S.EXECUTED


def test_an_expired_officer_may_not_seize(world: World, video: FileIn) -> None:
    with pytest.raises(RuleViolation, match="王过期") as exc:
        services.case_seizure_execute(
            actor=world.p.officer,
            case=_approved(world),
            at=datetime(2026, 7, 1, 10, tzinfo=BJ),
            officers=[world.o1, world.expired],
            measure="seize",
            items=ITEMS,
            files=[video.ref],
            party_signed=True,
        )
    assert exc.value.article == "《行政强制法》第十八条"


def _emergency(world: World, video: FileIn, at: datetime) -> Case:
    case = _execute(world, _proposed(world), at, [video], emergency_reason="当事人正在转移食品")
    assert case.state == S.EMERGENCY_EXECUTED and case.seizure_emergency
    return case


def test_a_seizure_without_prior_approval_must_state_the_emergency(
    world: World, video: FileIn
) -> None:
    with pytest.raises(RuleViolation, match="情况紧急") as exc:
        _execute(world, _proposed(world), datetime(2026, 6, 10, 10, tzinfo=BJ), [video])
    assert exc.value.article == "《行政强制法》第十九条"


def test_an_emergency_seizure_is_approved_exactly_24_hours_later(
    world: World, video: FileIn
) -> None:
    at = datetime(2026, 6, 10, 10, tzinfo=BJ)
    case = _emergency(world, video, at)
    case = services.case_seizure_ratify(actor=world.p.head, case=case, at=at + timedelta(hours=24))
    assert case.state == S.EXECUTED


def test_an_emergency_approval_after_24_hours_is_refused(world: World, video: FileIn) -> None:
    at = datetime(2026, 6, 10, 10, tzinfo=BJ)
    case = _emergency(world, video, at)
    with pytest.raises(RuleViolation, match="二十四小时内") as exc:
        services.case_seizure_ratify(
            actor=world.p.head, case=case, at=at + timedelta(hours=24, seconds=1)
        )
    assert exc.value.article == "《行政强制法》第十九条"
    # Not approved in time: the measure is lifted.
    case = services.case_seizure_release(
        actor=world.p.officer, case=case, on=date(2026, 6, 11), reason="未在24小时内补办批准"
    )
    assert case.state == S.RELEASED


def test_the_seizure_is_extended_once_only(world: World, video: FileIn) -> None:
    case = _execute(world, _approved(world), datetime(2026, 6, 10, 10, tzinfo=BJ), [video])
    with pytest.raises(RuleViolation, match="机关负责人"):
        services.case_seizure_extend(
            actor=world.p.officer, case=case, on=date(2026, 7, 8), reason="检测未完成"
        )
    row = services.case_seizure_extend(
        actor=world.p.head, case=case, on=date(2026, 7, 8), reason="检测未完成"
    )
    assert row.new_deadline == date(2026, 8, 9)
    case = Case.objects.get(pk=case.pk)
    assert case.state == S.EXTENDED and case.seizure_deadline == date(2026, 8, 9)
    with pytest.raises(RuleViolation, match="只能延长一次") as exc:
        services.case_seizure_extend(
            actor=world.p.head, case=case, on=date(2026, 7, 20), reason="再延"
        )
    assert exc.value.article == "《行政强制法》第二十五条"
    assert Extension.objects.filter(case=case).count() == 1
    case = services.case_seizure_handle(
        actor=world.p.head, case=case, on=date(2026, 8, 1), outcome="confiscated", reason="处罚决定"
    )
    assert case.state == S.HANDLED


def test_no_extension_after_the_period_ran_out(world: World, video: FileIn) -> None:
    case = _execute(world, _approved(world), datetime(2026, 6, 10, 10, tzinfo=BJ), [video])
    with pytest.raises(RuleViolation, match="已于2026年7月10日届满"):
        services.case_seizure_extend(
            actor=world.p.head, case=case, on=date(2026, 7, 11), reason="检测"
        )
