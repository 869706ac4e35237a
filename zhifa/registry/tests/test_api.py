"""The JSON API under /api/v1/: token auth, the same scope as the pages, Chinese answers."""

from __future__ import annotations

import re
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from zhifa.core.testing import Personas
from zhifa.registry import services
from zhifa.registry.models import Account, Certificate, PowerItem

pytestmark = pytest.mark.django_db

API = "/api/v1"


def bearer(account: Account) -> dict[str, str]:
    _, raw = services.api_token_issue(actor=account, name="测试")
    return {"Authorization": f"Bearer {raw}"}


def get(client: Client, path: str, account: Account, **params: Any) -> Any:
    return client.get(f"{API}{path}", params, headers=bearer(account))


def certificate_of(account: Account) -> Certificate:
    cert = Certificate.objects.filter(officer__account=account).first()
    assert cert is not None
    return cert


def change_status(client: Client, cert: Certificate, account: Account, to: str) -> Any:
    return client.post(
        f"{API}/certificates/{cert.pk}/status",
        {"to_status": to, "reason": "违规执法，暂扣证件", "effective_on": "2026-11-20"},
        content_type="application/json",
        headers=bearer(account),
    )


@pytest.fixture
def power_item(personas: Personas) -> PowerItem:
    """A published power item of agency A, revised once (version 2 is a draft)."""
    item = services.power_item_create(
        actor=personas.admin,
        agency=personas.agency_a,
        code="330217001000",
        name="对生产经营不符合食品安全标准的食品的行政处罚",
        category=PowerItem.Category.PENALTY,
        domain=personas.domain,
        implementing_level="county",
        bases=[services.Basis("中华人民共和国食品安全法", "第一百二十四条", "违反本法规定…")],
        procedure_steps=["立案", "调查取证", "告知", "决定", "送达"],
    )
    item = services.power_item_publish(actor=personas.admin, item=item, on=date(2026, 1, 5))
    services.power_item_revise(actor=personas.admin, item=item, change_note="依据修订")
    return item


# -- authentication -------------------------------------------------------------------------

GATED_GETS = [
    "/domains",
    "/agencies",
    "/agencies/1",
    "/officers",
    "/officers/1",
    "/officers/1/eligibility?domain=market&on=2026-07-01",
    "/certificates/1",
    "/power-items",
    "/power-items/1",
]


@pytest.mark.parametrize("path", GATED_GETS)
def test_anonymous_request_is_refused_with_401_in_chinese(
    client: Client, personas: Personas, path: str
) -> None:
    response = client.get(f"{API}{path}")
    assert response.status_code == 401
    assert "接口令牌" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_token_is_refused_with_401(client: Client, personas: Personas) -> None:
    response = client.get(f"{API}/officers", headers={"Authorization": "Bearer zf_not-a-token"})
    assert response.status_code == 401
    assert response.json() == {"detail": "接口令牌无效或已停用"}


