"""Forms of the case pages, and the one form per procedure step shared with the JSON API.

Every step a case can take (a service of ``services.py`` named in ``transitions.py``) has one
small :class:`ActionForm` whose fields are that service's arguments. The workspace renders it
under the case's next actions; ``POST /api/v1/cases/{id}/actions/{service}`` validates its JSON
body with the same form. Forms parse input only: every rule stays in the services, which refuse
with the Chinese message and the article.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhifa.core.exceptions import RuleViolation
from zhifa.law import penalty
from zhifa.law.coercion import LOCAL_TIME
from zhifa.record.evidence_uploads import upload_limits
from zhifa.record.services import Collection
from zhifa.registry.models import Officer, PowerItem

from . import guards, legal_dates, services, statement_review, transitions
from .models import (
    Case,
    CaseDocument,
    CaseOfficer,
    CaseStep,
    Extension,
    Party,
    PaymentChannel,
    PaymentItem,
)

Choices = list[tuple[str, "str | Promise"]]


def _any_or(choices: Sequence[tuple[str, str]]) -> Choices:
    return [("", _("全部")), *choices]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class MomentField(forms.DateTimeField):
    """A moment (Beijing time unless it says otherwise) that has a place on the clock in UTC and
    in Beijing time: ``0001-01-01T00:00`` is refused here, not by an OverflowError later."""

    def to_python(self, value: Any) -> datetime | None:
        try:
            moment = super().to_python(value)
            if moment is not None:
                moment.astimezone(UTC)
                moment.astimezone(LOCAL_TIME)
        except (OverflowError, ValueError):
            raise forms.ValidationError(_("不是可以记录的时间"), code="invalid") from None
        return moment


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def _today() -> date:
    return datetime.now(LOCAL_TIME).date()


def _now() -> datetime:
    return datetime.now(UTC)


def check_inline(form: forms.Form, field: str, rule: Callable[[], None]) -> None:
    """Run a pure rule of ``legal_dates`` on a cleaned value and put its refusal (with the
    article) beside the field, so the officer sees it where the value was typed."""
    try:
        rule()
    except RuleViolation as exc:
        form.add_error(field if field in form.fields else None, str(exc))


# Date fields that name a day that has happened (never after today): the step's day, the
# day an act ended. Periods and appointments (听证日期, 整改期限, 缴款期限) lie ahead.
PAST_DATE_FIELDS = ("on", "act_ended_on")
PAST_MOMENT_FIELDS = ("at", "rec_started_at", "rec_ended_at", "rec_collected_at")


def check_dates(form: forms.Form, data: dict[str, Any]) -> None:
    """The date rules a form can check as typed (``legal_dates``, 《行政处罚法》第四十七条):
    days and moments that have happened are not in the future, an act does not end after the
    case's day, a recording and a record end after they start."""
    today, now = _today(), _now()
    for name in PAST_DATE_FIELDS:
        value = data.get(name)
        if isinstance(value, date) and not isinstance(value, datetime):
            check_inline(
                form,
                name,
                partial(legal_dates.not_after_today, on=value, today=today, field=name),
            )
    for name in PAST_MOMENT_FIELDS:
        value = data.get(name)
        if isinstance(value, datetime):
            check_inline(
                form,
                name,
                partial(legal_dates.not_after_now, at=value, now=now, field=name),
            )
    on, ended = data.get("on"), data.get("act_ended_on")
    if isinstance(on, date) and isinstance(ended, date) and "act_ended_on" not in form.errors:
        check_inline(
            form,
            "act_ended_on",
            lambda: legal_dates.act_not_after_case(act_ended_on=ended, on=on),
        )
    started, finished = data.get("rec_started_at"), data.get("rec_ended_at")
    if isinstance(started, datetime) and isinstance(finished, datetime) and finished <= started:
        form.add_error(
            "rec_ended_at",
            f"{_('录制结束时间须晚于开始时间')}（{legal_dates.RECORD_RULE}）",
        )
    if isinstance(on, date) and ("started_at" in form.fields or "ended_at" in form.fields):
        check_inline(
            form,
            "ended_at" if data.get("started_at") else "started_at",
            lambda: legal_dates.record_times(
                on=on, started=data.get("started_at"), ended=data.get("ended_at"), now=now
            ),
        )


def _text(label: Any, *, required: bool = True, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, required=required, max_length=4000, widget=widget)


def _money(label: Any, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, max_digits=14, decimal_places=2)


OFFICERS_LABEL = _("执法人员（至少两人）")


class _Warned:
    """An officer picker that says, beside an officer's name, why the officer may not act
    (``selectors.officers_unable_to_act``: e.g. 执法证已过期) — the warning comes before the
    choice; the service refuses it (第四十二条)."""

    warnings: Mapping[int, str] = {}

    def label_from_instance(self, obj: Any) -> str:
        warning = self.warnings.get(obj.pk)
        return f"{obj}（{_('不能执法')}：{warning}）" if warning else str(obj)


class OfficerField(_Warned, forms.ModelChoiceField):  # type: ignore[type-arg]
    pass


