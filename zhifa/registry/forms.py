"""Forms of the registry pages: they parse input; every rule stays in services and selectors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Agency, Certificate, Domain, PowerItem
from .transitions import CERTIFICATE_TRANSITIONS

Choices = list[tuple[str, "str | Promise"]]


def _any_or(choices: list[tuple[str, str]]) -> Choices:
    """A filter's choices, led by 全部 (no filter)."""
    return [("", _("全部")), *choices]


class LoginForm(AuthenticationForm):
    """Django's login form with plain Chinese errors."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确（注意区分大小写）。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }


class CertificateCheckForm(forms.Form):
    q = forms.CharField(
        label=_("证件编号或姓名"),
        max_length=64,
        strip=True,
        widget=forms.TextInput(
            attrs={"placeholder": _("证件编号或执法人员姓名"), "autofocus": True}
        ),
    )


def _domain_choices() -> QuerySet[Domain]:
    return Domain.objects.order_by("code")


class AgencyFilterForm(forms.Form):
    q = forms.CharField(label=_("名称／信用代码／区划代码"), required=False, max_length=128)
    level = forms.ChoiceField(
        label=_("层级"), required=False, choices=_any_or(Agency.Level.choices)
    )
    domain = forms.ModelChoiceField(
        label=_("执法领域"),
        required=False,
        queryset=Domain.objects.none(),
        to_field_name="code",
        empty_label=_("全部"),
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=_any_or(Agency.Status.choices)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = _domain_choices()  # type: ignore[attr-defined]


# Above this many visible agencies (a province supervisor sees thousands) the agency filter is a
# name search instead of a <select>: thousands of options made each list page ~400 KB and
# ~250 ms to render (bench/registry_bench.py). Links with ?agency=<id> keep working.
AGENCY_SELECT_LIMIT = 100


class AgencyFilterMixin(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("所属主体"), required=False, queryset=Agency.objects.none(), empty_label=_("全部")
    )
    agency_name = forms.CharField(label=_("所属主体名称"), required=False, max_length=64)

    def _scope_agencies(self, agencies: QuerySet[Agency]) -> None:
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        if agencies.count() > AGENCY_SELECT_LIMIT:
            self.fields["agency"].widget = forms.HiddenInput()
        else:
            del self.fields["agency_name"]


class OfficerFilterForm(AgencyFilterMixin):
    q = forms.CharField(label=_("姓名或证件编号"), required=False, max_length=64)
    certificate_status = forms.ChoiceField(
        label=_("证件状态"), required=False, choices=_any_or(Certificate.Status.choices)
    )
    domain = forms.ModelChoiceField(
        label=_("执法领域"),
        required=False,
        queryset=Domain.objects.none(),
        to_field_name="code",
        empty_label=_("全部"),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._scope_agencies(agencies)
        self.fields["domain"].queryset = _domain_choices()  # type: ignore[attr-defined]


class PowerItemFilterForm(AgencyFilterMixin):
    RANDOM_CHOICES: Choices = [("", _("全部")), ("1", _("是")), ("0", _("否"))]

    q = forms.CharField(label=_("事项名称或编码"), required=False, max_length=200)
    category = forms.ChoiceField(
        label=_("权力类别"), required=False, choices=_any_or(PowerItem.Category.choices)
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=_any_or(PowerItem.Status.choices)
    )
    random = forms.ChoiceField(label=_("随机抽查事项"), required=False, choices=RANDOM_CHOICES)

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._scope_agencies(agencies)
        self.fields["agency"].label = _("实施主体")
        if "agency_name" in self.fields:
            self.fields["agency_name"].label = _("实施主体名称")

    def random_inspection(self) -> bool | None:
        value = self.cleaned_data.get("random", "")
        return None if value == "" else value == "1"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class EligibilityForm(forms.Form):
    """执法资格查询: may this officer act in this domain on this date?"""

    domain = forms.ModelChoiceField(
        label=_("执法领域"), queryset=Domain.objects.none(), to_field_name="code", empty_label=None
    )
    on = forms.DateField(label=_("日期"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = _domain_choices()  # type: ignore[attr-defined]


class CertificateStatusForm(forms.Form):
    """Change one certificate's status; the choices offered are the moves its table allows."""

    to_status = forms.ChoiceField(label=_("新状态"), choices=Certificate.Status.choices)
    reason = forms.CharField(label=_("原因"), max_length=200)
    effective_on = forms.DateField(label=_("生效日期"), widget=DateInput())

    def __init__(self, *args: Any, current: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if current is not None:
            # Offer only the allowed moves; the service still decides on what is posted.
            allowed = CERTIFICATE_TRANSITIONS.get(current, frozenset())
            self.fields["to_status"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in Certificate.Status.choices if value in allowed
            ]


class PowerItemRepealForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=150)


class PowerItemReviseForm(forms.Form):
    """修订: a new draft version with these fields; the published version stays until then."""

    name = forms.CharField(label=_("事项名称"), max_length=200)
    procedure_steps = forms.CharField(
        label=_("办理流程（每行一步）"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    is_random_inspection = forms.BooleanField(label=_("随机抽查事项"), required=False)
    change_note = forms.CharField(label=_("变更说明"), max_length=200)

    def steps(self) -> list[str]:
        text: str = self.cleaned_data.get("procedure_steps", "")
        return [line.strip() for line in text.splitlines() if line.strip()]
