"""Personal values a supervision matter knows outside its own rows — a complainant's name and
contact (the complaints app), for instance — that the publication of a result must remove
(条例第三十一条 publication through the publicity app's redaction review). Apps above or beside
supervision register a provider at start-up (``register_personal_values``); supervision never
imports them. A provider returns ``(value, kind, label)`` triples, ``kind`` one of the redaction
engine's (``person_name``, ``phone``, ``email``, ``address``, ``id_number``, ``personal``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Provider = Callable[[Any], list[tuple[str, str, str]]]

_PROVIDERS: list[Provider] = []


def register_personal_values(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def personal_values(matter: Any) -> list[tuple[str, str, str]]:
    """Every registered provider's values for ``matter`` (a ``supervision.Matter``)."""
    out: list[tuple[str, str, str]] = []
    for provider in _PROVIDERS:
        out += [(v, k, label) for v, k, label in provider(matter) if v and v.strip()]
    return out