class OfficersField(_Warned, forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    pass


def _officers() -> OfficersField:
    return OfficersField(
        label=OFFICERS_LABEL, queryset=Officer.objects.none(), widget=forms.CheckboxSelectMultiple
    )


def warn_officers(form: forms.Form, warnings: Mapping[int, str] | None) -> None:
    """Give the form's officer pickers the warnings to show beside the names."""
    for field in form.fields.values():
        if isinstance(field, _Warned):
            field.warnings = dict(warnings or {})


PENALTY_KIND_CHOICES: list[tuple[str, Any]] = [(k.value, k.label) for k in penalty.PenaltyKind]
INVESTIGATION_KIND_CHOICES: list[tuple[str, Any]] = [
    (k.value, k.label)
    for k in (
        CaseStep.Kind.INSPECTION_RECORD,
        CaseStep.Kind.INTERVIEW_RECORD,
        CaseStep.Kind.EVIDENCE,
    )
]
# The kinds a case can be opened as on the "new case" page (简易程序 starts decided).
OPENING_KINDS: list[tuple[str, Any]] = [
    (k.value, k.label) for k in (Case.Kind.PENALTY_GENERAL, Case.Kind.INSPECTION, Case.Kind.SEIZURE)
]


# -- the steps ------------------------------------------------------------------------------


def late_reason_label() -> str:
    """The label of the 补录 reason, naming the window (``services.late_entry_window``)."""
    days = services.late_entry_window()
    if days is None:
        return str(_("补录理由"))
    return _("补录理由（步骤发生%(days)s日后才录入的须填写）") % {"days": days}


def _late_reason_last(form: forms.Form) -> None:
    """The 补录 reason goes last, labelled with the window of this deployment."""
    field = form.fields.pop("late_reason")
    field.label = late_reason_label()
    form.fields["late_reason"] = field


class ActionForm(forms.Form):
    """The fields of one service; ``service_kwargs`` are its keyword arguments.

    ``officers`` is the agency's officers (for the officer pickers), ``power_items`` the agency's
    published power items as (code, label) choices; ``inline``: check the dates as typed and
    say what is wrong beside the field (the workspace).
    """

    on = forms.DateField(label=_("日期"), widget=DateInput)
    late_reason = forms.CharField(label=_("补录理由"), required=False, max_length=500)

    accepts_files: ClassVar[bool] = False
    file_help: ClassVar[str | Promise] = ""

    def __init__(
        self,
        *args: Any,
        officers: QuerySet[Officer] | None = None,
        power_items: Sequence[tuple[str, str]] = (),
        inline: bool = False,
        officer_warnings: Mapping[int, str] | None = None,
        penalty_kinds: Sequence[penalty.PenaltyKind] | None = None,
        case: Case | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.case = case  # the case acted on, where a form's choices depend on it
        # The workspace checks dates as typed, beside each field; the API leaves them to the
        # services (409 naming the article), as its contract says.
        self.inline = inline
        _late_reason_last(self)
        warn_officers(self, officer_warnings)
        if penalty_kinds is not None and "penalty_kinds" in self.fields:
            # The kinds the case's agency may decide (行政拘留 only by public security organs,
            # 第十八条第三款); the service refuses any other with its article.
            kinds = self.fields["penalty_kinds"]
            assert isinstance(kinds, forms.ChoiceField)
            kinds.choices = [(k.value, k.label) for k in penalty_kinds]
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):  # and ModelMultipleChoiceField
                field.queryset = officers if officers is not None else Officer.objects.none()
        if "power_code" in self.fields:
            choice = self.fields["power_code"]
            assert isinstance(choice, forms.ChoiceField)
            choice.choices = [("", "—"), *power_items]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.inline:
            check_dates(self, data)
        return data

    def service_kwargs(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if not k.startswith("rec_")}


class RecordFields(forms.Form):
    """Where and when a record (笔录) was taken: the place, and the start and end time on the
    step's day (Beijing time) — printed on the 现场检查笔录 and 询问笔录."""

    place = forms.CharField(label=_("地点"), required=False, max_length=200)
    started_at = forms.TimeField(label=_("开始时间"), required=False, widget=TimeInput)
    ended_at = forms.TimeField(label=_("结束时间"), required=False, widget=TimeInput)


class AtForm(ActionForm):
    """A step given at a moment rather than on a day (查封、扣押: the 24 hours of 第十九条)."""

    on = None  # type: ignore[assignment]
    at = MomentField(label=_("时间"), widget=DateTimeInput)


COLLECTION_FIELDS = ("rec_description", "rec_source", "rec_collected_at", "rec_place")


class FilesForm(ActionForm):
    """A step that may carry evidence files; audio/video files carry their recording details."""

    accepts_files = True
    rec_description = forms.CharField(
        label=_("证据名称（如：现场照片、进货单据）"), required=False, max_length=200
    )
    rec_source = forms.CharField(
        label=_("证据来源（如：现场拍摄、当事人提供）"), required=False, max_length=200
    )
    rec_collected_at = MomentField(label=_("取证时间"), required=False, widget=DateTimeInput)
    rec_place = forms.CharField(label=_("取证（录制）地点"), required=False, max_length=200)
    rec_device = forms.CharField(label=_("记录设备"), required=False, max_length=100)
    rec_started_at = MomentField(label=_("录制开始时间"), required=False, widget=DateTimeInput)
    rec_ended_at = MomentField(label=_("录制结束时间"), required=False, widget=DateTimeInput)

    def collection(self) -> Collection:
        """What the files uploaded with the step are and where they came from."""
        d = self.cleaned_data
        return Collection(
            description=d.get("rec_description", ""),
            source=d.get("rec_source", ""),
            place=d.get("rec_place", ""),
            collected_at=d.get("rec_collected_at"),
        )

    def collection_fields(self) -> list[forms.BoundField]:
        """What the files are and where they came from (every upload)."""
        return [self[name] for name in COLLECTION_FIELDS]

    def recording_fields(self) -> list[forms.BoundField]:
        """The recording details of an audio/video file."""
        return [
            self[name]
            for name in self.fields
            if name.startswith("rec_") and name not in COLLECTION_FIELDS
        ]

    def limits_hint(self) -> str:
        """The size limits per kind of file (``ZHIFA_UPLOAD_LIMITS``), for the upload field."""
        return upload_limits().summary() + "。"

    def step_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("rec_")]


