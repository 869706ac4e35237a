"""``zhifa redact [--known VALUE …] [--division CODE] [--jsonl]``: remove personal data from a
decision's text (国办发〔2018〕118号) with ``zhifa.publicity.redaction``.

Plain mode reads the whole of stdin and writes the redacted text; ambiguous numbers stay in the
text and are listed on stderr for a person to decide. ``--jsonl`` streams one JSON object per
line, ``{"text": …, "known": [...]}`` → ``{"text": …, "spans": [...]}``; a malformed line stops
the run with exit status 2 and a message naming the line, after the lines before it were
written (nothing of the bad line is)."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhifa.core.exceptions import InvalidIdentifier
from zhifa.publicity.redaction import (
    KIND_LABELS,
    Kind,
    KnownValue,
    Rules,
    redact,
    rules_for,
)

EXIT_BAD_INPUT = 2
_KINDS = frozenset(Kind)


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # pure text work: start fast, no database
    help = (
        "删除文书中的个人信息（身份证号、电话、住址、银行账号、不动产权证书号、电子邮箱、自然人姓名等）"
        "后输出：从标准输入读取文本，向标准输出写出删除后的文本"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--known",
            action="append",
            default=[],
            metavar="VALUE",
            help="案件已知的个人信息（可重复），在文中出现的每一处均予删除",
        )
        parser.add_argument(
            "--division",
            metavar="CODE",
            help="行政区划代码，按该地区的删除规则处理（默认使用全国规则）",
        )
        parser.add_argument(
            "--jsonl",
            action="store_true",
            help='批量模式：每行读取一个JSON对象 {"text": …, "known": […]}，'
            '每行输出 {"text": 删除后的文本, "spans": [{"start", "end", "kind", "ambiguous"}]}'
            "（位置按字符计，不含结束位置）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rules = rules_for(options["division"])
        except InvalidIdentifier as exc:
            raise CommandError(
                _("行政区划代码无效：%(error)s") % {"error": exc}, returncode=EXIT_BAD_INPUT
            ) from None
        if options["jsonl"]:
            self._jsonl(rules, options["known"])
        else:
            self._plain(rules, options["known"])

    def _plain(self, rules: Rules, known: list[str]) -> None:
        text = sys.stdin.read()
        result = redact(text, known, rules=rules)
        self.stdout.write(result.text, ending="")
        for span in result.ambiguous:
            self.stderr.write(
                _("待人工确认（未删除）：第%(start)d至%(end)d个字符“%(value)s”，可能是%(kind)s")
                % {
                    "start": span.start + 1,
                    "end": span.end,
                    "value": text[span.start : span.end],
                    "kind": KIND_LABELS.get(span.kind, span.kind),
                }
            )

    def _jsonl(self, rules: Rules, extra_known: list[str]) -> None:
        for number, line in _numbered_lines():
            if not line.strip():
                continue
            try:
                text, known = _parse_line(line)
            except ValueError as exc:
                raise CommandError(
                    _("第%(line)d行：%(error)s") % {"line": number, "error": exc},
                    returncode=EXIT_BAD_INPUT,
                ) from None
            result = redact(text, [*known, *extra_known], rules=rules)
            out = {
                "text": result.text,
                "spans": [
                    {"start": s.start, "end": s.end, "kind": s.kind, "ambiguous": s.ambiguous}
                    for s in result.spans
                ],
            }
            # One write per line, so a line is either whole or absent.
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            self.stdout.flush()


def _numbered_lines() -> Iterator[tuple[int, str]]:
    yield from enumerate(sys.stdin, start=1)


def _parse_line(line: str) -> tuple[str, list[KnownValue | str]]:
    """The text and known values of one input line; ``ValueError`` with a Chinese message."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(_("不是有效的JSON（%(error)s）") % {"error": exc.msg}) from None
    if not isinstance(obj, dict):
        raise ValueError(_("应为JSON对象"))
    text = obj.get("text")
    if not isinstance(text, str):
        raise ValueError(_("缺少字符串字段“text”"))
    raw_known = obj.get("known", [])
    if not isinstance(raw_known, list):
        raise ValueError(_("字段“known”应为数组"))
    known: list[KnownValue | str] = []
    for item in raw_known:
        if isinstance(item, str):
            known.append(item)
        elif isinstance(item, dict) and isinstance(item.get("value"), str):
            kind = item.get("kind", Kind.PERSONAL)
            if not isinstance(kind, str) or kind not in _KINDS:
                raise ValueError(
                    _("未知的个人信息类别“%(kind)s”，可用：%(kinds)s")
                    % {"kind": kind, "kinds": "、".join(Kind)}
                )
            replacement = item.get("replacement")
            if replacement is not None and not isinstance(replacement, str):
                raise ValueError(_("字段“replacement”应为字符串"))
            known.append(KnownValue(item["value"], str(kind), replacement))
        else:
            raise ValueError(_('“known”的每一项应为字符串或 {"value", "kind"} 对象'))
    return text, known