def test_revoked_token_is_refused_with_401(client: Client, personas: Personas) -> None:
    token, raw = services.api_token_issue(actor=personas.officer, name="报送")
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get(f"{API}/officers", headers=headers).status_code == 200
    services.api_token_revoke(actor=personas.officer, token=token)
    response = client.get(f"{API}/officers", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"] == "接口令牌无效或已停用"


def test_token_of_a_deactivated_account_is_refused(client: Client, personas: Personas) -> None:
    headers = bearer(personas.officer)
    Account.objects.filter(pk=personas.officer.pk).update(is_active=False)
    assert client.get(f"{API}/officers", headers=headers).status_code == 401


def test_logged_in_browser_session_may_read(client: Client, personas: Personas) -> None:
    client.force_login(personas.officer)
    response = client.get(f"{API}/officers")
    assert response.status_code == 200
    assert {o["name"] for o in response.json()["results"]} >= {"张执法"}


def test_logged_in_browser_session_may_not_write(client: Client, personas: Personas) -> None:
    """Writes need a token, so no page can ride on an administrator's session (CSRF)."""
    client.force_login(personas.admin)
    cert = certificate_of(personas.officer)
    response = client.post(
        f"{API}/certificates/{cert.pk}/status",
        {"to_status": "suspended", "reason": "暂扣", "effective_on": "2026-11-20"},
        content_type="application/json",
    )
    assert response.status_code == 401
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.VALID


# -- scope ----------------------------------------------------------------------------------


def test_officer_of_agency_a_lists_only_agency_a_officers(
    client: Client, personas: Personas
) -> None:
    body = get(client, "/officers", personas.officer).json()
    names = {o["name"] for o in body["results"]}
    assert "张执法" in names
    assert "周乙区" not in names
    assert {o["agency_name"] for o in body["results"]} == {"示范市甲区市场监督管理局"}
    assert body["count"] == len(body["results"])


def test_officer_of_agency_b_gets_404_for_an_officer_of_agency_a(
    client: Client, personas: Personas
) -> None:
    officer_a = personas.officer_record
    not_yours = get(client, f"/officers/{officer_a.pk}", personas.officer_b)
    missing = get(client, "/officers/999999", personas.officer_b)
    assert not_yours.status_code == missing.status_code == 404
    assert not_yours.json() == missing.json() == {"detail": "未找到"}


def test_officer_of_agency_b_gets_404_for_eligibility_of_agency_a_officer(
    client: Client, personas: Personas
) -> None:
    officer_a = personas.officer_record
    response = get(
        client,
        f"/officers/{officer_a.pk}/eligibility",
        personas.officer_b,
        domain="market",
        on="2026-07-01",
    )
    assert response.status_code == 404


def test_supervisor_lists_officers_of_both_agencies(client: Client, personas: Personas) -> None:
    body = get(client, "/officers", personas.supervisor).json()
    assert {o["name"] for o in body["results"]} >= {"张执法", "周乙区"}
    detail = get(client, f"/officers/{personas.officer_record.pk}", personas.supervisor)
    assert detail.status_code == 200


def test_officer_list_filters_by_certificate_status_and_domain(
    client: Client, personas: Personas
) -> None:
    body = get(client, "/officers", personas.supervisor, domain="environment").json()
    assert [o["name"] for o in body["results"]] == ["周乙区"]
    services.certificate_status_change(
        actor=personas.admin,
        certificate=certificate_of(personas.officer2),
        to_status=Certificate.Status.SUSPENDED,
        reason="暂扣",
        effective_on=date(2026, 11, 1),
    )
    body = get(client, "/officers", personas.officer, certificate_status="suspended").json()
    assert [o["name"] for o in body["results"]] == ["李执法"]


def test_agency_list_is_scoped_paged_and_labelled(client: Client, personas: Personas) -> None:
    own = get(client, "/agencies", personas.officer).json()
    assert [a["name"] for a in own["results"]] == ["示范市甲区市场监督管理局"]
    agency = own["results"][0]
    assert agency["level"] == "county"
    assert agency["level_label"] == "县级"
    assert agency["status_label"] == "有效"
    assert agency["domains"] == [{"code": "market", "name": "市场监管"}]

    paged = get(client, "/agencies", personas.supervisor, page=2, page_size=1).json()
    assert paged["count"] == 2
    assert (paged["page"], paged["page_size"]) == (2, 1)
    assert [a["name"] for a in paged["results"]] == ["示范市乙区生态环境分局"]


def test_page_size_above_200_is_refused_with_422(client: Client, personas: Personas) -> None:
    response = get(client, "/agencies", personas.supervisor, page_size=201)
    assert response.status_code == 422
    assert response.json()["detail"] == "请求参数有误：page_size：不能大于 200"


def test_agency_detail_names_its_review_body_and_404s_for_another_agency(
    client: Client, personas: Personas
) -> None:
    detail = get(client, f"/agencies/{personas.agency_a.pk}", personas.officer).json()
    assert detail["review_body_name"] == "甲区市场监管局法制审核科"
    assert detail["kind_label"] == "法定行政机关"
    assert get(client, f"/agencies/{personas.agency_a.pk}", personas.officer_b).status_code == 404


def test_domains_lists_every_enforcement_domain(client: Client, personas: Personas) -> None:
    body = get(client, "/domains", personas.officer).json()
    assert {"code": "environment", "name": "生态环境"} in body
    assert {"code": "market", "name": "市场监管"} in body


# -- personal data --------------------------------------------------------------------------


def test_officer_sees_id_number_and_phone_masked(client: Client, personas: Personas) -> None:
    record = personas.officer_record
    detail = get(client, f"/officers/{record.pk}", personas.officer2).json()
    assert detail["id_number"] == f"{record.id_number[:6]}********{record.id_number[-4:]}"
    assert detail["phone"] == "138****0001"
    assert detail["personal_data_masked"] is True
    listed = get(client, "/officers", personas.supervisor).json()["results"]
    assert all("*" in o["id_number"] for o in listed)
    assert record.id_number not in str(listed)


def test_admin_sees_id_number_and_phone_in_full(client: Client, personas: Personas) -> None:
    record = personas.officer_record
    detail = get(client, f"/officers/{record.pk}", personas.admin).json()
    assert detail["id_number"] == record.id_number
    assert detail["phone"] == "13800130001"
    assert detail["personal_data_masked"] is False


def test_officer_detail_has_certificates_training_hours_and_exams(
    client: Client, personas: Personas
) -> None:
    record = personas.officer_record
    services.exam_result_add(
        actor=personas.admin,
        officer=record,
        name="2025年度行政执法资格考试",
        taken_on=date(2025, 9, 1),
        score=86,
        passed=True,
    )
    detail = get(client, f"/officers/{record.pk}", personas.officer).json()
    [cert] = detail["certificates"]
    assert cert["number"] == "130300000001"
    assert (cert["kind"], cert["kind_label"]) == ("enforcement", "行政执法证")
    assert (cert["status"], cert["status_label"]) == ("valid", "有效")
    assert cert["domains"] == [{"code": "market", "name": "市场监管"}]
    assert cert["region_code"] == "130302"
    assert (cert["issued_on"], cert["expires_on"]) == ("2023-01-01", "2029-12-31")
    hours = {(h["year"], h["kind_label"]): h["hours"] for h in detail["training_hours"]}
    assert hours[(2025, "公共法律知识")] == 30
    assert hours[(2025, "专业法律知识")] == 30
    assert detail["training_hours"][0]["year"] == 2026  # newest year first
    assert detail["exam_results"] == [
        {
            "name": "2025年度行政执法资格考试",
            "taken_on": "2025-09-01",
            "score": 86.0,
            "passed": True,
        }
    ]


# -- eligibility ----------------------------------------------------------------------------


def test_expired_officer_may_not_act_the_day_after_expiry(
    client: Client, personas: Personas
) -> None:
    assert personas.expired_officer.officer is not None
    path = f"/officers/{personas.expired_officer.officer.pk}/eligibility"
    after = get(client, path, personas.officer, domain="market", on="2026-07-01").json()
    assert after["allowed"] is False
    assert "证件130300000003已于2026-06-30过期" in after["reasons"]
    assert after["certificate_number"] == ""

    last_day = get(client, path, personas.officer, domain="market", on="2026-06-30").json()
    assert last_day == {
        "allowed": True,
        "reasons": [],
        "certificate_number": "130300000003",
        "domain": "market",
        "on": "2026-06-30",
        "region": "",
    }


def test_eligibility_checks_the_region_when_given(client: Client, personas: Personas) -> None:
    path = f"/officers/{personas.officer_record.pk}/eligibility"
    body = get(
        client, path, personas.officer, domain="market", on="2026-07-01", region="130303"
    ).json()
    assert body["allowed"] is False
    assert any("执法区域" in r for r in body["reasons"])


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"domain": "market", "on": "2026-13-01"}, ("on", "不是有效的日期：2026-13-01")),
        ({"domain": "nosuch", "on": "2026-07-01"}, ("domain", "未知的执法领域代码：nosuch")),
    ],
)
def test_eligibility_refuses_a_bad_date_or_unknown_domain_with_422(
    client: Client, personas: Personas, params: dict[str, str], message: tuple[str, str]
) -> None:
    path = f"/officers/{personas.officer_record.pk}/eligibility"
    response = get(client, path, personas.officer, **params)
    assert response.status_code == 422
    field, reason = message
    body = response.json()
    assert body["field"] == field and body["errors"] == {field: [reason]}
    assert body["detail"] == f"请求参数有误：{field}：{reason}"