class PartyFields(forms.Form):
    """A party (当事人): a natural person (身份证号) or an organisation (统一社会信用代码)."""

    party_kind = forms.ChoiceField(
        label=_("当事人类别"), choices=Party.Kind.choices, initial=Party.Kind.NATURAL_PERSON
    )
    name = forms.CharField(label=_("姓名或名称"), max_length=128)
    id_number = forms.CharField(label=_("居民身份证号码（自然人）"), required=False, max_length=18)
    credit_code = forms.CharField(
        label=_("统一社会信用代码（组织）"), required=False, max_length=18
    )
    legal_representative = forms.CharField(
        label=_("法定代表人（组织）"), required=False, max_length=64
    )
    phone = forms.CharField(label=_("联系电话"), required=False, max_length=20)
    address = forms.CharField(label=_("住所（地址）"), required=False, max_length=200)

    def party_input(self) -> services.PartyInput:
        d = self.cleaned_data
        return services.PartyInput(
            kind=d["party_kind"],
            name=d["name"],
            id_number=d.get("id_number", ""),
            phone=d.get("phone", ""),
            address=d.get("address", ""),
            credit_code=d.get("credit_code", ""),
            legal_representative=d.get("legal_representative", ""),
        )


class PartyAddForm(ActionForm, PartyFields):
    def service_kwargs(self) -> dict[str, Any]:
        return {
            "on": self.cleaned_data["on"],
            "party": self.party_input(),
            "late_reason": self.cleaned_data["late_reason"],
        }


class OfficerAssignForm(ActionForm):
    officer = OfficerField(label=_("执法人员"), queryset=Officer.objects.none())
    role = forms.ChoiceField(
        label=_("角色"), choices=CaseOfficer.Role.choices, initial=CaseOfficer.Role.ASSISTANT
    )


class RegisterForm(ActionForm):
    act_ended_on = forms.DateField(
        label=_("违法行为发生（终了）日期"), required=False, widget=DateInput
    )
    opinion = _text(_("负责人意见"), required=False, rows=2)

    def service_kwargs(self) -> dict[str, Any]:
        kwargs = super().service_kwargs()
        if kwargs.get("act_ended_on") is None:
            kwargs.pop("act_ended_on", None)  # keep the date entered when the clue was recorded
        return kwargs


class ReasonForm(ActionForm):
    reason = _text(_("理由"), rows=2)


class InvestigateForm(FilesForm, RecordFields):
    file_help = _("笔录扫描件、照片、音视频等证据材料")
    kind = forms.ChoiceField(label=_("取证类别"), choices=INVESTIGATION_KIND_CHOICES)
    officers = _officers()
    summary = _text(_("内容摘要"), rows=3)


class SubmitReviewForm(ActionForm):
    report = _text(_("调查终结报告"), required=False, rows=3)


