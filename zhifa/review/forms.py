"""Forms of the review pages. They parse input only: every rule (who may act, what an outcome
needs, the quorum …) stays in ``review.services``, which refuse with the Chinese message and the
article."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhifa.cases.forms import DateInput, DateTimeInput, MomentField
from zhifa.law import penalty
from zhifa.registry.models import Agency, Officer

from . import crime_transfer, services
from .major_decisions import CATALOG_PENALTY_KINDS, Flag, LawCategory, Rule, RuleKind
from .models import VERDICTS

PENALTY_KIND_CHOICES: list[tuple[str, Any]] = [(k.value, k.label) for k in penalty.PenaltyKind]


def _text(label: Any, *, required: bool = True, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, required=required, max_length=4000, widget=widget)


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class OnForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DateInput)


class SubmitForm(OnForm):
    """送审: the proposed decision and the four written parts of the submission."""

    penalty_kinds = forms.MultipleChoiceField(
        label=_("拟处罚种类（均不选为拟不予处罚）"),
        choices=PENALTY_KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    fine = forms.DecimalField(
        label=_("拟罚款（元）"), required=False, max_digits=14, decimal_places=2
    )
    confiscation = forms.DecimalField(
        label=_("拟没收（元）"), required=False, max_digits=14, decimal_places=2
    )
    proposal_text = _text(_("拟处理意见"), required=False, rows=2)
    facts = _text(_("认定的事实"), rows=3)
    evidence_notes = _text(_("证据说明（每行一项）"), required=False, rows=3)
    legal_basis = _text(_("法律依据"), rows=2)
    discretion = _text(_("裁量基准适用说明"), rows=3)
    note = _text(_("其他说明"), required=False, rows=2)

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "on": d["on"],
            "facts": d["facts"],
            "legal_basis": d["legal_basis"],
            "discretion": d["discretion"],
            "proposal": services.Proposal(
                tuple(d["penalty_kinds"]), d["fine"], d["confiscation"], d["proposal_text"]
            ),
            "evidence_notes": _lines(d["evidence_notes"]),
            "note": d["note"],
        }


class AssignForm(OnForm):
    reviewer = forms.ModelChoiceField(label=_("审核人员"), queryset=Officer.objects.none())

    def __init__(self, *args: Any, reviewers: Sequence[Officer] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Officer.objects.filter(pk__in=[o.pk for o in reviewers])

    def service_kwargs(self) -> dict[str, Any]:
        return {"on": self.cleaned_data["on"], "reviewer": self.cleaned_data["reviewer"]}


# The choice a point starts with when neither the reviewer nor the record has answered it: an
# explicit "not reviewed", never a silent 无问题.
UNREVIEWED = ("", _("未审查（请选择）"))


class ChecklistSheetForm(forms.Form):
    """The whole checklist in one form: for each point a verdict (blank: not reviewed yet, left
    unanswered) and a comment; field names ``point-<point>-verdict`` / ``-comment``."""

    on = forms.DateField(widget=forms.HiddenInput)  # the day the page was opened

    def __init__(self, *args: Any, points: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.points = list(points)
        for point in self.points:
            described = {"aria-describedby": f"point-{point}-title"}
            self.fields[f"point-{point}-verdict"] = forms.ChoiceField(
                label=_("结论"),
                choices=[UNREVIEWED, *VERDICTS],
                required=False,
                widget=forms.Select(attrs=described),
            )
            comment = _text(_("审核意见"), required=False, rows=2)
            comment.widget.attrs.update(described)
            self.fields[f"point-{point}-comment"] = comment

    def verdict_field(self, point: str) -> forms.BoundField:
        return self[f"point-{point}-verdict"]

    def comment_field(self, point: str) -> forms.BoundField:
        return self[f"point-{point}-comment"]

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "on": d["on"],
            "answers": [
                (p, d[f"point-{p}-verdict"], d[f"point-{p}-comment"])
                for p in self.points
                if d.get(f"point-{p}-verdict")
            ],
        }


class PauseForm(OnForm):
    reason = _text(_("需补充的材料"), rows=2)

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ResumeForm(OnForm):
    material = _text(_("补充的材料"), required=False, rows=2)

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ExtendForm(PauseForm):
    reason = _text(_("延长理由"), rows=2)


class ConcludeForm(OnForm):
    outcome = forms.ChoiceField(label=_("审核意见"), choices=())
    opinion = _text(_("审核意见书正文"), rows=4)
    required_changes = _text(_("需纠正或补充的事项（每行一项）"), required=False, rows=3)

    def __init__(self, *args: Any, outcomes: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["outcome"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list((outcomes or {}).items())

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "on": d["on"],
            "outcome": d["outcome"],
            "opinion": d["opinion"],
            "required_changes": _lines(d["required_changes"]),
        }


class DisputeForm(OnForm):
    reason = _text(_("异议理由"), rows=3)

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class CoordinateForm(OnForm):
    note = _text(_("协调情况"), rows=3)
    settled = forms.BooleanField(label=_("经协调，承办机构接受审核意见"), required=False)

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


UPHOLD_CHOICES = [
    ("opinion", _("维持审核意见，承办机构纠正后重新送审")),
    ("proposal", _("采纳承办机构意见，按拟处理意见作出决定")),
]


class DisputeDecideForm(OnForm):
    uphold = forms.ChoiceField(label=_("决定"), choices=UPHOLD_CHOICES)
    reason = _text(_("理由"), rows=3)

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"on": d["on"], "uphold_opinion": d["uphold"] == "opinion", "reason": d["reason"]}


class CollectiveForm(OnForm):
    """集体讨论: one line per head present, "姓名｜职务｜意见"."""

    chair = forms.CharField(label=_("主持人"), max_length=64)
    members_total = forms.IntegerField(label=_("机关负责人总数"), min_value=1)
    members = _text(_("出席人员及意见（每行：姓名｜职务｜意见）"), rows=4)
    conclusion = _text(_("讨论结论"), rows=3)
    uphold = forms.ChoiceField(label=_("决定"), choices=UPHOLD_CHOICES)

    def clean_members(self) -> list[services.Member]:
        members = []
        for line in _lines(self.cleaned_data["members"]):
            parts = [p.strip() for p in line.replace("|", "｜").split("｜")]
            if len(parts) != 3:
                raise forms.ValidationError(
                    _("每行写“姓名｜职务｜意见”：%(line)s") % {"line": line}
                )
            members.append(services.Member(*parts))
        return members

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "on": d["on"],
            "chair": d["chair"],
            "members_total": d["members_total"],
            "members": d["members"],
            "conclusion": d["conclusion"],
            "uphold_opinion": d["uphold"] == "opinion",
        }


# -- the catalog ----------------------------------------------------------------------------------


class _CatalogLineForm(OnForm):
    """What a catalog line says, for an agency or a region."""

    kind = forms.ChoiceField(label=_("情形"), choices=[(k.value, k.label) for k in RuleKind])
    amount = forms.DecimalField(
        label=_("数额标准（元，达到即审核）"), required=False, max_digits=14, decimal_places=2
    )
    penalty_kind = forms.ChoiceField(
        label=_("处罚种类"),
        required=False,
        choices=[("", "—"), *((k.value, k.label) for k in CATALOG_PENALTY_KINDS)],
    )
    flag = forms.ChoiceField(
        label=_("标注情形"),
        required=False,
        choices=[("", "—"), *((f.value, f.label) for f in Flag)],
    )
    category = forms.ChoiceField(
        label=_("第五十八条情形"),
        required=False,
        choices=[("", "—"), *((c.value, f"第{c.value}项") for c in LawCategory)],
    )
    source = forms.CharField(label=_("来源（目录清单名称及条目）"), max_length=200, required=False)

    def line_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "on": d["on"],
            "kind": d["kind"],
            "amount": d["amount"],
            "penalty_kind": d["penalty_kind"],
            "flag": d["flag"],
            "category": d["category"],
            "source": d["source"],
        }


class CatalogFloorForm(_CatalogLineForm):
    """A floor set by a region's administrator (上级设定的区域标准): every agency in the region
    is bound by it and may only be stricter."""

    region_code = forms.CharField(label=_("适用区域（行政区划代码）"), max_length=12)

    field_order = ["region_code"]

    def service_kwargs(self) -> dict[str, Any]:
        return {**self.line_kwargs(), "region_code": self.cleaned_data["region_code"]}


class CatalogRuleForm(_CatalogLineForm):
    """A catalog line for one agency; also the candidate of the "test against past cases"
    preview."""

    agency = forms.ModelChoiceField(label=_("执法主体"), queryset=Agency.objects.none())

    field_order = ["on", "agency"]

    def __init__(self, *args: Any, agencies: QuerySet[Agency] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies if agencies is not None else Agency.objects.none()

    def service_kwargs(self) -> dict[str, Any]:
        return {**self.line_kwargs(), "agency": self.cleaned_data["agency"]}

    def candidate(self) -> Rule:
        d = self.cleaned_data
        amount: Decimal | None = d["amount"]
        return Rule(
            kind=RuleKind(d["kind"]),
            source=d["source"] or str(_("试算的目录条目")),
            amount=amount,
            penalty_kind=d["penalty_kind"],
            flag=d["flag"],
            category=d["category"],
        )


class RetireForm(OnForm):
    reason = _text(_("停用理由"), rows=2)


# -- the officer's flag (第五十八条第一款) -------------------------------------------------------


class MajorFlagForm(OnForm):
    flag = forms.ChoiceField(label=_("重大情形"), choices=[(f.value, f.label) for f in Flag])
    reason = _text(_("理由"), rows=3)

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


# -- 两法衔接 (国务院令第310号) -------------------------------------------------------------------


class AtForm(forms.Form):
    at = MomentField(label=_("时间"), widget=DateTimeInput)


APPROVE_CHOICES = [("yes", _("批准移送")), ("no", _("不批准移送"))]


class TransferDecideForm(AtForm):
    approved = forms.ChoiceField(label=_("决定"), choices=APPROVE_CHOICES)
    reason = _text(_("理由（不批准的须写明）"), required=False, rows=2)

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"at": d["at"], "approved": d["approved"] == "yes", "reason": d["reason"]}


class TransferSendForm(AtForm):
    organ = forms.CharField(label=_("接收移送的公安机关"), max_length=128, required=False)
    documents = forms.MultipleChoiceField(
        label=_("移送材料"),
        required=False,
        choices=[
            (d, d) for d in (*crime_transfer.REQUIRED_DOCUMENTS, *crime_transfer.OPTIONAL_DOCUMENTS)
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    late_reason = forms.CharField(
        label=_("补录理由（移送后超过补录期限才录入的须填写）"), required=False, max_length=500
    )

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


ACCEPT_CHOICES = [("yes", _("立案")), ("no", _("不予立案"))]


class TransferAnswerForm(OnForm):
    accepted = forms.ChoiceField(label=_("公安机关决定"), choices=ACCEPT_CHOICES)
    answer = _text(_("答复内容"), required=False, rows=2)

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"on": d["on"], "accepted": d["accepted"] == "yes", "answer": d["answer"]}
