from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from zhifa.record.canonical import CanonicalError, canonical_json, entry_leaf_bytes


def test_canonical_json_sorts_keys_without_whitespace_and_keeps_chinese() -> None:
    assert canonical_json({"b": 1, "a": [True, None], "名称": "示范"}) == (
        '{"a":[true,null],"b":1,"名称":"示范"}'.encode()
    )


def test_decimals_dates_and_datetimes_have_one_form() -> None:
    shanghai = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    utc = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    assert canonical_json({"at": shanghai}) == canonical_json({"at": utc})
    assert canonical_json({"at": utc, "d": date(2026, 1, 2), "m": Decimal("200.00")}) == (
        b'{"at":"2026-11-20T02:00:00.000000Z","d":"2026-01-02","m":"200.00"}'
    )


@pytest.mark.parametrize(
    "value",
    [1.5, {"x": float("nan")}, {1: "int key"}, {"naive": datetime(2026, 1, 1)}, {"s": {1, 2}}],  # noqa: DTZ001
)
def test_values_without_a_canonical_form_are_refused(value: object) -> None:
    with pytest.raises(CanonicalError):
        canonical_json(value)


def test_entry_leaf_bytes_are_the_canonical_json_of_the_entry() -> None:
    fields = {
        "seq": 17,
        "recorded_at": "2026-11-20T02:00:00.000000Z",
        "actor_id": None,
        "actor_name": '系统 "引号"',
        "role": "system",
        "case_id": 5,
        "action": "case.register",
        "corrects_seq": 3,
    }
    payload = {"事由": "未公示许可证", "amount": Decimal("1.10")}
    files = [{"sha256": "ab" * 32, "name": "照片.jpg", "size": 3, "media_type": "image/jpeg"}]
    leaf = entry_leaf_bytes(
        **fields,  # type: ignore[arg-type]
        payload=canonical_json(payload).decode(),
        files=canonical_json(files).decode(),
    )
    assert leaf == canonical_json({**fields, "payload": payload, "files": files})