class PenaltyAmountsForm(ActionForm):
    """The kinds of a penalty and each amount apart; an amount missing for a chosen kind (or
    given for a kind not chosen) is marked beside its field with the article
    (``law.penalty.penalty_amounts_problems``)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for problem in penalty.penalty_amounts_problems(
            data.get("penalty_kinds") or [],
            fine=data.get("fine"),
            gains=data.get("confiscation"),
            property_description=data.get("confiscated_property") or "",
            property_value=data.get("confiscated_property_value"),
        ):
            if problem.field in self.fields and problem.field not in self.errors:
                self.add_error(problem.field, f"{problem.message}（{problem.article}）")
        return data


class NotifyForm(PenaltyAmountsForm):
    facts = _text(_("违法事实"), rows=2)
    reasons = _text(_("处罚理由"), rows=2)
    basis = _text(_("处罚依据"), rows=2)
    penalty_kinds = forms.MultipleChoiceField(
        label=_("拟处罚种类"), choices=PENALTY_KIND_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    fine = _money(_("拟罚款金额（元）"))
    confiscation = _money(_("拟没收违法所得金额（元）"))
    confiscated_property = _text(_("拟没收非法财物（名称、数量）"), required=False, rows=2)
    confiscated_property_value = _money(_("拟没收非法财物估值（元，已知时填写）"))


class DayOnlyForm(ActionForm):
    """A step with nothing but its day (申请听证、备案、归档)."""


class HearingNoticeForm(ActionForm):
    hearing_on = forms.DateField(label=_("听证日期"), widget=DateInput)
    presider = forms.ModelChoiceField(label=_("听证主持人"), queryset=Officer.objects.none())
    place = forms.CharField(label=_("听证地点"), required=False, max_length=200)


ADOPTION_CHOICES: Choices = [
    ("", "—"),
    *((value, label) for value, label in statement_review.LABELS.items()),
]


def _adoption() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("复核意见（《行政处罚法》第四十五条第一款）"),
        choices=ADOPTION_CHOICES,
        required=False,
    )


class HearingHoldForm(FilesForm):
    file_help = _("听证笔录、听证录音录像")
    record = _text(_("听证笔录摘要"), rows=3)
    party_absent = forms.BooleanField(
        label=_("当事人无正当理由未到场（视为放弃听证）"), required=False
    )
    adoption = _adoption()
    adoption_reasons = _text(_("复核理由（部分采纳、不予采纳的须填写）"), required=False, rows=2)


class StatementForm(FilesForm):
    file_help = _("当事人提交的书面陈述申辩材料")
    content = _text(_("陈述申辩内容"), required=False, rows=3)
    waived = forms.BooleanField(label=_("当事人放弃陈述申辩"), required=False)
    adoption = _adoption()
    adoption_reasons = _text(_("复核理由（部分采纳、不予采纳的须填写）"), required=False, rows=2)


class DecisionExtendForm(ActionForm):
    reason = _text(_("延长理由"), rows=2)
    collective_discussion = forms.BooleanField(label=_("经集体讨论决定"), required=False)


class DecideForm(PenaltyAmountsForm):
    """Prefilled from the 事先告知 (``initial_from_notice``): the head changes only what the
    statement or hearing changed."""

    penalty_kinds = forms.MultipleChoiceField(
        label=_("处罚种类"), choices=PENALTY_KIND_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    fine = _money(_("罚款金额（元）"))
    confiscation = _money(_("没收违法所得金额（元）"))
    confiscated_property = _text(_("没收非法财物（名称、数量）"), required=False, rows=2)
    confiscated_property_value = _money(_("没收非法财物估值（元，已知时填写）"))
    complex_or_grave = forms.BooleanField(label=_("情节复杂或重大违法"), required=False)
    collective_discussion = forms.BooleanField(label=_("经机关负责人集体讨论"), required=False)
    opinion = _text(_("负责人意见"), required=False, rows=2)


class _OpenChoices:
    """A choice field whose choices come from the case (the workspace); without a case (the
    API) any value passes to the service, which checks it."""

    open_choices = True  # the API's schema takes any short text (action_schemas)

    def valid_value(self, value: Any) -> bool:
        choices = list(getattr(self, "choices", []))
        return len(choices) <= 1 or bool(super().valid_value(value))  # type: ignore[misc]


class _ListItemField(_OpenChoices, forms.ChoiceField):
    pass


class _ConditionsField(_OpenChoices, forms.MultipleChoiceField):
    pass


class NotPenaliseForm(ActionForm):
    """不予处罚: the ground, the list entry (首违不罚 / 轻微不罚) with each of its conditions
    ticked, or — outside the lists — the reason (第三十三条 is not limited by a list)."""

    ground = forms.ChoiceField(label=_("不予处罚理由"), choices=Case.NotPenalisedGround.choices)
    list_item = _ListItemField(label=_("适用的清单事项"), required=False, choices=[("", "—")])
    conditions = _ConditionsField(
        label=_("经核实具备的适用条件"),
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    reason = _text(_("说明（未引用清单事项的，写明不予处罚的理由）"), required=False, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.case is None:
            return
        from .leniency import list_items_for

        items = list(list_items_for(self.case))
        choice = self.fields["list_item"]
        ticks = self.fields["conditions"]
        assert isinstance(choice, forms.ChoiceField) and isinstance(ticks, forms.ChoiceField)
        choice.choices = [
            ("", _("（不引用清单事项）")),
            *((str(i.pk), f"{i.get_kind_display()}：{i.violation}") for i in items),
        ]
        ticks.choices = [
            (f"{i.pk}:{n}", f"{i.violation}——{c}")
            for i in items
            for n, c in enumerate(i.conditions)
        ]

    def service_kwargs(self) -> dict[str, Any]:
        data = super().service_kwargs()
        item = data.get("list_item") or ""
        data["list_item"] = int(item) if str(item).isdigit() else None
        ticked = []
        for value in data.get("conditions") or []:
            pk, _sep, index = str(value).rpartition(":")
            if not pk or pk == str(data["list_item"]):
                ticked.append(index)
        data["conditions"] = ticked
        return data


class CreditCheckForm(ActionForm):
    checked_by = forms.CharField(label=_("查询人"), max_length=64)
    seen = _text(_("查询所见（国家企业信用信息公示系统显示的行政处罚等信息）"), rows=2)
    none_found = forms.BooleanField(label=_("确认未显示同类违法记录"), required=False)


EDUCATION_METHODS = [
    ("当面批评教育", _("当面批评教育")),
    ("书面告诫", _("书面告诫")),
    ("约谈", _("约谈")),
    ("电话告知", _("电话告知")),
]


class EducationForm(ActionForm):
    method = forms.ChoiceField(label=_("教育方式"), choices=EDUCATION_METHODS)
    content = _text(_("告知当事人的内容"), rows=3)


class TransferForm(ActionForm):
    organ = forms.CharField(label=_("接收机关"), max_length=200)
    reason = _text(_("移送理由"), rows=2)


class ServeForm(FilesForm):
    file_help = _("送达回证、邮寄凭证等")
    method = forms.ChoiceField(label=_("送达方式"), choices=Case.ServiceMethod.choices)
    recipient = forms.CharField(label=_("受送达人"), required=False, max_length=128)
    electronic_consent = forms.BooleanField(label=_("当事人同意电子送达"), required=False)


def initial_from_notice(case: Case) -> dict[str, Any]:
    """The decision form's values as the party was notified (事先告知): nothing typed twice."""
    return {
        "penalty_kinds": list(case.notified_penalty_kinds),
        "fine": case.notified_fine,
        "confiscation": case.notified_confiscation,
        "confiscated_property": case.notified_confiscated_property,
        "confiscated_property_value": case.notified_confiscated_property_value,
    }


