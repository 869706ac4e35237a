"""Notifications: the recipient's own list, the unread count in the header, opening one marks it
read, the channels per account, e-mail only where an SMTP server is configured."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from zhifa.core.testing import Personas
from zhifa.notifications.channels import channels_for
from zhifa.notifications.models import Notification
from zhifa.notifications.services import notification_send, notification_setting_save
from zhifa.registry.models import Account

pytestmark = pytest.mark.django_db

K = Notification.Kind


def client_for(account: Account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


def tell(account: Account, title: str = "立案审批已批准", **kw: Any) -> Notification:
    return notification_send(
        recipients=[account], kind=K.APPROVAL_ANSWERED, title=title, url="/todos/", **kw
    )[0]


def test_the_header_shows_the_unread_count(personas: Personas) -> None:
    tell(personas.officer)
    tell(personas.officer, "第二条")
    page = text(client_for(personas.officer).get(reverse("todo_list")))
    assert "2 条未读" in page
    assert "条未读" not in text(client_for(personas.officer2).get(reverse("todo_list")))


def test_opening_a_notification_marks_it_read_and_goes_where_it_points(
    personas: Personas,
) -> None:
    note = tell(personas.officer)
    client = client_for(personas.officer)
    response = client.post(reverse("notification_open"), {"notification": note.pk})
    assert response.status_code == 302 and response["Location"] == "/todos/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert "条未读" not in text(client.get(reverse("notification_list")))


def test_someone_elses_notification_is_not_found(personas: Personas) -> None:
    note = tell(personas.officer)
    response = client_for(personas.officer2).post(
        reverse("notification_open"), {"notification": note.pk}
    )
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
    assert "立案审批已批准" not in text(
        client_for(personas.officer_b).get(reverse("notification_list"))
    )


def test_mark_all_read(personas: Personas) -> None:
    tell(personas.officer)
    tell(personas.officer, "另一条")
    client_for(personas.officer).post(reverse("notifications_read"))
    assert not Notification.objects.filter(recipient=personas.officer, read_at=None).exists()


@pytest.mark.parametrize(
    "name",
    ["notification_list", "notification_settings", "notification_open", "notifications_read"],
)
def test_anonymous_is_sent_to_the_login(db: None, name: str) -> None:
    client = Client()
    response = (
        client.post(reverse(name))
        if "open" in name or name.endswith("_read")
        else client.get(reverse(name))
    )
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_key_sends_a_notification_once(personas: Personas) -> None:
    assert (
        len(notification_send(recipients=[personas.head], kind=K.REMINDER, title="t", key="k")) == 1
    )
    assert notification_send(recipients=[personas.head], kind=K.REMINDER, title="t", key="k") == []
    assert Notification.objects.filter(recipient=personas.head).count() == 1


def test_settings_page_turns_the_channels_off(personas: Personas) -> None:
    client = client_for(personas.officer)
    assert "电子邮件" in text(client.get(reverse("notification_settings")))
    response = client.post(reverse("notification_settings"), {"in_app": "on"})
    assert response.status_code == 302
    tell(personas.officer)
    response = client.post(reverse("notification_settings"), {})
    assert "条未读" not in text(client.get(reverse("todo_list")))


def test_e_mail_respects_the_per_account_setting(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    officer = personas.officer
    officer.email = "officer@example.org"
    officer.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        tell(officer)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["officer@example.org"]
    assert "/todos/" in mail.outbox[0].body
    notification_setting_save(actor=officer, in_app=True, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        tell(officer, "第二条")
    assert len(mail.outbox) == 1


def test_no_e_mail_without_an_smtp_server(
    personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.ZHIFA_EMAIL_NOTIFICATIONS = False
    personas.officer.email = "officer@example.org"
    personas.officer.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        tell(personas.officer)
    assert mail.outbox == []


def test_channels_need_an_address_for_e_mail() -> None:
    assert not channels_for(
        in_app_setting=True, email_setting=True, address=" ", smtp_configured=True
    ).email
    assert channels_for(
        in_app_setting=True, email_setting=True, address="a@b.cn", smtp_configured=True
    ).email
