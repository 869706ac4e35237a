"""Errors that carry the rule they enforce.

Every refusal a user sees names the rule and, where there is one, the legal article, e.g.
``RuleViolation("已超过行政处罚追责时效", article="《行政处罚法》第三十六条")``.
"""

from __future__ import annotations


class ZhifaError(Exception):
    """Base of all zhifa errors; ``str()`` is the Chinese message shown to users."""

    def __init__(self, message: str, *, article: str = "", field: str = "") -> None:
        self.message = message
        self.article = article
        # The input field at fault, when there is one (forms and imports point at it).
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if self.article:
            return f"{self.message}（{self.article}）"
        return self.message


class RuleViolation(ZhifaError):
    """A statutory or configured rule refuses the action."""


class InvalidField(ZhifaError):
    """A field of a request is not what it must be (the API answers 422 naming ``field``)."""


class CalendarUnknown(ZhifaError):
    """The statutory calendar of a year is not known yet (no State Council notice entered)."""


class InvalidIdentifier(ZhifaError):
    """An identifier (身份证号, 统一社会信用代码, phone …) is malformed or fails its check digit."""
