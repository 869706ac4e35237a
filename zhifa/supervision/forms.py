"""Forms of the supervision pages: each parses what a service needs (``service_kwargs``); the
rules themselves stay in the services. Attachments are checked against the upload limits and
stored by content hash (``attachments_store``) before the service references them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhifa.core.exceptions import RuleViolation
from zhifa.record.evidence_uploads import upload_limits
from zhifa.record.models import EvidenceRef
from zhifa.record.services import evidence_store
from zhifa.record.upload_limits import media_kind, size_refusal
from zhifa.registry.agency_lookup import AgencyLookupForm
from zhifa.registry.models import Account, Agency, Officer

from .models import Document, Matter, Step
from .selectors import agencies_supervisable_by, agencies_supervisable_search
from .services import OFFICER_MEASURES, REFUSAL_REASONS

TEXT = {"rows": 3}


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiFileField(forms.FileField):
    widget = MultiFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[Any]]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultiFileField, self).clean(d, initial) for d in items]


def attachments_store(files: list[UploadedFile[Any]]) -> list[EvidenceRef]:
    """Store each file (within its kind's size limit) and return its reference."""
    limits = upload_limits()
    refs = []
    for f in files:
        media_type = f.content_type or "application/octet-stream"
        kind = media_kind(media_type)
        refusal = size_refusal(kind, limits.per_kind[kind], f.size or 0)
        if refusal:
            raise RuleViolation(refusal, field="files")
        refs.append(evidence_store(f, name=f.name or "附件", media_type=media_type).ref)
    return refs


class _Base(forms.Form):
    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class TemplateForm(forms.Form):
    text = forms.CharField(
        label=_("模板"),
        max_length=20000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "class": "mono", "spellcheck": "false"}),
    )


class OpenForm(AgencyLookupForm, _Base):
    """The new matter: the body found by typing part of its name (``registry.agency_lookup``)
    among every body of the supervisor's region, suspended and abolished ones too
    (``selectors.agencies_supervisable_by``; the JSON lookup ``/api/v1/supervision/agencies``)."""

    agency_words = _("被监督机关")
    agency_has_files = False

    origin = forms.ChoiceField(choices=Matter.Origin.choices, label=_("来源"))
    origin_ref = forms.CharField(label=_("来源编号"), required=False, max_length=100)
    kind = forms.ChoiceField(choices=Matter.Kind.choices, label=_("监督方式"))
    key_method = forms.ChoiceField(
        choices=Matter.KeyMethod.choices, label=_("重点监督方式"), required=False
    )
    title = forms.CharField(label=_("事项名称"), max_length=200)
    summary = forms.CharField(label=_("基本情况"), widget=forms.Textarea(attrs=TEXT))
    # 专项监督 (条例第二十一条): the plan and its approval by the government.
    departments = forms.CharField(label=_("责任部门（专项监督）"), required=False, max_length=200)
    focus = forms.CharField(label=_("监督重点（专项监督）"), required=False, max_length=200)
    schedule = forms.CharField(label=_("进度安排（专项监督）"), required=False, max_length=200)
    requirements = forms.CharField(label=_("工作要求（专项监督）"), required=False, max_length=200)
    approved_by = forms.CharField(
        label=_("批准的人民政府（专项监督）"), required=False, max_length=200
    )
    approved_on = forms.DateField(label=_("批准日期（专项监督）"), required=False)

    PLAN = ("departments", "focus", "schedule", "requirements", "approved_by", "approved_on")

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        self.account = account
        super().__init__(*args, **kwargs)

    @property
    def agency_lookup_url(self) -> str:  # type: ignore[override]
        return reverse("api:supervision_agency_lookup")

    def agency_candidates(self) -> QuerySet[Agency]:
        return agencies_supervisable_by(self.account)

    def other_fields(self) -> list[Any]:
        """The fields after the body's search (rendered by ``registry/_agency_lookup.html``)."""
        return [f for f in self if f.name not in ("agency", "agency_q")]

    def agency_find(self, query: str) -> tuple[list[Any], bool]:
        return agencies_supervisable_search(self.account, query)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.chosen()
        plan = {k: data.pop(k) for k in self.PLAN}
        if data["kind"] == Matter.Kind.SPECIAL:
            if plan["approved_on"]:
                plan["approved_on"] = plan["approved_on"].isoformat()
            data["plan"] = {k: v for k, v in plan.items() if v}
        return data


class AcceptForm(_Base):
    under_review = forms.BooleanField(label=_("该争议已进入行政复议程序"), required=False)
    under_litigation = forms.BooleanField(label=_("该争议已进入行政诉讼程序"), required=False)


class RefuseForm(_Base):
    preset = forms.ChoiceField(
        label=_("常用理由"),
        required=False,
        choices=[
            ("", "—"),
            ("review_or_litigation", _("已进入行政复议或者行政诉讼程序")),
            ("not_enforcement", _("不属于行政执法监督事项")),
            ("duplicate", _("重复反映")),
        ],
    )
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs=TEXT))

    def service_kwargs(self) -> dict[str, Any]:
        preset = self.cleaned_data["preset"]
        reason = self.cleaned_data["reason"]
        return {"reason": REFUSAL_REASONS[preset] if preset and not reason else reason}


class TransferForm(_Base):
    transfer_to = forms.CharField(label=_("移送机关"), max_length=200)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs=TEXT))


class ReasonForm(_Base):
    reason = forms.CharField(label=_("理由、结论"), widget=forms.Textarea(attrs=TEXT))


