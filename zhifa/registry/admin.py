"""Django admin for the system administrator.

Every registry write goes through a service that records itself (STYLE.md rule 2), the admin
included: registry rows are shown here read-only, except where the admin is the place to make
a change by design — an officer's details, accounts, training requirements — and there the
save calls the same service the pages and imports call (``officer_update``, ``account_create``,
``account_update``, ``training_requirement_set``), which records the change; a refusal comes
back as a message on the page. Nothing is deleted. Certificates, power items and the rest move
only along their own services (the pages, the API, imports), never by editing a field here.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from zhifa.core.exceptions import RuleViolation

from . import services
from .models import (
    Account,
    Agency,
    ApiToken,
    Certificate,
    CertificateStatusChange,
    Domain,
    ExamResult,
    LegalBasis,
    Officer,
    PowerItem,
    ReviewBody,
    TrainingRecord,
    TrainingRequirement,
)

if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]
    _Inline = admin.TabularInline[Any, Any]
else:  # not subscriptable at runtime without django-stubs-ext
    _ModelAdmin = admin.ModelAdmin
    _Inline = admin.TabularInline


class ReadOnlyAdmin(_ModelAdmin):
    """Shown, never written: the row changes only through its recorded services."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceAdmin(_ModelAdmin):
    """Saved only through a service (``save_model``); a refusal of the service becomes an error
    message and nothing of the attempt is kept (the admin's transaction rolls back)."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RuleViolation as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Nothing beside the row: the service wrote what there is to write."""


class _ReadOnlyInline(_Inline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# zhifa authorises by role, never by Django's groups: their admin would be one more write path
# (an account's groups are part of its recorded state) with nothing to gain.
admin.site.unregister(Group)


@admin.register(Domain)
class DomainAdmin(ReadOnlyAdmin):
    list_display = ("code", "name")


@admin.register(Agency)
class AgencyAdmin(ReadOnlyAdmin):
    list_display = ("name", "credit_code", "level", "division_code", "kind", "status")
    list_filter = ("level", "kind", "status")
    search_fields = ("name", "credit_code", "division_code")


@admin.register(ReviewBody)
class ReviewBodyAdmin(ReadOnlyAdmin):
    list_display = ("name", "agency", "established_on")


class CertificateStatusInline(_ReadOnlyInline):
    model = CertificateStatusChange
    fields = ("from_status", "to_status", "reason", "effective_on", "changed_at", "changed_by")
    readonly_fields = fields


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("number", "officer", "kind", "status", "issued_on", "expires_on")
    list_filter = ("kind", "status")
    search_fields = ("number", "officer__name")
    inlines = [CertificateStatusInline]


class OfficerForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Officer
        fields = ("name", "phone", "position", "has_legal_qualification")


@admin.register(Officer)
class OfficerAdmin(ServiceAdmin):
    """An officer's details are corrected here (``services.officer_update``, recorded); the
    officer is registered by import, and leaves through the registry pages' services."""

    form = OfficerForm
    list_display = ("name", "agency", "position", "has_legal_qualification", "status")
    list_filter = ("status", "has_legal_qualification")
    search_fields = ("name",)
    readonly_fields = ("agency", "id_number", "status", "review_body", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Officer, form: Any, change: bool) -> None:
        data = form.cleaned_data
        services.officer_update(
            actor=request.user,  # type: ignore[arg-type]
            officer=obj,
            name=data["name"],
            phone=data["phone"],
            position=data["position"],
            has_legal_qualification=data["has_legal_qualification"],
        )


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdmin):
    list_display = ("officer", "year", "kind", "hours", "course")


@admin.register(ExamResult)
class ExamResultAdmin(ReadOnlyAdmin):
    list_display = ("officer", "name", "taken_on", "score", "passed")


class TrainingRequirementForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TrainingRequirement
        fields = ("region_code", "legal_hours", "professional_hours", "basis")


@admin.register(TrainingRequirement)
class TrainingRequirementAdmin(ServiceAdmin):
    """Set here by design (a region's rule is data); saved by
    ``services.training_requirement_set``, recorded."""

    form = TrainingRequirementForm
    list_display = ("region_code", "legal_hours", "professional_hours", "basis")

    def save_model(
        self, request: HttpRequest, obj: TrainingRequirement, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        saved = services.training_requirement_set(
            actor=request.user,  # type: ignore[arg-type]
            requirement=obj if change else None,
            region_code=data["region_code"],
            legal_hours=data["legal_hours"],
            professional_hours=data["professional_hours"],
            basis=data["basis"],
        )
        obj.pk = saved.pk
        obj._state = saved._state


class LegalBasisInline(_ReadOnlyInline):
    model = LegalBasis
    fields = ("law", "article", "text", "position")
    readonly_fields = fields


@admin.register(PowerItem)
class PowerItemAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "version", "category", "agency", "status")
    list_filter = ("category", "status", "is_random_inspection")
    search_fields = ("code", "name")
    inlines = [LegalBasisInline]


_ACCOUNT_FIELDS = ["role", "agency", "region_code", "officer", "display_name", "is_active"]


class AccountChangeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Account
        fields = _ACCOUNT_FIELDS


class AccountAddForm(AccountChangeForm):
    # 本系统内部监督 (条例第四十二条) / 司法所协助 (第六条第二款); chosen when the account is made
    supervision_scope = forms.ChoiceField(
        label=_("监督范围（执法监督人员）"),
        choices=Account.SupervisionScope.choices,
        initial=Account.SupervisionScope.REGION,
        required=False,
    )
    password1 = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("确认密码"), strip=False, widget=forms.PasswordInput)

    class Meta:
        model = Account
        fields = ["username", *_ACCOUNT_FIELDS, "supervision_scope"]

    def clean_password2(self) -> str:
        first = self.cleaned_data.get("password1")
        second: str = self.cleaned_data["password2"]
        if first and first != second:
            raise forms.ValidationError(_("两次输入的密码不一致"))
        return second


@admin.register(Account)
class AccountAdmin(ServiceAdmin):
    """Accounts are made and changed here by design; the save calls ``account_create`` or
    ``account_update`` (recorded). The password is set when the account is made and never
    shown; staff and superuser follow from being the system administrator."""

    list_display = ("username", "display_name", "role", "agency", "region_code", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name")
    raw_id_fields = ("agency", "officer")
    readonly_fields = (
        "username",
        "supervision_scope",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["form"] = AccountChangeForm if obj is not None else AccountAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("username", "password1", "password2", *_ACCOUNT_FIELDS, "supervision_scope")
        return (*_ACCOUNT_FIELDS, *self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: Account, form: Any, change: bool) -> None:
        data = form.cleaned_data
        fields = {
            "role": data["role"],
            "agency": data["agency"],
            "region_code": data["region_code"],
            "officer": data["officer"],
            "display_name": data["display_name"],
        }
        actor: Account = request.user  # type: ignore[assignment]
        if change:
            services.account_update(actor=actor, account=obj, is_active=data["is_active"], **fields)
            return
        saved = services.account_create(
            actor=actor,
            username=data["username"],
            password=data["password1"],
            supervision_scope=data.get("supervision_scope") or Account.SupervisionScope.REGION,
            **fields,
        )
        if not data["is_active"]:
            services.account_update(actor=actor, account=saved, is_active=False, **fields)
        obj.pk = saved.pk
        obj._state = saved._state


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("account", "name", "prefix", "created_at", "revoked_at", "last_used_at")
    exclude = ("key_hash",)
