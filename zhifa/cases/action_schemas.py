"""The JSON body of each case step, typed, derived from the step's form (``forms.ACTIONS``).

``POST /api/v1/cases/{id}/actions/{service}`` is one operation per step, whose body schema is
built here from the fields of that step's :class:`~zhifa.cases.forms.ActionForm`, so the
OpenAPI schema says exactly what each step takes and django-ninja refuses anything else with
422 before a form or a service sees it: a date that is not the text ``YYYY-MM-DD``, a moment
that is not ISO 8601 text (or cannot be placed on the clock), a number where text belongs,
a field the step does not have. What the schema cannot say (an officer of another agency, a
seizure list line without a quantity) the step's form still checks (422 naming the field); the
rules stay the services' (409 naming the article).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django import forms
from ninja import Field, Schema
from pydantic import ConfigDict, StrictBool, StrictInt, StrictStr, create_model

from zhifa.core.api_types import MAX_ID, LegalDate, LegalMoment, Money, ObjectId

from .forms import ACTIONS, ActionForm


class FileIn(Schema):
    """An evidence file uploaded first (``POST /cases/{id}/evidence``), referenced by a step."""

    model_config = ConfigDict(extra="forbid")

    sha256: Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$")]
    name: Annotated[StrictStr, Field(min_length=1, max_length=255)]
    size: Annotated[StrictInt, Field(ge=0, le=MAX_ID)]
    media_type: Annotated[StrictStr, Field(min_length=1, max_length=255)]


class StepIn(Schema):
    """Every step body: unknown fields are refused (a misspelt field would otherwise be lost)."""

    model_config = ConfigDict(extra="forbid")


TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"


def _text(field: forms.CharField) -> Any:
    constraints: dict[str, Any] = {}
    if field.max_length is not None:
        constraints["max_length"] = field.max_length
    if field.required:
        constraints["pattern"] = r"\S"  # not blank: the form strips it
    return Annotated[StrictStr, Field(**constraints)]


def _literal(field: forms.ChoiceField) -> Any:
    choices: list[tuple[Any, Any]] = list(field.choices)  # type: ignore[arg-type]
    values = tuple(str(value) for value, _label in choices if value != "")
    return Literal[values]


def _field_type(name: str, field: forms.Field) -> tuple[Any, Any]:
    """(annotation, default) of one form field; ``...`` as default means required."""
    required = field.required and name not in ("on", "at")  # the API defaults both to now
    optional_default: Any = ... if required else None
    if isinstance(field, forms.TimeField):  # a time of day, Beijing time: "09:30"
        text = Annotated[StrictStr, Field(pattern=TIME_PATTERN)]
        return (text if required else text | None), optional_default
    if isinstance(field, forms.DateTimeField):
        return (LegalMoment if required else LegalMoment | None), optional_default
    if isinstance(field, forms.DateField):
        return (LegalDate if required else LegalDate | None), optional_default
    if isinstance(field, forms.BooleanField):
        return StrictBool, False
    if isinstance(field, forms.DecimalField):
        return (Money if required else Money | None), optional_default
    if isinstance(field, forms.ModelMultipleChoiceField):
        return Annotated[list[ObjectId], Field(min_length=1 if required else 0)], (
            ... if required else []
        )
    if isinstance(field, forms.ModelChoiceField):
        return (ObjectId if required else ObjectId | None), optional_default
    if getattr(field, "open_choices", False):  # choices known only per case (不予处罚's list)
        short: Any = Annotated[StrictStr, Field(max_length=40)]
        if isinstance(field, forms.MultipleChoiceField):
            return list[short], []
        return short, ""
    if isinstance(field, forms.MultipleChoiceField):
        item = _literal(field)
        return Annotated[list[item], Field(min_length=1 if required else 0)], (  # type: ignore[valid-type]
            ... if required else []
        )
    if isinstance(field, forms.ChoiceField):
        if name == "power_code":  # the agency's own power items: known only per request
            return Annotated[StrictStr, Field(pattern=r"\S", max_length=64)], ...
        return _literal(field), (... if required else "")
    if isinstance(field, forms.CharField):
        return _text(field), (... if required else "")
    raise TypeError(f"no JSON type for the form field {name} ({type(field).__name__})")


def step_schema(service: str) -> type[StepIn]:
    """The body schema of one step (``case_register`` → ``CaseRegisterIn``)."""
    form: type[ActionForm] = ACTIONS[service].form
    fields: dict[str, Any] = {}
    names = sorted(form.base_fields, key=lambda n: n == "late_reason")  # the reason goes last
    for name in names:
        field = form.base_fields[name]
        if name.startswith("rec_"):  # recording details go with an upload, not with a step
            continue
        annotation, default = _field_type(name, field)
        description = str(field.label or name)
        fields[name] = (annotation, Field(default, description=description))
    if form.accepts_files:
        fields["files"] = (list[FileIn], Field([], description="先经 evidence 接口上传的文件"))
    title = "".join(part.title() for part in service.split("_")) + "In"
    schema: type[StepIn] = create_model(title, __base__=StepIn, **fields)
    return schema


def form_data(payload: StepIn) -> dict[str, Any]:
    """The validated body as the step's form takes it (text, booleans, lists of ids)."""
    data: dict[str, Any] = {}
    for name, value in payload.model_dump(exclude={"files"}).items():
        if value is None:
            continue
        if isinstance(value, datetime | date):
            data[name] = value.isoformat()
        elif isinstance(value, Decimal):
            data[name] = str(value)
        else:
            data[name] = value
    return data


STEP_SCHEMAS: dict[str, type[StepIn]] = {service: step_schema(service) for service in ACTIONS}
