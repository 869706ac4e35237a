"""The demo's 裁量基准 with statutory ranges (issue 13), tied to the city market regulator's
penalty items: the city's entry for 进货查验 revised with its amount range (5,000–50,000 元), a
multiple (货值金额 10–20 倍, 《食品安全法》第一百二十四条), and a district regulator's entry
refining the city's within its bands (国办发〔2022〕27号（五）). Idempotent; through the services,
so every row is recorded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from django.db import transaction

from zhifa.registry import services
from zhifa.registry.demo import CITY_CODE, CITY_NAME
from zhifa.registry.models import Account, Agency, DiscretionBenchmark, Domain, PowerItem
from zhifa.registry.services import Grade

PUBLISHED_ON = date(2025, 6, 1)
_FOOD = "《中华人民共和国食品安全法》"


def _item(agency: Agency, code: str) -> PowerItem | None:
    return PowerItem.objects.filter(
        agency=agency, code=code, status=PowerItem.Status.PUBLISHED
    ).first()


def _publish(admin: Account, b: DiscretionBenchmark) -> DiscretionBenchmark:
    return services.discretion_benchmark_publish(actor=admin, benchmark=b, on=PUBLISHED_ON)


def load() -> int:
    """The entries; 0 when already there or when the city or its listings are not loaded."""
    market = Agency.objects.filter(name=f"{CITY_NAME}市场监督管理局").first()
    admin = Account.objects.filter(username="admin").first()
    city_entry = DiscretionBenchmark.objects.filter(
        agency=market, power_item__code="XZCF-01-005", status=DiscretionBenchmark.Status.PUBLISHED
    ).first()
    if market is None or admin is None or city_entry is None or city_entry.range_kind != "kinds":
        return 0
    district = (
        Agency.objects.filter(
            name__endswith="区市场监督管理局", division_code__startswith=CITY_CODE[:4]
        )
        .order_by("division_code")
        .first()
    )
    with transaction.atomic():
        items = [i for i in (_item(market, "XZCF-01-005"),) if i is not None]
        city = _publish(
            admin,
            services.discretion_benchmark_revise(
                actor=admin,
                benchmark=city_entry,
                change_note="写明违反条款、处罚依据和法定幅度（国办发〔2022〕27号（六））",
                violated_provision=f"{_FOOD}第五十三条第二款",
                penalty_provision=f"{_FOOD}第一百二十六条第一款第（三）项",
                range_kind="amount",
                range_min=D(5000),
                range_max=D(50000),
                # 第一百二十六条: 警告; 罚款; 责令停产停业, 直至吊销许可证
                penalty_kinds=["warning", "fine", "order_to_suspend", "licence_revocation"],
                power_items=items,
            ),
        )
        n = 1
        second = (
            PowerItem.objects.filter(
                agency=market,
                category=PowerItem.Category.PENALTY,
                status=PowerItem.Status.PUBLISHED,
            )
            .exclude(code="XZCF-01-005")
            .order_by("code")
            .first()
        )
        multiple = services.discretion_benchmark_create(
            actor=admin,
            agency=market,
            issuer=market.name,
            domain=Domain.objects.get(code="market"),
            violation="经营不符合食品安全标准的食品，货值金额一万元以上",
            basis=f"违法依据：{_FOOD}第三十四条。\n处罚依据：{_FOOD}第一百二十四条第一款。",
            violated_provision=f"{_FOOD}第三十四条",
            penalty_provision=f"{_FOOD}第一百二十四条第一款",
            range_kind="multiple",
            range_min=D(10),
            range_max=D(20),
            base_name="货值金额",
            # 第一百二十四条: 没收违法所得、违法生产经营的食品和工具设备; 罚款; 吊销许可证
            penalty_kinds=[
                "confiscation_of_gains",
                "confiscation_of_property",
                "fine",
                "licence_revocation",
            ],
            power_items=[second] if second is not None else [],
            grades=[
                Grade(
                    "lighter",
                    "主动召回并如实说明进货来源",
                    "处货值金额十倍以上十三倍以下罚款",
                    D(10),
                    D(13),
                ),
                Grade(
                    "standard",
                    "无从轻、从重情节",
                    "处货值金额十三倍以上十七倍以下罚款",
                    D(13),
                    D(17),
                ),
                Grade(
                    "heavier",
                    "涉及婴幼儿食品或者一年内同类违法受过处罚",
                    "处货值金额十七倍以上二十倍以下罚款",
                    D(17),
                    D(20),
                ),
            ],
        )
        _publish(admin, multiple)
        n += 1
        if district is not None:
            own = _item(district, "XZCF-01-005")
            _publish(
                admin,
                services.discretion_benchmark_create(
                    actor=admin,
                    agency=district,
                    issuer=district.name,
                    domain=Domain.objects.get(code="market"),
                    violation=city.violation,
                    basis=city.basis,
                    violated_provision=city.violated_provision,
                    penalty_provision=city.penalty_provision,
                    range_kind="amount",
                    range_min=D(5000),
                    range_max=D(50000),
                    penalty_kinds=city.penalty_kinds,
                    parent=city,
                    power_items=[own] if own is not None else [],
                    grades=[
                        Grade(
                            "lighter",
                            "首次被发现且当场改正",
                            "处五千元以上一万五千元以下罚款",
                            D(5000),
                            D(15000),
                        ),
                        Grade(
                            "standard",
                            "无从轻、从重情节",
                            "处一万八千五百元以上三万六千五百元以下罚款",
                            D(18500),
                            D(36500),
                        ),
                        Grade(
                            "heavier",
                            "拒不改正且涉及学校周边",
                            "处三万六千五百元以上五万元以下罚款",
                            D(36500),
                            D(50000),
                        ),
                    ],
                ),
            )
            n += 1
    return n
