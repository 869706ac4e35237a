"""``zhifa redact``: plain text and JSON lines through stdin/stdout. No database."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

AMBIGUOUS = "130302198506150087"  # valid 居民身份证号 and valid 统一社会信用代码


def run(monkeypatch: pytest.MonkeyPatch, stdin: str, *args: str) -> tuple[str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out, err = io.StringIO(), io.StringIO()
    call_command("redact", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_plain_mode_writes_the_redacted_text_unchanged_otherwise(monkeypatch: pytest.MonkeyPatch):
    out, err = run(monkeypatch, "当事人：张三，电话：13912345678。\n第二行\n")
    assert out == "当事人：某某，电话：×××。\n第二行\n"
    assert err == ""


def test_known_values_are_removed_wherever_they_occur(monkeypatch: pytest.MonkeyPatch):
    out, _ = run(monkeypatch, "车牌冀B12345，微信zs888", "--known", "冀B12345", "--known", "zs888")
    assert out == "车牌×××，微信×××"


def test_plain_mode_leaves_ambiguous_numbers_and_lists_them_in_chinese(
    monkeypatch: pytest.MonkeyPatch,
):
    text = f"单据载有编码{AMBIGUOUS}。"
    out, err = run(monkeypatch, text)
    assert out == text
    assert "待人工确认" in err
    assert AMBIGUOUS in err
    assert "居民身份证号" in err


def test_division_chooses_the_jurisdictions_rules(monkeypatch: pytest.MonkeyPatch, settings):
    settings.ZHIFA_REDACTION_RULES = {"130300": {"name_contexts_add": ["陪同人员"]}}
    out, _ = run(monkeypatch, "陪同人员：赵六", "--division", "130302")
    assert out == "陪同人员：某某"
    out, _ = run(monkeypatch, "陪同人员：赵六", "--division", "110105")
    assert out == "陪同人员：赵六"


def test_invalid_division_code_exits_with_status_2(monkeypatch: pytest.MonkeyPatch):
    with pytest.raises(CommandError) as excinfo:
        run(monkeypatch, "x", "--division", "99")
    assert excinfo.value.returncode == 2
    assert "行政区划代码" in str(excinfo.value)


def test_jsonl_writes_one_object_per_line_with_spans(monkeypatch: pytest.MonkeyPatch):
    lines = [
        {"text": "证人：李四，账号：0402012345678901234", "known": []},
        {
            "text": "张三的车冀B12345",
            "known": ["冀B12345", {"value": "张三", "kind": "person_name"}],
        },
        {"text": f"编码{AMBIGUOUS}"},
    ]
    out, _ = run(
        monkeypatch, "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "--jsonl"
    )
    first, second, third = (json.loads(line) for line in out.splitlines())
    assert first == {
        "text": "证人：某某，账号：×××",
        "spans": [
            {"start": 3, "end": 5, "kind": "person_name", "ambiguous": False},
            {"start": 9, "end": 28, "kind": "bank_account", "ambiguous": False},
        ],
    }
    assert second["text"] == "某某的车×××"
    assert third == {
        "text": f"编码{AMBIGUOUS}",
        "spans": [{"start": 2, "end": 20, "kind": "id_number", "ambiguous": True}],
    }
    assert "某某" in out  # not escaped: ensure_ascii=False


def test_jsonl_applies_known_from_the_command_line_to_every_line(monkeypatch: pytest.MonkeyPatch):
    out, _ = run(
        monkeypatch, '{"text": "zs888"}\n{"text": "a zs888"}\n', "--jsonl", "--known", "zs888"
    )
    assert [json.loads(line)["text"] for line in out.splitlines()] == ["×××", "a ×××"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("not json", "不是有效的JSON"),
        ("[1, 2]", "应为JSON对象"),
        ('{"known": []}', "text"),
        ('{"text": "x", "known": "张三"}', "known"),
        ('{"text": "x", "known": [{"value": "张三", "kind": "nickname"}]}', "nickname"),
        ('{"text": "x", "known": [3]}', "known"),
    ],
)
def test_malformed_line_stops_with_status_2_naming_the_line(
    monkeypatch: pytest.MonkeyPatch, bad: str, message: str
):
    monkeypatch.setattr(
        "sys.stdin", io.StringIO('{"text": "13912345678"}\n\n' + bad + '\n{"text": "x"}\n')
    )
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("redact", "--jsonl", stdout=out, stderr=io.StringIO())
    assert excinfo.value.returncode == 2
    assert "第3行" in str(excinfo.value)
    assert message in str(excinfo.value)
    # the good line before it was written whole; nothing of the bad line or after it
    assert out.getvalue().splitlines() == [
        '{"text": "×××", "spans": [{"start": 0, "end": 11, "kind": "phone", "ambiguous": false}]}'
    ]
