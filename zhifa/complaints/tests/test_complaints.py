"""Complaints: the public form and status page, intake by the supervisor, deadlines, identity."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from zhifa.complaints import services
from zhifa.complaints.models import Complaint, ComplaintEvent
from zhifa.complaints.selectors import complaint_countdown, complaints_replay_check
from zhifa.complaints.todo_source import supervisor_todos
from zhifa.core.exceptions import RuleViolation
from zhifa.record.models import Entry

from .conftest import NOW, World, client_for

pytestmark = pytest.mark.django_db

TODAY = NOW.date()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%%EOF\n"


def form(world: World, **kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "agency": world.p.agency_a.pk,
        "officer": "张执法",
        "facts": "执法人员检查时未出示证件，态度粗暴。",
        "happened_on": "2026-02-27",
        "mode": "named",
        "name": "陈投诉",
        "contact": "chen@example.com",
    }
    data.update(kw)
    return data


def submit(world: World, **kw: Any) -> tuple[Complaint, str]:
    defaults: dict[str, Any] = {
        "agency": world.p.agency_a,
        "facts": "未出示执法证件",
        "happened_on": date(2026, 2, 27),
        "today": TODAY,
        "anonymous": False,
        "name": "陈投诉",
        "contact": "chen@example.com",
    }
    defaults.update(kw)
    return services.complaint_submit(**defaults)


# -- the public page ------------------------------------------------------------------------


def test_the_public_page_needs_no_login_and_shows_the_channels_and_the_rules(world: World) -> None:
    services.complaint_channel_set(
        actor=world.supervisor,
        body=world.bureau,
        phone="0335-12345678",
        email="jiandu@example.gov.cn",
        address="示范市海港路1号",
        hours="工作日9:00-17:00",
    )
    page = client_for(None).get(reverse("complaint_public")).content.decode()
    assert "0335-12345678" in page and "示范市海港路1号" in page
    assert "《行政执法监督条例》第三十三条" in page
    assert "5个工作日" in page  # the acceptance limit with its source
    assert 'aria-current="page"' in page  # the portal's tab bar marks 投诉举报


def test_a_citizen_complains_about_an_officer_by_name_and_follows_it(world: World) -> None:
    client = client_for(None)
    upload = SimpleUploadedFile("card.png", PNG, content_type="image/png")
    response = client.post(reverse("complaint_public"), {**form(world), "attachments": [upload]})
    assert response.status_code == 303
    receipt = client.get(response["Location"]).content.decode()
    number = re.search(r'id="tracking-number">([A-Z0-9]+)<', receipt)
    code = re.search(r'id="secret-code">([A-Z0-9]+)<', receipt)
    assert number and code
    complaint = Complaint.objects.get(number=number.group(1))
    assert complaint.officer == world.p.officer_record  # found by the name on the card
    assert complaint.certificate_number == "130300000001"
    assert complaint.attachments.get().media_type == "image/png"
    assert code.group(1) not in complaint.code_hash  # only a salted hash is kept
    # shown once only
    assert client.get(reverse("complaint_receipt")).status_code == 303
    status = client.post(
        reverse("complaint_status"), {"number": number.group(1), "code": code.group(1)}
    ).content.decode()
    assert "已收到，待受理" in status and "收到投诉" in status
    assert "陈投诉" not in status and "张执法" not in status  # nothing but progress


def test_the_officer_may_be_given_by_certificate_number(world: World) -> None:
    client_for(None).post(reverse("complaint_public"), form(world, officer="130300000002"))
    assert Complaint.objects.get().officer.name == "李执法"


def test_a_day_in_the_future_is_refused_and_the_form_keeps_the_text(world: World) -> None:
    response = client_for(None).post(
        reverse("complaint_public"), form(world, happened_on="2026-03-03")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "发生日期不能晚于今天" in page and "态度粗暴" in page
    assert not Complaint.objects.exists()


def test_an_attachment_is_judged_by_its_bytes_not_its_name(world: World) -> None:
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = client_for(None).post(
        reverse("complaint_public"), {**form(world), "attachments": [fake]}
    )
    assert response.status_code == 400
    assert "不是图片" in response.content.decode()
    assert not Complaint.objects.exists()


@override_settings(ZHIFA_COMPLAINT_ATTACHMENT_BYTES=32)
def test_an_attachment_over_the_size_limit_is_refused(world: World) -> None:
    with pytest.raises(RuleViolation, match="超过"):
        submit(world, uploads=[services.Upload("scan.pdf", PDF + b"x" * 40)])


def test_a_named_complaint_needs_a_contact_an_anonymous_one_keeps_none(world: World) -> None:
    response = client_for(None).post(reverse("complaint_public"), form(world, contact=""))
    assert response.status_code == 400
    client_for(None).post(
        reverse("complaint_public"), form(world, mode="anonymous", consent_share="on")
    )
    complaint = Complaint.objects.get()
    assert complaint.anonymous and complaint.complainant_name == "" and not complaint.consent_share


@override_settings(
    ZHIFA_THROTTLES={
        "complaints.submit": {"limit": 2, "minutes": 60},
        "complaints.status": {"limit": 3, "minutes": 10},
    }
)
def test_submissions_and_code_guesses_are_throttled(world: World) -> None:
    client = client_for(None)
    for _ in range(2):
        assert client.post(reverse("complaint_public"), form(world)).status_code == 303
    refused = client.post(reverse("complaint_public"), form(world))
    assert refused.status_code == 429 and "Retry-After" in refused
    complaint, code = submit(world)
    for _ in range(3):
        bad = client.post(
            reverse("complaint_status"), {"number": complaint.number, "code": "WRONG"}
        )
        assert bad.status_code == 400
    # the right code is no longer even tried from this address
    blocked = client.post(reverse("complaint_status"), {"number": complaint.number, "code": code})
    assert blocked.status_code == 429


def test_the_status_page_answers_alike_for_a_wrong_number_and_a_wrong_code(world: World) -> None:
    complaint, _code = submit(world)
    client = client_for(None)
    a = client.post(reverse("complaint_status"), {"number": complaint.number, "code": "X"})
    b = client.post(reverse("complaint_status"), {"number": "TS000", "code": "X"})
    assert a.status_code == b.status_code == 400
    assert (
        "投诉编号或查询码不正确" in a.content.decode()
        and "投诉编号或查询码不正确" in b.content.decode()
    )


# -- intake ------------------------------------------------------------------------------------


def test_the_supervisor_accepts_and_concludes_and_the_named_complainant_is_told(
    world: World,
) -> None:
    complaint, _code = submit(world)
    client = client_for(world.supervisor)
    assert (
        client.post(
            reverse("complaint_act", args=[complaint.pk, "accept"]), {"on": "2026-03-02"}
        ).status_code
        == 303
    )
    complaint.refresh_from_db()
    assert complaint.state == "accepted"
    assert complaint.handle_due == date(2026, 4, 1)  # 30 日 from 2 March
    entry = Entry.objects.get(seq=complaint.last_entry_seq)
    assert entry.action == "complaint.accept" and entry.data["complaint"] == complaint.pk
    assert "陈投诉" not in entry.leaf.decode() and "chen@" not in entry.leaf.decode()
    with pytest.MonkeyPatch.context():
        response = client.post(
            reverse("complaint_act", args=[complaint.pk, "conclude"]),
            {"result": "经核查属实，已责令该局整改。", "on": "2026-03-02"},
        )
    assert response.status_code == 303
    complaint.refresh_from_db()
    assert complaint.state == "concluded" and complaint.result_told_on == TODAY
    assert ComplaintEvent.objects.filter(complaint=complaint, kind="told").exists()
    assert Entry.objects.filter(action="complaint.tell").count() == 1


def test_the_result_is_e_mailed_to_a_complainant_who_left_an_e_mail(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    complaint, _code = submit(world)
    services.complaint_accept(actor=world.supervisor, complaint=complaint, on=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_conclude(
            actor=world.supervisor, complaint=complaint, result="已整改", on=TODAY
        )
    assert mail.outbox[-1].to == ["chen@example.com"] and "已整改" in mail.outbox[-1].body


def test_without_an_smtp_server_the_supervisor_tells_by_the_contact_and_nothing_is_sent(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    complaint, _code = submit(world)
    services.complaint_accept(actor=world.supervisor, complaint=complaint, on=TODAY)
    with (
        override_settings(ZHIFA_EMAIL_NOTIFICATIONS=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.complaint_conclude(
            actor=world.supervisor, complaint=complaint, result="已整改", on=TODAY
        )
    assert not mail.outbox
    assert Entry.objects.get(action="complaint.tell").data["told"] == "contact"


def test_a_complaint_under_reconsideration_is_refused_with_article_33(world: World) -> None:
    complaint, code = submit(world)
    response = client_for(world.supervisor).post(
        reverse("complaint_act", args=[complaint.pk, "refuse"]),
        {"reason": "review_or_litigation", "note": "已申请行政复议", "on": "2026-03-02"},
    )
    assert response.status_code == 303
    complaint.refresh_from_db()
    assert complaint.state == "refused"
    status = (
        client_for(None)
        .post(reverse("complaint_status"), {"number": complaint.number, "code": code})
        .content.decode()
    )
    assert "不重复监督" in status and "已申请行政复议" not in status  # the note stays internal


def test_transfer_and_a_second_acceptance_is_refused_by_the_state_table(world: World) -> None:
    complaint, _code = submit(world)
    services.complaint_transfer(
        actor=world.supervisor, complaint=complaint, to="示范市信访局", on=TODAY
    )
    with pytest.raises(RuleViolation, match="不能受理"):
        services.complaint_accept(actor=world.supervisor, complaint=complaint, on=TODAY)


def test_only_the_supervisor_of_the_region_may_act(world: World) -> None:
    complaint, _code = submit(world)
    with pytest.raises(RuleViolation):
        services.complaint_accept(actor=world.other_supervisor, complaint=complaint, on=TODAY)
    assert (
        client_for(world.other_supervisor)
        .get(reverse("complaint_detail", args=[complaint.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(world.p.head)
        .post(reverse("complaint_act", args=[complaint.pk, "accept"]), {"on": "2026-03-02"})
        .status_code
        == 404
    )  # not yet forwarded to the agency: it does not know it exists
    assert client_for(None).get(reverse("complaint_detail", args=[complaint.pk])).status_code == 302


def test_the_extension_is_granted_once_with_its_approval(world: World) -> None:
    complaint, _code = submit(world)
    services.complaint_accept(actor=world.supervisor, complaint=complaint, on=TODAY)
    services.complaint_extend(
        actor=world.supervisor,
        complaint=complaint,
        approved_by="局长",
        reason="需现场核查",
        on=TODAY,
    )
    complaint.refresh_from_db()
    assert complaint.handle_due == date(2026, 5, 1) + timedelta(days=5)  # 60 日; 5/1–5/5 劳动节
    with pytest.raises(RuleViolation, match="已经延长过"):
        services.complaint_extend(
            actor=world.supervisor, complaint=complaint, approved_by="局长", reason="再延", on=TODAY
        )


# -- deadlines at their boundaries -----------------------------------------------------------

PROVINCE = {
    "complaints.accept": {
        "count": 3,
        "unit": "workdays",
        "source": "《某省行政执法监督办法》第十条",
    },
    "complaints.handle": {
        "count": 20,
        "unit": "days",
        "extension": 0,
        "source": "《某省行政执法监督办法》第十二条",
    },
}


@override_settings(ZHIFA_TIME_LIMITS=PROVINCE)
@pytest.mark.parametrize(
    ("day", "remaining", "overdue"),
    [(date(2026, 3, 10), 1, False), (date(2026, 3, 11), 0, False), (date(2026, 3, 12), -1, True)],
)
def test_acceptance_deadline_on_a_province_table(
    world: World, day: date, remaining: int, overdue: bool
) -> None:
    # Received Friday 6 March: 3 working days → Wednesday 11 March.
    complaint, _code = submit(world, today=date(2026, 3, 6), received_on=date(2026, 3, 6))
    assert complaint.accept_due == date(2026, 3, 11)
    cd = complaint_countdown(complaint, day)
    assert cd is not None and cd.remaining == remaining
    assert "《某省行政执法监督办法》第十条" in cd.basis
    todo = next(t for t in supervisor_todos(world.supervisor, day) if t.kind == "complaint_accept")
    assert todo.overdue is overdue and todo.article == "《某省行政执法监督办法》第十条"


@override_settings(ZHIFA_TIME_LIMITS=PROVINCE)
def test_handling_deadline_on_a_province_table_and_no_extension(world: World) -> None:
    complaint, _code = submit(world)
    services.complaint_accept(actor=world.supervisor, complaint=complaint, on=TODAY)
    complaint.refresh_from_db()
    assert complaint.handle_due == date(
        2026, 3, 23
    )  # 20 日 from Monday 2 March (a Sunday → Monday)
    for day, remaining in ((date(2026, 3, 22), 1), (date(2026, 3, 23), 0), (date(2026, 3, 24), -1)):
        cd = complaint_countdown(complaint, day)
        assert cd is not None and cd.remaining == remaining
    with pytest.raises(RuleViolation, match="不能延长"):
        services.complaint_extend(
            actor=world.supervisor, complaint=complaint, approved_by="局长", reason="x", on=TODAY
        )


@pytest.mark.parametrize(
    ("day", "remaining"), [(date(2026, 3, 15), 1), (date(2026, 3, 16), 0), (date(2026, 3, 17), -1)]
)
def test_transfer_deadline_ten_days_at_its_boundary(
    world: World, day: date, remaining: int
) -> None:
    from zhifa.complaints.selectors import complaint_transfer_countdown

    complaint, _code = submit(world, today=date(2026, 3, 6), received_on=date(2026, 3, 6))
    cd = complaint_transfer_countdown(complaint, day)  # 10 日 from Friday 6 March: Monday 16 March
    assert cd is not None and cd.due_on == date(2026, 3, 16) and cd.remaining == remaining
    assert "《四川省行政执法监督条例》第三十一条" in cd.basis


def test_default_acceptance_deadline_is_five_working_days(world: World) -> None:
    complaint, _code = submit(world, today=date(2026, 3, 6), received_on=date(2026, 3, 6))
    assert complaint.accept_due == date(2026, 3, 13)
    page = (
        client_for(world.supervisor)
        .get(reverse("complaint_detail", args=[complaint.pk]))
        .content.decode()
    )
    assert "5个工作日" in page and "依据" in page


# -- identity ------------------------------------------------------------------------------


def test_the_agency_head_sees_an_accepted_complaint_but_never_the_identity(world: World) -> None:
    complaint, _code = submit(world, name="陈投诉", contact="13900001111")
    services.complaint_accept(actor=world.supervisor, complaint=complaint, on=TODAY)
    head = client_for(world.p.head)
    page = head.get(reverse("complaint_detail", args=[complaint.pk])).content.decode()
    assert complaint.number in page
    assert "陈投诉" not in page and "13900001111" not in page and "身份保密" in page
    listing = head.get(reverse("complaint_list")).content.decode()
    assert complaint.number in listing and "陈投诉" not in listing
    # the supervisor sees it
    sup = (
        client_for(world.supervisor)
        .get(reverse("complaint_detail", args=[complaint.pk]))
        .content.decode()
    )
    assert "陈投诉" in sup and "13900001111" in sup


def test_with_consent_the_agency_sees_the_identity(world: World) -> None:
    complaint, _code = submit(world, consent_share=True)
    services.complaint_accept(actor=world.supervisor, complaint=complaint, on=TODAY)
    page = (
        client_for(world.p.head)
        .get(reverse("complaint_detail", args=[complaint.pk]))
        .content.decode()
    )
    assert "陈投诉" in page


def test_other_agency_staff_never_reach_a_complaint(world: World) -> None:
    complaint, _code = submit(world)
    services.complaint_accept(actor=world.supervisor, complaint=complaint, on=TODAY)
    for account in (world.p.officer, world.p.officer_b, world.p.publisher):
        assert (
            client_for(account).get(reverse("complaint_detail", args=[complaint.pk])).status_code
            == 404
        )


# -- the record ----------------------------------------------------------------------------


def test_verify_replays_complaints_and_names_an_edit_behind_the_log(world: World) -> None:
    complaint, _code = submit(world)
    services.complaint_accept(actor=world.supervisor, complaint=complaint, on=TODAY)
    assert list(complaints_replay_check([])) == []
    Complaint.objects.filter(pk=complaint.pk).update(facts="改过的内容")
    problems = list(complaints_replay_check([]))
    assert [p.kind for p in problems] == ["complaint_altered"]
    assert complaint.number in problems[0].message


def test_zhifa_verify_reports_a_complaint_edited_behind_the_log(world: World) -> None:
    from zhifa.record.verification import log_verify

    complaint, _code = submit(world)
    assert not [p for p in log_verify(check_files=False).problems if p.kind.startswith("complaint")]
    Complaint.objects.filter(pk=complaint.pk).update(state="concluded")
    kinds = [p.kind for p in log_verify(check_files=False).problems]
    assert "complaint_altered" in kinds


def test_every_service_appends_its_entry(world: World) -> None:
    before = Entry.objects.count()
    complaint, _code = submit(world)
    services.complaint_accept(actor=world.supervisor, complaint=complaint, on=TODAY)
    services.complaint_extend(
        actor=world.supervisor, complaint=complaint, approved_by="局长", reason="核查", on=TODAY
    )
    services.complaint_conclude(
        actor=world.supervisor, complaint=complaint, result="办结", on=TODAY
    )
    actions = list(Entry.objects.filter(seq__gte=before).values_list("action", flat=True))
    assert actions == [
        "complaint.submit",
        "complaint.accept",
        "complaint.extend",
        "complaint.conclude",
        "complaint.tell",
    ]


def test_channels_are_edited_only_by_the_bodys_own_supervisors(world: World) -> None:
    assert (
        client_for(world.supervisor)
        .post(
            reverse("complaint_channels"),
            {"phone": "12345", "email": "", "address": "", "hours": ""},
        )
        .status_code
        == 303
    )
    assert client_for(world.p.supervisor).get(reverse("complaint_channels")).status_code == 403
    assert client_for(world.p.officer).get(reverse("complaint_channels")).status_code == 403


# -- a supervision matter from a complaint ---------------------------------------------------


def test_an_accepted_complaint_opens_a_supervision_matter(world: World) -> None:
    from zhifa.supervision.models import Matter

    complaint, _code = submit(world)
    with pytest.raises(RuleViolation):  # not before acceptance
        services.complaint_open_matter(
            actor=world.supervisor, complaint=complaint, title="", on=TODAY
        )
    services.complaint_accept(actor=world.supervisor, complaint=complaint, on=TODAY)
    client = client_for(world.supervisor)
    response = client.post(
        reverse("complaint_act", args=[complaint.pk, "matter"]), {"title": "", "on": "2026-03-02"}
    )
    assert response.status_code == 303
    complaint.refresh_from_db()
    matter = Matter.objects.get(pk=complaint.matter_id)
    assert matter.origin == "complaint" and matter.agency == world.p.agency_a
    assert complaint.number in matter.origin_ref
    assert "陈投诉" not in matter.summary  # the facts go over, the identity does not
    page = client.get(reverse("complaint_detail", args=[complaint.pk])).content.decode()
    assert reverse("supervision_matter", args=[matter.pk]) in page
    with pytest.raises(RuleViolation, match="已立为"):
        services.complaint_open_matter(
            actor=world.supervisor, complaint=complaint, title="", on=TODAY
        )


def test_a_complainant_naming_themselves_in_the_text_is_masked_for_the_agency(world: World) -> None:
    from zhifa.supervision.models import Matter

    complaint, _code = submit(
        world,
        facts="我是陈投诉，电话13900001111，身份证130302198506150011被查。",
        contact="13900001111",
    )
    services.complaint_accept(actor=world.supervisor, complaint=complaint, on=TODAY)
    page = (
        client_for(world.p.head)
        .get(reverse("complaint_detail", args=[complaint.pk]))
        .content.decode()
    )
    assert "陈投诉" not in page and "13900001111" not in page and "130302198506150011" not in page
    assert "被查" in page
    services.complaint_open_matter(actor=world.supervisor, complaint=complaint, title="", on=TODAY)
    complaint.refresh_from_db()
    summary = Matter.objects.get(pk=complaint.matter_id).summary
    assert "陈投诉" not in summary and "13900001111" not in summary and "被查" in summary


def test_the_supervisors_are_notified_of_a_new_complaint_and_the_head_of_its_acceptance(
    world: World,
) -> None:
    from zhifa.notifications.models import Notification

    complaint, _code = submit(world)
    to_supervisors = Notification.objects.filter(key=f"complaint:{complaint.pk}:received")
    assert {n.recipient for n in to_supervisors} == {world.supervisor, world.p.supervisor}
    services.complaint_accept(actor=world.supervisor, complaint=complaint, on=TODAY)
    to_head = Notification.objects.get(key=f"complaint:{complaint.pk}:accepted")
    assert to_head.recipient == world.p.head and "陈投诉" not in to_head.title + to_head.body


def test_an_attachment_is_opened_by_the_supervisor_only_and_logged(world: World) -> None:
    complaint, _code = submit(world, uploads=[services.Upload("card.pdf", PDF)])
    services.complaint_accept(actor=world.supervisor, complaint=complaint, on=TODAY)
    sha = complaint.attachments.get().sha256
    url = reverse("complaint_attachment", args=[complaint.pk, sha])
    response = client_for(world.supervisor).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert Entry.objects.filter(action="evidence.view").count() == 1
    assert client_for(world.p.head).get(url).status_code == 403
    assert client_for(world.p.officer).get(url).status_code == 404
