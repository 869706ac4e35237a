"""``zhifa stats report`` gives the figures counted from the record, as JSON (with the cases
counted per cell on request), CSV or a workbook; ``zhifa stats rebuild`` recomputes the facts."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from zhifa.cases.tests.conftest import World
from zhifa.statistics.models import Fact

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


def _table(data: dict, code: str) -> dict:
    return next(t for t in data["tables"] if t["code"] == code)


def test_the_agency_report_as_json_with_the_cases_of_each_cell(world: World) -> None:
    case = world.decided(decided_on=date(2026, 4, 28))
    data = json.loads(
        _run("report", "--year", "2026", "--agency", str(world.p.agency_a.pk), "--cases")
    )
    penalty = _table(data, "penalty")
    row = penalty["rows"][0]
    assert row["agency"] == world.p.agency_a.name
    assert row["values"]["penalty.total"] == 1 and row["values"]["penalty.kind.fine"] == 1
    assert row["values"]["penalty.amount"] == 20000
    assert row["values"]["penalty.kind.warning"] == 0  # held, not used: 0
    assert row["cases"]["penalty.total"] == [case.pk]
    assert {o["code"] for o in data["omitted"]} == {"licensing"}  # no 行政许可 power
    q1 = json.loads(
        _run("report", "--year", "2026", "--quarter", "1", "--agency", str(world.p.agency_a.pk))
    )
    assert _table(q1, "penalty")["rows"][0]["values"]["penalty.total"] == 0  # decided in Q2


def test_the_region_report_as_csv_and_as_a_workbook(world: World, tmp_path: Path) -> None:
    world.decided()
    text = _run("report", "--year", "2026", "--region", "130300", "--format", "csv")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[rows.index(["行政处罚实施情况统计表"]) + 1]
    agency_row = next(r for r in rows if r and r[0] == world.p.agency_a.name)
    assert agency_row[header.index("合计（件）")] == "1"
    out = tmp_path / "report.xlsx"
    said = _run(
        "report", "--year", "2026", "--region", "130300", "--format", "xlsx", "--out", str(out)
    )
    assert str(out) in said
    ws = load_workbook(out)["行政处罚实施情况"]
    assert ws["A5"].value == world.p.agency_a.name


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2026", "--agency", "999999"], "执法机关不存在：999999"),
        (["--year", "2026", "--region", "99"], "行政区划代码有误：99"),
        (["--year", "2026", "--quarter", "5", "--agency", "1"], "统计期应为某一年度"),
        (["--year", "2026", "--agency", "1", "--format", "xlsx"], "须用 --out 指定输出文件"),
    ],
)
def test_mistakes_are_refused_in_one_line(world: World, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _run("report", *args)


def test_rebuild_recomputes_the_facts(world: World) -> None:
    world.decided()
    before = sorted(Fact.objects.values_list("case_id", "indicator", "day"))
    Fact.objects.all().delete()
    assert f"已重新计算统计事实：{len(before)} 条" in _run("rebuild")
    assert sorted(Fact.objects.values_list("case_id", "indicator", "day")) == before
