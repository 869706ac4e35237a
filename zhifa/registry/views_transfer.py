"""导入导出: blank templates, exports within the account's scope, all-or-nothing imports."""

from __future__ import annotations

import io
import tempfile
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from zhifa.core.exceptions import RuleViolation, ZhifaError

from .access import can_manage_registry, require_registry_manager
from .exporting import registry_export, registry_export_rows, registry_template
from .importing import SCHEMAS, ImportResult, Schema, import_limits, registry_import
from .tabular import CONTENT_TYPES, FORMATS, csv_chunks, too_large_message
from .web import request_account


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("数据类别"),
        # Callable: kinds of other apps are registered at start-up.
        choices=lambda: [(s.kind, s.label) for s in SCHEMAS.values()],
    )
    file = forms.FileField(
        label=gettext_lazy("文件（.xlsx或.csv）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = import_limits().max_bytes
        if upload.size > limit:
            raise forms.ValidationError(too_large_message(limit))
        return upload


def _schema(kind: str, fmt: str) -> Schema:
    if kind not in SCHEMAS or fmt not in FORMATS:
        raise Http404
    return SCHEMAS[kind]


def _page(
    request: HttpRequest,
    *,
    form: ImportForm | None = None,
    result: ImportResult | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    account = request_account(request)
    limits = import_limits()
    return render(
        request,
        "registry/transfer.html",
        {
            "limits": {
                "mb": f"{limits.max_bytes / 2**20:g}",
                "max_rows": limits.max_rows,
                "max_columns": limits.max_columns,
            },
            "schemas": list(SCHEMAS.values()),
            "can_import": can_manage_registry(account),
            "form": form or ImportForm(),
            "result": result,
            "result_label": SCHEMAS[result.kind].label if result else "",
            "refusal": refusal,
        },
        status=status,
    )


@login_required
@require_GET
def transfer(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_GET
def template_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    schema = _schema(kind, fmt)
    out = io.BytesIO()
    registry_template(kind=schema.kind, fmt=fmt, out=out)
    response = HttpResponse(out.getvalue(), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        True, _("%(label)s导入模板.%(fmt)s") % {"label": schema.label, "fmt": fmt}
    )
    return response


@login_required
@require_GET
def export(request: HttpRequest, kind: str, fmt: str) -> StreamingHttpResponse:
    """Every row of ``kind`` the account can see; CSV streams, .xlsx is built in a temp file."""
    account = request_account(request)
    schema = _schema(kind, fmt)
    filename = f"{schema.label}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        _, rows = registry_export_rows(account=account, kind=schema.kind)
        response = StreamingHttpResponse(
            csv_chunks(schema.headers, rows), content_type=CONTENT_TYPES["csv"]
        )
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    registry_export(account=account, kind=schema.kind, fmt=fmt, out=out)
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename=filename, content_type=CONTENT_TYPES["xlsx"]
    )


# The multipart fields and boundaries around the file, on top of the file's own limit.
FORM_OVERHEAD_BYTES = 64 * 1024


def _declared_length(request: HttpRequest) -> int:
    """The request body's Content-Length (0 when absent or invalid: Django then reads none)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


@csrf_exempt  # checked in _import_checked: the CSRF check reads the body, the size check not
@login_required
@require_POST
def import_upload(request: HttpRequest) -> HttpResponse:
    """Refuse a body larger than the import limit from its Content-Length alone, before a byte
    of it is read (nothing here or in the middleware touches ``request.POST`` first); then the
    CSRF check and the import."""
    account = request_account(request)
    try:
        require_registry_manager(account)
    except RuleViolation as exc:
        return _page(request, refusal=str(exc), status=403)
    limit = import_limits().max_bytes
    if _declared_length(request) > limit + FORM_OVERHEAD_BYTES:
        return _page(request, refusal=too_large_message(limit), status=413)
    return _import_checked(request)


@csrf_protect
def _import_checked(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        result = registry_import(
            actor=account,
            kind=form.cleaned_data["kind"],
            content=upload,
            filename=upload.name or "",
            today=timezone.localdate(),
        )
    except ZhifaError as exc:
        return _page(request, form=form, refusal=str(exc), status=400)
    fresh = ImportForm(initial={"kind": result.kind})
    return _page(request, form=fresh, result=result, status=200 if result.ok else 400)
