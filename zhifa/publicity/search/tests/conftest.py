"""A small published world for the search tests: decisions of two agencies, loaded through the
interface the publication core uses."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from zhifa.publicity.search.services import SearchDocument

AGENCY_A = 11
AGENCY_B = 22


def document(publication_id: int, **changes: object) -> SearchDocument:
    from zhifa.publicity.search.services import SearchDocument

    base = SearchDocument(
        publication_id=publication_id,
        agency_id=AGENCY_A,
        agency_name="示范市甲区市场监督管理局",
        division_code="130302",
        domain_code="market",
        domain_name="市场监管",
        kind="penalty",
        decision_number=f"甲市监罚〔2026〕{publication_id}号",
        decided_on=date(2026, 3, 1),
        published_on=date(2026, 3, 5),
        due_on=date(2026, 3, 10),
        on_time=True,
        amount=Decimal("5000.00"),
        subject="示范市某某食品有限公司",
        title="销售超过保质期的食品",
        body="经查，当事人销售超过保质期的预包装食品。依据《中华人民共和国食品安全法》第一百二十四条，"
        "决定没收违法所得人民币800元，并处罚款人民币5000元。",
        url=f"/public/decisions/{publication_id}/",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Each test starts without the cached filter lists and statistics of the one before."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db: None) -> dict[str, SearchDocument]:
    """Six published decisions: four of agency A (市场监管, 130302), two of agency B
    (生态环境, 130303), decided on different days, with different amounts."""
    docs = {
        "expired_food": document(1, decided_on=date(2026, 1, 10), published_on=date(2026, 1, 14)),
        "fake_drug": document(
            2,
            decided_on=date(2026, 2, 3),
            published_on=date(2026, 2, 20),
            due_on=date(2026, 2, 12),
            on_time=False,
            title="药品零售企业销售假药",
            subject="示范市康宁大药房有限公司",
            body="经查，当事人销售假药二十盒。依据《中华人民共和国药品管理法》第一百一十六条，"
            "决定没收假药并处罚款人民币150000元。",
            amount=Decimal("150000.00"),
        ),
        "licence": document(
            3,
            kind="licence",
            decided_on=date(2026, 3, 15),
            published_on=date(2026, 3, 16),
            title="食品经营许可",
            subject="示范市好味餐饮店",
            body="准予当事人食品经营许可，许可证编号JY13030200001234，有效期五年。",
            amount=None,
            decision_number="甲市监许〔2026〕3号",
        ),
        "cosmetics": document(
            4,
            decided_on=date(2026, 4, 2),
            published_on=date(2026, 4, 3),
            title="经营标签不合格的化妆品",
            subject="王某",
            body="经查，当事人经营标签不符合规定的化妆品。决定给予警告，并处罚款人民币2000元。",
            amount=Decimal("2000.00"),
        ),
        "exhaust": document(
            5,
            agency_id=AGENCY_B,
            agency_name="示范市乙区生态环境分局",
            division_code="130303",
            domain_code="environment",
            domain_name="生态环境",
            decided_on=date(2026, 2, 20),
            published_on=date(2026, 3, 20),
            due_on=date(2026, 3, 20),
            title="超过大气污染物排放标准排放废气",
            subject="示范市东方化工有限公司",
            body="经查，当事人超标排放废气。依据《中华人民共和国大气污染防治法》第九十九条，"
            "决定处罚款人民币200000元。",
            amount=Decimal("200000.00"),
            decision_number="乙环罚〔2026〕5号",
        ),
        "sealing": document(
            6,
            agency_id=AGENCY_B,
            agency_name="示范市乙区生态环境分局",
            division_code="130303",
            domain_code="environment",
            domain_name="生态环境",
            kind="coercion",
            decided_on=date(2026, 3, 25),
            published_on=date(2026, 3, 26),
            due_on=None,
            on_time=None,
            title="查封造成污染物排放的设施",
            subject="示范市东方化工有限公司",
            body="决定查封当事人违法排放污染物的锅炉一台，期限三十日。",
            amount=None,
            decision_number="乙环强〔2026〕6号",
        ),
    }
    from zhifa.publicity.search.services import search_index_put

    for doc in docs.values():
        search_index_put(doc)
    return docs