# -- certificates ---------------------------------------------------------------------------


def test_admin_changes_certificate_status_and_it_appears_in_the_history(
    client: Client, personas: Personas
) -> None:
    cert = certificate_of(personas.officer)
    response = change_status(client, cert, personas.admin, "suspended")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_label"]) == ("suspended", "暂扣")

    detail = get(client, f"/certificates/{cert.pk}", personas.officer).json()
    last = detail["history"][-1]
    assert (last["from_status_label"], last["to_status_label"]) == ("有效", "暂扣")
    assert last["reason"] == "违规执法，暂扣证件"
    assert last["effective_on"] == "2026-11-20"
    assert last["changed_by"] == "系统管理员"
    assert last["changed_at"].endswith("+08:00")
    assert detail["history"][0]["reason"] == "导入"


def test_illegal_status_move_is_refused_with_409_naming_the_rule(
    client: Client, personas: Personas
) -> None:
    cert = certificate_of(personas.officer)
    services.certificate_status_change(
        actor=personas.admin,
        certificate=cert,
        to_status=Certificate.Status.CANCELLED,
        reason="离岗",
        effective_on=date(2026, 11, 1),
    )
    response = change_status(client, cert, personas.admin, "valid")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "证件状态不能从“注销”变为“有效”",
        "article": "",
        "field": "status",
    }
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.CANCELLED


