"""In a real headless Chromium (Debian's): an officer starts a joint 双随机 task of three
agencies, freezes its pools, draws it once the record log has a signed head of the announced
size, and anyone verifies the published JSON with ``zhifa draw-verify`` (by its URL).
Run only these with ``pytest -m browser``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from zhifa.core.testing import PASSWORD, Personas, desktop_page
from zhifa.inspections.models import RandomTask
from zhifa.record.selectors import log_size
from zhifa.record.services import head_sign

from .draws_fixtures import Joint, grow_log, joint

pytestmark = pytest.mark.browser

NOW = datetime(2026, 9, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen(settings: Any) -> Iterator[None]:
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def world(transactional_db: None) -> tuple[Personas, Joint]:
    from zhifa.core.testing import make_personas

    personas = make_personas()
    return personas, joint(personas)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from desktop_page(browser)


def test_a_joint_task_is_frozen_drawn_from_the_announced_head_and_its_json_verifies(
    world: tuple[Personas, Joint],
    live_server: LiveServer,
    page: Page,
    capsys: pytest.CaptureFixture[str],
) -> None:
    personas, w = world
    base = live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(personas.officer.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.goto(f"{base}/inspections/draws/")
    page.get_by_role("link", name="新建抽查任务").click()
    page.get_by_label("任务名称").fill("2026年度餐饮零售部门联合抽查")
    page.get_by_label(personas.agency_b.name, exact=True).check()
    page.get_by_label(w.agency_c.name, exact=True).check()
    for item in w.items:
        page.get_by_label(f"{item.agency.name}：{item.code} {item.name}", exact=True).check()
    page.get_by_role("button", name="创建任务").click()
    expect(page.get_by_test_id("state")).to_have_text("草稿")

    page.get_by_role("button", name="冻结名录并公布").click()
    expect(page.get_by_test_id("state")).to_have_text("名录已冻结")
    task = RandomTask.objects.get()
    assert task.seed_size is not None and task.seed_size > log_size()
    expect(page.get_by_test_id("seed-size")).to_have_text(str(task.seed_size))
    # Three agencies' inspector pools and the entity pools are published before the draw.
    public = f"{base}/public/inspections/draws/{task.pk}/"
    anyone = page.context.browser.new_page()  # type: ignore[union-attr]
    anyone.goto(public)
    expect(anyone.get_by_text(f"检查人员（{w.agency_c.name}）")).to_be_visible()
    expect(anyone.get_by_text("尚未产生")).to_be_visible()

    page.get_by_role("button", name="执行抽取").click()
    expect(page.locator(".messages")).to_contain_text("种子尚未产生")

    # The log grows as agencies work, and a head of at least the seed size is signed.
    grow_log(task.seed_size - log_size())
    head = head_sign()
    assert head.size >= task.seed_size
    page.reload()
    page.get_by_role("button", name="执行抽取").click()
    expect(page.get_by_test_id("state")).to_have_text("已抽取")
    expect(page.get_by_test_id("seed")).to_have_text(bytes(head.root_hash).hex())
    expect(page.get_by_role("heading", name="检查组")).to_be_visible()

    anyone.goto(public)
    expect(anyone.get_by_test_id("state")).to_have_text("已抽取")
    # In the browser: the hashes, the signature, the freeze entry and the ranking, checked.
    anyone.wait_for_load_state("load")
    anyone.get_by_role("button", name="在浏览器中校验").click()
    result = anyone.locator("#verify-output")
    expect(result.locator("strong")).to_have_text("校验通过", timeout=20_000)
    expect(result).to_contain_text("签名树头的 Ed25519 签名有效")
    expect(result).to_contain_text("名录冻结记录")
    anyone.get_by_role("link", name="抽取结果JSON").first.click()
    assert anyone.url.endswith(f"/public/inspections/draws/{task.pk}.json")
    anyone.close()

    capsys.readouterr()
    call_command("draw-verify", f"{base}/public/inspections/draws/{task.pk}.json")
    assert "校验通过" in capsys.readouterr().out
