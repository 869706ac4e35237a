"""What the cases API accepts and answers (django-ninja schemas).

Codes come with their Chinese labels (``"state": "registered", "state_label": "立案"``). Parties'
personal fields (身份证号码, 手机号码, 地址) leave the agency only masked or blank.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import ConfigDict, StrictBool, StrictStr

from zhifa.core.api_errors import Detail, InvalidInput, Refusal
from zhifa.core.api_types import LegalDate, ObjectId, QueryText
from zhifa.record.action_labels import action_label
from zhifa.record.models import Entry, EvidenceUpload
from zhifa.registry.models import Account
from zhifa.registry.schemas import PageParams

from . import transitions
from .models import Case, CaseOfficer, Party
from .personal_data import PartyMask
from .selectors import CaseMoney, Countdown

__all__ = ["Detail", "InvalidInput", "Refusal"]  # the API's error bodies, shared (core)

# Personal fields of a party, wherever a record payload carries them.
PERSONAL_FIELDS = ("id_number", "phone", "address")


class CaseFilters(PageParams):
    q: QueryText = Field("", description="案件编号、案由（包含）或当事人名称（包含）")
    kind: QueryText = Field("", description="案件类别代码：penalty_general / penalty_simple / …")
    state: QueryText = Field("", description="状态代码：clue / registered / …")
    overdue: bool = Field(False, description="只列已逾期的案件")


class CountdownOut(Schema):
    name: str
    due_on: date
    remaining: int = Field(description="剩余天数（负数为已逾期）")
    unit: str = Field(description="工作日 或 日")
    article: str
    overdue: bool
    provisional: bool


class PartyOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    id_number: str
    phone: str
    address: str
    credit_code: str
    legal_representative: str
    is_minor: bool


class CaseOfficerOut(Schema):
    officer_id: int
    name: str
    role: str
    role_label: str


class NextActionOut(Schema):
    service: str
    label: str
    approval: bool = Field(description="须机关负责人审批")
    fields: list[str]
    unavailable: str = Field("", description="暂不能办理的原因（如申请法院强制执行的期限未到）")


class MoneyLineOut(Schema):
    item: str = Field(description="fine 罚款 / confiscation 没收违法所得 / late_fee 加处罚款")
    label: str
    due: Decimal = Field(description="应缴（元）；加处罚款按当日计算")
    paid: Decimal
    outstanding: Decimal


class InstalmentOut(Schema):
    due_on: date
    amount: Decimal
    paid: Decimal
    outstanding: Decimal


class CaseOut(Schema):
    id: int
    number: str
    title: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    agency_id: int
    agency_name: str
    power_item_code: str
    power_item_name: str
    domain: str
    clue_on: date
    registered_on: date | None
    nearest_deadline: CountdownOut | None


class CaseDetailOut(CaseOut):
    summary: str
    act_ended_on: date | None
    decision_deadline: date | None
    decided_on: date | None
    decision_number: str
    penalty_kinds: list[str]
    fine: Decimal | None
    confiscation: Decimal | None = Field(description="没收违法所得（元）")
    confiscated_property: str = Field(description="没收非法财物")
    confiscated_property_value: Decimal | None = Field(description="没收非法财物估值（元）")
    paid_amount: Decimal = Field(description="已缴罚款（元）")
    late_fee: Decimal
    money: list[MoneyLineOut] = Field(description="各项应缴、已缴、尚欠（截至今日）")
    instalments: list[InstalmentOut] = Field(description="暂缓或分期缴纳的计划（第六十六条）")
    served_on: date | None
    closed_on: date | None
    archived_on: date | None
    parties: list[PartyOut]
    officers: list[CaseOfficerOut]
    deadlines: list[CountdownOut]
    next_actions: list[NextActionOut]


class CasePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[CaseOut]


class FileOut(Schema):
    sha256: str
    name: str
    size: int
    media_type: str


class EntryOut(Schema):
    seq: int
    recorded_at: datetime
    actor_name: str
    role: str
    role_label: str
    action: str
    action_label: str
    payload: dict[str, Any]
    files: list[FileOut]
    corrects: int | None
    proof_url: str


class ActionResultOut(Schema):
    case: CaseDetailOut
    entry: EntryOut | None = Field(description="该步骤写入的全过程记录")
    opened_case_id: int | None = Field(None, description="转立处罚案件时新案件的编号")


class PartyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["natural_person", "organisation"] = Field(
        description="natural_person（自然人）/ organisation（法人或其他组织）"
    )
    name: Annotated[StrictStr, Field(pattern=r"\S", max_length=128)]
    id_number: Annotated[StrictStr, Field(max_length=18)] = ""
    phone: Annotated[StrictStr, Field(max_length=20)] = ""
    address: Annotated[StrictStr, Field(max_length=200)] = ""
    credit_code: Annotated[StrictStr, Field(max_length=18)] = ""
    legal_representative: Annotated[StrictStr, Field(max_length=64)] = ""


class OfficerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    officer_id: ObjectId
    role: Literal["lead", "assistant"] = Field(
        "assistant", description="lead（主办）/ assistant（协办）"
    )


class CaseOpenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["penalty_general", "inspection", "seizure"] = Field(
        description="penalty_general（行政处罚）/ inspection（行政检查）/ seizure（查封扣押）"
    )
    power_code: Annotated[StrictStr, Field(pattern=r"\S", max_length=64)] = Field(
        description="本机关已发布的权责清单事项编码"
    )
    title: Annotated[StrictStr, Field(pattern=r"\S", max_length=200)] = Field(description="案由")
    summary: Annotated[StrictStr, Field(max_length=4000)] = ""
    on: LegalDate | None = Field(None, description="登记日期，默认今天（北京时间），不能晚于今天")
    act_ended_on: LegalDate | None = Field(
        None, description="违法行为发生（终了）日期，不能晚于今天"
    )
    serious: StrictBool = False
    parties: list[PartyIn] = Field(default_factory=list, max_length=50)
    officers: list[OfficerIn] = Field(default_factory=list, max_length=50)
    late_reason: Annotated[StrictStr, Field(max_length=500)] = Field(
        "", description="补录理由：登记日期早于今天超过补录期限的须填写"
    )


class EvidenceOut(FileOut):
    late_upload: bool = Field(description="录制结束后超过24小时上传")


# -- builders -------------------------------------------------------------------------------


def countdown_out(c: Countdown) -> CountdownOut:
    return CountdownOut(
        name=c.name,
        due_on=c.due_on,
        remaining=c.remaining,
        unit=c.unit,
        article=c.article,
        overdue=c.overdue,
        provisional=c.provisional,
    )


def party_out(p: Party, *, mask: PartyMask | None) -> PartyOut:
    return PartyOut(
        id=p.pk,
        kind=p.kind,
        kind_label=p.get_kind_display(),
        name=p.name,
        id_number=p.id_number if mask is None else mask.field("id_number", p.id_number),
        phone=p.phone if mask is None else mask.field("phone", p.phone),
        address=p.address if mask is None else "",
        credit_code=p.credit_code,
        legal_representative=p.legal_representative,
        is_minor=p.is_minor,
    )


def _case_fields(case: Case, deadlines: list[Countdown]) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number,
        "title": case.title,
        "kind": case.kind,
        "kind_label": case.get_kind_display(),
        "state": case.state,
        "state_label": case.get_state_display(),
        "agency_id": case.agency_id,
        "agency_name": case.agency.name,
        "power_item_code": case.power_item.code,
        "power_item_name": case.power_item.name,
        "domain": case.domain.code,
        "clue_on": case.clue_on,
        "registered_on": case.registered_on,
        "nearest_deadline": countdown_out(deadlines[0]) if deadlines else None,
    }


def case_out(case: Case, deadlines: list[Countdown]) -> CaseOut:
    return CaseOut(**_case_fields(case, deadlines))


def case_detail_out(
    case: Case,
    *,
    deadlines: list[Countdown],
    parties: Iterable[Party],
    officers: Iterable[CaseOfficer],
    next_actions: Iterable[NextActionOut],
    mask: PartyMask | None,
    money: CaseMoney,
) -> CaseDetailOut:
    return CaseDetailOut(
        **_case_fields(case, deadlines),
        summary=case.summary if mask is None else mask.text(case.summary),
        act_ended_on=case.act_ended_on,
        decision_deadline=case.decision_deadline,
        decided_on=case.decided_on,
        decision_number=case.decision_number,
        penalty_kinds=list(case.penalty_kinds),
        fine=case.fine,
        confiscation=case.confiscation,
        confiscated_property=case.confiscated_property,
        confiscated_property_value=case.confiscated_property_value,
        paid_amount=case.paid_amount,
        late_fee=case.late_fee,
        money=[
            MoneyLineOut(
                item=line.item,
                label=line.label,
                due=line.due,
                paid=line.paid,
                outstanding=line.outstanding,
            )
            for line in money.lines
        ],
        instalments=[
            InstalmentOut(due_on=p.due_on, amount=p.amount, paid=p.paid, outstanding=p.outstanding)
            for p in money.schedule
        ],
        served_on=case.served_on,
        closed_on=case.closed_on,
        archived_on=case.archived_on,
        parties=[party_out(p, mask=mask) for p in parties],
        officers=[
            CaseOfficerOut(
                officer_id=a.officer_id,
                name=a.officer.name,
                role=a.role,
                role_label=a.get_role_display(),
            )
            for a in officers
        ],
        deadlines=[countdown_out(c) for c in deadlines],
        next_actions=list(next_actions),
    )


# Labels of the record actions that are not a service of the transition tables.
OTHER_ACTION_LABELS = {
    "case.open": "登记",
    "case.simple_decide": "当场作出处罚决定（简易程序）",
    "document.generate": "生成执法文书",
    "document.template_set": "设定执法文书模板",
    "case.export": "导出电子案卷",
    "case.deadlines_recount": "按公布的节假日安排重新计算期限",
}


def case_action_labels() -> dict[str, str]:
    """The Chinese name of every action the cases app records (registered with
    ``record.action_labels`` in ``CasesConfig.ready``): ``case.register`` → 立案审批."""
    steps = {transitions.action_of(s): label for s, label in transitions.SERVICE_LABELS.items()}
    return {**steps, **OTHER_ACTION_LABELS}


def entry_out(entry: Entry, *, mask: PartyMask | None) -> EntryOut:
    """An entry as a caller sees it: through ``mask`` outside the agency (personal_data)."""
    payload = json.loads(entry.payload)
    roles = dict(Account.Role.choices)
    return EntryOut(
        seq=entry.seq,
        recorded_at=timezone.localtime(entry.recorded_at),
        actor_name=entry.actor_name,
        role=entry.role,
        role_label=str(roles.get(entry.role, entry.role)),
        action=entry.action,
        action_label=action_label(entry.action),
        payload=payload if mask is None else mask.payload(payload),
        files=[FileOut(**ref.as_dict()) for ref in entry.file_refs],
        corrects=entry.corrects_id,
        proof_url=f"/api/v1/record/entries/{entry.seq}/proof",
    )


def evidence_out(upload: EvidenceUpload) -> EvidenceOut:
    """An upload as its case knows it (its own name and recording details, whoever else may
    have stored the same bytes)."""
    return EvidenceOut(
        sha256=upload.sha256,
        name=upload.name,
        size=upload.size,
        media_type=upload.media_type,
        late_upload=upload.late_upload,
    )
