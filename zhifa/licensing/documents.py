"""The documents of a licence application, supplied to the cases' document machinery
(``cases.documents.DocumentSource``): same templates, numbering, PDF and DOCX, record.

Each document carries the number its act took when the act was recorded (受理 许受, 不予受理
许不受, 补正 许补, 听证告知 许听告, 延期 许延, the decision 许, the licence 许证). The licence
prints a QR code of its public verification page (``ZHIFA_SITE_URL`` makes it absolute).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse

from zhifa.cases.documents import (
    DocumentSource,
    SourceValues,
    chinese_date,
    register_document_source,
    remedies_sentence,
)
from zhifa.cases.models import Case, CaseDocument
from zhifa.law import licensing as law

from .models import Application, Licence

D = CaseDocument.Kind
LICENSING = frozenset({Case.Kind.LICENSING})


def verification_url(licence: Licence) -> str:
    path = reverse("licence_verify", kwargs={"token": licence.token})
    return f"{getattr(settings, 'ZHIFA_SITE_URL', '').rstrip('/')}{path}"


def _app(case: Case) -> Application:
    return Application.objects.get(case_id=case.pk)


def _base(app: Application) -> dict[str, Any]:
    return {
        "matter": app.matter,
        "channel": app.get_channel_display(),
        "received_on": chinese_date(app.received_on),
        "materials": app.materials,
        "law": law.LAW,
    }


def _acceptance(case: Case) -> SourceValues:
    app = _app(case)
    return SourceValues(
        {
            **_base(app),
            "accepted_on": chinese_date(app.accepted_on),
            "deemed": app.acceptance_deemed,
            "deadline": chinese_date(case.decision_deadline),
            "article": law.article("三十二"),
            "decision_article": law.DECISION.article,
        },
        app.accepted_on,
        "acceptance",
        app.acceptance_number,
    )


def _non_acceptance(case: Case) -> SourceValues:
    app = _app(case)
    return SourceValues(
        {
            **_base(app),
            "reason": app.not_accepted_reason,
            "article": law.article("三十二"),
            "remedies": remedies_sentence(case.agency),
        },
        None,
        "non_acceptance",
        app.non_acceptance_number,
    )


def _correction(case: Case) -> SourceValues:
    app = _app(case)
    return SourceValues(
        {**_base(app), "missing": app.missing, "article": law.article("三十二")},
        app.correction_notified_on,
        "correction",
        app.correction_number,
    )


def _hearing_right(case: Case) -> SourceValues:
    app = _app(case)
    return SourceValues(
        {
            **_base(app),
            "request_deadline": chinese_date(case.hearing_request_deadline),
            "article": law.article("四十七"),
        },
        case.notified_on,
        "hearing_right",
        app.hearing_right_number,
    )


def _extension(case: Case) -> SourceValues:
    app = _app(case)
    row = case.extensions.filter(kind="licence_decision").order_by("id").last()
    return SourceValues(
        {
            **_base(app),
            "reason": app.extension_reason,
            "previous": chinese_date(row.previous_deadline if row else None),
            "deadline": chinese_date(row.new_deadline if row else None),
            "article": law.article("四十二"),
        },
        row.approved_on if row else None,
        "extension",
        app.extension_number,
    )


def _pause(case: Case) -> SourceValues:
    app = _app(case)
    row = app.pauses.order_by("id").last()
    assert row is not None
    return SourceValues(
        {
            **_base(app),
            "procedure": row.get_kind_display(),
            "started_on": chinese_date(row.started_on),
            "note": row.note,
            "article": law.article("四十五"),
        },
        row.started_on,
        f"pause {row.pk}",
        row.notice_number,
    )


def _decision(case: Case) -> SourceValues:
    app = _app(case)
    granted = app.outcome == Application.Outcome.GRANTED
    return SourceValues(
        {
            **_base(app),
            "title": "准予行政许可决定书" if granted else "不予行政许可决定书",
            "granted": granted,
            "content": app.content,
            "reasons": app.reasons,
            "valid_from": chinese_date(app.valid_from),
            "valid_until": chinese_date(app.valid_until),
            "accepted_on": chinese_date(app.accepted_on),
            "certificate_days": law.CERTIFICATE.length,
            "certificate_article": law.CERTIFICATE.article,
            "article": law.article("三十八"),
            "remedies": remedies_sentence(case.agency),
        },
        case.decided_on,
        "decision",
        case.decision_number,
    )


def _licence(case: Case) -> SourceValues:
    licence = Licence.objects.get(case=case)
    return SourceValues(
        {
            "holder": licence.holder,
            "item": licence.item,
            "content": licence.content,
            "licence_number": licence.number,
            "valid_from": chinese_date(licence.valid_from),
            "valid_until": chinese_date(licence.valid_until),
            "issued_on": chinese_date(licence.issued_on),
            "verify_url": verification_url(licence),
        },
        licence.issued_on,
        "licence",
        licence.number,
    )


def _when(test: Callable[[Case, Application], bool], reason: str) -> Callable[[Case], str | None]:
    def ready(case: Case) -> str | None:
        app = Application.objects.filter(case_id=case.pk).first()
        return None if app is not None and test(case, app) else reason

    return ready


SOURCES: dict[str, DocumentSource] = {
    D.LICENCE_ACCEPTANCE: DocumentSource(
        LICENSING, _when(lambda c, a: a.accepted_on is not None, "须在受理之后生成"), _acceptance
    ),
    D.LICENCE_NON_ACCEPTANCE: DocumentSource(
        LICENSING,
        _when(lambda c, a: bool(a.non_acceptance_number), "须在决定不予受理之后生成"),
        _non_acceptance,
    ),
    D.LICENCE_CORRECTION: DocumentSource(
        LICENSING,
        _when(lambda c, a: a.correction_notified_on is not None, "须在告知补正之后生成"),
        _correction,
    ),
    D.LICENCE_HEARING_RIGHT: DocumentSource(
        LICENSING,
        _when(lambda c, a: bool(a.hearing_right_number), "须在告知听证权利之后生成"),
        _hearing_right,
    ),
    D.LICENCE_EXTENSION: DocumentSource(
        LICENSING, _when(lambda c, a: bool(a.extension_number), "须在批准延期之后生成"), _extension
    ),
    D.LICENCE_PAUSE: DocumentSource(
        LICENSING, _when(lambda c, a: a.pauses.exists(), "须在开始特别程序之后生成"), _pause
    ),
    D.LICENCE_DECISION: DocumentSource(
        LICENSING, _when(lambda c, a: bool(a.outcome), "须在作出许可决定之后生成"), _decision
    ),
    D.LICENCE: DocumentSource(
        LICENSING, _when(lambda c, a: hasattr(a, "licence"), "须在颁发许可证件之后生成"), _licence
    ),
}


def register() -> None:
    for kind, source in SOURCES.items():
        register_document_source(kind, source)
