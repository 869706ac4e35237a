"""12345 work orders as complaints: the columns of the import sheet and the check of one row
(pure: the caller gives the agencies it may import for and the numbers already imported).

条例第二十条: clues from 政务服务便民热线 (12345) are sorted and studied by the supervisor. The
sheet is read by ``registry.tabular.read_table`` (the bounded ``.xlsx`` reader); the import is
all or nothing, and every error names its row as the spreadsheet shows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

COLUMNS = {
    "number": "工单编号",
    "received_on": "受理日期",
    "agency": "被反映单位",
    "officer": "执法人员",
    "facts": "诉求内容",
    "happened_on": "发生日期",
    "name": "诉求人",
    "contact": "联系方式",
}
REQUIRED = ("number", "received_on", "agency", "facts")


@dataclass(frozen=True)
class WorkOrder:
    row: int
    number: str
    received_on: date
    agency_id: int
    officer: str
    facts: str
    happened_on: date
    name: str
    contact: str

    @property
    def anonymous(self) -> bool:
        return not (self.name and self.contact)


def header_errors(headers: list[str]) -> list[str]:
    missing = [COLUMNS[k] for k in REQUIRED if COLUMNS[k] not in headers]
    if missing:
        return [f"第1行：缺少列“{'”“'.join(missing)}”"]
    return []


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def work_order_check(
    row: int,
    cells: Mapping[str, str],
    *,
    agencies: Mapping[str, int],
    seen: set[str],
    imported: set[str],
    today: date,
) -> tuple[WorkOrder | None, list[str]]:
    """One row as a work order, or its errors (“第N行：…”). ``agencies``: name or 统一社会信用代码
    → id of the agencies the importer supervises; ``seen``: numbers earlier in the file (updated);
    ``imported``: numbers already imported."""
    errors: list[str] = []

    def err(text: str) -> None:
        errors.append(f"第{row}行：{text}")

    for key in REQUIRED:
        if not cells.get(key, "").strip():
            err(f"“{COLUMNS[key]}”不能为空")
    number = cells.get("number", "").strip()
    if number:
        if number in seen:
            err(f"工单编号{number}在文件中重复")
        elif number in imported:
            err(f"工单编号{number}已经导入过")
        seen.add(number)
    received = _day(cells.get("received_on", ""))
    if cells.get("received_on", "").strip() and received is None:
        err("“受理日期”不是日期（应为2026-01-31的格式）")
    elif received is not None and received > today:
        err("“受理日期”不能晚于今天")
    happened_text = cells.get("happened_on", "").strip()
    happened = _day(happened_text) if happened_text else received
    if happened_text and happened is None:
        err("“发生日期”不是日期（应为2026-01-31的格式）")
    elif happened is not None and received is not None and happened > received:
        err("“发生日期”不能晚于受理日期")
    agency_text = cells.get("agency", "").strip()
    agency_id = agencies.get(agency_text) or agencies.get(agency_text.upper())
    if agency_text and agency_id is None:
        err(f"被反映单位“{agency_text}”不是本辖区的执法主体（填写名称或统一社会信用代码）")
    if errors or received is None or happened is None or agency_id is None:
        return None, errors
    return (
        WorkOrder(
            row=row,
            number=number,
            received_on=received,
            agency_id=agency_id,
            officer=cells.get("officer", "").strip(),
            facts=cells["facts"].strip(),
            happened_on=happened,
            name=cells.get("name", "").strip(),
            contact=cells.get("contact", "").strip(),
        ),
        [],
    )
