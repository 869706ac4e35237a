"""The report's tables: "0" where the agency holds the power and recorded nothing, the table
left out with a note where it holds no such power (广东样式 point 二), amounts and rates."""

from __future__ import annotations

from decimal import Decimal

from zhifa.statistics import catalogue
from zhifa.statistics.report import AgencyFigures, report_tables

TABLES = catalogue.standard_tables()


def _table(report: dict, code: str) -> dict:
    return next(t for t in report["tables"] if t["code"] == code)


def test_a_held_power_with_nothing_recorded_shows_zero() -> None:
    a = AgencyFigures(1, "甲局", {}, frozenset({"penalty"}))
    report = report_tables(TABLES, [a])
    penalty = _table(report, "penalty")
    values = penalty["rows"][0]["values"]
    assert values["penalty.total"] == 0
    assert values["penalty.kind.warning"] == 0
    assert values["penalty.amount"] == Decimal("0.00")


def test_a_table_of_a_power_not_held_is_omitted_with_its_note() -> None:
    a = AgencyFigures(1, "甲局", {}, frozenset({"penalty"}))
    report = report_tables(TABLES, [a])
    codes = [t["code"] for t in report["tables"]]
    assert "coercion" not in codes and "licensing" not in codes and "inspection" not in codes
    notes = {o["code"]: o["note"] for o in report["omitted"]}
    assert "无行政强制职权，不公开本表" in notes["coercion"]
    assert "广东省《行政执法年度数据公开样式》（2018）第二点" in notes["coercion"]
    # tables without a power kind are always shown
    assert "others" in codes and "officers" in codes


def test_a_region_table_lists_only_the_holders_and_sums_them() -> None:
    a = AgencyFigures(
        1,
        "甲局",
        {"penalty.total": {"count": 3}, "penalty.amount": {"count": 3, "amount": "10.50"}},
        frozenset({"penalty"}),
    )
    b = AgencyFigures(2, "乙局", {"inspection.count": {"count": 7}}, frozenset({"inspection"}))
    c = AgencyFigures(
        3,
        "丙局",
        {"penalty.total": {"count": 2}, "penalty.amount": {"count": 2, "amount": "1"}},
        frozenset({"penalty", "inspection"}),
    )
    report = report_tables(TABLES, [a, b, c])
    penalty = _table(report, "penalty")
    assert [r["agency"] for r in penalty["rows"]] == ["甲局", "丙局"]
    assert penalty["total"]["penalty.total"] == 5
    assert penalty["total"]["penalty.amount"] == Decimal("11.50")
    inspection = _table(report, "inspection")
    assert [r["values"]["inspection.count"] for r in inspection["rows"]] == [7, 0]


def test_amount_indicators_get_a_column_of_their_amount() -> None:
    a = AgencyFigures(
        1,
        "甲局",
        {
            "penalty.not_penalised": {"count": 2, "amount": "3000"},
            "penalty.mitigated": {"count": 1, "amount": "500.5"},
        },
        frozenset({"penalty"}),
    )
    table = _table(report_tables(TABLES, [a]), "penalty_extended")
    names = {c["code"]: c["name"] for c in table["columns"]}
    assert names["penalty.not_penalised:amount"] == "不罚金额"
    assert names["penalty.mitigated:amount"] == "轻罚金额"
    values = table["rows"][0]["values"]
    assert values["penalty.not_penalised"] == 2
    assert values["penalty.not_penalised:amount"] == Decimal("3000.00")
    assert values["penalty.mitigated:amount"] == Decimal("500.50")


def test_the_certificate_rate_is_computed_from_its_parts() -> None:
    a = AgencyFigures(
        1,
        "甲局",
        {"officers.posts": {"count": 3}, "officers.certified": {"count": 2}},
        frozenset(),
    )
    table = _table(report_tables(TABLES, [a]), "officers")
    assert table["rows"][0]["values"]["officers.certified_rate"] == Decimal("66.7")
    empty = _table(report_tables(TABLES, [AgencyFigures(2, "乙", {}, frozenset())]), "officers")
    assert empty["rows"][0]["values"]["officers.certified_rate"] == Decimal(0)


def test_with_cases_each_cell_carries_the_cases_it_counts() -> None:
    a = AgencyFigures(
        1,
        "甲局",
        {"penalty.total": {"count": 2}},
        frozenset({"penalty"}),
        cases={"penalty.total": [11, 12]},
    )
    row = _table(report_tables(TABLES, [a], with_cases=True), "penalty")["rows"][0]
    assert row["cases"]["penalty.total"] == [11, 12]
    assert row["cases"]["penalty.kind.fine"] == []
