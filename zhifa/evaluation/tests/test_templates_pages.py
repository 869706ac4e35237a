"""The supervisors' template pages: list, detail, the row editor, publish / new version /
retire, import and export, and the preview on a past file."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client

from zhifa.cases.tests.conftest import World
from zhifa.evaluation import template_transfer
from zhifa.evaluation.models import Template
from zhifa.evaluation.tests.conftest import publish_template
from zhifa.record.models import Entry
from zhifa.supervision.tests.conftest import Bureau

pytestmark = pytest.mark.django_db


def _client(account: Any) -> Client:
    c = Client()
    c.force_login(account)
    return c


def _text(response: Any) -> str:
    return response.content.decode()


def _form(**over: str) -> dict[str, str]:
    """A new template's editor POST: one section, two items, one veto, two bands."""
    data = {
        "key": "T-PAGE",
        "name": "页面标准",
        "issuer": "示范市司法局",
        "source": "",
        "applies_to": "penalty_general",
        "valid_from": "2026-01-01",
        "valid_until": "",
        "veto_effect": "zero",
        "s-count": "1",
        "s-0-section_code": "A",
        "s-0-section_name": "内容",
        "s-0-section_max": "100",
        "i-count": "2",
        "i-0-section_code": "A",
        "i-0-code": "A1",
        "i-0-text": "无立案审批表",
        "i-0-max_points": "4",
        "i-0-kind": "per_occurrence",
        "i-0-points": "2",
        "i-0-cap": "4",
        "i-0-check": "registration_approved_in_time",
        "i-0-source": "常见扣分项",
        "i-1-section_code": "A",
        "i-1-code": "A2",
        "i-1-text": "违法使用强制措施",
        "i-1-max_points": "15",
        "i-1-kind": "range",
        "i-1-min": "5",
        "i-1-max": "15",
        "v-count": "1",
        "v-0-code": "V1",
        "v-0-text": "执法人员少于2人",
        "v-0-check": "two_certified_officers",
        "b-count": "2",
        "b-0-from": "60",
        "b-0-grade": "合格",
        "b-1-from": "0",
        "b-1-grade": "不合格",
    }
    data.update(over)
    return data


def test_the_list_and_detail_show_versions_rules_checks_sources_vetoes_and_bands(
    bureau: Bureau,
) -> None:
    t = publish_template(bureau)
    c = _client(bureau.sup1)
    page = _text(c.get("/evaluation/templates/"))
    assert "处罚案卷评查标准（测试）" in page and "第1版" in page and "已发布" in page
    detail = _text(c.get(f"/evaluation/templates/{t.pk}/"))
    assert "每处扣1分，最多扣4分" in detail and "扣5～15分" in detail
    assert "执法人员不少于两人且持有覆盖该领域的有效执法证" in detail  # the check's label
    assert "测绘地理信息行政处罚案卷评查标准" in detail  # an item's source
    assert "无论得分多少，案卷评为不合格" in detail
    assert "60分（含）至75分（不含）" in detail and "90分以上（含）" in detail


def test_anonymous_is_sent_to_login_and_others_get_404(bureau: Bureau) -> None:
    t = publish_template(bureau)
    assert Client().get("/evaluation/templates/").status_code == 302
    officer = _client(bureau.p.officer)
    assert officer.get("/evaluation/templates/").status_code == 404
    assert officer.get(f"/evaluation/templates/{t.pk}/").status_code == 404
    # another city's supervisor: the published version yes, the draft no, and no edits
    draft = Client()
    draft.force_login(bureau.sup1)
    r = draft.post(f"/evaluation/templates/{t.pk}/new-version/")
    new = Template.objects.get(version=2)
    far = _client(bureau.far)
    assert far.get(f"/evaluation/templates/{t.pk}/").status_code == 200
    assert far.get(f"/evaluation/templates/{new.pk}/").status_code == 404
    assert far.post(f"/evaluation/templates/{t.pk}/retire/").status_code == 404
    assert r.status_code == 302


def test_a_draft_is_created_from_rows_and_shown(bureau: Bureau) -> None:
    c = _client(bureau.sup1)
    r = c.post("/evaluation/templates/new/", _form())
    assert r.status_code == 302, _text(r)
    t = Template.objects.get(key="T-PAGE")
    assert t.status == "draft" and t.veto_effect == "zero"
    assert t.content["sections"][0]["items"][0]["rule"] == {
        "kind": "per_occurrence",
        "points": "2",
        "cap": "4",
    }
    assert Entry.objects.filter(action="evaluation.template.create").count() == 1


def test_an_error_is_shown_at_its_row_and_nothing_typed_is_lost(bureau: Bureau) -> None:
    c = _client(bureau.sup1)
    r = c.post("/evaluation/templates/new/", _form(**{"i-1-min": "20", "i-0-points": "x"}))
    assert r.status_code == 400
    page = _text(r)
    assert 'id="i-row-1" class="has-error"' in page and "扣分/每处扣分：“x”不是数字" in page
    assert 'value="x"' in page and 'value="违法使用强制措施"' in page
    r = c.post("/evaluation/templates/new/", _form(**{"i-1-min": "20"}))
    page = _text(r)
    assert r.status_code == 400
    assert 'id="i-row-2" class="has-error"' in page and "第1部分第2项的扣分区间" in page
    assert not Template.objects.exists()


