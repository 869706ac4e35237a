"""The public portal before enforcement (/public/): what a citizen sees without logging in.

Only what is in force is shown (active bodies, published versions); never an officer's phone
or 身份证号码; every page says when its data last changed and answers conditional requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils.http import http_date

from zhifa.core.testing import Personas, credit_code, id_number, make_personas
from zhifa.registry import services
from zhifa.registry.models import (
    Agency,
    Certificate,
    DiscretionBenchmark,
    LenientListItem,
    Officer,
    PowerItem,
    RandomInspectionItem,
)
from zhifa.registry.services import Basis, Grade

NOW = datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
LAST_UPDATED = "最后更新：2026年11月20日"
INSPECTION_STEPS = ["检查准备", "实施检查", "制作检查记录", "结果处理", "结果公示"]


@dataclass
class Portal:
    p: Personas
    inspection: PowerItem  # published 行政检查 of A
    penalty: PowerItem  # published 行政处罚 of A
    draft: PowerItem  # draft of A
    repealed: PowerItem  # repealed of A
    other: PowerItem  # published of B
    suspended_agency: Agency
    hidden: PowerItem  # published, of the suspended agency
    inspection_row: RandomInspectionItem  # published
    withdrawn_row: RandomInspectionItem
    draft_row: RandomInspectionItem
    benchmark: DiscretionBenchmark  # published
    withdrawn_benchmark: DiscretionBenchmark
    lenient: LenientListItem  # published 不予处罚
    draft_lenient: LenientListItem  # draft 从轻处罚


def power(
    p: Personas,
    agency: Agency,
    code: str,
    name: str,
    category: str,
    *,
    publish: bool = True,
    steps: list[str] | None = None,
) -> PowerItem:
    item = services.power_item_create(
        actor=p.admin,
        agency=agency,
        code=code,
        name=name,
        category=category,
        domain=p.domain if agency == p.agency_a else p.other_domain,
        implementing_level=Agency.Level.COUNTY,
        bases=[Basis("中华人民共和国食品安全法", "第一百一十条", "县级以上人民政府……")],
        procedure_steps=steps or ["立案", "调查取证", "决定"],
    )
    if publish:
        item = services.power_item_publish(actor=p.admin, item=item, on=date(2025, 3, 1))
    return item


def build_portal(p: Personas) -> Portal:
    """The registry of the personas plus every kind of public listing, in force and not."""
    a, admin = p.agency_a, p.admin
    services.agency_public_info_set(
        actor=admin,
        agency=a,
        authority_basis="《中华人民共和国食品安全法》第六条",
        supervision="接受示范市甲区人民政府和司法局的监督。",
        reconsideration_body="示范市甲区人民政府",
        litigation_court="示范市甲区人民法院",
        complaint_channels="12315 热线；来信：示范市甲区人民路1号。",
    )
    inspection = power(
        p, a, "XZJC-1", "对食品生产经营的监督检查", "inspection", steps=INSPECTION_STEPS
    )
    penalty = power(p, a, "XZCF-1", "对未按规定建立进货查验记录的处罚", "penalty")
    draft = power(p, a, "XZCF-2", "草拟中的处罚事项", "penalty", publish=False)
    repealed = services.power_item_repeal(
        actor=admin,
        item=power(p, a, "XZCF-3", "已取消的处罚事项", "penalty"),
        reason="法律修改",
        on=date(2025, 6, 1),
    )
    other = power(p, p.agency_b, "HJCF-1", "对超标排放大气污染物的处罚", "penalty")
    suspended_agency = services.agency_create(
        actor=admin,
        name="示范市丙区暂停主体",
        credit_code=credit_code(9, division="130304"),
        level=Agency.Level.COUNTY,
        division_code="130304",
        kind=Agency.Kind.STATUTORY,
        domains=[p.domain],
    )
    hidden = power(p, suspended_agency, "XZCF-9", "暂停主体的事项", "penalty")
    services.agency_status_change(
        actor=admin, agency=suspended_agency, to_status=Agency.Status.SUSPENDED
    )

    def row(content: str) -> RandomInspectionItem:
        return services.inspection_item_create(
            actor=admin,
            agency=a,
            power_item=inspection,
            category="key",
            subjects="本辖区食品经营者",
            content=content,
            method="双随机抽查",
            ratio_frequency="每年不低于5%",
            basis="《中华人民共和国食品安全法》第一百一十条",
        )

    inspection_row = services.inspection_item_publish(
        actor=admin, item=row("进货查验记录的建立和执行"), on=date(2025, 3, 1)
    )
    withdrawn_row = services.inspection_item_withdraw(
        actor=admin,
        item=services.inspection_item_publish(
            actor=admin, item=row("已撤回的抽查内容"), on=date(2025, 3, 1)
        ),
        reason="并入其他事项",
        on=date(2025, 9, 1),
    )
    draft_row = row("尚未公布的抽查内容")

    def benchmark(violation: str) -> DiscretionBenchmark:
        return services.discretion_benchmark_create(
            actor=admin,
            agency=a,
            issuer=a.name,
            domain=p.domain,
            power_item=penalty,
            violation=violation,
            basis="《中华人民共和国食品安全法》第一百二十六条",
            grades=[
                Grade("no_penalty", "初次违法且及时改正", "不予处罚"),
                Grade("lighter", "主动改正", "处五千元以上一万八千五百元以下罚款",
                      Decimal(5000), Decimal(18500)),
                Grade("standard", "无从轻从重情节", "处一万八千五百元以上三万六千五百元以下罚款",
                      Decimal(18500), Decimal(36500)),
            ],
        )  # fmt: skip

    published_benchmark = services.discretion_benchmark_publish(
        actor=admin, benchmark=benchmark("未按规定建立进货查验记录"), on=date(2025, 3, 1)
    )
    withdrawn_benchmark = services.discretion_benchmark_withdraw(
        actor=admin, benchmark=benchmark("已撤回的违法行为"), reason="废止", on=date(2025, 4, 1)
    )
    lenient = services.lenient_item_publish(
        actor=admin,
        item=services.lenient_item_create(
            actor=admin,
            kind="no_penalty",
            region_code="130300",
            issuer="示范市市场监督管理局",
            domain=p.domain,
            violation="未在首页公示营业执照信息",
            basis="《中华人民共和国行政处罚法》第三十三条第一款",
            conditions="首次违法，及时改正",
            standard="不予行政处罚",
        ),
        on=date(2025, 3, 1),
    )
    draft_lenient = services.lenient_item_create(
        actor=admin,
        kind="lighter",
        agency=a,
        issuer=a.name,
        domain=p.domain,
        violation="尚未公布的从轻情形",
        basis="《中华人民共和国行政处罚法》第三十二条",
        conditions="主动消除危害后果",
        standard="从轻处罚",
    )
    return Portal(
        p=p,
        inspection=inspection,
        penalty=penalty,
        draft=draft,
        repealed=repealed,
        other=other,
        suspended_agency=suspended_agency,
        hidden=hidden,
        inspection_row=inspection_row,
        withdrawn_row=withdrawn_row,
        draft_row=draft_row,
        benchmark=published_benchmark,
        withdrawn_benchmark=withdrawn_benchmark,
        lenient=lenient,
        draft_lenient=draft_lenient,
    )


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def portal(db: None, clock: time_machine.Coordinates) -> Portal:
    return build_portal(make_personas())


def page(url: str, client: Client | None = None) -> str:
    response = (client or Client()).get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def every_url(portal: Portal) -> list[str]:
    return [
        "/public/",
        "/public/agencies/",
        f"/public/agencies/{portal.p.agency_a.pk}/",
        "/public/officers/",
        "/public/powers/",
        f"/public/powers/{portal.inspection.pk}/",
        "/public/inspection-items/",
        "/public/discretion/",
        "/public/lenient-lists/",
    ]


# -- every page, anonymous ---------------------------------------------------------------


def test_every_public_page_opens_without_login_and_states_when_it_was_last_updated(
    portal: Portal,
) -> None:
    for url in every_url(portal):
        html = page(url)
        assert LAST_UPDATED in html, url
        assert 'name="viewport"' in html
        assert 'href="#main"' in html  # the skip link


def test_no_public_page_shows_an_officers_phone_or_id_number(portal: Portal) -> None:
    secrets = [
        value
        for officer in Officer.objects.all()
        for value in (officer.id_number, officer.phone)
        if value
    ]
    assert secrets
    for url in [*every_url(portal), "/public/officers/?q=张执法", "/check/?q=张执法"]:
        html = page(url)
        for secret in secrets:
            assert secret not in html, (url, secret)


def test_portal_home_links_to_every_list_the_decisions_and_the_certificate_check(
    portal: Portal,
) -> None:
    html = page("/public/")
    for href in [
        "/public/agencies/",
        "/public/officers/",
        "/public/powers/",
        "/public/inspection-items/",
        "/public/discretion/",
        "/public/lenient-lists/",
        "/public/decisions/",
        'action="/check/"',
    ]:
        assert href in html
    assert '<label class="field grow" for="lookup-q">' in html


# -- enforcement bodies ---------------------------------------------------------------------


def test_agency_list_shows_active_bodies_only(portal: Portal) -> None:
    html = page("/public/agencies/")
    assert "示范市甲区市场监督管理局" in html
    assert "示范市乙区生态环境分局" in html
    assert "示范市丙区暂停主体" not in html


def test_agency_list_filters_by_division_and_domain(portal: Portal) -> None:
    html = page("/public/agencies/?division=130303")
    assert "示范市乙区生态环境分局" in html
    assert "示范市甲区市场监督管理局" not in html
    html = page("/public/agencies/?division=130300&domain=market")
    assert "示范市甲区市场监督管理局" in html
    assert "示范市乙区生态环境分局" not in html


def test_agency_list_says_so_for_an_invalid_division_code(portal: Portal) -> None:
    html = page("/public/agencies/?division=12")
    assert 'class="error"' in html
    assert "示范市甲区市场监督管理局" in html  # the filter is ignored, not the page


def test_agency_list_paginates(portal: Portal, settings: object) -> None:
    settings.PAGE_SIZE = 1  # type: ignore[attr-defined]
    first, second = page("/public/agencies/"), page("/public/agencies/?page=2")
    assert "示范市甲区市场监督管理局" in first and "示范市甲区市场监督管理局" not in second
    assert "示范市乙区生态环境分局" in second
    assert "共 2 条" in first


def test_agency_page_states_duties_powers_supervision_remedies_and_complaints(
    portal: Portal,
) -> None:
    html = page(f"/public/agencies/{portal.p.agency_a.pk}/")
    for text in [
        "示范市甲区市场监督管理局",
        "《中华人民共和国食品安全法》第六条",  # 法定职权依据
        "对食品生产经营的监督检查",  # its published powers
        "对未按规定建立进货查验记录的处罚",
        "接受示范市甲区人民政府和司法局的监督。",
        "向示范市甲区人民政府申请行政复议",
        "《行政复议法》第二十条",
        "向示范市甲区人民法院提起行政诉讼",
        "《行政诉讼法》第四十六条",
        "12315 热线",
        "4 人",  # officers of A holding a certificate in force (not 王过期's, expired)
    ]:
        assert text in html, text
    for text in ["草拟中的处罚事项", "已取消的处罚事项", "对超标排放大气污染物的处罚"]:
        assert text not in html, text


def test_a_suspended_bodys_page_is_not_found(portal: Portal) -> None:
    assert Client().get(f"/public/agencies/{portal.suspended_agency.pk}/").status_code == 404
    assert Client().get("/public/agencies/999999/").status_code == 404


# -- officers -------------------------------------------------------------------------------


def test_officer_list_shows_name_agency_certificate_domain_region_and_validity(
    portal: Portal,
) -> None:
    html = page("/public/officers/")
    for text in ["张执法", "示范市甲区市场监督管理局", "130300000001", "行政执法证", "市场监管"]:
        assert text in html, text
    assert "130302" in html and "2029-12-31" in html


def test_officer_list_leaves_out_a_certificate_expired_by_today_as_its_text_says(
    portal: Portal,
) -> None:
    html = page("/public/officers/")
    assert "持有有效或暂扣、且在有效期内的执法证件" in html and "已过期的证件不列出" in html
    assert "张执法" in html and "王过期" not in html  # expired 2026-06-30
    assert "没有符合条件的执法人员" in page("/public/officers/?q=王过期")


def test_officer_list_shows_a_certificate_on_its_expiry_day_and_drops_it_the_next_day(
    portal: Portal, clock: time_machine.Coordinates
) -> None:
    clock.move_to(datetime(2026, 6, 30, 23, tzinfo=ZoneInfo("Asia/Shanghai")))
    html = page("/public/officers/?q=王过期")
    assert "130300000003" in html and 'class="badge badge-valid">有效<' in html
    cached = Client().get("/public/officers/")
    clock.move_to(datetime(2026, 7, 1, 8, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert "王过期" not in page("/public/officers/")
    # The list changed at midnight without any status change: no 304 for yesterday's copy.
    assert Client().get("/public/officers/", HTTP_IF_NONE_MATCH=cached["ETag"]).status_code == 200
    again = Client().get("/public/officers/", HTTP_IF_MODIFIED_SINCE=cached["Last-Modified"])
    assert again.status_code == 200


def test_officer_list_finds_by_certificate_number_and_name_prefix(portal: Portal) -> None:
    html = page("/public/officers/?q=130300000002")
    assert "李执法" in html and "张执法" not in html
    html = page("/public/officers/?q=张")
    assert "张执法" in html and "李执法" not in html


def test_officer_list_leaves_out_cancelled_certificates_and_officers_who_left(
    portal: Portal,
) -> None:
    officer = Officer.objects.get(name="李执法")
    services.officer_leave(actor=portal.p.admin, officer=officer, reason="调离", on=NOW.date())
    html = page("/public/officers/")
    assert "李执法" not in html and "张执法" in html


def test_officer_list_filters_by_agency(portal: Portal) -> None:
    html = page(f"/public/officers/?agency={portal.p.agency_b.pk}")
    assert "张执法" not in html
    assert "示范市乙区生态环境分局" in html


def test_applied_certificates_are_not_listed(portal: Portal) -> None:
    officer = services.officer_create(
        actor=portal.p.admin,
        agency=portal.p.agency_a,
        name="孙申领",
        id_number=id_number(91),
    )
    services.certificate_register(
        actor=portal.p.admin,
        officer=officer,
        number="130399000077",
        kind=Certificate.Kind.ENFORCEMENT,
        domains=[portal.p.domain],
        region_code="130302",
        effective_on=NOW.date(),
    )
    assert "孙申领" not in page("/public/officers/?q=孙")


# -- power list -----------------------------------------------------------------------------


def test_power_list_shows_published_items_of_active_bodies_only(portal: Portal) -> None:
    html = page("/public/powers/")
    assert "对食品生产经营的监督检查" in html
    assert "对超标排放大气污染物的处罚" in html
    for text in ["草拟中的处罚事项", "已取消的处罚事项", "暂停主体的事项"]:
        assert text not in html, text


def test_power_list_filters_by_category_and_domain(portal: Portal) -> None:
    html = page("/public/powers/?category=inspection")
    assert "对食品生产经营的监督检查" in html and "对未按规定建立进货查验记录的处罚" not in html
    html = page("/public/powers/?domain=environment")
    assert "对超标排放大气污染物的处罚" in html and "对食品生产经营的监督检查" not in html


def test_power_item_page_shows_basis_flowchart_and_service_guide(portal: Portal) -> None:
    html = page(f"/public/powers/{portal.inspection.pk}/")
    assert "《中华人民共和国食品安全法》第一百一十条" in html
    assert 'class="flow" aria-label="办理流程图"' in html
    for step in INSPECTION_STEPS:
        assert f"</span>{step}</li>" in html
    assert "办事指南" in html and "办理机关" in html and "不收费" in html


def test_a_licensing_item_states_its_statutory_time_limit_and_fee_rule(portal: Portal) -> None:
    item = power(portal.p, portal.p.agency_a, "XZXK-1", "食品经营许可", "licensing")
    html = page(f"/public/powers/{item.pk}/")
    assert "20工作日（《行政许可法》第四十二条）" in html
    assert "《行政许可法》第五十八条" in html


@pytest.mark.parametrize("which", ["draft", "repealed", "hidden"])
def test_power_items_not_in_force_have_no_public_page(portal: Portal, which: str) -> None:
    item = getattr(portal, which)
    assert Client().get(f"/public/powers/{item.pk}/").status_code == 404


def test_a_superseded_version_has_no_public_page_and_the_new_one_has(portal: Portal) -> None:
    new = services.power_item_publish(
        actor=portal.p.admin,
        item=services.power_item_revise(
            actor=portal.p.admin, item=portal.penalty, change_note="改名", name="改名后的处罚"
        ),
        on=NOW.date(),
    )
    assert Client().get(f"/public/powers/{portal.penalty.pk}/").status_code == 404
    assert "改名后的处罚" in page(f"/public/powers/{new.pk}/")


# -- listings -------------------------------------------------------------------------------


def test_inspection_list_shows_published_rows_only(portal: Portal) -> None:
    html = page("/public/inspection-items/")
    assert "进货查验记录的建立和执行" in html
    assert "重点检查事项" in html and "每年不低于5%" in html
    assert "已撤回的抽查内容" not in html and "尚未公布的抽查内容" not in html
    assert f"/public/powers/{portal.inspection.pk}/" in html


def test_inspection_rows_follow_their_power_item_to_its_new_version(portal: Portal) -> None:
    new = services.power_item_publish(
        actor=portal.p.admin,
        item=services.power_item_revise(
            actor=portal.p.admin, item=portal.inspection, change_note="更新流程"
        ),
        on=NOW.date(),
    )
    html = page("/public/inspection-items/")
    assert "进货查验记录的建立和执行" in html and f"/public/powers/{new.pk}/" in html


def test_inspection_rows_of_a_repealed_power_item_leave_the_list(portal: Portal) -> None:
    services.power_item_repeal(
        actor=portal.p.admin, item=portal.inspection, reason="取消", on=NOW.date()
    )
    assert "进货查验记录的建立和执行" not in page("/public/inspection-items/")


def test_discretion_page_shows_published_benchmarks_with_their_grades(portal: Portal) -> None:
    html = page("/public/discretion/")
    assert "未按规定建立进货查验记录" in html
    for text in ["不予处罚", "从轻处罚", "一般处罚", "初次违法且及时改正", "18500.00"]:
        assert text in html, text
    assert "已撤回的违法行为" not in html
    assert "<caption>" in html and 'scope="row"' in html


def test_discretion_page_filters_by_violation(portal: Portal) -> None:
    assert "未按规定建立进货查验记录" not in page("/public/discretion/?q=排放")


def test_lenient_lists_show_published_rows_and_say_which_lists_are_not_yet_published(
    portal: Portal,
) -> None:
    html = page("/public/lenient-lists/")
    assert "未在首页公示营业执照信息" in html
    assert "尚未公布的从轻情形" not in html
    assert "轻微不罚（不予处罚）清单</strong>：<a" in html
    assert "从轻处罚清单</strong>：尚未公布" in html
    assert "首违不罚清单</strong>：尚未公布" in html
    assert "减轻处罚清单</strong>：尚未公布" in html


def test_lenient_lists_say_not_yet_published_when_there_are_none(db: None) -> None:
    with time_machine.travel(NOW, tick=False):
        make_personas()
        html = page("/public/lenient-lists/")
    assert html.count("尚未公布") >= 3
    assert "最后更新：尚未公布" not in html  # the bodies' data still dates the page


# -- caching --------------------------------------------------------------------------------


def test_pages_are_cacheable_with_last_modified_and_answer_304_when_unchanged(
    portal: Portal,
) -> None:
    for url in every_url(portal):
        response = Client().get(url)
        assert response["Last-Modified"] == http_date(NOW.timestamp()), url
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
        assert "csrftoken" not in response.cookies
        again = Client().get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert again.status_code == 304, url
        assert again["Last-Modified"] == response["Last-Modified"]
        tagged = Client().get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert tagged.status_code == 304, url


def test_a_change_makes_the_page_newer_than_the_cached_copy(
    portal: Portal, clock: time_machine.Coordinates
) -> None:
    cached = Client().get("/public/inspection-items/")
    clock.shift(timedelta(days=1))
    services.inspection_item_withdraw(
        actor=portal.p.admin, item=portal.inspection_row, reason="调整", on=date(2026, 11, 21)
    )
    response = Client().get(
        "/public/inspection-items/", HTTP_IF_MODIFIED_SINCE=cached["Last-Modified"]
    )
    assert response.status_code == 200
    assert "最后更新：2026年11月21日" in response.content.decode()


def test_a_repeal_without_a_timestamp_still_changes_the_etag(
    portal: Portal, clock: time_machine.Coordinates
) -> None:
    cached = Client().get("/public/powers/")
    services.power_item_repeal(
        actor=portal.p.admin, item=portal.penalty, reason="取消", on=NOW.date()
    )
    response = Client().get("/public/powers/", HTTP_IF_NONE_MATCH=cached["ETag"])
    assert response.status_code == 200
    assert "对未按规定建立进货查验记录的处罚" not in response.content.decode()


def test_a_logged_in_visitor_gets_a_private_copy(portal: Portal) -> None:
    client = Client()
    client.force_login(portal.p.officer)
    response = client.get("/public/")
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


# -- speed: a fixed number of queries, whatever the data -------------------------------------


def test_list_pages_do_not_query_per_row(portal: Portal, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for n in range(5):  # more of everything than one of each
        item = power(portal.p, portal.p.agency_a, f"XZJC-X{n}", f"检查{n}", "inspection")
        services.inspection_item_publish(
            actor=portal.p.admin,
            item=services.inspection_item_create(
                actor=portal.p.admin,
                agency=portal.p.agency_a,
                power_item=item,
                category="general",
                subjects="对象",
                content=f"内容{n}",
                method="双随机",
                basis="依据",
            ),
            on=NOW.date(),
        )
    limits = {
        "/public/": 8,
        "/public/agencies/": 6,
        f"/public/agencies/{portal.p.agency_a.pk}/": 9,
        "/public/officers/": 8,
        "/public/powers/": 7,
        f"/public/powers/{portal.inspection.pk}/": 5,
        "/public/inspection-items/": 7,
        "/public/discretion/": 7,
        "/public/lenient-lists/": 7,
    }
    client = Client()
    for url, limit in limits.items():
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200
