"""Passwords (finding 9 of issue 10: only a minimum length was required).

An administrator creating an account gets Django's four validators — at least 10 characters,
not a common password, not like the username or the name, not all digits — each refusal in
Chinese, naming the field; nothing is created or recorded then.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas
from zhifa.record.models import Entry
from zhifa.registry import services
from zhifa.registry.models import Account

pytestmark = pytest.mark.django_db


def create(personas: Personas, password: str, **kw: Any) -> Account:
    fields: dict[str, Any] = {
        "username": "chenxin",
        "role": Account.Role.OFFICER,
        "agency": personas.agency_a,
        "display_name": "陈新",
    } | kw
    return services.account_create(actor=personas.admin, password=password, **fields)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Zf-7kq!x", "密码太短：至少需要10个字符。"),
        ("password123", "密码过于常见（在常用密码表中），容易被猜中。"),
        ("chenxin-2026", "密码与用户名过于相似。"),
        ("48151623429", "密码不能全是数字。"),
    ],
    ids=["length", "common", "similar", "numeric"],
)
def test_a_weak_password_is_refused_by_each_validator(
    personas: Personas, password: str, message: str
) -> None:
    before = Entry.objects.count()
    with pytest.raises(RuleViolation) as refused:
        create(personas, password)
    assert message in str(refused.value)
    assert refused.value.field == "password"
    assert not Account.objects.filter(username="chenxin").exists()
    assert Entry.objects.count() == before


def test_a_password_like_the_persons_name_is_refused(personas: Personas) -> None:
    with pytest.raises(RuleViolation, match="密码与姓名过于相似"):
        create(personas, "zhang-weiguo", username="zwg01", display_name="zhangweiguo")


def test_every_reason_is_given_at_once(personas: Personas) -> None:
    with pytest.raises(RuleViolation) as refused:
        create(personas, "12345")
    text = str(refused.value)
    assert "密码太短" in text and "密码过于常见" in text and "密码不能全是数字" in text
    assert text.count("；") == 2


def test_a_good_password_is_accepted(personas: Personas) -> None:
    account = create(personas, "Hai-tang 2026 chun")
    assert account.check_password("Hai-tang 2026 chun")


def test_the_validators_are_the_ones_createsuperuser_and_the_admin_use() -> None:
    # Django's own password forms and commands call the same configured validators.
    with pytest.raises(ValidationError, match="密码过于常见"):
        validate_password("qwertyuiop")
