"""What the JSON API answers when it does not do what was asked: one shape per status, in
Chinese, documented on every operation.

- ``Detail`` — ``{"detail"}``: 401, 403, 404, 405, 500, 503.
- ``Refusal`` — ``{"detail", "article", "field", "state"}``: 409, a rule refused the action.
- ``InvalidInput`` — ``{"detail", "field", "article", "errors"}``: 422, the request is not
  what the operation takes (``errors`` maps each field at fault to its Chinese messages,
  ``field`` is the first of them).

``responses(ok, *codes)`` is the ``response=`` of an operation: its success body and the error
bodies of the codes it can answer. ``invalid_input(errors)`` turns django-ninja's (pydantic's)
validation errors into the 422 body.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Schema


class Detail(Schema):
    detail: str = Field(description="说明（中文）")


class Refusal(Schema):
    """A rule refused the action: the message (with the article), the article, the field."""

    detail: str
    article: str = ""
    field: str = ""
    state: str = Field("", description="案件当前状态（当前阶段不允许该步骤时）")


class InvalidInput(Schema):
    """The request is not what the operation takes: which fields, and why."""

    detail: str
    field: str = Field("", description="第一个有误的字段")
    article: str = ""
    errors: dict[str, list[str]] = Field(default_factory=dict, description="每个有误的字段及其原因")


BODIES: dict[int, type[Schema]] = {
    400: Detail,
    401: Detail,
    403: Detail,
    404: Detail,
    409: Refusal,
    413: Refusal,
    422: InvalidInput,
    429: Detail,
    500: Detail,
    503: Detail,
}


def responses(ok: Mapping[int, Any], *codes: int) -> dict[int, Any]:
    """``{200: Out, 401: Detail, …}``: the success bodies and the errors of ``codes``; every
    operation may also answer 500 (an unexpected error, logged), and one that takes a token
    (401) 429 too: an address that tried too many unknown tokens is refused for a while, a
    right token included (``registry.api.TokenBearer``)."""
    extra = (429, 500) if 401 in codes else (500,)
    return {**ok, **{code: BODIES[code] for code in (*codes, *extra)}}


# pydantic error type → the Chinese reason (the type's context fills the placeholders).
_MESSAGES: dict[str, str] = {
    "missing": "必须填写",
    "string_type": "须为文本",
    "string_too_long": "过长：最多 %(max_length)s 个字符",
    "string_too_short": "过短：至少 %(min_length)s 个字符",
    "string_pattern_mismatch": "格式不符合要求",
    "bool_type": "须为 true 或 false",
    "bool_parsing": "须为 true 或 false",
    "int_type": "须为整数",
    "int_parsing": "须为整数",
    "int_from_float": "须为整数",
    "greater_than_equal": "不能小于 %(ge)s",
    "less_than_equal": "不能大于 %(le)s",
    "greater_than": "须大于 %(gt)s",
    "less_than": "须小于 %(lt)s",
    "list_type": "须为列表",
    "too_short": "至少 %(min_length)s 项",
    "too_long": "最多 %(max_length)s 项",
    "dict_type": "须为对象",
    "model_type": "须为对象",
    "model_attributes_type": "须为对象",
    "literal_error": "须为以下之一：%(expected)s",
    "enum": "须为以下之一：%(expected)s",
    "extra_forbidden": "不接受该字段",
    "date_type": "须为日期文本 YYYY-MM-DD",
    "date_parsing": "须为日期文本 YYYY-MM-DD",
    "date_from_datetime_parsing": "须为日期文本 YYYY-MM-DD",
    "datetime_type": "须为时间文本（ISO 8601）",
    "datetime_parsing": "须为时间文本（ISO 8601）",
    "decimal_type": "须为数字",
    "decimal_parsing": "须为数字",
    "json_invalid": "请求体不是有效的 JSON",
    "float_type": "须为数字",
    "float_parsing": "须为数字",
}


def _field(loc: Sequence[Any]) -> str:
    """``("body", "payload", "parties", 0, "name")`` → ``parties.0.name``: the field as the
    client wrote it, without ninja's source and parameter names."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form", "file"):
        parts = parts[1:]
        if len(parts) > 1 and parts[0] in ("payload", "filters", "params", "data"):
            parts = parts[1:]
    return ".".join(parts) or "-"


def _message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    context = dict(error.get("ctx") or {})
    if kind == "value_error" and "error" in context:
        return str(context["error"])  # our own validators speak Chinese already
    template = _MESSAGES.get(kind)
    if template is None:
        return _("格式有误")
    try:
        return _(template) % {k: v for k, v in context.items()}
    except (KeyError, TypeError, ValueError):
        return _(template.split("%", 1)[0].rstrip("：: "))


def invalid_input(errors: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The 422 body for pydantic's validation errors, in Chinese, naming every field."""
    by_field: dict[str, list[str]] = {}
    for error in errors:
        by_field.setdefault(_field(error.get("loc", ())), []).append(_message(error))
    return invalid_fields(by_field)


def invalid_fields(by_field: Mapping[str, Sequence[str]], *, article: str = "") -> dict[str, Any]:
    """The 422 body for ``{field: [reasons]}`` (a form's errors, an endpoint's own checks)."""
    fields = list(by_field)
    reasons = "；".join(f"{name}：{'、'.join(msgs)}" for name, msgs in by_field.items())
    return {
        "detail": _("请求参数有误：%(reasons)s") % {"reasons": reasons or "-"},
        "field": fields[0] if fields else "",
        "article": article,
        "errors": {name: list(msgs) for name, msgs in by_field.items()},
    }
