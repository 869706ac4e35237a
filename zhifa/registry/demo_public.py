"""The demo city's public listings (事前公开): what the portal shows besides the registry.

:func:`city_public_load` fills 示范市 (loaded by :func:`zhifa.registry.demo.city_load`) with each
body's 监督方式, 救济渠道 and 投诉举报渠道, a 随机抽查事项清单 for every published 随机抽查 power
item, a few 裁量基准 and the city's 不予处罚／减轻／从轻 lists. The listings go through the
services (so their rules hold and the record log has them), as the system administrator.
Everything here is fictional; the legal citations are real articles.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from . import services
from .demo import CITY_CODE, CITY_NAME
from .models import (
    Account,
    Agency,
    DiscretionGrade,
    Domain,
    LenientListItem,
    PowerItem,
    RandomInspectionItem,
)
from .services import Grade

# The city's districts (as in demo.city_plan): the government and court of each.
_DISTRICTS = {"139902": "甲区", "139903": "乙区", "139921": "丙县"}
# Domains whose random inspections are 重点检查事项 (higher risk: higher ratio).
_KEY_DOMAINS = frozenset({"market", "environment", "emergency", "health"})
_PUBLISHED_ON = date(2025, 3, 1)
_L = DiscretionGrade.Level


@dataclass
class PublicDemoResult:
    already: bool
    counts: Counter[str] = field(default_factory=Counter)


def city_public_loaded() -> bool:
    return RandomInspectionItem.objects.filter(agency__division_code__startswith="1399").exists()


def city_public_load() -> PublicDemoResult:
    """Load the city's public listings once (idempotent: ``already=True`` and nothing written
    when present, or when the city itself is not loaded). About a second."""
    market = Agency.objects.filter(name=f"{CITY_NAME}市场监督管理局").first()
    admin = Account.objects.filter(username="admin").first()
    if market is None or admin is None or city_public_loaded():
        return PublicDemoResult(already=True)
    counts: Counter[str] = Counter()
    with transaction.atomic():
        counts["agencies"] = _agencies_public_info()
        counts["inspection_items"] = _inspection_items(admin)
        counts["discretion_benchmarks"] = _benchmarks(admin, market)
        counts["lenient_items"] = _lenient_items(admin)
        services.demo_load_record(actor=None, demo="city-public", counts=counts)
    return PublicDemoResult(already=False, counts=counts)


def _agencies_public_info() -> int:
    """Every city body's public facts (bulk: fictional data loaded by a command, like the
    registry demo's rows; one ``registry.rows.load`` entry records their new state, the summary
    entry the load)."""
    agencies = list(
        Agency.objects.filter(division_code__startswith=CITY_CODE[:4]).prefetch_related("domains")
    )
    now = timezone.now()
    for a in agencies:
        a.updated_at = now
        district = _DISTRICTS.get(a.division_code)
        government = f"{CITY_NAME}{district}人民政府" if district else f"{CITY_NAME}人民政府"
        names = "、".join(d.name for d in a.domains.all())
        a.authority_basis = (
            f"《中华人民共和国行政处罚法》《中华人民共和国行政许可法》《中华人民共和国行政强制法》"
            f"及{names}领域法律、法规、规章"
        )
        a.supervision = (
            f"接受{government}、上级主管部门和司法行政部门（行政执法监督机构）的监督，"
            f"接受人大、政协、监察、审计和社会舆论监督。监督电话：{a.phone or '12345'}。"
        )
        # 2023 行政复议法第二十四条: the government at the body's level reviews its departments.
        a.reconsideration_body = government
        a.litigation_court = (
            f"{CITY_NAME}{district}人民法院" if district else f"{CITY_NAME}甲区人民法院（集中管辖）"
        )
        hotline = "12315" if any(d.code == "market" for d in a.domains.all()) else "12345"
        a.complaint_channels = (
            f"{hotline} 热线；监督电话 {a.phone or '12345'}；来信来访：{a.address or a.name}。"
            "对执法人员不亮证、不文明执法等行为均可投诉举报，举报人信息依法保密。"
        )
    Agency.objects.bulk_update(
        agencies,
        [
            "authority_basis",
            "supervision",
            "reconsideration_body",
            "litigation_court",
            "complaint_channels",
            "updated_at",
        ],
    )
    services.rows_load_record(actor=None, load="city-public", rows=agencies)
    return len(agencies)


def _inspection_items(admin: Account) -> int:
    items = (
        PowerItem.objects.filter(
            agency__division_code__startswith=CITY_CODE[:4],
            status=PowerItem.Status.PUBLISHED,
            category=PowerItem.Category.INSPECTION,
            is_random_inspection=True,
        )
        .select_related("agency", "domain")
        .prefetch_related("bases")
        .order_by("agency_id", "code")
    )
    n = 0
    for item in items:
        key = item.domain.code in _KEY_DOMAINS
        subject = item.name.removeprefix("对").removesuffix("的行政检查")
        row = services.inspection_item_create(
            actor=admin,
            agency=item.agency,
            power_item=item,
            category="key" if key else "general",
            subjects=f"本辖区{item.domain.name}领域的市场主体和相关单位",
            content=f"{subject}的合规情况",
            method="双随机抽查：随机抽取检查对象、随机选派执法检查人员，可采取书面检查、实地核查、网络监测",
            ratio_frequency="每年抽查比例不低于5%，每年至少1次"
            if key
            else "每年抽查比例不低于3%，每年至少1次",
            basis="；".join(f"《{b.law}》{b.article}" for b in item.bases.all())
            or "国办发〔2015〕58号",
        )
        services.inspection_item_publish(actor=admin, item=row, on=_PUBLISHED_ON)
        n += 1
        if n == 1:  # one row revised, so the portal has a history to keep
            services.inspection_item_publish(
                actor=admin,
                item=services.inspection_item_revise(
                    actor=admin,
                    item=row,
                    change_note="提高抽查比例",
                    ratio_frequency="每年抽查比例不低于8%，每年至少2次",
                ),
                on=date(2026, 3, 1),
            )
    return n


def _benchmarks(admin: Account, market: Agency) -> int:
    def penalty(code: str) -> PowerItem | None:
        return PowerItem.objects.filter(
            agency=market, code=code, status=PowerItem.Status.PUBLISHED
        ).first()

    market_domain = Domain.objects.get(code="market")
    specs = [
        (
            "XZCF-01-005",
            "食品经营者未按规定建立并遵守进货查验记录制度",
            "违法依据：《中华人民共和国食品安全法》第五十三条。\n"
            "处罚依据：《中华人民共和国食品安全法》第一百二十六条第一款：责令改正，给予警告；"
            "拒不改正的，处五千元以上五万元以下罚款。",
            [
                Grade(_L.NO_PENALTY, "初次违法，危害后果轻微并及时改正", "不予行政处罚，责令改正"),
                Grade(
                    _L.MITIGATED,
                    "主动消除或者减轻违法行为危害后果",
                    "处五千元以下罚款",
                    Decimal(0),
                    Decimal(4999),
                ),
                Grade(
                    _L.LIGHTER,
                    "拒不改正，但涉及食品货值较小且未流入市场",
                    "处五千元以上一万八千五百元以下罚款",
                    Decimal(5000),
                    Decimal(18500),
                ),
                Grade(
                    _L.STANDARD,
                    "拒不改正，无从轻、从重情节",
                    "处一万八千五百元以上三万六千五百元以下罚款",
                    Decimal(18500),
                    Decimal(36500),
                ),
                Grade(
                    _L.HEAVIER,
                    "拒不改正且两年内因同一违法行为受过处罚，或者涉及婴幼儿食品",
                    "处三万六千五百元以上五万元以下罚款",
                    Decimal(36500),
                    Decimal(50000),
                ),
            ],
        ),
        (
            "XZCF-01-020",
            "经营者违反明码标价规定",
            "违法依据：《中华人民共和国价格法》第十三条；《明码标价和禁止价格欺诈规定》。\n"
            "处罚依据：《中华人民共和国价格法》第四十二条：责令改正，没收违法所得，可以并处五千元以下的罚款。",
            [
                Grade(
                    _L.NO_PENALTY,
                    "首次违法，标价不规范但未造成消费者损失，及时改正",
                    "不予行政处罚，责令改正",
                ),
                Grade(
                    _L.LIGHTER,
                    "违法行为持续时间短，涉及商品品种少",
                    "没收违法所得，处一千五百元以下罚款",
                    Decimal(0),
                    Decimal(1500),
                ),
                Grade(
                    _L.STANDARD,
                    "无从轻、从重情节",
                    "没收违法所得，处一千五百元以上三千五百元以下罚款",
                    Decimal(1500),
                    Decimal(3500),
                ),
                Grade(
                    _L.HEAVIER,
                    "经责令改正拒不改正，或者节假日期间涉及民生商品",
                    "没收违法所得，处三千五百元以上五千元以下罚款",
                    Decimal(3500),
                    Decimal(5000),
                ),
            ],
        ),
        (
            "XZCF-01-038",
            "电子商务经营者未在首页显著位置公示营业执照信息",
            "违法依据：《中华人民共和国电子商务法》第十五条。\n"
            "处罚依据：《中华人民共和国电子商务法》第七十六条第一款：责令限期改正，可以处一万元以下的罚款。",
            [
                Grade(_L.NO_PENALTY, "首次违法，在责令改正期限内改正", "不予行政处罚"),
                Grade(
                    _L.LIGHTER,
                    "逾期改正，未造成危害后果",
                    "处三千元以下罚款",
                    Decimal(0),
                    Decimal(3000),
                ),
                Grade(
                    _L.STANDARD,
                    "逾期仍未改正",
                    "处三千元以上七千元以下罚款",
                    Decimal(3000),
                    Decimal(7000),
                ),
                Grade(
                    _L.HEAVIER,
                    "逾期仍未改正且冒用他人营业执照信息",
                    "处七千元以上一万元以下罚款",
                    Decimal(7000),
                    Decimal(10000),
                ),
            ],
        ),
    ]
    n = 0
    for code, violation, basis, grades in specs:
        b = services.discretion_benchmark_create(
            actor=admin,
            agency=market,
            issuer=market.name,
            domain=market_domain,
            power_item=penalty(code),
            violation=violation,
            basis=basis,
            grades=grades,
        )
        services.discretion_benchmark_publish(actor=admin, benchmark=b, on=_PUBLISHED_ON)
        n += 1
    env = Domain.objects.get(code="environment")
    b = services.discretion_benchmark_create(
        actor=admin,
        region_code=CITY_CODE,
        issuer=f"{CITY_NAME}生态环境局",
        domain=env,
        violation="产生含挥发性有机物废气的生产经营活动未在密闭空间或者设备中进行",
        basis="违法依据：《中华人民共和国大气污染防治法》第四十五条。\n"
        "处罚依据：《中华人民共和国大气污染防治法》第一百零八条：责令改正，处二万元以上二十万元以下"
        "的罚款；拒不改正的，责令停产整治。",
        grades=[
            Grade(
                _L.MITIGATED,
                "主动消除或者减轻违法行为危害后果",
                "处二万元以下罚款",
                Decimal(0),
                Decimal(19999),
            ),
            Grade(
                _L.LIGHTER,
                "排放量小，及时改正",
                "处二万元以上七万四千元以下罚款",
                Decimal(20000),
                Decimal(74000),
            ),
            Grade(
                _L.STANDARD,
                "无从轻、从重情节",
                "处七万四千元以上十四万六千元以下罚款",
                Decimal(74000),
                Decimal(146000),
            ),
            Grade(
                _L.HEAVIER,
                "位于环境敏感区或者重污染天气预警期间",
                "处十四万六千元以上二十万元以下罚款",
                Decimal(146000),
                Decimal(200000),
            ),
        ],
    )
    services.discretion_benchmark_publish(actor=admin, benchmark=b, on=_PUBLISHED_ON)
    return n + 1


SAMR_2025 = (
    "国家市场监督管理总局《市场监管行政违法行为首违不罚清单（一）》"
    "《市场监管轻微行政违法行为不予处罚清单（一）》（国市监法〔2025〕10号）"
)
_FIRST = ("初次违法（两年内无同类违法记录）", "危害后果轻微", "及时改正")
_M = LenientListItem.Measure


@dataclass(frozen=True)
class _Lenient:
    kind: str
    domain: str
    issuer: str
    violation: str
    violated: str
    basis: str
    conditions: tuple[str, ...]
    standard: str
    measures: tuple[str, ...]
    source: str
    power_item: str = ""  # the name of the power item it applies to (the city's)


def _lenient_specs() -> list[_Lenient]:
    city = f"{CITY_NAME}市场监督管理局"
    samr = "国家市场监督管理总局"
    fsl = "《中华人民共和国食品安全法》"
    no_licence = "对未取得食品生产经营许可从事食品生产经营活动的行政处罚"
    standards = "对生产经营致病性微生物、农药残留等污染物质含量超过食品安全标准限量的食品的行政处罚"
    first = "首违不罚：《中华人民共和国行政处罚法》第三十三条第一款"
    minor = "不予处罚：《中华人民共和国行政处罚法》第三十三条第一款"
    return [
        # The national lists (国市监法〔2025〕10号): 8 首违不罚 and 4 轻微不罚 items; a few here.
        _Lenient(
            LenientListItem.Kind.FIRST_VIOLATION,
            "market",
            samr,
            "未取得食品经营许可从事散装食品经营（散装熟食除外）",
            f"{fsl}第三十五条第一款",
            f"{fsl}第一百二十二条第一款；{first}",
            (*_FIRST, "经营的散装食品不含散装熟食", "在责令改正期限内依法取得食品经营许可"),
            "不予行政处罚",
            (_M.STOP, _M.CORRECT, _M.SUPERVISE, _M.REFUND, _M.RECALL),
            SAMR_2025,
            no_licence,
        ),
        _Lenient(
            LenientListItem.Kind.FIRST_VIOLATION,
            "market",
            samr,
            "食品经营许可证有效期届满未延续，继续从事食品经营",
            f"{fsl}第三十五条第一款",
            f"{fsl}第一百二十二条第一款；{first}",
            (*_FIRST, "经营条件未发生变化", "在责令改正期限内依法办理许可"),
            "不予行政处罚",
            (_M.STOP, _M.CORRECT, _M.SUPERVISE),
            SAMR_2025,
            no_licence,
        ),
        _Lenient(
            LenientListItem.Kind.FIRST_VIOLATION,
            "market",
            samr,
            "经营不符合食品安全标准的食用农产品",
            f"{fsl}第三十四条",
            f"{fsl}第一百二十四条第一款；{first}",
            (*_FIRST, "履行了进货查验等义务", "能如实说明进货来源", "货值金额较小"),
            "不予行政处罚",
            (_M.STOP, _M.CORRECT, _M.REFUND, _M.RECALL),
            SAMR_2025,
            standards,
        ),
        _Lenient(
            LenientListItem.Kind.NO_PENALTY,
            "market",
            samr,
            "经营超过保质期的食品、食品添加剂",
            f"{fsl}第三十四条第十项",
            f"{fsl}第一百二十四条第一款第五项；{minor}",
            ("违法行为轻微", "及时改正", "没有造成危害后果", "未售出或者货值金额较小"),
            "不予行政处罚",
            (_M.STOP, _M.CORRECT, _M.REFUND, _M.RECALL),
            SAMR_2025,
            standards,
        ),
        # The city's own rows (a local list does not limit 第三十三条).
        _Lenient(
            LenientListItem.Kind.NO_PENALTY,
            "market",
            city,
            "电子商务经营者未在首页显著位置持续公示营业执照信息",
            "《中华人民共和国电子商务法》第十五条",
            f"《中华人民共和国电子商务法》第七十六条；{minor}",
            ("首次被发现", "在责令改正期限内改正"),
            "不予行政处罚",
            (_M.CORRECT,),
            f"{CITY_NAME}市场监督管理局轻微违法行为不予处罚清单（2025年版）",
        ),
        _Lenient(
            LenientListItem.Kind.LIGHTER,
            "market",
            city,
            "销售的预包装食品标签瑕疵，不影响食品安全且不会对消费者造成误导",
            f"{fsl}第六十七条",
            f"{fsl}第一百二十五条第二款；《中华人民共和国行政处罚法》第三十二条",
            ("主动消除或者减轻违法行为危害后果",),
            "责令改正；拒不改正的，在法定幅度较低的30%内处以罚款",
            (_M.CORRECT,),
            f"{CITY_NAME}市场监督管理局从轻处罚清单（2025年版）",
        ),
        _Lenient(
            LenientListItem.Kind.MITIGATED,
            "market",
            city,
            "受他人胁迫或者诱骗实施的违法行为",
            "",
            "《中华人民共和国行政处罚法》第三十二条第二项",
            ("有证据证明系受他人胁迫或者诱骗",),
            "在法定最低限度以下处以罚款",
            (),
            f"{CITY_NAME}市场监督管理局减轻处罚清单（2025年版）",
        ),
        _Lenient(
            LenientListItem.Kind.NO_COERCION,
            "market",
            city,
            "涉案物品价值较小且当事人能够配合调查，不存在转移、损毁证据可能",
            "",
            "《中华人民共和国行政强制法》第五条",
            ("违法行为情节显著轻微或者没有明显社会危害", "当事人配合调查", "无转移、损毁证据可能"),
            "不予实施查封、扣押",
            (_M.SUPERVISE,),
            f"{CITY_NAME}市场监督管理局不予实施行政强制措施清单（2025年版）",
        ),
        _Lenient(
            LenientListItem.Kind.NO_PENALTY,
            "environment",
            f"{CITY_NAME}生态环境局",
            "未按规定设置危险废物识别标志",
            "《中华人民共和国固体废物污染环境防治法》第七十七条",
            "《中华人民共和国固体废物污染环境防治法》第一百一十二条；"
            "《中华人民共和国行政处罚法》第三十三条第一款",
            ("首次违法", "及时改正", "未造成环境污染"),
            "不予行政处罚",
            (_M.CORRECT,),
            f"{CITY_NAME}生态环境局轻微违法行为不予处罚清单（2025年版）",
        ),
    ]


def _lenient_items(admin: Account) -> int:
    n = 0
    for spec in _lenient_specs():
        items = list(
            PowerItem.objects.filter(
                name=spec.power_item,
                status=PowerItem.Status.PUBLISHED,
                agency__division_code__startswith=CITY_CODE[:4],
            )
        )
        item = services.lenient_item_create(
            actor=admin,
            kind=spec.kind,
            region_code=CITY_CODE,
            issuer=spec.issuer,
            domain=Domain.objects.get(code=spec.domain),
            violation=spec.violation,
            violated_provision=spec.violated,
            basis=spec.basis,
            conditions=list(spec.conditions),
            standard=spec.standard,
            measures=list(spec.measures),
            source=spec.source,
            power_items=items if spec.power_item else [],
        )
        services.lenient_item_publish(actor=admin, item=item, on=_PUBLISHED_ON)
        n += 1
    return n