ON_THE_SPOT_GROUND_CHOICES: list[tuple[str, Any]] = [
    ("", _("（银行或电子缴款不填）")),
    *((g.value, g.label) for g in penalty.OnTheSpotGround),
]


class PaymentRecordForm(ActionForm):
    """One payment against one amount; 当场收缴 only where 第六十八、六十九条 allow it, with
    the 专用票据 number (第七十条)."""

    item = forms.ChoiceField(
        label=_("缴款项目"), choices=PaymentItem.choices, required=False, initial=PaymentItem.FINE
    )
    amount = _money(_("缴款金额（元）"), required=True)
    channel = forms.ChoiceField(
        label=_("缴款方式"),
        choices=PaymentChannel.choices,
        required=False,
        initial=PaymentChannel.BANK,
    )
    receipt = forms.CharField(
        label=_("票据号码（罚没款收据或非税收入票据；当场收缴必填）"),
        required=False,
        max_length=64,
    )
    ground = forms.ChoiceField(
        label=_("当场收缴的情形"), choices=ON_THE_SPOT_GROUND_CHOICES, required=False
    )

    def clean_item(self) -> str:
        return str(self.cleaned_data.get("item") or PaymentItem.FINE)

    def clean_channel(self) -> str:
        return str(self.cleaned_data.get("channel") or PaymentChannel.BANK)


_INSTALMENT_LINE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*[,，\s|｜]\s*([\d.]+)\s*$")