def test_add_row_keeps_what_was_typed(bureau: Bureau) -> None:
    c = _client(bureau.sup1)
    r = c.post("/evaluation/templates/new/", _form(action="add-v"))
    page = _text(r)
    assert r.status_code == 200 and 'name="v-count" value="2"' in page
    assert 'name="v-1-code"' in page and 'value="执法人员少于2人"' in page
    assert 'value="T-PAGE"' in page
    assert not Template.objects.exists()


def test_editing_publishing_new_version_and_retiring(bureau: Bureau) -> None:
    c = _client(bureau.sup1)
    c.post("/evaluation/templates/new/", _form())
    t = Template.objects.get(key="T-PAGE")
    edit = c.get(f"/evaluation/templates/{t.pk}/edit/")
    assert 'value="无立案审批表"' in _text(edit)
    form = _form(name="页面标准（修订）")
    del form["key"]
    assert c.post(f"/evaluation/templates/{t.pk}/edit/", form).status_code == 302
    t.refresh_from_db()
    assert t.name == "页面标准（修订）"
    c.post(f"/evaluation/templates/{t.pk}/publish/")
    t.refresh_from_db()
    assert t.status == "published"
    r = c.get(f"/evaluation/templates/{t.pk}/edit/", follow=True)
    assert "已发布的评查标准不能修改" in _text(r)
    r = c.post(f"/evaluation/templates/{t.pk}/new-version/")
    v2 = Template.objects.get(key="T-PAGE", version=2)
    assert r["Location"] == f"/evaluation/templates/{v2.pk}/"
    r = c.post(f"/evaluation/templates/{t.pk}/new-version/", follow=True)
    assert "已有后续版本" in _text(r)
    c.post(f"/evaluation/templates/{t.pk}/retire/")
    t.refresh_from_db()
    assert t.status == "retired"


def test_import_shows_row_errors_and_writes_nothing_then_imports_a_draft(
    bureau: Bureau,
) -> None:
    t = publish_template(bureau)
    out = io.BytesIO()
    template_transfer.export_xlsx(t, out)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(out.getvalue()))
    wb["评查项目"]["F2"] = -1
    bad = io.BytesIO()
    wb.save(bad)
    c = _client(bureau.sup1)
    entries = Entry.objects.count()
    upload = io.BytesIO(bad.getvalue())
    upload.name = "标准.xlsx"
    r = c.post("/evaluation/templates/import/", {"file": upload})
    assert r.status_code == 400
    assert "工作表“评查项目”第2行第F列：不能为负数" in _text(r)
    assert Entry.objects.count() == entries
    good = io.BytesIO(template_transfer.export_json(t))
    good.name = "标准.json"
    r = c.post("/evaluation/templates/import/", {"file": good})
    draft = Template.objects.get(version=2)
    assert r.status_code == 302 and draft.status == "draft" and draft.content == t.content


def test_exports_download(bureau: Bureau) -> None:
    t = publish_template(bureau)
    c = _client(bureau.p.supervisor)
    r = c.get(f"/evaluation/templates/{t.pk}/export/json/")
    assert json.loads(r.content)["content"] == t.content
    r = c.get(f"/evaluation/templates/{t.pk}/export/xlsx/")
    assert template_transfer.import_xlsx(r.content)["content"] == t.content
    assert c.get(f"/evaluation/templates/{t.pk}/export/pdf/").status_code == 404


def test_the_preview_scores_a_past_file_and_writes_nothing(bureau: Bureau, world: World) -> None:
    t = publish_template(bureau)
    case = world.decided()
    c = _client(bureau.sup1)
    entries = Entry.objects.count()
    with time_machine.travel(date(2026, 5, 10), tick=False):
        page = _text(c.get(f"/evaluation/templates/{t.pk}/preview/"))
        assert case.number in page
        r = c.get(f"/evaluation/templates/{t.pk}/preview/?case={case.pk}")
    page = _text(r)
    assert r.status_code == 200
    assert "该项需人工评分" in page  # no record checks registered yet: no proposals
    assert 'id="preview-total">100.00<' in page and 'id="preview-grade">优秀<' in page
    assert Entry.objects.count() == entries
    # a case outside the region is not offered
    far = _client(bureau.far)
    assert "所选案卷不在本辖区" in _text(
        far.get(f"/evaluation/templates/{t.pk}/preview/?case={case.pk}")
    )


def test_a_huge_number_is_refused_at_its_row(bureau: Bureau) -> None:
    c = _client(bureau.sup1)
    r = c.post("/evaluation/templates/new/", _form(**{"s-0-section_max": "1e30"}))
    assert r.status_code == 400 and "分值：“1e30”过大" in _text(r)
