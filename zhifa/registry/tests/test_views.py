"""The registry pages, through the Django test client, as each persona sees them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from zhifa.core.testing import PASSWORD, Personas
from zhifa.registry import forms, selectors, services
from zhifa.registry.models import Account, Certificate, CertificateStatusChange, PowerItem
from zhifa.registry.services import Basis

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def client_for(account: Account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def make_power_item(personas: Personas, *, publish: bool = True) -> PowerItem:
    item = services.power_item_create(
        actor=personas.admin,
        agency=personas.agency_a,
        code="330217001000",
        name="对销售不合格产品的行政处罚",
        category=PowerItem.Category.PENALTY,
        domain=personas.domain,
        implementing_level="county",
        bases=[Basis("中华人民共和国产品质量法", "第四十九条", "生产、销售不符合保障人体健康…")],
        procedure_steps=["立案", "调查取证", "告知", "决定", "送达"],
        is_random_inspection=True,
    )
    if publish:
        item = services.power_item_publish(actor=personas.admin, item=item, on=date(2026, 1, 5))
    return item


def certificate_of(account: Account) -> Certificate:
    assert account.officer is not None
    cert = account.officer.certificates.get()
    return cert


# -- anonymous visitors ------------------------------------------------------------------


GATED_GET = [
    ("workbench", {}),
    ("agency_list", {}),
    ("agency_detail", {"pk": 1}),
    ("officer_list", {}),
    ("officer_detail", {"pk": 1}),
    ("power_item_list", {}),
    ("power_item_detail", {"pk": 1}),
]
GATED_POST = [
    ("certificate_status_change", {"pk": 1}),
    ("power_item_publish", {"pk": 1}),
    ("power_item_repeal", {"pk": 1}),
    ("power_item_revise", {"pk": 1}),
]


@pytest.mark.parametrize(("name", "kwargs"), GATED_GET)
def test_anonymous_visitor_is_sent_to_login(name: str, kwargs: dict[str, int]) -> None:
    url = reverse(name, kwargs=kwargs)
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "kwargs"), GATED_POST)
def test_anonymous_post_is_sent_to_login_and_changes_nothing(
    personas: Personas, name: str, kwargs: dict[str, int]
) -> None:
    before = CertificateStatusChange.objects.count()
    response = Client().post(reverse(name, kwargs=kwargs), {"reason": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert CertificateStatusChange.objects.count() == before


def test_home_explains_the_three_systems_and_links_to_check_and_login() -> None:
    html = Client().get(reverse("home")).content.decode()
    for text in ("行政执法公示", "执法全过程记录", "重大执法决定法制审核"):
        assert text in html
    assert reverse("certificate_check") in html
    assert reverse("login") in html
    assert "建设中" not in html


def test_login_with_wrong_password_shows_chinese_error(personas: Personas) -> None:
    response = Client().post(reverse("login"), {"username": "p1", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_login_lands_on_the_workbench(personas: Personas) -> None:
    response = Client().post(reverse("login"), {"username": "p1", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench")


def test_logout_is_post_only(personas: Personas) -> None:
    client = client_for(personas.officer)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("workbench")).status_code == 302


# -- workbench ---------------------------------------------------------------------------


def test_workbench_shows_who_and_counts_of_own_agency(personas: Personas) -> None:
    make_power_item(personas)
    html = client_for(personas.officer).get(reverse("workbench")).content.decode()
    assert "张执法" in html
    assert "执法人员" in html  # the role label
    assert "示范市甲区市场监督管理局" in html
    # Agency A: 4 officers with a valid certificate (张, 李, 王, 赵, 钱 = 5), 1 published item.
    response = client_for(personas.officer).get(reverse("workbench"))
    counts = response.context["counts"]
    assert counts == {
        "agencies": 1,
        "officers": 5,
        "valid_certificates": 5,
        "expiring_certificates": 0,
        "published_power_items": 1,
    }


def test_workbench_counts_certificates_expiring_within_90_days(personas: Personas) -> None:
    with time_machine.travel(datetime(2026, 5, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        response = client_for(personas.supervisor).get(reverse("workbench"))
    assert response.context["counts"]["expiring_certificates"] == 1
    assert response.context["counts"]["agencies"] == 2
    assert "王过期" in response.content.decode()
    assert "60 天" in response.content.decode()


# -- agencies ----------------------------------------------------------------------------


def test_supervisor_sees_both_agencies_in_the_list(personas: Personas) -> None:
    html = client_for(personas.supervisor).get(reverse("agency_list")).content.decode()
    assert "示范市甲区市场监督管理局" in html
    assert "示范市乙区生态环境分局" in html
    assert "共 2 条" in html


def test_with_many_agencies_the_agency_filter_is_a_name_search(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forms, "AGENCY_SELECT_LIMIT", 1)  # the supervisor sees 2 agencies
    client = client_for(personas.supervisor)
    page = client.get(reverse("officer_list")).content.decode()
    assert 'name="agency_name"' in page
    assert '<select name="agency"' not in page
    html = client.get(reverse("officer_list"), {"agency_name": "乙区"}).content.decode()
    assert "周乙区" in html
    assert "张执法" not in html
    # A link from an agency's page (?agency=<id>) still filters.
    html = client.get(reverse("officer_list"), {"agency": personas.agency_a.pk}).content.decode()
    assert "张执法" in html
    assert "周乙区" not in html


def test_agency_list_searches_by_division_code_and_filters_by_domain(personas: Personas) -> None:
    client = client_for(personas.supervisor)
    html = client.get(reverse("agency_list"), {"q": "130303"}).content.decode()
    assert "示范市乙区生态环境分局" in html
    assert "示范市甲区市场监督管理局" not in html
    html = client.get(reverse("agency_list"), {"domain": "market"}).content.decode()
    assert "示范市甲区市场监督管理局" in html
    assert "示范市乙区生态环境分局" not in html


def test_agency_detail_shows_review_body_staff_and_counts(personas: Personas) -> None:
    response = client_for(personas.officer).get(
        reverse("agency_detail", kwargs={"pk": personas.agency_a.pk})
    )
    html = response.content.decode()
    assert "甲区市场监管局法制审核科" in html
    assert "赵审核" in html
    assert f"?agency={personas.agency_a.pk}" in html
    assert response.context["counts"]["officers"] == 5


def test_officer_of_agency_b_gets_404_for_agency_a(personas: Personas) -> None:
    url = reverse("agency_detail", kwargs={"pk": personas.agency_a.pk})
    assert client_for(personas.officer_b).get(url).status_code == 404


# -- officers ----------------------------------------------------------------------------


def test_officer_list_shows_only_own_agency(personas: Personas) -> None:
    html = client_for(personas.officer).get(reverse("officer_list")).content.decode()
    assert "张执法" in html
    assert "周乙区" not in html


def test_supervisor_sees_officers_of_both_agencies(personas: Personas) -> None:
    html = client_for(personas.supervisor).get(reverse("officer_list")).content.decode()
    assert "张执法" in html
    assert "周乙区" in html


def test_officer_list_searches_by_name_prefix_and_certificate_number(personas: Personas) -> None:
    client = client_for(personas.supervisor)
    names = [o.name for o in client.get(reverse("officer_list"), {"q": "张"}).context["page"]]
    assert names == ["张执法"]
    by_number = client.get(reverse("officer_list"), {"q": "130300000006"}).context["page"]
    assert [o.name for o in by_number] == ["周乙区"]


def test_officer_list_filters_by_agency_status_and_domain(personas: Personas) -> None:
    client = client_for(personas.supervisor)
    page = client.get(reverse("officer_list"), {"agency": personas.agency_b.pk}).context["page"]
    assert [o.name for o in page] == ["周乙区"]
    page = client.get(reverse("officer_list"), {"domain": "environment"}).context["page"]
    assert [o.name for o in page] == ["周乙区"]
    services.certificate_status_change(
        actor=personas.admin,
        certificate=certificate_of(personas.officer2),
        to_status=Certificate.Status.SUSPENDED,
        reason="涉嫌违纪，暂扣",
        effective_on=date(2026, 11, 1),
    )
    page = client.get(reverse("officer_list"), {"certificate_status": "suspended"}).context["page"]
    assert [o.name for o in page] == ["李执法"]


def test_officer_list_paginates_and_keeps_filters_in_page_links(
    personas: Personas, settings: object
) -> None:
    settings.PAGE_SIZE = 2  # type: ignore[attr-defined]
    client = client_for(personas.supervisor)
    response = client.get(reverse("officer_list"), {"certificate_status": "valid"})
    html = response.content.decode()
    assert "共 6 条" in html
    assert "第 1 / 3 页" in html
    assert "?certificate_status=valid&amp;page=2" in html
    page2 = client.get(reverse("officer_list"), {"certificate_status": "valid", "page": 2})
    assert page2.context["page"].number == 2
    assert len(page2.context["page"]) == 2


def test_officer_list_answers_htmx_search_with_the_results_partial_only(
    personas: Personas,
) -> None:
    response = client_for(personas.officer).get(
        reverse("officer_list"), {"q": "李"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "李执法" in html
    assert "张执法" not in html
    assert "HX-Request" in response["Vary"]


def test_officer_list_gives_the_whole_page_on_htmx_history_restore(personas: Personas) -> None:
    response = client_for(personas.officer).get(
        reverse("officer_list"),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_officer_of_agency_b_gets_404_for_officer_of_agency_a(personas: Personas) -> None:
    url = reverse("officer_detail", kwargs={"pk": personas.officer_record.pk})
    assert client_for(personas.officer_b).get(url).status_code == 404


def test_officer_detail_shows_certificate_history_and_training(personas: Personas) -> None:
    url = reverse("officer_detail", kwargs={"pk": personas.officer_record.pk})
    html = client_for(personas.officer).get(url).content.decode()
    assert "130300000001" in html
    assert "有效" in html
    assert "导入" in html  # the reason of the first history entry
    assert "2025" in html
    assert "公共 30 + 专业 30 学时" in html
    assert "甲区市场监管局法制审核科" not in html  # 张执法 is not review staff


def test_officer_detail_masks_id_number_and_phone_for_non_admin(personas: Personas) -> None:
    record = personas.officer_record
    url = reverse("officer_detail", kwargs={"pk": record.pk})
    html = client_for(personas.officer).get(url).content.decode()
    assert f"{record.id_number[:6]}********{record.id_number[-4:]}" in html
    assert record.id_number not in html
    assert "138****0001" in html
    assert record.phone not in html


def test_officer_detail_shows_full_id_number_to_admin(personas: Personas) -> None:
    record = personas.officer_record
    url = reverse("officer_detail", kwargs={"pk": record.pk})
    html = client_for(personas.admin).get(url).content.decode()
    assert record.id_number in html
    assert record.phone in html


def test_eligibility_form_lists_the_expiry_reason_for_expired_officer(personas: Personas) -> None:
    officer = personas.expired_officer.officer
    assert officer is not None
    url = reverse("officer_detail", kwargs={"pk": officer.pk})
    response = client_for(personas.officer).get(url, {"domain": "market", "on": "2026-11-20"})
    html = response.content.decode()
    assert "不能在“市场监管”领域执法" in html
    assert "证件130300000003已于2026-06-30过期" in html
    assert "《行政处罚法》第四十二条" in html


def test_eligibility_defaults_to_today_and_the_certificate_domain(personas: Personas) -> None:
    url = reverse("officer_detail", kwargs={"pk": personas.officer_record.pk})
    response = client_for(personas.officer).get(url)
    html = response.content.decode()
    assert 'value="2026-11-20"' in html
    assert "张执法 在 2026-11-20 可以在“市场监管”领域执法（证件 130300000001）" in html


# -- certificate status ------------------------------------------------------------------


def test_admin_suspends_a_certificate_and_the_history_records_it(personas: Personas) -> None:
    cert = certificate_of(personas.officer)
    client = client_for(personas.admin)
    response = client.post(
        reverse("certificate_status_change", kwargs={"pk": cert.pk}),
        {
            f"cert{cert.pk}-to_status": "suspended",
            f"cert{cert.pk}-reason": "涉嫌违法，暂扣待查",
            f"cert{cert.pk}-effective_on": "2026-11-20",
        },
        follow=True,
    )
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.SUSPENDED
    last = list(selectors.certificate_history(cert))[-1]
    assert (last.from_status, last.to_status, last.changed_by) == (
        "valid",
        "suspended",
        personas.admin,
    )
    html = response.content.decode()
    assert "证件130300000001的状态已变更为“暂扣”" in html
    assert "涉嫌违法，暂扣待查" in html


def test_refused_status_change_shows_the_rule_and_changes_nothing(personas: Personas) -> None:
    cert = certificate_of(personas.officer)
    services.certificate_status_change(
        actor=personas.admin,
        certificate=cert,
        to_status=Certificate.Status.CANCELLED,
        reason="调离",
        effective_on=date(2026, 11, 1),
    )
    before = CertificateStatusChange.objects.filter(certificate=cert).count()
    response = client_for(personas.admin).post(
        reverse("certificate_status_change", kwargs={"pk": cert.pk}),
        {
            f"cert{cert.pk}-to_status": "valid",
            f"cert{cert.pk}-reason": "恢复",
            f"cert{cert.pk}-effective_on": "2026-11-20",
        },
        follow=True,
    )
    assert "证件状态不能从“注销”变为“有效”" in response.content.decode()
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.CANCELLED
    assert CertificateStatusChange.objects.filter(certificate=cert).count() == before


def test_non_admin_cannot_change_a_certificate_status(personas: Personas) -> None:
    cert = certificate_of(personas.officer2)
    response = client_for(personas.head).post(
        reverse("certificate_status_change", kwargs={"pk": cert.pk}),
        {
            f"cert{cert.pk}-to_status": "revoked",
            f"cert{cert.pk}-reason": "x",
            f"cert{cert.pk}-effective_on": "2026-11-20",
        },
    )
    assert response.status_code == 403
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.VALID


def test_officer_of_agency_b_gets_404_changing_agency_a_certificate(personas: Personas) -> None:
    cert = certificate_of(personas.officer)
    url = reverse("certificate_status_change", kwargs={"pk": cert.pk})
    assert client_for(personas.officer_b).post(url, {}).status_code == 404


def test_status_change_is_post_only(personas: Personas) -> None:
    cert = certificate_of(personas.officer)
    url = reverse("certificate_status_change", kwargs={"pk": cert.pk})
    assert client_for(personas.admin).get(url).status_code == 405


def test_status_form_offers_only_allowed_moves_and_only_to_admins(personas: Personas) -> None:
    url = reverse("officer_detail", kwargs={"pk": personas.officer_record.pk})
    admin_html = client_for(personas.admin).get(url).content.decode()
    assert "变更状态" in admin_html
    assert '<option value="suspended">暂扣</option>' in admin_html
    assert '<option value="applied">' not in admin_html
    assert "变更状态" not in client_for(personas.officer).get(url).content.decode()


# -- power list --------------------------------------------------------------------------


def test_power_item_list_searches_and_filters(personas: Personas) -> None:
    make_power_item(personas)
    client = client_for(personas.officer)
    assert len(client.get(reverse("power_item_list"), {"q": "不合格"}).context["page"]) == 1
    assert len(client.get(reverse("power_item_list"), {"q": "330217001000"}).context["page"]) == 1
    assert (
        len(client.get(reverse("power_item_list"), {"category": "licensing"}).context["page"]) == 0
    )
    assert len(client.get(reverse("power_item_list"), {"random": "1"}).context["page"]) == 1
    assert len(client.get(reverse("power_item_list"), {"random": "0"}).context["page"]) == 0
    assert len(client.get(reverse("power_item_list"), {"status": "draft"}).context["page"]) == 0


def test_supervisor_sees_power_items_and_officer_b_does_not(personas: Personas) -> None:
    make_power_item(personas)
    assert (
        "对销售不合格产品"
        in client_for(personas.supervisor).get(reverse("power_item_list")).content.decode()
    )
    assert (
        "对销售不合格产品"
        not in client_for(personas.officer_b).get(reverse("power_item_list")).content.decode()
    )


def test_officer_of_agency_b_gets_404_for_agency_a_power_item(personas: Personas) -> None:
    item = make_power_item(personas)
    url = reverse("power_item_detail", kwargs={"pk": item.pk})
    assert client_for(personas.officer_b).get(url).status_code == 404
    for name in ("power_item_publish", "power_item_repeal", "power_item_revise"):
        response = client_for(personas.officer_b).post(reverse(name, kwargs={"pk": item.pk}))
        assert response.status_code == 404


def test_power_item_detail_shows_bases_flowchart_and_versions(personas: Personas) -> None:
    item = make_power_item(personas)
    html = (
        client_for(personas.officer)
        .get(reverse("power_item_detail", kwargs={"pk": item.pk}))
        .content.decode()
    )
    assert "《中华人民共和国产品质量法》第四十九条" in html
    assert html.count('class="flow-step"') == 5
    assert "调查取证" in html
    assert "第 1 版（本页）" in html
    assert "admin-actions" not in html  # officers get no publish/repeal/revise


def test_admin_sees_repeal_and_revise_on_published_and_publish_on_draft(
    personas: Personas,
) -> None:
    published = make_power_item(personas)
    client = client_for(personas.admin)
    html = client.get(reverse("power_item_detail", kwargs={"pk": published.pk})).content.decode()
    assert reverse("power_item_repeal", kwargs={"pk": published.pk}) in html
    assert reverse("power_item_revise", kwargs={"pk": published.pk}) in html
    assert reverse("power_item_publish", kwargs={"pk": published.pk}) not in html
    draft = services.power_item_revise(actor=personas.admin, item=published, change_note="改名")
    html = client.get(reverse("power_item_detail", kwargs={"pk": draft.pk})).content.decode()
    assert reverse("power_item_publish", kwargs={"pk": draft.pk}) in html


def test_admin_revises_then_publishes_and_version_1_is_superseded(personas: Personas) -> None:
    v1 = make_power_item(personas)
    client = client_for(personas.admin)
    response = client.post(
        reverse("power_item_revise", kwargs={"pk": v1.pk}),
        {
            "name": "对销售不合格产品的行政处罚（修订）",
            "procedure_steps": "立案\n调查取证\n法制审核\n决定",
            "change_note": "增加法制审核环节",
        },
    )
    v2 = selectors.power_item_versions(v1).first()
    assert v2 is not None
    assert (v2.version, v2.status, v2.change_note) == (2, "draft", "增加法制审核环节")
    assert v2.procedure_steps == ["立案", "调查取证", "法制审核", "决定"]
    assert response["Location"] == reverse("power_item_detail", kwargs={"pk": v2.pk})

    html = client.get(response["Location"]).content.decode()
    assert "已创建第2版草稿" in html
    assert "第 1 版</a>" in html

    client.post(reverse("power_item_publish", kwargs={"pk": v2.pk}))
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.status == PowerItem.Status.SUPERSEDED
    assert v2.status == PowerItem.Status.PUBLISHED
    assert v2.published_on == date(2026, 11, 20)


def test_admin_repeals_a_published_item_with_a_reason(personas: Personas) -> None:
    item = make_power_item(personas)
    client = client_for(personas.admin)
    client.post(reverse("power_item_repeal", kwargs={"pk": item.pk}), {"reason": "法律修改"})
    item.refresh_from_db()
    assert item.status == PowerItem.Status.REPEALED
    assert item.change_note == "2026-11-20 取消：法律修改"


def test_publishing_a_published_item_is_refused_with_the_rule(personas: Personas) -> None:
    item = make_power_item(personas)
    response = client_for(personas.admin).post(
        reverse("power_item_publish", kwargs={"pk": item.pk}), follow=True
    )
    assert "“已发布”的事项不能发布" in response.content.decode()


def test_non_admin_cannot_publish_revise_or_repeal(personas: Personas) -> None:
    draft = make_power_item(personas, publish=False)
    client = client_for(personas.head)
    for name in ("power_item_publish", "power_item_repeal", "power_item_revise"):
        response = client.post(reverse(name, kwargs={"pk": draft.pk}), {"reason": "x"})
        assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == PowerItem.Status.DRAFT


# -- public certificate check ------------------------------------------------------------


def test_public_check_shows_certificate_without_id_number_or_phone(personas: Personas) -> None:
    record = personas.officer_record
    response = Client().get(reverse("certificate_check"), {"q": "130300000001"})
    html = response.content.decode()
    assert "张执法" in html
    assert "示范市甲区市场监督管理局" in html
    assert "行政执法证" in html
    assert "市场监管" in html
    assert "2029-12-31" in html
    assert "有效" in html
    assert record.id_number not in html
    assert record.id_number[-4:] not in html
    assert record.phone not in html


def test_public_check_shows_an_expired_certificate_as_expired_in_red_not_as_valid(
    personas: Personas,
) -> None:
    # 王过期's certificate is stored as 有效 but expired on 2026-06-30; today is 2026-11-20.
    html = Client().get(reverse("certificate_check"), {"q": "王过期"}).content.decode()
    assert 'class="badge badge-expired">已过期<' in html
    assert "badge-valid" not in html and ">有效<" not in html
    assert "certificate-expired" in html  # the card's red frame
    assert "此证件已于2026-06-30到期，已过期，持证人不得凭此证件执法。" in html


def test_public_check_shows_a_certificate_valid_through_its_expiry_day(
    personas: Personas,
) -> None:
    with time_machine.travel(datetime(2026, 6, 30, 22, tzinfo=ZoneInfo("Asia/Shanghai"))):
        html = Client().get(reverse("certificate_check"), {"q": "王过期"}).content.decode()
    assert 'class="badge badge-valid">有效<' in html and "已过期" not in html


def test_public_check_shows_a_suspended_certificate_past_its_expiry_as_expired(
    personas: Personas,
) -> None:
    services.certificate_status_change(
        actor=personas.admin,
        certificate=certificate_of(personas.expired_officer),
        to_status=Certificate.Status.SUSPENDED,
        reason="暂扣",
        effective_on=date(2026, 5, 1),
    )
    html = Client().get(reverse("certificate_check"), {"q": "王过期"}).content.decode()
    assert 'class="badge badge-expired">已过期<' in html and "暂扣" not in html


def test_public_check_finds_an_officer_by_exact_name(personas: Personas) -> None:
    html = Client().get(reverse("certificate_check"), {"q": "周乙区"}).content.decode()
    assert "130300000006" in html
    assert "示范市乙区生态环境分局" in html


def test_public_check_finds_nothing_for_a_made_up_number(personas: Personas) -> None:
    html = Client().get(reverse("certificate_check"), {"q": "999999999999"}).content.decode()
    assert "没有找到与“999999999999”相符的执法证件" in html
    assert "张执法" not in html


def test_public_check_does_not_match_partial_names(personas: Personas) -> None:
    html = Client().get(reverse("certificate_check"), {"q": "张"}).content.decode()
    assert "张执法" not in html


# -- assets ------------------------------------------------------------------------------


def test_stylesheet_and_vendored_htmx_are_found_by_staticfiles() -> None:
    # zhifa/static/ is not inside an app: settings must list it in STATICFILES_DIRS.
    assert finders.find("css/zhifa.css")
    assert finders.find("vendor/htmx.min.js")


def test_pages_load_no_script_or_stylesheet_from_another_site() -> None:
    html = Client().get(reverse("home")).content.decode()
    assert "/static/vendor/htmx.min.js" in html
    assert "/static/css/zhifa.css" in html
    assert "https://" not in html
    assert "//cdn" not in html


def test_every_page_names_a_favicon_served_from_this_site() -> None:
    html = Client().get(reverse("home")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    found = finders.find("favicon.svg")
    assert isinstance(found, str)
    with open(found, "rb") as icon:
        assert icon.read().lstrip().startswith(b"<svg")
    response = Client().get("/static/favicon.svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