class PaymentArrangeForm(ActionForm):
    kind = forms.ChoiceField(
        label=_("缴款安排"),
        choices=[
            (k.value, k.label)
            for k in (Extension.Kind.PAYMENT_DEFERRAL, Extension.Kind.PAYMENT_INSTALMENT)
        ],
    )
    reason = _text(_("理由"), rows=2)
    due_on = forms.DateField(label=_("新的缴款期限"), widget=DateInput)
    instalments = forms.CharField(
        label=_("分期计划（每行：日期 金额，如 2026-06-01 5000）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_instalments(self) -> list[tuple[date, Decimal]]:
        plan: list[tuple[date, Decimal]] = []
        for line in str(self.cleaned_data.get("instalments") or "").splitlines():
            if not line.strip():
                continue
            match = _INSTALMENT_LINE.match(line)
            try:
                if match is None:
                    raise ValueError(line)
                plan.append((date.fromisoformat(match[1]), Decimal(match[2])))
            except (ValueError, InvalidOperation):
                raise forms.ValidationError(
                    _("无法识别的分期：%(line)s（格式：日期 金额）"), params={"line": line}
                ) from None
        return plan


class CourtApplyForm(ActionForm):
    court = forms.CharField(label=_("受理申请的人民法院"), max_length=200)


class OpinionForm(ActionForm):
    opinion = _text(_("负责人意见"), required=False, rows=2)


class InspectForm(FilesForm, RecordFields):
    file_help = _("现场检查笔录、照片、音视频")
    officers = _officers()
    summary = _text(_("检查情况"), rows=3)


class FindingsForm(ActionForm):
    outcome = forms.ChoiceField(label=_("检查结论"), choices=Case.InspectionOutcome.choices)
    findings = _text(_("检查结论说明"), rows=2)
    rectification_due_on = forms.DateField(
        label=_("整改期限（责令整改时填写）"), required=False, widget=DateInput
    )


class RecheckForm(FilesForm, RecordFields):
    file_help = _("复查笔录、照片")
    officers = _officers()
    rectified = forms.BooleanField(label=_("已按期整改"), required=False)
    summary = _text(_("复查情况"), rows=2)


class PenaltyOpenForm(ActionForm):
    power_code = forms.ChoiceField(label=_("权责清单事项（行政处罚）"), choices=[])
    title = forms.CharField(label=_("案由"), max_length=200)
    summary = _text(_("简要案情"), required=False, rows=2)
    act_ended_on = forms.DateField(
        label=_("违法行为发生（终了）日期"), required=False, widget=DateInput
    )


class AtOpinionForm(AtForm):
    opinion = _text(_("负责人意见"), required=False, rows=2)


_ITEM_SPLIT = re.compile(r"\s*[|｜,，\t]\s*")


class SeizureExecuteForm(AtForm, FilesForm):
    file_help = _("须附查封、扣押现场的全程音视频（国办发〔2018〕118号）")
    officers = _officers()
    measure = forms.ChoiceField(label=_("强制措施"), choices=Case.SeizureMeasure.choices)
    items = forms.CharField(
        label=_("查封、扣押清单（每行：名称｜数量｜备注）"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    party_signed = forms.BooleanField(label=_("当事人已在现场笔录上签名"), required=False)
    witness_name = forms.CharField(
        label=_("见证人（当事人拒绝签名或不到场时）"), required=False, max_length=64
    )
    urgent = forms.BooleanField(label=_("情况紧急（夜间或法定节假日实施）"), required=False)
    urgent_reason = forms.CharField(label=_("紧急理由"), required=False, max_length=500)
    emergency_reason = forms.CharField(
        label=_("未经事先批准当场实施的理由（第十九条）"), required=False, max_length=500
    )
    record = _text(_("现场笔录摘要"), required=False, rows=2)

    def clean_items(self) -> list[services.SeizedItem]:
        items: list[services.SeizedItem] = []
        for line in str(self.cleaned_data.get("items") or "").splitlines():
            if not line.strip():
                continue
            parts = _ITEM_SPLIT.split(line.strip(), maxsplit=2)
            if len(parts) < 2:
                raise forms.ValidationError(
                    _("清单每行须写明名称和数量：%(line)s"), params={"line": line}
                )
            items.append(
                services.SeizedItem(parts[0], parts[1], parts[2] if len(parts) > 2 else "")
            )
        return items


class SeizureHandleForm(ActionForm):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=Case.SeizureOutcome.choices)
    reason = _text(_("处理依据"), rows=2)


@dataclass(frozen=True)
class Action:
    """One step: its form and the service it calls (``service(actor=, case=, **kwargs)``)."""

    form: type[ActionForm]
    call: Callable[..., object]


ACTIONS: dict[str, Action] = {
    "case_party_add": Action(PartyAddForm, services.case_party_add),
    "case_officer_assign": Action(OfficerAssignForm, services.case_officer_assign),
    "case_register": Action(RegisterForm, services.case_register),
    "case_not_register": Action(ReasonForm, services.case_not_register),
    "case_investigate": Action(InvestigateForm, services.case_investigate),
    "case_submit_review": Action(SubmitReviewForm, services.case_submit_review),
    "case_notify": Action(NotifyForm, services.case_notify),
    "case_hearing_request": Action(DayOnlyForm, services.case_hearing_request),
    "case_hearing_notice": Action(HearingNoticeForm, services.case_hearing_notice),
    "case_hearing_hold": Action(HearingHoldForm, services.case_hearing_hold),
    "case_statement_record": Action(StatementForm, services.case_statement_record),
    "case_decision_extend": Action(DecisionExtendForm, services.case_decision_extend),
    "case_decide": Action(DecideForm, services.case_decide),
    "case_not_penalise": Action(NotPenaliseForm, services.case_not_penalise),
    "case_withdraw": Action(ReasonForm, services.case_withdraw),
    "case_transfer": Action(TransferForm, services.case_transfer),
    "case_serve": Action(ServeForm, services.case_serve),
    "case_payment_record": Action(PaymentRecordForm, services.case_payment_record),
    "case_payment_arrange": Action(PaymentArrangeForm, services.case_payment_arrange),
    "case_court_apply": Action(CourtApplyForm, services.case_court_apply),
    "case_file": Action(DayOnlyForm, services.case_file),
    "case_close": Action(OpinionForm, services.case_close),
    "case_archive": Action(DayOnlyForm, services.case_archive),
    "case_inspect": Action(InspectForm, services.case_inspect),
    "case_findings_record": Action(FindingsForm, services.case_findings_record),
    "case_recheck": Action(RecheckForm, services.case_recheck),
    "case_penalty_open": Action(PenaltyOpenForm, services.case_penalty_open),
    "case_seizure_approve": Action(AtOpinionForm, services.case_seizure_approve),
    "case_seizure_execute": Action(SeizureExecuteForm, services.case_seizure_execute),
    "case_seizure_ratify": Action(AtOpinionForm, services.case_seizure_ratify),
    "case_seizure_extend": Action(ReasonForm, services.case_seizure_extend),
    "case_seizure_release": Action(ReasonForm, services.case_seizure_release),
    "case_seizure_handle": Action(SeizureHandleForm, services.case_seizure_handle),
    # 不予处罚 (第三十三条)
    "case_credit_check_record": Action(CreditCheckForm, services.case_credit_check_record),
    "case_education_record": Action(EducationForm, services.case_education_record),
}


def action_fields(service: str) -> list[str]:
    """The field names of a step's form (the API's description lists them)."""
    form = ACTIONS[service].form
    return [n for n in form.base_fields if not n.startswith("rec_")] + (
        ["files"] if form.accepts_files else []
    )


def is_approval(kind: str, state: str, service: str) -> bool:
    """Whether the step is the head's (机关负责人批准) in this state, per the transition table."""
    move = transitions.move_for(kind, state, service)
    return move is not None and transitions.HEAD in move.preconditions


# -- opening a case -------------------------------------------------------------------------


class CaseOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("案件类别"), choices=OPENING_KINDS)
    power_code = forms.ChoiceField(label=_("权责清单事项"), choices=[])
    title = forms.CharField(label=_("案由"), max_length=200)
    summary = forms.CharField(
        label=_("简要案情"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    on = forms.DateField(label=_("登记日期"), widget=DateInput)
    act_ended_on = forms.DateField(
        label=_("违法行为发生（终了）日期"), required=False, widget=DateInput
    )
    serious = forms.BooleanField(
        label=_("涉及公民生命健康安全、金融安全且有危害后果（五年追责时效）"), required=False
    )
    late_reason = forms.CharField(label=_("补录理由"), required=False, max_length=500)
    lead = OfficerField(label=_("主办人员"), queryset=Officer.objects.none())
    assistants = OfficersField(
        label=_("协办人员（至少一人）"),
        queryset=Officer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        officers: QuerySet[Officer],
        power_items: Sequence[tuple[str, str]],
        officer_warnings: Mapping[int, str] | None = None,
        power_categories: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _late_reason_last(self)
        warn_officers(self, officer_warnings)
        for name in ("lead", "assistants"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = officers
        choice = self.fields["power_code"]
        assert isinstance(choice, forms.ChoiceField)
        self.power_categories = dict(power_categories or {})
        # Grouped by category: the page shows only the group of the chosen kind of case
        # (js/case-new.js); ``clean`` refuses a mismatch beside the field either way.
        groups: dict[str, list[tuple[str, str]]] = {}
        for code, label in power_items:
            category = self.power_categories.get(code, "")
            groups.setdefault(category, []).append((code, label))
        if self.power_categories:
            choice.choices = [
                ("", "—"),
                *(
                    (PowerItem.Category(c).label if c else _("其他"), items)
                    for c, items in groups.items()
                ),
            ]
        else:
            choice.choices = [("", "—"), *power_items]
        choice.widget.attrs["data-kind-categories"] = json.dumps(
            {
                kind: str(PowerItem.Category(services.POWER_CATEGORY[kind]).label)
                for kind, _label in OPENING_KINDS
            },
            ensure_ascii=False,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_dates(self, data)
        kind, code = data.get("kind"), data.get("power_code")
        category = self.power_categories.get(str(code or ""))
        if (
            kind in services.POWER_CATEGORY
            and category
            and category != services.POWER_CATEGORY[kind]
        ):
            wanted = PowerItem.Category(services.POWER_CATEGORY[kind]).label
            self.add_error(
                "power_code",
                _("请选择“%(category)s”类事项：%(kind)s须依据该类事项办理（%(rule)s）")
                % {
                    "category": wanted,
                    "kind": Case.Kind(kind).label,
                    "rule": guards.POWER_LIST_RULE,
                },
            )
        lead, assistants = data.get("lead"), data.get("assistants")
        if lead is not None and assistants is not None and lead in assistants:
            self.add_error("assistants", _("主办人员不必再选为协办人员"))
        return data

    def officer_roles(self) -> list[tuple[Officer, str]]:
        d = self.cleaned_data
        return [(d["lead"], CaseOfficer.Role.LEAD)] + [
            (o, CaseOfficer.Role.ASSISTANT) for o in d["assistants"]
        ]


class PartyForm(PartyFields):
    pass


class BasePartyFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """The parties of a new case: at least one, said in the officer's words (not Django's
    "请至少提交 1 个表单")."""

    default_error_messages = {"too_few_forms": _("请至少登记一名当事人（姓名或名称）")}


PartyFormSet = forms.formset_factory(
    PartyForm, formset=BasePartyFormSet, extra=1, min_num=1, validate_min=True
)


# -- the case list --------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("案件编号／案由／当事人"), required=False, max_length=128)
    kind = forms.ChoiceField(
        label=_("案件类别"), required=False, choices=_any_or(Case.Kind.choices)
    )
    state = forms.ChoiceField(label=_("状态"), required=False, choices=_any_or(Case.State.choices))
    overdue = forms.BooleanField(label=_("只看已逾期"), required=False)
    mine = forms.BooleanField(label=_("我的案件（我承办的）"), required=False)


# -- documents -------------------------------------------------------------------------------


class StepChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A case step, shown as its day, kind and the start of its summary."""

    def label_from_instance(self, obj: Any) -> str:
        summary = f"：{obj.summary[:20]}" if obj.summary else ""
        return f"{obj.on:%Y-%m-%d} {obj.get_kind_display()}{summary}"


class DocumentGenerateForm(forms.Form):
    """Generate the next version of one document (执法文书). ``kind`` accepts every document
    kind: whether the case can have it yet is the service's rule, refused with its reason."""

    kind = forms.ChoiceField(label=_("文书"), choices=CaseDocument.Kind.choices)
    on = forms.DateField(label=_("生成日期"), widget=DateInput)
    step = StepChoiceField(
        label=_("所涉办案步骤（笔录、送达回证等）"),
        queryset=CaseStep.objects.none(),
        required=False,
        empty_label=_("最近一次"),
    )

    def __init__(self, *args: Any, steps: QuerySet[CaseStep] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        step_field = self.fields["step"]
        assert isinstance(step_field, StepChoiceField)
        if steps is not None:
            step_field.queryset = steps


# -- 简易程序 (当场处罚) -----------------------------------------------------------------------

SIMPLE_PENALTY_CHOICES: list[tuple[str, Any]] = [
    (k.value, k.label) for k in (penalty.PenaltyKind.WARNING, penalty.PenaltyKind.FINE)
]


class SimpleDecideForm(PartyFields):
    """当场处罚: one party, a warning or a fine, two officers. The limits of 第五十一条 are the
    service's (``case_simple_decide``), refused with the article."""

    power_code = forms.ChoiceField(label=_("权责清单事项（行政处罚）"), choices=[])
    title = forms.CharField(label=_("案由"), max_length=200)
    on = forms.DateField(label=_("处罚日期"), widget=DateInput)
    penalty_kind = forms.ChoiceField(
        label=_("处罚种类"), choices=SIMPLE_PENALTY_CHOICES, widget=forms.RadioSelect
    )
    fine = _money(_("罚款金额（元）"))
    time = forms.TimeField(label=_("处罚时间"), widget=TimeInput)
    place = forms.CharField(label=_("执法地点"), max_length=200)
    facts = _text(_("违法事实"), rows=2)
    basis = _text(_("处罚依据"), required=False, rows=2)
    officers = _officers()
    late_reason = forms.CharField(label=_("补录理由"), required=False, max_length=500)

    field_order = [
        "power_code",
        "title",
        "on",
        "time",
        "place",
        "penalty_kind",
        "fine",
        "facts",
        "basis",
    ]

    def __init__(
        self,
        *args: Any,
        officers: QuerySet[Officer],
        power_items: Sequence[tuple[str, str]],
        officer_warnings: Mapping[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _late_reason_last(self)
        warn_officers(self, officer_warnings)
        officer_field = self.fields["officers"]
        assert isinstance(officer_field, forms.ModelChoiceField)
        officer_field.queryset = officers
        choice = self.fields["power_code"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [("", "—"), *power_items]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_dates(self, data)
        on, moment = data.get("on"), data.get("time")
        if isinstance(on, date) and isinstance(moment, time):
            at = datetime.combine(on, moment, tzinfo=LOCAL_TIME)
            check_inline(self, "time", lambda: legal_dates.not_after_now(at=at, now=_now()))
        return data

    def moment(self) -> datetime | None:
        """The decision's moment: the day and the time of day, Beijing time."""
        on, moment = self.cleaned_data.get("on"), self.cleaned_data.get("time")
        if on is None or moment is None:
            return None
        return datetime.combine(on, moment, tzinfo=LOCAL_TIME)

    def case_fields(self) -> list[forms.BoundField]:
        return [
            self[n] for n in ("power_code", "title", "on", "time", "place", "penalty_kind", "fine")
        ]

    def party_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in PartyFields.base_fields]

    def service_kwargs(self, *, lead_id: int | None) -> dict[str, Any]:
        """The service's arguments; the officer ``lead_id`` (the one filling the form) leads."""
        d = self.cleaned_data
        officers = sorted(d["officers"], key=lambda o: (o.pk != lead_id, o.name))
        return {
            "power_code": d["power_code"],
            "title": d["title"],
            "on": d["on"],
            "party": self.party_input(),
            "penalty_kind": d["penalty_kind"],
            "fine": d.get("fine"),
            "facts": d["facts"],
            "basis": d["basis"],
            "place": d["place"],
            "at": self.moment(),
            "officers": officers,
            "late_reason": d["late_reason"],
        }
