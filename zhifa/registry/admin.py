"""Django admin for system administrators. Deletion is switched off: the registry keeps history."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

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


class NoDeleteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Domain)
class DomainAdmin(NoDeleteAdmin):
    list_display = ("code", "name")


@admin.register(Agency)
class AgencyAdmin(NoDeleteAdmin):
    list_display = ("name", "credit_code", "level", "division_code", "kind", "status")
    list_filter = ("level", "kind", "status")
    search_fields = ("name", "credit_code", "division_code")
    raw_id_fields = ("parent", "entrusted_by")


@admin.register(ReviewBody)
class ReviewBodyAdmin(NoDeleteAdmin):
    list_display = ("name", "agency", "established_on")
    raw_id_fields = ("agency",)


class CertificateStatusInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CertificateStatusChange
    extra = 0
    can_delete = False
    readonly_fields = (
        "from_status",
        "to_status",
        "reason",
        "effective_on",
        "changed_at",
        "changed_by",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(NoDeleteAdmin):
    list_display = ("number", "officer", "kind", "status", "issued_on", "expires_on")
    list_filter = ("kind", "status")
    search_fields = ("number", "officer__name")
    raw_id_fields = ("officer", "agency")
    # Status moves go through the service (with history), never through this form.
    readonly_fields = ("status",)
    inlines = [CertificateStatusInline]


@admin.register(Officer)
class OfficerAdmin(NoDeleteAdmin):
    list_display = ("name", "agency", "position", "has_legal_qualification", "status")
    list_filter = ("status", "has_legal_qualification")
    search_fields = ("name",)
    raw_id_fields = ("agency", "review_body")


@admin.register(TrainingRecord)
class TrainingRecordAdmin(NoDeleteAdmin):
    list_display = ("officer", "year", "kind", "hours", "course")
    raw_id_fields = ("officer",)


@admin.register(ExamResult)
class ExamResultAdmin(NoDeleteAdmin):
    list_display = ("officer", "name", "taken_on", "score", "passed")
    raw_id_fields = ("officer",)


@admin.register(TrainingRequirement)
class TrainingRequirementAdmin(NoDeleteAdmin):
    list_display = ("region_code", "legal_hours", "professional_hours", "basis")


class LegalBasisInline(admin.TabularInline):  # type: ignore[type-arg]
    model = LegalBasis
    extra = 0
    can_delete = False


@admin.register(PowerItem)
class PowerItemAdmin(NoDeleteAdmin):
    list_display = ("code", "name", "version", "category", "agency", "status")
    list_filter = ("category", "status", "is_random_inspection")
    search_fields = ("code", "name")
    raw_id_fields = ("agency", "previous")
    inlines = [LegalBasisInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A published version is never edited in place (new version through the service).
        if obj is not None and obj.status != PowerItem.Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)


@admin.register(Account)
class AccountAdmin(NoDeleteAdmin):
    list_display = ("username", "display_name", "role", "agency", "region_code", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name")
    raw_id_fields = ("agency", "officer")
    exclude = ("password",)


@admin.register(ApiToken)
class ApiTokenAdmin(NoDeleteAdmin):
    list_display = ("account", "name", "prefix", "created_at", "revoked_at", "last_used_at")
    readonly_fields = ("key_hash", "prefix")
