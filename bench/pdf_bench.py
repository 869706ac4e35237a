"""Document PDF benchmark: ``cases.rendering.pdf.render_pdf`` of a one-page and a three-page
decision, in one process as a server renders them (every 文书 of every case, supervision and
evaluation document goes through it).

    .venv/bin/python bench/pdf_bench.py [--documents 50]

Prints the time of the first document (the process reads the CJK face once: its tables and
widths) and the p50 / p95 / max of the next ones, with the page count and size. No database.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from pypdf import PdfReader  # noqa: E402

from zhifa.cases.documents import document_font  # noqa: E402
from zhifa.cases.rendering import DocumentMeta  # noqa: E402
from zhifa.cases.rendering.markup import parse  # noqa: E402
from zhifa.cases.rendering.pdf import render_pdf  # noqa: E402

FACTS = (
    "经查，当事人于2026年3月2日在本市某区经营场所销售超过保质期的食品，货值金额3,600.00元，"
    "违反了《中华人民共和国食品安全法》第三十四条第十项的规定。"
)


def decision(paragraphs: int) -> str:
    body = "\n\n".join(FACTS * 3 for _ in range(paragraphs))
    return (
        "# 行政处罚决定书\n\n示市监罚〔2026〕12号\n\n"
        "当事人：示范市某某商贸有限公司\n\n统一社会信用代码：91130300MA0000000X\n\n"
        f"{body}\n\n如不服本决定，可以在收到本决定书之日起六十日内申请行政复议。\n\n"
        "示范市市场监督管理局\n\n2026年3月20日\n"
    )


def timed(text: str, n: int) -> None:
    blocks = parse(text)
    font = document_font()
    meta = DocumentMeta(
        title="行政处罚决定书",
        number="示市监罚〔2026〕12号",
        author="示范市市场监督管理局",
        at=datetime(2026, 3, 20, 2, tzinfo=UTC),
        version=1,
        reference="bench",
    )
    times = []
    out = b""
    for _ in range(n):
        start = time.perf_counter()
        out = render_pdf(blocks, font=font, meta=meta)
        times.append((time.perf_counter() - start) * 1000)
    pages = len(PdfReader(io.BytesIO(out)).pages)
    rest = sorted(times[1:]) or times
    p95 = rest[min(len(rest) - 1, int(len(rest) * 0.95))]
    print(
        f"  {pages} page(s), {len(out):,} bytes: first {times[0]:.0f} ms; then "
        f"p50 {statistics.median(rest):.0f}  p95 {p95:.0f}  max {rest[-1]:.0f} ms "
        f"({len(rest)} documents)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=50)
    args = parser.parse_args()
    print(f"font: {document_font().path}")
    print("one-page decision:")
    timed(decision(2), args.documents)
    print("long decision:")
    timed(decision(12), args.documents)


if __name__ == "__main__":
    main()