class TeamForm(_Base):
    account = forms.ModelChoiceField(queryset=Account.objects.none(), label=_("监督人员"))

    def __init__(self, *args: Any, team: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if team is not None:
            self.fields["account"].queryset = team  # type: ignore[attr-defined]


class RecuseForm(TeamForm):
    reason = forms.CharField(label=_("回避理由（利害关系）"), max_length=200)


MEASURE_KINDS = [
    (k, label)
    for k, label in Step.Kind.choices
    if k not in ("explanation_request", "explanation_answer", "case_file_read")
]


class MeasureForm(_Base):
    kind = forms.ChoiceField(choices=MEASURE_KINDS, label=_("监督措施"))
    text = forms.CharField(label=_("记录内容（约谈纪要等）"), widget=forms.Textarea(attrs=TEXT))
    supervisors = forms.ModelMultipleChoiceField(
        queryset=Account.objects.none(),
        label=_("参加的监督人员"),
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultiFileField(label=_("附件"), required=False)

    def __init__(self, *args: Any, team: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if team is not None:
            self.fields["supervisors"].queryset = team  # type: ignore[attr-defined]

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["supervisors"] = list(data["supervisors"])
        data["files"] = attachments_store(data.pop("attachments"))
        return data


class RequestForm(_Base):
    text = forms.CharField(label=_("要求自查、说明的事项"), widget=forms.Textarea(attrs=TEXT))
    attachments = MultiFileField(label=_("附件"), required=False)

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "text": self.cleaned_data["text"],
            "files": attachments_store(self.cleaned_data["attachments"]),
        }


class CaseFileForm(_Base):
    case_id = forms.IntegerField(label=_("案件内部编号"), min_value=1)


class DocumentForm(_Base):
    kind = forms.ChoiceField(choices=Document.Kind.choices, label=_("文书种类"))
    findings = forms.CharField(label=_("查明的问题"), widget=forms.Textarea(attrs=TEXT))
    requirement = forms.CharField(label=_("处理意见、要求"), widget=forms.Textarea(attrs=TEXT))
    approved_by = forms.CharField(
        label=_("决定的人民政府（决定书）"), required=False, max_length=200
    )
    approved_on = forms.DateField(label=_("人民政府决定日期（决定书）"), required=False)
    grave = forms.BooleanField(label=_("涉及重大问题（决定书）"), required=False)
    scope = forms.CharField(label=_("通报范围（通报）"), required=False, max_length=200)
    publish = forms.BooleanField(
        label=_("同时向社会公布（通报，经公示管理员去除个人信息后公开）"), required=False
    )
    officer = forms.ModelChoiceField(
        queryset=Officer.objects.none(), label=_("执法人员（处理建议）"), required=False
    )
    measure = forms.ChoiceField(
        choices=[("", "—"), *OFFICER_MEASURES.items()], label=_("处理建议"), required=False
    )
    suspend = forms.BooleanField(label=_("同时暂扣其执法证件（须本地授权）"), required=False)
    to_body = forms.CharField(
        label=_("接收的有权机关、纪检监察机关"), required=False, max_length=200
    )

    def __init__(self, *args: Any, officers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if officers is not None:
            self.fields["officer"].queryset = officers  # type: ignore[attr-defined]

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        fields: dict[str, Any] = {}
        if d["approved_by"]:
            fields["approved_by"] = d["approved_by"]
        if d["approved_on"]:
            fields["approved_on"] = d["approved_on"].isoformat()
        if d["grave"]:
            fields["grave"] = True
        for name in ("scope", "measure", "to_body"):
            if d[name]:
                fields[name] = d[name]
        if d["officer"] is not None:
            fields["officer_id"] = d["officer"].pk
        if d["suspend"]:
            fields["suspend"] = True
        if d.get("publish"):
            fields["publish"] = True
        return {
            "kind": d["kind"],
            "findings": d["findings"],
            "requirement": d["requirement"],
            "fields": fields,
        }


class ObjectionAnswerForm(_Base):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    upheld = forms.TypedChoiceField(
        label=_("答复"),
        choices=[("0", _("异议不成立，继续整改")), ("1", _("异议成立，撤回文书"))],
        coerce=lambda v: v == "1",
    )
    answer = forms.CharField(label=_("答复意见"), widget=forms.Textarea(attrs=TEXT))


class CheckForm(_Base):
    document = forms.IntegerField(widget=forms.HiddenInput)
    accepted = forms.TypedChoiceField(
        label=_("验收结论"),
        choices=[("1", _("整改到位，予以验收")), ("0", _("整改不到位"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("验收意见"), widget=forms.Textarea(attrs=TEXT))


class PublicationProposeForm(_Base):
    """条例第三十一条: publish the document's result (through the publicity app's review)."""

    document = forms.IntegerField(widget=forms.HiddenInput)


class OutcomeForm(_Base):
    document = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.CharField(label=_("处理结果、回执"), widget=forms.Textarea(attrs=TEXT))


# -- the agency's side ------------------------------------------------------------------------


class AnswerForm(_Base):
    request = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("书面说明"), widget=forms.Textarea(attrs=TEXT))
    attachments = MultiFileField(label=_("附件"), required=False)


class ObjectionForm(_Base):
    document = forms.IntegerField(widget=forms.HiddenInput)
    reasons = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs=TEXT))
    attachments = MultiFileField(label=_("附件"), required=False)


class ReportForm(_Base):
    document = forms.IntegerField(widget=forms.HiddenInput)
    report = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs=TEXT))
    attachments = MultiFileField(label=_("整改报告、证明材料"), required=False)