def test_unknown_target_status_is_refused_with_422(client: Client, personas: Personas) -> None:
    response = change_status(client, certificate_of(personas.officer), personas.admin, "lost")
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "to_status" and body["detail"].startswith(
        "请求参数有误：to_status：须为"
    )


def test_non_admin_may_not_change_certificate_status(client: Client, personas: Personas) -> None:
    cert = certificate_of(personas.officer2)
    response = change_status(client, cert, personas.head, "suspended")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有本辖区的系统管理员可以维护执法主体、人员和权责清单"
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.VALID


def test_officer_of_agency_b_gets_404_for_a_certificate_of_agency_a(
    client: Client, personas: Personas
) -> None:
    cert = certificate_of(personas.officer)
    assert get(client, f"/certificates/{cert.pk}", personas.officer_b).status_code == 404
    assert change_status(client, cert, personas.officer_b, "suspended").status_code == 404


# -- power list -----------------------------------------------------------------------------


def test_power_item_list_is_scoped_and_filtered(
    client: Client, personas: Personas, power_item: PowerItem
) -> None:
    own = get(client, "/power-items", personas.officer, status="published").json()
    assert [(i["code"], i["version"]) for i in own["results"]] == [("330217001000", 1)]
    assert own["results"][0]["category_label"] == "行政处罚"
    assert get(client, "/power-items", personas.officer, random_inspection=True).json() == {
        "count": 0,
        "page": 1,
        "page_size": 50,
        "results": [],
    }
    assert get(client, "/power-items", personas.officer_b).json()["count"] == 0


def test_power_item_detail_has_bases_steps_and_versions(
    client: Client, personas: Personas, power_item: PowerItem
) -> None:
    detail = get(client, f"/power-items/{power_item.pk}", personas.officer).json()
    assert detail["legal_bases"] == [
        {
            "law": "中华人民共和国食品安全法",
            "article": "第一百二十四条",
            "text": "违反本法规定…",
            "citation": "《中华人民共和国食品安全法》第一百二十四条",
        }
    ]
    assert detail["procedure_steps"] == ["立案", "调查取证", "告知", "决定", "送达"]
    assert [(v["version"], v["status_label"]) for v in detail["versions"]] == [
        (2, "草稿"),
        (1, "已发布"),
    ]
    assert get(client, f"/power-items/{power_item.pk}", personas.officer_b).status_code == 404


# -- schema and docs ------------------------------------------------------------------------


def test_openapi_schema_lists_the_paths_and_the_bearer_scheme(client: Client) -> None:
    schema = client.get(f"{API}/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/agencies",
        "/api/v1/officers/{officer_id}/eligibility",
        "/api/v1/certificates/{certificate_id}/status",
        "/api/v1/power-items/{item_id}",
    ):
        assert path in schema["paths"]
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"} in schemes.values()
    assert {"TokenBearer": []} in schema["paths"]["/api/v1/officers"]["get"]["security"]


CDN_SCRIPT = re.compile(r"""<(script|link)[^>]+(src|href)=["']?(https?:)?//""", re.IGNORECASE)


def test_docs_page_loads_nothing_from_a_cdn(client: Client) -> None:
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    assert not CDN_SCRIPT.search(response.content.decode())
    assert "/api/v1/openapi.json" in response.content.decode()


def test_docs_page_uses_the_swagger_ui_bundled_with_ninja(client: Client) -> None:
    html = client.get(f"{API}/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
    assert not CDN_SCRIPT.search(html)


# -- the apitoken command -------------------------------------------------------------------


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("apitoken", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_apitoken_command_issues_a_token_that_works_until_revoked(
    client: Client, personas: Personas
) -> None:
    lines = run("issue", personas.officer.username, "--name", "统计报送")
    raw = lines[-1]
    headers = {"Authorization": f"Bearer {raw}"}
    response = client.get(f"{API}/officers", headers=headers)
    assert response.status_code == 200

    listing = run("list", personas.officer.username)
    assert any(raw[:8] in line and "统计报送" in line and "有效" in line for line in listing)

    run("revoke", raw[:8], "--as", personas.officer.username)
    assert client.get(f"{API}/officers", headers=headers).status_code == 401
    assert any("已停用" in line for line in run("list", personas.officer.username))


def test_apitoken_command_refuses_an_unknown_account_or_prefix(personas: Personas) -> None:
    with pytest.raises(CommandError, match="账号不存在"):
        run("issue", "nobody", "--name", "x")
    with pytest.raises(CommandError, match="没有前缀为"):
        run("revoke", "zf_xxxxx", "--as", personas.officer.username)
