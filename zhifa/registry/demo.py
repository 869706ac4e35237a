"""Demo data: the fictional city 示范市 and province-scale generated data (``zhifa demo``).

Everything comes from a fixed seed, so two databases loaded by the same command hold the same
data (apart from primary keys and creation timestamps). The data describe the registry as of
:data:`REFERENCE_DAY`; nothing here reads today's date.

Accounts are created through :func:`services.account_create`; the bulk (agencies, review bodies,
officers, certificates and their status histories, training, exams, power items and their legal
bases) is written with ``bulk_create`` in one transaction, and each batch is recorded by one
``registry.rows.load`` entry holding its rows' state digests (:func:`services.rows_load_record`),
so ``zhifa verify`` checks demo rows like any other. What is written is what the services
would have accepted: every identifier passes :mod:`zhifa.core.identifiers`, every certificate
history follows the status table of :mod:`zhifa.registry.transitions` (申领 → 有效 → …), and
every (agency, code) has at most one published version.

Division codes are fictional but GB/T 2260-shaped: the city is 139900 (districts 139902,
139903, county 139921); the province 示范省 is 130000 with cities 138100 … 139500. Towns have
nine-digit codes in reality; a township body carries its county's six-digit code here.
"""

# The catalogue below keeps one power item per line, however long its name and basis.
# ruff: noqa: E501

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction
from tqdm import tqdm

from zhifa.core.identifiers import (
    validate_credit_code,
    validate_division_code,
    validate_landline,
    validate_mobile,
    validate_resident_id,
)
from zhifa.core.testing import credit_code, id_number

from . import replay, services
from .models import (
    Account,
    Agency,
    Certificate,
    CertificateStatusChange,
    Domain,
    ExamResult,
    LegalBasis,
    Officer,
    PowerItem,
    ReviewBody,
    TrainingRecord,
)
from .services import Basis
from .transitions import can_move_certificate, can_move_power_item

SEED = 20261101
REFERENCE_DAY = date(2026, 11, 1)  # the day the demo data describe
TRAINING_YEARS = (2024, 2025, 2026)

CITY_CODE = "139900"
CITY_NAME = "示范市"
PROVINCE_CODE = "130000"
PROVINCE_NAME = "示范省"

CS = Certificate.Status
PS = PowerItem.Status
Level = Agency.Level
Kind = Agency.Kind
Role = Account.Role

# -- demo accounts -------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    """A documented demo login (docs/demo.md lists the same)."""

    username: str
    password: str
    role: str
    scope: str
    display_name: str = ""
    note: str = ""


_MARKET = f"{CITY_NAME}市场监督管理局"
CITY_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "zhifa-admin", Role.ADMIN, "全部数据", "系统管理员"),
    DemoAccount(
        "cityadmin", "zhifa-cityadmin", Role.ADMIN, "示范市（139900）", "郑海", "区域管理员"
    ),
    DemoAccount("officer", "zhifa-officer", Role.OFFICER, _MARKET, "李明", "执法证有效"),
    DemoAccount("officer2", "zhifa-officer2", Role.OFFICER, _MARKET, "王芳", "执法证有效"),
    DemoAccount(
        "expired",
        "zhifa-expired",
        Role.OFFICER,
        _MARKET,
        "刘洋",
        "执法证已于2026-06-30过期，故意如此，用于演示不得执法",
    ),
    DemoAccount(
        "reviewer", "zhifa-reviewer", Role.REVIEWER, _MARKET, "赵敏", "法制审核科，具有法律职业资格"
    ),
    DemoAccount("head", "zhifa-head", Role.HEAD, _MARKET, "陈建国", "局长"),
    DemoAccount("publisher", "zhifa-publisher", Role.PUBLISHER, _MARKET, "孙丽", "不是执法人员"),
    DemoAccount(
        "officer_env",
        "zhifa-officer-env",
        Role.OFFICER,
        f"{CITY_NAME}生态环境局",
        "周强",
        "执法证有效",
    ),
    DemoAccount(
        "supervisor",
        "zhifa-supervisor",
        Role.SUPERVISOR,
        "示范市（139900）",
        "吴静",
        "示范市司法局，持行政执法监督证",
    ),
)

PROVINCE_ACCOUNTS: tuple[DemoAccount, ...] = (
    CITY_ACCOUNTS[0],
    DemoAccount(
        "prov_supervisor", "zhifa-prov-supervisor", Role.SUPERVISOR, "示范省（130000）", "冯立", ""
    ),
    DemoAccount(
        "prov_officer", "zhifa-prov-officer", Role.OFFICER, "一个县级市场监督管理局", "韩晓东", ""
    ),
)

# -- domains and the power-item catalogue --------------------------------------------------

DOMAINS: tuple[tuple[str, str], ...] = (
    ("market", "市场监管"),
    ("environment", "生态环境"),
    ("transport", "交通运输"),
    ("urban", "城市管理"),
    ("emergency", "应急管理"),
    ("culture", "文化市场"),
    ("agriculture", "农业农村"),
    ("resources", "自然资源"),
    ("health", "卫生健康"),
    ("water", "水务"),
    ("housing", "住房城乡建设"),
    ("labor", "人力资源社会保障"),
    ("justice", "司法行政"),
)
DOMAIN_NUMBER = {code: n for n, (code, _) in enumerate(DOMAINS, start=1)}

C = PowerItem.Category
_CATEGORY_LETTER = {
    "L": C.LICENSING,
    "P": C.PENALTY,
    "C": C.COERCION,
    "V": C.LEVY,
    "F": C.CHARGE,
    "I": C.INSPECTION,
    "Q": C.CONFIRMATION,
    "B": C.BENEFIT,
    "R": C.REWARD,
    "A": C.ADJUDICATION,
    "O": C.OTHER,
}
# Item codes read like standardised catalogue codes: XZCF-01-004 = 行政处罚, domain 1, item 4.
_CATEGORY_ABBR: dict[str, str] = {
    C.LICENSING: "XZXK",
    C.PENALTY: "XZCF",
    C.COERCION: "XZQZ",
    C.LEVY: "XZZS",
    C.CHARGE: "XZSF",
    C.INSPECTION: "XZJC",
    C.CONFIRMATION: "XZQR",
    C.BENEFIT: "XZJF",
    C.REWARD: "XZJL",
    C.ADJUDICATION: "XZCJ",
    C.OTHER: "QTQL",
}
PROCEDURES: dict[str, tuple[str, ...]] = {
    C.PENALTY: ("立案", "调查取证", "审核", "告知", "决定", "送达", "执行", "结案"),
    C.LICENSING: ("受理", "审查", "决定", "送达"),
    C.INSPECTION: ("检查准备", "实施检查", "制作检查记录", "结果处理", "结果公示"),
    # 《行政强制法》第十八条: the steps of every administrative coercive measure.
    C.COERCION: (
        "报告并经批准",
        "通知当事人到场",
        "告知理由和依据",
        "听取陈述和申辩",
        "制作现场笔录",
        "送达决定书",
        "依法处理或解除",
    ),
    C.LEVY: ("核定", "告知", "征收", "入库"),
    C.CHARGE: ("核定", "缴费通知", "收费", "开具票据"),
    C.CONFIRMATION: ("受理", "审查", "确认", "送达"),
    C.BENEFIT: ("申请", "审核", "公示", "给付"),
    C.REWARD: ("推荐", "审核", "公示", "奖励决定"),
    C.ADJUDICATION: ("申请", "受理", "调查", "裁决", "送达"),
    C.OTHER: ("受理", "审查", "办结"),
}

# One line per item: <category letter> <name> | <law> <article> [; <law> <article>].
_CATALOGUE: dict[str, str] = {
    "market": """
L 食品生产许可 | 中华人民共和国食品安全法 第三十五条
L 食品经营许可 | 中华人民共和国食品安全法 第三十五条
L 药品零售企业经营许可 | 中华人民共和国药品管理法 第五十一条
L 特种设备使用登记 | 中华人民共和国特种设备安全法 第三十三条
L 市场主体设立、变更、注销登记 | 市场主体登记管理条例 第三条
P 对未取得食品生产经营许可从事食品生产经营活动的行政处罚 | 中华人民共和国食品安全法 第一百二十二条
P 对用非食品原料生产食品、在食品中添加食品添加剂以外的化学物质的行政处罚 | 中华人民共和国食品安全法 第一百二十三条
P 对生产经营致病性微生物、农药残留等污染物质含量超过食品安全标准限量的食品的行政处罚 | 中华人民共和国食品安全法 第一百二十四条
P 对生产经营被包装材料、容器、运输工具等污染的食品的行政处罚 | 中华人民共和国食品安全法 第一百二十五条
P 对食品生产经营者未按规定建立并遵守进货查验记录制度的行政处罚 | 中华人民共和国食品安全法 第一百二十六条
P 对餐具、饮具集中消毒服务单位违反食品安全法规定的行政处罚 | 中华人民共和国食品安全法 第一百二十六条
P 对集中交易市场的开办者、柜台出租者未履行食品安全管理义务的行政处罚 | 中华人民共和国食品安全法 第一百三十条
P 对网络食品交易第三方平台提供者未履行登记、审查等义务的行政处罚 | 中华人民共和国食品安全法 第一百三十一条
P 对未按要求进行食品贮存、运输和装卸的行政处罚 | 中华人民共和国食品安全法 第一百三十二条
P 对生产、销售不符合保障人体健康和人身财产安全的国家标准、行业标准的产品的行政处罚 | 中华人民共和国产品质量法 第四十九条
P 对在产品中掺杂、掺假，以假充真、以次充好的行政处罚 | 中华人民共和国产品质量法 第五十条
P 对销售国家明令淘汰并停止销售的产品的行政处罚 | 中华人民共和国产品质量法 第五十一条
P 对销售失效、变质产品的行政处罚 | 中华人民共和国产品质量法 第五十二条
P 对伪造产品产地、伪造或者冒用他人厂名厂址的行政处罚 | 中华人民共和国产品质量法 第五十三条
P 对产品标识不符合规定的行政处罚 | 中华人民共和国产品质量法 第五十四条
P 对发布虚假广告的行政处罚 | 中华人民共和国广告法 第五十五条
P 对发布含有禁止内容的广告的行政处罚 | 中华人民共和国广告法 第五十七条
P 对经营者侵害消费者权益行为的行政处罚 | 中华人民共和国消费者权益保护法 第五十六条
P 对经营者不执行政府指导价、政府定价的行政处罚 | 中华人民共和国价格法 第三十九条
P 对经营者违反明码标价规定的行政处罚 | 中华人民共和国价格法 第四十二条
P 对经营者实施混淆行为的行政处罚 | 中华人民共和国反不正当竞争法 第十八条
P 对经营者进行虚假或者引人误解的商业宣传的行政处罚 | 中华人民共和国反不正当竞争法 第二十条
P 对将未注册商标冒充注册商标使用的行政处罚 | 中华人民共和国商标法 第五十二条
P 对侵犯注册商标专用权行为的行政处罚 | 中华人民共和国商标法 第六十条
P 对使用未取得许可生产、未经检验或者检验不合格的特种设备的行政处罚 | 中华人民共和国特种设备安全法 第八十四条第（一）项
P 对特种设备出现故障未全面检查、消除事故隐患继续使用的行政处罚 | 中华人民共和国特种设备安全法 第八十四条第（二）项
P 对特种设备使用单位未按规定办理使用登记的行政处罚 | 中华人民共和国特种设备安全法 第八十三条
P 对未配备具有相应资格的特种设备安全管理人员和作业人员的行政处罚 | 中华人民共和国特种设备安全法 第八十六条
P 对使用不合格计量器具或者破坏计量器具准确度的行政处罚 | 中华人民共和国计量法实施细则 第四十六条
P 对未取得药品经营许可证销售药品的行政处罚 | 中华人民共和国药品管理法 第一百一十五条
P 对销售假药的行政处罚 | 中华人民共和国药品管理法 第一百一十六条
P 对销售劣药的行政处罚 | 中华人民共和国药品管理法 第一百一十七条
P 对药品经营企业未按规定销售处方药的行政处罚 | 中华人民共和国药品管理法 第一百三十条
P 对经营不符合强制性标准的医疗器械的行政处罚 | 医疗器械监督管理条例 第八十六条
P 对经营不符合强制性国家标准的化妆品的行政处罚 | 化妆品监督管理条例 第六十条
P 对未经设立登记从事经营活动的行政处罚 | 市场主体登记管理条例 第四十三条
P 对市场主体未依法办理变更登记的行政处罚 | 市场主体登记管理条例 第四十六条
P 对电子商务经营者未在首页显著位置公示营业执照信息的行政处罚 | 中华人民共和国电子商务法 第七十六条
P 对无照经营行为的行政处罚 | 无证无照经营查处办法 第十三条
C 查封、扣押不符合食品安全标准的食品及有关物品 | 中华人民共和国食品安全法 第一百一十条
C 查封、扣押不符合保障人体健康和人身财产安全标准的产品 | 中华人民共和国产品质量法 第十八条
C 查封、扣押不符合安全技术规范要求的特种设备 | 中华人民共和国特种设备安全法 第六十一条
C 查封、扣押与涉嫌违法广告直接相关的广告物品、经营工具 | 中华人民共和国广告法 第四十九条
C 查封、扣押有证据证明可能危害人体健康的药品 | 中华人民共和国药品管理法 第一百条
I 对食品生产经营者的监督检查 | 中华人民共和国食品安全法 第一百一十条
I 产品质量监督抽查 | 中华人民共和国产品质量法 第十五条
I 对特种设备生产、经营、使用单位的监督检查 | 中华人民共和国特种设备安全法 第六十一条
I 对药品零售企业的监督检查 | 中华人民共和国药品管理法 第九十九条
I 对广告活动的监督检查 | 中华人民共和国广告法 第四十九条
I 对价格活动的监督检查 | 中华人民共和国价格法 第三十四条
I 对企业公示信息的抽查 | 企业信息公示暂行条例 第十四条
R 对举报食品安全违法行为的奖励 | 中华人民共和国食品安全法 第一百一十五条
""",
    "environment": """
L 建设项目环境影响报告书（表）审批 | 中华人民共和国环境影响评价法 第二十二条
L 排污许可证核发 | 排污许可管理条例 第二条
L 危险废物经营许可 | 中华人民共和国固体废物污染环境防治法 第八十条
L 辐射安全许可 | 中华人民共和国放射性污染防治法 第二十八条
P 对未依法取得排污许可证排放大气污染物的行政处罚 | 中华人民共和国大气污染防治法 第九十九条第（一）项
P 对超过大气污染物排放标准排放大气污染物的行政处罚 | 中华人民共和国大气污染防治法 第九十九条第（二）项
P 对未按规定对大气污染物进行监测并保存原始监测记录的行政处罚 | 中华人民共和国大气污染防治法 第一百条
P 对生产、销售不符合标准的机动车船燃料的行政处罚 | 中华人民共和国大气污染防治法 第一百零三条
P 对产生含挥发性有机物废气的生产活动未在密闭空间或者设备中进行的行政处罚 | 中华人民共和国大气污染防治法 第一百零八条
P 对施工单位未采取有效防尘降尘措施的行政处罚 | 中华人民共和国大气污染防治法 第一百一十五条
P 对露天焚烧秸秆、落叶等产生烟尘污染物质的行政处罚 | 中华人民共和国大气污染防治法 第一百一十九条第一款
P 对在人口集中地区焚烧沥青、油毡、橡胶、塑料、皮革、垃圾的行政处罚 | 中华人民共和国大气污染防治法 第一百一十九条第二款
P 对未按规定对所排放的水污染物自行监测的行政处罚 | 中华人民共和国水污染防治法 第八十二条
P 对未依法取得排污许可证排放水污染物的行政处罚 | 中华人民共和国水污染防治法 第八十三条第（一）项
P 对超过水污染物排放标准排放水污染物的行政处罚 | 中华人民共和国水污染防治法 第八十三条第（二）项
P 对利用渗井、渗坑或者私设暗管等逃避监管的方式排放水污染物的行政处罚 | 中华人民共和国水污染防治法 第八十三条第（三）项
P 对在饮用水水源保护区内设置排污口的行政处罚 | 中华人民共和国水污染防治法 第八十四条
P 对向水体排放油类、酸液、碱液的行政处罚 | 中华人民共和国水污染防治法 第八十五条
P 对建设项目未依法报批环境影响评价文件擅自开工建设的行政处罚 | 中华人民共和国环境影响评价法 第三十一条
P 对环境保护设施未经验收即投入生产或者使用的行政处罚 | 建设项目环境保护管理条例 第二十三条
P 对未按规定贮存、利用、处置工业固体废物的行政处罚 | 中华人民共和国固体废物污染环境防治法 第一百零二条
P 对违反危险废物管理规定的行政处罚 | 中华人民共和国固体废物污染环境防治法 第一百一十二条
P 对无许可证从事收集、贮存、利用、处置危险废物经营活动的行政处罚 | 中华人民共和国固体废物污染环境防治法 第一百一十四条
P 对拒不改正违法排放污染物行为的按日连续处罚 | 中华人民共和国环境保护法 第五十九条
P 对重点排污单位不公开或者不如实公开环境信息的行政处罚 | 中华人民共和国环境保护法 第六十二条
P 对排污单位未取得排污许可证排放污染物的行政处罚 | 排污许可管理条例 第三十三条
P 对超过噪声排放标准排放工业噪声的行政处罚 | 中华人民共和国噪声污染防治法 第七十五条
C 查封、扣押造成或者可能造成严重污染的设施、设备 | 中华人民共和国环境保护法 第二十五条
C 查封、扣押违法收集、贮存、处置固体废物的设施、设备、场所 | 中华人民共和国固体废物污染环境防治法 第二十七条
I 对排放污染物的企业事业单位的现场检查 | 中华人民共和国环境保护法 第二十四条
I 对产生、收集、贮存、处置固体废物单位的现场检查 | 中华人民共和国固体废物污染环境防治法 第二十六条
I 对机动车排放检验机构的监督检查 | 中华人民共和国大气污染防治法 第五十四条
R 对在保护和改善环境方面有显著成绩的单位和个人的奖励 | 中华人民共和国环境保护法 第十一条
""",
    "transport": """
L 道路旅客运输经营许可 | 中华人民共和国道路运输条例 第十条
L 道路货物运输经营许可 | 中华人民共和国道路运输条例 第二十四条
L 网络预约出租汽车经营许可 | 网络预约出租汽车经营服务管理暂行办法 第五条
L 公路超限运输许可 | 公路安全保护条例 第三十五条
L 占用、挖掘公路许可 | 中华人民共和国公路法 第四十四条
P 对未取得道路运输经营许可擅自从事道路运输经营的行政处罚 | 中华人民共和国道路运输条例 第六十三条
P 对不符合规定条件的人员驾驶道路运输经营车辆的行政处罚 | 中华人民共和国道路运输条例 第六十四条
P 对客运经营者、货运经营者不按规定维护和检测运输车辆的行政处罚 | 中华人民共和国道路运输条例 第七十条
P 对未取得经营许可擅自从事网约车经营活动的行政处罚 | 网络预约出租汽车经营服务管理暂行办法 第三十四条
P 对擅自占用、挖掘公路的行政处罚 | 中华人民共和国公路法 第七十六条
P 对造成公路路面损坏、污染或者影响公路畅通的行政处罚 | 中华人民共和国公路法 第七十七条
P 对在公路建筑控制区内修建建筑物、地面构筑物的行政处罚 | 中华人民共和国公路法 第八十一条
P 对车辆违法超限运输的行政处罚 | 公路安全保护条例 第六十四条
I 公路监督检查 | 中华人民共和国公路法 第七十一条
""",
    "urban": """
L 城市大型户外广告设置审批 | 城市市容和环境卫生管理条例 第十一条
L 城市道路占用、挖掘许可 | 城市道路管理条例 第三十条
L 临时占用城市绿化用地审批 | 城市绿化条例 第二十条
L 城镇污水排入排水管网许可 | 城镇排水与污水处理条例 第二十一条
L 城市建筑垃圾处置核准 | 城市建筑垃圾管理规定 第七条
P 对随地吐痰、便溺，乱扔果皮、纸屑和烟头等废弃物的行政处罚 | 城市市容和环境卫生管理条例 第三十四条第（一）项
P 对在城市建筑物、设施以及树木上涂写、刻画的行政处罚 | 城市市容和环境卫生管理条例 第三十四条第（二）项
P 对未经批准在城市建筑物、设施以及树木上张挂、张贴宣传品的行政处罚 | 城市市容和环境卫生管理条例 第三十四条第（三）项
P 对在临街建筑物的阳台和窗外堆放、吊挂有碍市容物品的行政处罚 | 城市市容和环境卫生管理条例 第三十四条第（四）项
P 对不按规定的时间、地点、方式倾倒垃圾、粪便的行政处罚 | 城市市容和环境卫生管理条例 第三十四条第（五）项
P 对擅自设置大型户外广告影响市容的行政处罚 | 城市市容和环境卫生管理条例 第三十六条第（一）项
P 对未经批准擅自在街道两侧和公共场地堆放物料、搭建建筑物、构筑物的行政处罚 | 城市市容和环境卫生管理条例 第三十六条第（二）项
P 对饲养家畜家禽影响市容和环境卫生的行政处罚 | 城市市容和环境卫生管理条例 第三十七条
P 对损坏各类环境卫生设施及其附属设施的行政处罚 | 城市市容和环境卫生管理条例 第三十九条
P 对擅自占用或者挖掘城市道路的行政处罚 | 城市道路管理条例 第四十二条
P 对损坏城市树木花草的行政处罚 | 城市绿化条例 第二十六条第（一）项
P 对擅自砍伐城市树木的行政处罚 | 城市绿化条例 第二十六条第（二）项
P 对擅自占用城市绿化用地的行政处罚 | 城市绿化条例 第二十七条
P 对未取得建设工程规划许可证进行建设的行政处罚 | 中华人民共和国城乡规划法 第六十四条
P 对未取得乡村建设规划许可证进行建设的行政处罚 | 中华人民共和国城乡规划法 第六十五条
P 对随意倾倒、抛撒、堆放或者焚烧生活垃圾的行政处罚 | 中华人民共和国固体废物污染环境防治法 第一百一十一条
P 对未经核准处置建筑垃圾的行政处罚 | 城市建筑垃圾管理规定 第二十五条
P 对随意倾倒、抛撒或者堆放建筑垃圾的行政处罚 | 城市建筑垃圾管理规定 第二十六条
P 对排水户未取得污水排入排水管网许可证排放污水的行政处罚 | 城镇排水与污水处理条例 第五十条
P 对擅自拆除、改动城镇排水与污水处理设施的行政处罚 | 城镇排水与污水处理条例 第五十四条
P 对运输渣土、砂石等物料的车辆未采取密闭措施防止物料遗撒的行政处罚 | 中华人民共和国大气污染防治法 第一百一十六条
P 对餐饮服务业经营者未安装油烟净化设施的行政处罚 | 中华人民共和国大气污染防治法 第一百一十八条第一款
P 对在禁止的时段和区域内露天烧烤食品的行政处罚 | 中华人民共和国大气污染防治法 第一百一十八条第三款
C 强制拆除违法建筑物、构筑物 | 中华人民共和国城乡规划法 第六十八条
C 查封违法建设施工现场 | 中华人民共和国城乡规划法 第六十八条
I 对城市道路占用、挖掘的监督检查 | 城市道路管理条例 第三十条
F 污水处理费征收 | 城镇排水与污水处理条例 第三十二条
""",
    "emergency": """
L 危险化学品经营许可 | 危险化学品安全管理条例 第三十三条
L 烟花爆竹零售经营许可 | 烟花爆竹安全管理条例 第十九条
L 非煤矿矿山企业安全生产许可 | 安全生产许可证条例 第二条
P 对未按规定设置安全生产管理机构或者配备安全生产管理人员的行政处罚 | 中华人民共和国安全生产法 第九十七条第（一）项
P 对未按规定对从业人员进行安全生产教育和培训的行政处罚 | 中华人民共和国安全生产法 第九十七条第（三）项
P 对未如实记录安全生产教育和培训情况的行政处罚 | 中华人民共和国安全生产法 第九十七条第（四）项
P 对未将事故隐患排查治理情况如实记录或者未向从业人员通报的行政处罚 | 中华人民共和国安全生产法 第九十七条第（五）项
P 对未按规定制定生产安全事故应急救援预案或者未定期组织演练的行政处罚 | 中华人民共和国安全生产法 第九十七条第（六）项
P 对特种作业人员未取得相应资格上岗作业的行政处罚 | 中华人民共和国安全生产法 第九十七条第（七）项
P 对生产经营单位主要负责人未履行安全生产管理职责的行政处罚 | 中华人民共和国安全生产法 第九十四条
P 对未在有较大危险因素的场所和设施设备上设置明显的安全警示标志的行政处罚 | 中华人民共和国安全生产法 第九十九条第（一）项
P 对重大危险源未登记建档或者未进行评估、监控的行政处罚 | 中华人民共和国安全生产法 第一百零一条第（二）项
P 对未采取措施消除事故隐患的行政处罚 | 中华人民共和国安全生产法 第一百零二条
P 对将生产经营项目、场所、设备发包或者出租给不具备安全生产条件的单位的行政处罚 | 中华人民共和国安全生产法 第一百零三条
P 对危险物品仓库与员工宿舍在同一座建筑物内的行政处罚 | 中华人民共和国安全生产法 第一百零五条
P 对与从业人员订立协议免除或者减轻其安全生产责任的行政处罚 | 中华人民共和国安全生产法 第一百零六条
P 对拒绝、阻碍依法实施安全生产监督检查的行政处罚 | 中华人民共和国安全生产法 第一百零八条
P 对发生生产安全事故负有责任的生产经营单位的行政处罚 | 中华人民共和国安全生产法 第一百一十四条
P 对未取得危险化学品经营许可证经营危险化学品的行政处罚 | 危险化学品安全管理条例 第七十七条
P 对未取得安全生产许可证擅自进行生产的行政处罚 | 安全生产许可证条例 第十九条
P 对未经许可经营烟花爆竹制品的行政处罚 | 烟花爆竹安全管理条例 第三十六条
P 对事故发生单位谎报或者瞒报事故的行政处罚 | 生产安全事故报告和调查处理条例 第三十六条
C 查封、扣押不符合国家标准或者行业标准的设施、设备、器材 | 中华人民共和国安全生产法 第六十五条
I 对生产经营单位执行安全生产法律法规情况的监督检查 | 中华人民共和国安全生产法 第六十五条
R 对报告重大事故隐患或者举报安全生产违法行为的有功人员的奖励 | 中华人民共和国安全生产法 第七十六条
""",
    "culture": """
L 娱乐场所经营许可 | 娱乐场所管理条例 第九条
L 互联网上网服务营业场所经营许可 | 互联网上网服务营业场所管理条例 第十条
L 营业性演出许可 | 营业性演出管理条例 第十三条
L 旅行社业务经营许可 | 旅行社条例 第六条
P 对未经许可擅自从事娱乐场所经营活动的行政处罚 | 娱乐场所管理条例 第四十一条
P 对娱乐场所接纳未成年人的行政处罚 | 娱乐场所管理条例 第四十八条
P 对擅自从事互联网上网服务经营活动的行政处罚 | 互联网上网服务营业场所管理条例 第二十七条
P 对上网服务营业场所在规定的营业时间以外营业的行政处罚 | 互联网上网服务营业场所管理条例 第三十一条第（一）项
P 对上网服务营业场所接纳未成年人进入营业场所的行政处罚 | 互联网上网服务营业场所管理条例 第三十一条第（二）项
P 对未取得营业性演出许可证举办营业性演出的行政处罚 | 营业性演出管理条例 第四十三条
P 对未经批准擅自从事出版物发行业务的行政处罚 | 出版管理条例 第六十一条
P 对未经批准擅自从事印刷经营活动的行政处罚 | 印刷业管理条例 第三十五条
P 对侵犯著作权并损害公共利益的行政处罚 | 中华人民共和国著作权法 第五十三条
P 对未取得旅行社业务经营许可经营旅行社业务的行政处罚 | 旅行社条例 第四十六条
C 查封、扣押涉嫌侵犯著作权的场所和物品 | 中华人民共和国著作权法 第五十五条
I 对互联网上网服务营业场所经营活动的监督检查 | 互联网上网服务营业场所管理条例 第四条
""",
    "agriculture": """
L 农药经营许可 | 农药管理条例 第二十四条
L 兽药经营许可 | 兽药管理条例 第二十二条
L 渔业捕捞许可 | 中华人民共和国渔业法 第二十三条
P 对农药使用者使用禁用的农药的行政处罚 | 农药管理条例 第六十条
P 对未取得农药经营许可证经营农药的行政处罚 | 农药管理条例 第五十七条
P 对无兽药经营许可证经营兽药的行政处罚 | 兽药管理条例 第五十六条
P 对使用禁用的兽药和其他化合物的行政处罚 | 兽药管理条例 第六十二条
P 对生产经营假种子的行政处罚 | 中华人民共和国种子法 第七十四条
P 对生产经营劣种子的行政处罚 | 中华人民共和国种子法 第七十五条
P 对使用炸鱼、毒鱼、电鱼等破坏渔业资源方法进行捕捞的行政处罚 | 中华人民共和国渔业法 第三十八条
P 对未依法取得捕捞许可证擅自进行捕捞的行政处罚 | 中华人民共和国渔业法 第四十一条
P 对未取得生产许可证生产饲料添加剂的行政处罚 | 饲料和饲料添加剂管理条例 第三十八条
P 对未经定点从事生猪屠宰活动的行政处罚 | 生猪屠宰管理条例 第三十一条
P 对经营未附有检疫证明的动物产品的行政处罚 | 中华人民共和国动物防疫法 第一百条
C 查封、扣押假农药、劣质农药 | 农药管理条例 第四十一条
I 对农药经营者的监督检查 | 农药管理条例 第四十一条
""",
    "resources": """
L 建设用地规划许可 | 中华人民共和国城乡规划法 第三十七条
L 建设工程规划许可 | 中华人民共和国城乡规划法 第四十条
L 乡村建设规划许可 | 中华人民共和国城乡规划法 第四十一条
L 农用地转用审批 | 中华人民共和国土地管理法 第四十四条
L 临时用地审批 | 中华人民共和国土地管理法 第五十七条
L 采矿权登记 | 中华人民共和国矿产资源法 第三条
P 对买卖或者以其他形式非法转让土地的行政处罚 | 中华人民共和国土地管理法 第七十四条
P 对占用耕地建窑、建坟或者擅自在耕地上建房、挖砂、采石、取土的行政处罚 | 中华人民共和国土地管理法 第七十五条
P 对拒不履行土地复垦义务的行政处罚 | 中华人民共和国土地管理法 第七十六条
P 对未经批准或者采取欺骗手段骗取批准，非法占用土地的行政处罚 | 中华人民共和国土地管理法 第七十七条
P 对农村村民未经批准或者采取欺骗手段骗取批准，非法占用土地建住宅的行政处罚 | 中华人民共和国土地管理法 第七十八条
P 对拒不交还土地的行政处罚 | 中华人民共和国土地管理法 第八十一条
P 对擅自将农民集体所有的土地通过出让、出租等方式用于非农业建设的行政处罚 | 中华人民共和国土地管理法 第八十二条
P 对未取得采矿许可证擅自采矿的行政处罚 | 中华人民共和国矿产资源法 第三十九条
P 对超越批准的矿区范围采矿的行政处罚 | 中华人民共和国矿产资源法 第四十条
P 对未取得测绘资质证书擅自从事测绘活动的行政处罚 | 中华人民共和国测绘法 第五十五条
P 对测绘成果质量不合格的行政处罚 | 中华人民共和国测绘法 第六十三条
P 对损毁、擅自移动永久性测量标志的行政处罚 | 中华人民共和国测绘法 第六十四条
V 集体土地征收 | 中华人民共和国土地管理法 第四十七条
Q 不动产登记 | 不动产登记暂行条例 第三条
A 土地权属争议裁决 | 中华人民共和国土地管理法 第十四条
I 对违反土地管理法律法规行为的监督检查 | 中华人民共和国土地管理法 第六十八条
""",
    "health": """
L 公共场所卫生许可 | 公共场所卫生管理条例 第八条
L 医疗机构执业登记 | 医疗机构管理条例 第十四条
P 对未取得医疗机构执业许可证擅自执业的行政处罚 | 中华人民共和国基本医疗卫生与健康促进法 第九十九条
P 对非医师行医的行政处罚 | 中华人民共和国医师法 第五十九条
P 对公共场所卫生质量不符合国家卫生标准和要求而继续营业的行政处罚 | 公共场所卫生管理条例 第十四条
P 对公共场所经营者未取得卫生许可证擅自营业的行政处罚 | 公共场所卫生管理条例实施细则 第三十五条
P 对公共场所经营者未按规定对顾客用品用具进行清洗、消毒的行政处罚 | 公共场所卫生管理条例实施细则 第三十六条
P 对用人单位未按规定申报产生职业病危害的项目的行政处罚 | 中华人民共和国职业病防治法 第七十一条
P 对医疗机构违反传染病防治规定的行政处罚 | 中华人民共和国传染病防治法 第六十九条
P 对饮用水供水单位供应的饮用水不符合国家卫生标准的行政处罚 | 中华人民共和国传染病防治法 第七十三条
P 对医疗机构使用未取得处方权的人员开具处方的行政处罚 | 处方管理办法 第五十四条
C 封闭被传染病病原体污染的公共饮用水源 | 中华人民共和国传染病防治法 第五十五条
I 对公共场所的卫生监督检查 | 公共场所卫生管理条例 第十条
""",
    "water": """
L 取水许可 | 中华人民共和国水法 第四十八条
L 河道管理范围内建设项目工程建设方案审批 | 中华人民共和国水法 第三十八条
L 生产建设项目水土保持方案审批 | 中华人民共和国水土保持法 第二十五条
L 河道采砂许可 | 中华人民共和国河道管理条例 第二十五条
P 对在河道管理范围内建设妨碍行洪的建筑物、构筑物的行政处罚 | 中华人民共和国水法 第六十五条
P 对未经批准擅自在江河、湖泊新建、改建或者扩大排污口的行政处罚 | 中华人民共和国水法 第六十七条
P 对未经批准擅自取水的行政处罚 | 中华人民共和国水法 第六十九条
P 对拒不缴纳水资源费的行政处罚 | 中华人民共和国水法 第七十条
P 对毁坏水工程及堤防、护岸等有关设施的行政处罚 | 中华人民共和国水法 第七十二条
P 对在行洪河道内种植阻碍行洪的林木和高秆作物的行政处罚 | 中华人民共和国防洪法 第五十五条
P 对在崩塌、滑坡危险区或者泥石流易发区取土、挖砂、采石的行政处罚 | 中华人民共和国水土保持法 第四十八条
P 对生产建设项目未编制水土保持方案擅自开工建设的行政处罚 | 中华人民共和国水土保持法 第五十三条
P 对拒不缴纳水土保持补偿费的行政处罚 | 中华人民共和国水土保持法 第五十七条
P 对在河道管理范围内弃置、堆放阻碍行洪物体的行政处罚 | 中华人民共和国河道管理条例 第四十四条
P 对未经批准在河道管理范围内采砂、取土的行政处罚 | 中华人民共和国河道管理条例 第四十四条
V 水土保持补偿费征收 | 中华人民共和国水土保持法 第三十二条
V 水资源费征收 | 中华人民共和国水法 第四十八条
C 强行拆除河道管理范围内妨碍行洪的建筑物、构筑物 | 中华人民共和国水法 第六十五条
I 对取水、用水单位的监督检查 | 中华人民共和国水法 第六十条
""",
    "housing": """
L 建筑工程施工许可 | 中华人民共和国建筑法 第七条
L 燃气经营许可 | 城镇燃气管理条例 第十五条
L 商品房预售许可 | 中华人民共和国城市房地产管理法 第四十五条
P 对建设单位未取得施工许可证擅自施工的行政处罚 | 中华人民共和国建筑法 第六十四条; 建设工程质量管理条例 第五十七条
P 对超越本单位资质等级承揽工程的行政处罚 | 中华人民共和国建筑法 第六十五条
P 对建设单位将建设工程发包给不具有相应资质等级的单位的行政处罚 | 建设工程质量管理条例 第五十四条
P 对施工图设计文件未经审查或者审查不合格擅自施工的行政处罚 | 建设工程质量管理条例 第五十六条
P 对建设单位未组织竣工验收擅自交付使用的行政处罚 | 建设工程质量管理条例 第五十八条
P 对施工单位在施工中偷工减料的行政处罚 | 建设工程质量管理条例 第六十四条
P 对施工单位未设立安全生产管理机构、配备专职安全生产管理人员的行政处罚 | 建设工程安全生产管理条例 第六十二条
P 对施工单位未对毗邻建筑物采取专项防护措施的行政处罚 | 建设工程安全生产管理条例 第六十四条
P 对未取得燃气经营许可证从事燃气经营活动的行政处罚 | 城镇燃气管理条例 第四十五条
P 对未取得商品房预售许可证预售商品房的行政处罚 | 中华人民共和国城市房地产管理法 第六十八条
P 对物业服务企业将一个物业管理区域内的全部物业管理一并委托给他人的行政处罚 | 物业管理条例 第五十九条
I 对建设工程质量的监督检查 | 建设工程质量管理条例 第四十八条
I 对建设工程安全生产的监督检查 | 建设工程安全生产管理条例 第四十三条
O 建设工程竣工验收备案 | 建设工程质量管理条例 第四十九条
""",
    "labor": """
L 劳务派遣经营许可 | 中华人民共和国劳动合同法 第五十七条
L 人力资源服务许可 | 人力资源市场暂行条例 第十八条
P 对用人单位克扣或者无故拖欠劳动者工资报酬的行政处罚 | 劳动保障监察条例 第二十六条
P 对用人单位使用童工的行政处罚 | 禁止使用童工规定 第六条
P 对违反女职工和未成年工特殊劳动保护规定的行政处罚 | 劳动保障监察条例 第二十三条
P 对安排劳动者延长工作时间超过法定限度的行政处罚 | 劳动保障监察条例 第二十五条
P 对用人单位不办理社会保险登记的行政处罚 | 中华人民共和国社会保险法 第八十四条
P 对用人单位未按时足额缴纳社会保险费的行政处罚 | 中华人民共和国社会保险法 第八十六条
P 对以欺诈、伪造证明材料等手段骗取社会保险待遇的行政处罚 | 中华人民共和国社会保险法 第八十八条
P 对未经许可擅自经营劳务派遣业务的行政处罚 | 中华人民共和国劳动合同法 第九十二条
P 对职业中介机构提供虚假就业信息的行政处罚 | 中华人民共和国就业促进法 第六十五条
I 劳动保障监察 | 劳动保障监察条例 第十五条
Q 工伤认定 | 工伤保险条例 第十四条; 工伤保险条例 第十七条
B 失业保险金给付 | 中华人民共和国社会保险法 第四十五条
""",
    "justice": """
P 对律师同时在两个以上律师事务所执业的行政处罚 | 中华人民共和国律师法 第四十七条
P 对律师事务所违反规定接受委托、收取费用的行政处罚 | 中华人民共和国律师法 第五十条
P 对没有取得律师执业证书的人员以律师名义从事法律服务业务的行政处罚 | 中华人民共和国律师法 第五十五条
P 对公证机构及其公证员违反规定的行政处罚 | 中华人民共和国公证法 第四十一条
I 对律师事务所、律师执业活动的监督检查 | 中华人民共和国律师法 第四条
B 法律援助 | 中华人民共和国法律援助法 第二条
R 对有突出贡献的人民调解委员会和人民调解员的表彰奖励 | 中华人民共和国人民调解法 第六条
""",
}
# A town's own power (not empowered): 《土地管理法》第六十二条 — 乡（镇）人民政府审核批准宅基地.
_TOWN_OWN = "L 农村村民宅基地审批 | 中华人民共和国土地管理法 第六十二条"
# Domains whose penalties, inspections and coercive measures are handed down to townships
# (乡镇赋权, 《关于推进基层整合审批服务执法力量的实施意见》).
TOWNSHIP_DOMAINS = ("urban", "resources", "water", "housing", "agriculture", "emergency")
_TOWNSHIP_CATEGORIES = (C.PENALTY, C.INSPECTION, C.COERCION)


@dataclass(frozen=True)
class PowerSpec:
    """One catalogue item: the same code at every agency that holds it."""

    code: str
    domain: str
    category: str
    name: str
    bases: tuple[Basis, ...]
    random_inspection: bool


def _parse_line(line: str) -> tuple[str, str, tuple[Basis, ...]]:
    head, _, tail = line.partition("|")
    category = _CATEGORY_LETTER[head[0]]
    bases = []
    for part in tail.split(";"):
        law, _, article = part.strip().rpartition(" ")
        bases.append(Basis(law=law, article=article))
    return category, head[1:].strip(), tuple(bases)


def _build_catalogue() -> tuple[dict[str, list[PowerSpec]], PowerSpec]:
    flags = random.Random(SEED + 1)  # which inspections are 随机抽查事项: fixed per item
    catalogue: dict[str, list[PowerSpec]] = {}
    for domain, text in _CATALOGUE.items():
        counters: dict[str, int] = {}
        specs = []
        for line in text.strip().splitlines():
            category, name, bases = _parse_line(line)
            counters[category] = counters.get(category, 0) + 1
            code = (
                f"{_CATEGORY_ABBR[category]}-{DOMAIN_NUMBER[domain]:02d}-{counters[category]:03d}"
            )
            random_inspection = category == C.INSPECTION and flags.random() < 0.7
            specs.append(PowerSpec(code, domain, category, name, bases, random_inspection))
        catalogue[domain] = specs
    category, name, bases = _parse_line(_TOWN_OWN)
    town_own = PowerSpec("XZXK-99-001", "resources", category, name, bases, False)
    return catalogue, town_own


CATALOGUE, TOWN_OWN_SPEC = _build_catalogue()
TOWNSHIP_POOL: tuple[PowerSpec, ...] = tuple(
    s for d in TOWNSHIP_DOMAINS for s in CATALOGUE[d] if s.category in _TOWNSHIP_CATEGORIES
)

# -- people --------------------------------------------------------------------------------

# The most common surnames, weighted roughly by frequency (per mille of the population).
_SURNAMES = (
    "王72 李72 张68 刘54 陈45 杨31 黄22 赵20 吴20 周19 徐13 孙12 马12 朱11 胡10 郭10 何9 "
    "高9 林9 罗8 郑8 梁8 谢6 宋6 唐6 许5 韩5 冯5 邓5 曹5 彭5 曾5 肖4 田4 董4 袁4 潘4 于4 "
    "蒋4 蔡4 余4 杜4 叶4 程4 苏3 魏3 吕3 丁3 任3 沈3 姚3 卢3 姜3 崔3 钟3 谭3 陆3 汪2 范2 "
    "金2 石2 廖2 贾2 夏2 韦2 付2 方2 白2 邹2 孟2 熊2 秦2 邱2 江2 尹2 薛2 闫2 段2 雷2 侯2 "
    "龙2 史2 陶2 黎2 贺2 顾2 毛2 郝2 龚2 邵2 万2 钱2 严2 覃1 武1 戴1 莫1 孔1 向1 汤1 常1 "
    "温1 康1 施1 文1 牛1 樊1 葛1 邢1 安1 齐1 易1 乔1 伍1 庞1 颜1 倪1 庄1 聂1 章1 鲁1 岳1"
)
SURNAMES: tuple[str, ...] = tuple(s[0] for s in _SURNAMES.split())
SURNAME_WEIGHTS: tuple[int, ...] = tuple(int(s[1:]) for s in _SURNAMES.split())
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁健亮俊帅浩宇凯旭东海峰林建国志文博晨阳"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪慧红梅琳颖洁佳倩晶莉萍悦欣怡雯璐蕾琴丹妍瑶琪"
GIVEN_ANY = "子思嘉雨天一诗晓春秋新永立振泽玉光"

# Mobile prefixes of the three carriers (validate_mobile accepts 13x–19x).
_MOBILE_PREFIXES = tuple(f"1{n}" for n in (33, 35, 36, 38, 39, 50, 51, 52, 53, 58, 59, 77, 80))
_MOBILE_PREFIXES += tuple(f"1{n}" for n in (82, 86, 87, 88, 89, 99))

_LEGAL_COURSES = (
    "习近平法治思想专题培训",
    "《中华人民共和国行政处罚法》专题培训",
    "《中华人民共和国行政许可法》解读",
    "《中华人民共和国行政强制法》实务",
    "行政执法“三项制度”专题培训",
    "行政复议与行政诉讼典型案例研讨",
    "《中华人民共和国民法典》与行政执法",
    "行政执法文书制作规范培训",
)
_PROFESSIONAL_COURSES: dict[str, tuple[str, ...]] = {
    "market": ("食品安全监管实务", "特种设备安全监察实务", "广告与价格监管执法"),
    "environment": ("生态环境执法大练兵", "排污许可证后监管实务", "环境监测数据弄虚作假查处"),
    "transport": ("道路运输执法规范化培训", "治超执法实务"),
    "urban": ("城市管理综合执法实务", "违法建设查处与拆除程序"),
    "emergency": ("安全生产执法检查实务", "危险化学品安全监管"),
    "culture": ("文化市场综合执法实务", "网络文化市场执法"),
    "agriculture": ("农业综合执法实务", "农资打假执法培训"),
    "resources": ("自然资源执法监察实务", "土地卫片执法检查"),
    "health": ("卫生健康监督执法实务", "医疗机构监督检查"),
    "water": ("水行政执法实务", "河道采砂监管"),
    "housing": ("建设工程质量安全监管", "燃气安全监管实务"),
    "labor": ("劳动保障监察实务", "根治欠薪执法培训"),
    "justice": ("行政执法监督实务", "行政执法案卷评查标准"),
}
_SUSPEND_REASONS = (
    "涉嫌违纪接受调查，暂扣执法证件",
    "执法过错责任追究期间，暂扣执法证件",
    "年度考核不合格，暂扣执法证件",
    "未按规定参加年度培训，暂扣执法证件",
)
_RESTORE_REASONS = ("调查结束，恢复执法资格", "补足培训学时并考核合格，恢复执法资格")
_LEAVE_REASONS = ("调离执法岗位", "退休", "辞职", "调任其他单位")
_CHANGE_NOTES = (
    "依据《中华人民共和国行政处罚法》（2021年修订）调整办理流程",
    "依据法律修正情况更新设定依据条款",
    "按照权责清单动态调整要求规范事项名称",
    "增加法制审核环节，明确重大执法决定范围",
    "依据机构改革调整实施主体和实施层级",
)
_REPEAL_REASONS = ("上位法修改，该事项已无法定依据", "职责划转至其他部门", "事项合并")

_T = TypeVar("_T")
_M = TypeVar("_M", bound=models.Model)

# -- plans ---------------------------------------------------------------------------------


@dataclass
class OfficerPlan:
    """A named officer the demo accounts rely on (the rest are random)."""

    key: str
    name: str
    female: bool
    position: str
    fate: str = "valid"
    review: bool = False
    legal: bool = False
    expires_on: date | None = None
    supervision: bool = False


@dataclass
class AgencyPlan:
    key: str
    name: str
    level: str
    division: str
    kind: str
    domains: tuple[str, ...]
    officers: int
    parent: str | None = None
    entrusted_by: str | None = None
    township: bool = False
    town: bool = False  # a 镇/乡 (not a 街道): holds its own 宅基地审批
    empowering_decision: str = ""
    items: int | None = None  # None: every catalogue item of its domains
    review_name: str = ""
    address: str = ""
    phone: str = ""
    announced_on: date | None = None
    forced: tuple[OfficerPlan, ...] = ()
    supervisors: bool = False  # a 司法局: some officers hold 行政执法监督证


def _short(name: str) -> str:
    """示范市甲区市场监督管理局 → 甲区市场监督管理局 (for a review body's name)."""
    for prefix in (PROVINCE_NAME, CITY_NAME):
        if name.startswith(prefix) and len(name) > len(prefix) + 4:
            return name[len(prefix) :]
    return name


# -- the city ------------------------------------------------------------------------------

_CITY_BODIES: tuple[tuple[str, str, tuple[str, ...], int], ...] = (
    # key, name, domains, officers
    ("market", "市场监督管理局", ("market",), 30),
    ("environment", "生态环境局", ("environment",), 16),
    ("transport", "交通运输局", ("transport",), 8),
    ("urban", "城市管理综合行政执法局", ("urban",), 26),
    ("emergency", "应急管理局", ("emergency",), 14),
    ("culture", "文化广电和旅游局", ("culture",), 6),
    ("agriculture", "农业农村局", ("agriculture",), 8),
    ("resources", "自然资源和规划局", ("resources",), 14),
    ("health", "卫生健康委员会", ("health",), 8),
    ("water", "水务局", ("water",), 8),
    ("housing", "住房和城乡建设局", ("housing",), 12),
    ("labor", "人力资源和社会保障局", ("labor",), 10),
    ("justice", "司法局", ("justice",), 12),
)
_CITY_ORGANS: tuple[tuple[str, str, str, str, tuple[str, ...], int], ...] = (
    # key, name, kind, parent/entrusting key, domains, officers
    (
        "transport_corps",
        "交通运输综合行政执法支队",
        Kind.AUTHORISED,
        "transport",
        ("transport",),
        28,
    ),
    ("culture_corps", "文化市场综合行政执法支队", Kind.AUTHORISED, "culture", ("culture",), 14),
    ("health_corps", "卫生健康综合监督执法支队", Kind.ENTRUSTED, "health", ("health",), 16),
    ("agri_corps", "农业综合行政执法支队", Kind.ENTRUSTED, "agriculture", ("agriculture",), 16),
)
# County-level bodies: key, name, domains, officers, parent key at the level above.
_DISTRICT_BODIES: tuple[tuple[str, str, tuple[str, ...], int, str | None], ...] = (
    ("market", "市场监督管理局", ("market",), 26, "market"),
    ("environment", "生态环境分局", ("environment",), 12, "environment"),
    ("comprehensive", "综合行政执法局", ("urban", "housing", "resources", "water"), 30, "urban"),
    ("emergency", "应急管理局", ("emergency",), 10, "emergency"),
    ("justice", "司法局", ("justice",), 8, "justice"),
)
_COUNTY_EXTRA: tuple[tuple[str, str, tuple[str, ...], int, str | None], ...] = (
    ("transport", "交通运输局", ("transport",), 10, "transport"),
    ("agriculture", "农业农村局", ("agriculture",), 10, "agriculture"),
    ("health", "卫生健康局", ("health",), 8, "health"),
    ("culture", "文化广电和旅游局", ("culture",), 6, "culture"),
    ("labor", "人力资源和社会保障局", ("labor",), 6, "labor"),
)
# division, name, is_county, townships (name, is_town)
_CITY_DIVISIONS: tuple[tuple[str, str, bool, tuple[tuple[str, bool], ...]], ...] = (
    ("139902", "甲区", False, (("东湖街道", False), ("南山街道", False))),
    ("139903", "乙区", False, (("西河街道", False), ("北苑街道", False))),
    (
        "139921",
        "丙县",
        True,
        (("青石镇", True), ("柳河镇", True), ("白沙镇", True), ("云岭乡", True)),
    ),
)
CITY_EMPOWERING_DECISION = "示政发〔2025〕12号"
COUNTY_EMPOWERING_DECISION = "丙政发〔2024〕7号"

_MARKET_FORCED = (
    OfficerPlan("head", "陈建国", False, "局长"),
    OfficerPlan("officer", "李明", False, "执法稽查科科长"),
    OfficerPlan("officer2", "王芳", True, "一级主任科员"),
    OfficerPlan("reviewer", "赵敏", True, "法制审核科科长", review=True, legal=True),
    OfficerPlan(
        "expired", "刘洋", False, "四级主任科员", fate="expired", expires_on=date(2026, 6, 30)
    ),
)


def city_plan() -> list[AgencyPlan]:
    """The 45 bodies of 示范市, parents before children."""
    plans: list[AgencyPlan] = []
    phone_serial = 0

    def phone() -> str:
        nonlocal phone_serial
        phone_serial += 1
        return f"0399-{86000000 + phone_serial * 1117}"

    for key, name, domains, officers in _CITY_BODIES:
        forced: tuple[OfficerPlan, ...] = ()
        if key == "market":
            forced = _MARKET_FORCED
        elif key == "environment":
            forced = (OfficerPlan("officer_env", "周强", False, "环境执法科科长"),)
        elif key == "justice":
            forced = (
                OfficerPlan("supervisor", "吴静", True, "行政执法监督科科长", supervision=True),
            )
        plans.append(
            AgencyPlan(
                key=f"city.{key}",
                name=f"{CITY_NAME}{name}",
                level=Level.CITY,
                division=CITY_CODE,
                kind=Kind.STATUTORY,
                domains=domains,
                officers=officers,
                address=f"{CITY_NAME}政务服务中心{len(plans) + 1}号楼",
                phone=phone(),
                announced_on=date(2024, 3, 1),
                forced=forced,
                supervisors=key == "justice",
            )
        )
    for key, name, kind, ref, domains, officers in _CITY_ORGANS:
        plans.append(
            AgencyPlan(
                key=f"city.{key}",
                name=f"{CITY_NAME}{name}",
                level=Level.CITY,
                division=CITY_CODE,
                kind=kind,
                domains=domains,
                officers=officers,
                parent=f"city.{ref}",
                entrusted_by=f"city.{ref}" if kind == Kind.ENTRUSTED else None,
                address=f"{CITY_NAME}建设路{100 + len(plans)}号",
                phone=phone(),
                announced_on=date(2024, 3, 1),
            )
        )
    for division, district, is_county, townships in _CITY_DIVISIONS:
        bodies = _DISTRICT_BODIES + (_COUNTY_EXTRA if is_county else ())
        for key, name, domains, officers, parent in bodies:
            if name == "生态环境分局":
                full = f"{CITY_NAME}生态环境局{district}分局"
            else:
                full = f"{CITY_NAME}{district}{name}"
            plans.append(
                AgencyPlan(
                    key=f"{division}.{key}",
                    name=full,
                    level=Level.COUNTY,
                    division=division,
                    kind=Kind.STATUTORY,
                    domains=domains,
                    officers=officers,
                    parent=f"city.{parent}" if parent else None,
                    address=f"{CITY_NAME}{district}人民路{10 + len(plans)}号",
                    phone=phone(),
                    announced_on=date(2024, 4, 15),
                    supervisors=key == "justice",
                )
            )
        decision = COUNTY_EMPOWERING_DECISION if is_county else CITY_EMPOWERING_DECISION
        for town, is_town in townships:
            suffix = "人民政府" if is_town else "办事处"
            plans.append(
                AgencyPlan(
                    key=f"{division}.{town}",
                    name=f"{CITY_NAME}{district}{town}{suffix}",
                    level=Level.TOWNSHIP,
                    division=division,
                    kind=Kind.STATUTORY,
                    domains=TOWNSHIP_DOMAINS,
                    officers=7,
                    parent=f"{division}.comprehensive",
                    township=True,
                    town=is_town,
                    empowering_decision=decision,
                    review_name=f"{district}{town}综合行政执法队法制审核组",
                    address=f"{CITY_NAME}{district}{town}镇中路{len(plans)}号",
                    phone=phone(),
                    announced_on=date(2025, 6, 1),
                )
            )
    return plans


# -- the province --------------------------------------------------------------------------

_PROVINCE_BODIES: tuple[tuple[str, tuple[str, ...], str, str | None], ...] = (
    # name, domains, kind, entrusting/parent (index into this tuple)
    ("市场监督管理局", ("market",), Kind.STATUTORY, None),
    ("生态环境厅", ("environment",), Kind.STATUTORY, None),
    ("交通运输厅", ("transport",), Kind.STATUTORY, None),
    ("住房和城乡建设厅", ("housing", "urban"), Kind.STATUTORY, None),
    ("应急管理厅", ("emergency",), Kind.STATUTORY, None),
    ("文化和旅游厅", ("culture",), Kind.STATUTORY, None),
    ("农业农村厅", ("agriculture",), Kind.STATUTORY, None),
    ("自然资源厅", ("resources",), Kind.STATUTORY, None),
    ("卫生健康委员会", ("health",), Kind.STATUTORY, None),
    ("水利厅", ("water",), Kind.STATUTORY, None),
    ("人力资源和社会保障厅", ("labor",), Kind.STATUTORY, None),
    ("司法厅", ("justice",), Kind.STATUTORY, None),
    ("药品监督管理局", ("market",), Kind.STATUTORY, "市场监督管理局"),
    ("交通运输综合行政执法总队", ("transport",), Kind.AUTHORISED, "交通运输厅"),
    ("文化市场综合行政执法总队", ("culture",), Kind.AUTHORISED, "文化和旅游厅"),
    ("生态环境保护综合行政执法总队", ("environment",), Kind.AUTHORISED, "生态环境厅"),
    ("农业综合行政执法总队", ("agriculture",), Kind.ENTRUSTED, "农业农村厅"),
    ("卫生健康综合监督执法局", ("health",), Kind.ENTRUSTED, "卫生健康委员会"),
    ("水政监察总队", ("water",), Kind.ENTRUSTED, "水利厅"),
    ("安全生产执法总队", ("emergency",), Kind.ENTRUSTED, "应急管理厅"),
)
_CITY_NAMES = "云州 安平 永宁 长乐 临川 丰泽 宁远 和顺 兴隆 泰和 清源 石门 青阳 白河 金川"
_PLACE_FIRST = "东西南北新清石青白金安平永长临丰宁和兴泰云柳桃李松竹梅兰龙凤鹤鹿"
_PLACE_SECOND = "河山城阳川江源湖林原桥溪岭坪湾口泉港峰塘"

PROVINCE_AGENCIES = 5000
PROVINCE_OFFICERS = 100_000
PROVINCE_POWER_ITEMS = 50_000
# Relative size of a body's staff and power list, by level.
_OFFICER_WEIGHT: dict[str, int] = {
    Level.PROVINCE: 120,
    Level.CITY: 45,
    Level.COUNTY: 30,
    Level.TOWNSHIP: 8,
}
_ITEM_WEIGHT: dict[str, int] = {
    Level.PROVINCE: 20,
    Level.CITY: 15,
    Level.COUNTY: 12,
    Level.TOWNSHIP: 6,
}
# Rows per code (measured): revisions add 9 %, bodies with short lists (a 司法局 holds 7) lose 4 %.
_VERSIONS_PER_CODE = 1.05


def _place_names(rng: random.Random, n: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < n:
        name = rng.choice(_PLACE_FIRST) + rng.choice(_PLACE_SECOND)
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _apportion(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder; sums exactly)."""
    whole = sum(weights)
    if whole == 0 or total <= 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


_CITY_BODIES_ALL = tuple((k, n, d, o, None) for k, n, d, o in _CITY_BODIES) + tuple(
    (k, n, d, o, r) for k, n, _, r, d, o in _CITY_ORGANS
)
_CITY_KIND = {k: (kind, r) for k, _, kind, r, _, _ in _CITY_ORGANS}
_PROVINCE_PARENT = {
    "market": "prov.市场监督管理局",
    "environment": "prov.生态环境厅",
    "transport": "prov.交通运输厅",
    "urban": "prov.住房和城乡建设厅",
    "housing": "prov.住房和城乡建设厅",
    "emergency": "prov.应急管理厅",
    "culture": "prov.文化和旅游厅",
    "agriculture": "prov.农业农村厅",
    "resources": "prov.自然资源厅",
    "health": "prov.卫生健康委员会",
    "water": "prov.水利厅",
    "labor": "prov.人力资源和社会保障厅",
    "justice": "prov.司法厅",
}


def province_plan(scale_factor: float = 1.0) -> list[AgencyPlan]:
    """5,000 × ``scale_factor`` bodies of 示范省, parents before children; officer and item
    counts set so the whole comes to 100,000 and 50,000 × ``scale_factor``."""
    rng = random.Random(SEED + 7)
    plans: list[AgencyPlan] = []
    for name, domains, kind, ref in _PROVINCE_BODIES:
        ref_key = f"prov.{ref}" if ref else None
        plans.append(
            AgencyPlan(
                key=f"prov.{name}",
                name=f"{PROVINCE_NAME}{name}",
                level=Level.PROVINCE,
                division=PROVINCE_CODE,
                kind=kind,
                domains=domains,
                officers=0,
                parent=ref_key,
                entrusted_by=ref_key if kind == Kind.ENTRUSTED else None,
                announced_on=date(2023, 12, 1),
                supervisors=name == "司法厅",
                phone=f"0311-{66000000 + len(plans) * 131}",
            )
        )
    city_names = _CITY_NAMES.split()
    taken: set[str] = set(city_names)
    counties: list[tuple[str, str, str, bool]] = []  # (city no, division, name, is_county)
    for c, city in enumerate(city_names):
        city_code = f"13{81 + c:02d}00"
        area = f"0{381 + c}"
        for key, name, domains, _, _ in _CITY_BODIES_ALL:
            kind, ref = _CITY_KIND.get(key, (Kind.STATUTORY, None))
            plans.append(
                AgencyPlan(
                    key=f"{city_code}.{key}",
                    name=f"{PROVINCE_NAME}{city}市{name}",
                    level=Level.CITY,
                    division=city_code,
                    kind=kind,
                    domains=domains,
                    officers=0,
                    parent=f"{city_code}.{ref}" if ref else _PROVINCE_PARENT.get(key),
                    entrusted_by=f"{city_code}.{ref}" if kind == Kind.ENTRUSTED else None,
                    announced_on=date(2024, 3, 1),
                    supervisors=key == "justice",
                    phone=f"{area}-{66000000 + len(plans) * 7}",
                )
            )
        n = 15
        codes = [f"{d:02d}" for d in (2, 3, 4, 5, 6, 21, 22, 23, 24, 25, 26, 27, 28, 81, 82)]
        for suffix, place in zip(codes[:n], _place_names(rng, n, taken), strict=True):
            kind_name = "区" if int(suffix) < 20 else ("县" if int(suffix) < 80 else "市")
            counties.append(
                (
                    city_code,
                    f"{city_code[:4]}{suffix}",
                    f"{city}市{place}{kind_name}",
                    int(suffix) >= 20,
                )
            )
    for city_code, division, county, is_county in counties:
        bodies = _DISTRICT_BODIES + (_COUNTY_EXTRA if is_county else ())
        bodies += (
            ("transport_brigade", "交通运输综合行政执法大队", ("transport",), 0, "transport"),
            ("agri_brigade", "农业综合行政执法大队", ("agriculture",), 0, "agriculture"),
        )
        for key, name, domains, _, parent in bodies:
            plans.append(
                AgencyPlan(
                    key=f"{division}.{key}",
                    name=f"{PROVINCE_NAME}{county}{name}",
                    level=Level.COUNTY,
                    division=division,
                    kind=Kind.STATUTORY,
                    domains=domains,
                    officers=0,
                    parent=f"{city_code}.{parent}" if parent else None,
                    announced_on=date(2024, 4, 15),
                    supervisors=key == "justice",
                    phone=f"0{381 + int(city_code[2:4]) - 81}-{67000000 + len(plans) * 3}",
                )
            )
    townships_left = PROVINCE_AGENCIES - len(plans)
    per_county = _apportion(townships_left, [1] * len(counties))
    for (_, division, county, is_county), n in zip(counties, per_county, strict=True):
        for place in _place_names(rng, n, set()):
            is_town = is_county and rng.random() < 0.8
            town = place + ("镇" if is_town else "街道")
            plans.append(
                AgencyPlan(
                    key=f"{division}.{town}",
                    name=f"{PROVINCE_NAME}{county}{town}{'人民政府' if is_town else '办事处'}",
                    level=Level.TOWNSHIP,
                    division=division,
                    kind=Kind.STATUTORY,
                    domains=TOWNSHIP_DOMAINS,
                    officers=0,
                    parent=f"{division}.comprehensive",
                    township=True,
                    town=is_town,
                    empowering_decision=f"{county[-3:-1]}政发〔2024〕{len(plans) % 30 + 1}号",
                    announced_on=date(2025, 6, 1),
                )
            )
    plans = plans[: max(1, round(PROVINCE_AGENCIES * scale_factor))]
    officers = _apportion(
        round(PROVINCE_OFFICERS * scale_factor), [_OFFICER_WEIGHT[p.level] for p in plans]
    )
    items = _apportion(
        round(PROVINCE_POWER_ITEMS * scale_factor / _VERSIONS_PER_CODE),
        [_ITEM_WEIGHT[p.level] for p in plans],
    )
    for plan, n_officers, n_items in zip(plans, officers, items, strict=True):
        plan.officers = n_officers
        plan.items = n_items
    # The account ``prov_officer`` needs a named officer with a valid certificate.
    target = next((p for p in plans if p.key.endswith(".market") and p.level == Level.COUNTY), None)
    target = target or plans[0]
    target.officers = max(target.officers, 1)
    target.forced = (OfficerPlan("prov_officer", "韩晓东", False, "执法稽查科科员"),)
    return plans


# -- the writer ----------------------------------------------------------------------------


@dataclass
class _CertStep:
    from_status: str
    to_status: str
    reason: str
    effective_on: date


@dataclass
class _CertPlan:
    kind: str
    status: str
    issued_on: date | None
    expires_on: date | None
    steps: list[_CertStep]


@dataclass
class _OfficerDraft:
    officer: Officer
    certs: list[_CertPlan]
    first_year: int  # the first year the officer is measured for training
    domain: str
    exam_name: str
    exam_before: date
    forced_key: str = ""


@dataclass
class Counts:
    agencies: int = 0
    officers: int = 0
    certificates: int = 0
    status_changes: int = 0
    trainings: int = 0
    exams: int = 0
    power_items: int = 0
    bases: int = 0


@dataclass
class DemoResult:
    """What ``zhifa demo`` did: ``already`` when the data were there before (nothing written)."""

    already: bool
    counts: Counts = field(default_factory=Counts)
    accounts: tuple[DemoAccount, ...] = ()
    seconds: float = 0.0


def _bulk(model: type[_M], rows: list[_M], progress: tqdm[Any] | None) -> list[_M]:
    # SQLite allows 999 parameters per statement; Django splits the batch accordingly.
    model._default_manager.bulk_create(rows, batch_size=2000)
    if progress is not None:
        progress.update(len(rows))
    return rows


def _add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _date_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _chunks(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class _Writer:
    """Turns plans into rows. One rng drives every choice, in a fixed order."""

    def __init__(
        self, rng: random.Random, actor: Account, progress: tqdm[Any] | None, load: str
    ) -> None:
        self.rng = rng
        self.actor = actor
        self.progress = progress
        self.load = load
        self.domains = {d.code: d for d in Domain.objects.filter(code__in=DOMAIN_NUMBER)}
        self.counts = Counts()
        self.forced: dict[str, Officer] = {}
        self.agency_ids: dict[str, int] = {}
        self._ids_taken: set[str] = set()
        self._credit_serial = 0
        self._cert_serial = 0
        self._people_divisions: list[str] = []
        self._agency_division: dict[int, str] = {}
        self._agency_domains: dict[int, tuple[str, ...]] = {}

    # -- agencies --

    def agencies(self, plans: Sequence[AgencyPlan]) -> list[Agency]:
        """Write the bodies (parents first), their domains and legal-review bodies."""
        rows: list[Agency] = []
        pending = list(plans)
        while pending:
            # A body may point only to bodies already written (the entrusted check constraint).
            ready = [
                p
                for p in pending
                if (p.parent is None or p.parent in self.agency_ids)
                and (p.entrusted_by is None or p.entrusted_by in self.agency_ids)
            ]
            if not ready:  # a reference outside the (scaled-down) plan: drop the link
                ready = [pending[0]]
                ready[0].parent = ready[0].entrusted_by = None
                if ready[0].kind == Kind.ENTRUSTED:
                    ready[0].kind = Kind.AUTHORISED
            batch = [self._agency_row(p) for p in ready]
            _bulk(Agency, batch, self.progress)
            for plan, agency in zip(ready, batch, strict=True):
                self.agency_ids[plan.key] = agency.pk
            rows += batch
            done = {p.key for p in ready}
            pending = [p for p in pending if p.key not in done]
        through = Agency.domains.through
        agency_domains = _bulk(
            through,
            [
                through(agency_id=self.agency_ids[p.key], domain_id=self.domains[d].pk)
                for p in plans
                for d in p.domains
            ],
            None,
        )
        bodies = _bulk(
            ReviewBody,
            [
                ReviewBody(
                    agency_id=self.agency_ids[p.key],
                    name=p.review_name or f"{_short(p.name)}法制审核科",
                    established_on=p.announced_on,
                )
                for p in plans
            ],
            None,
        )
        self._record((Agency, rows, (agency_domains,)), (ReviewBody, bodies, ()))
        self.counts.agencies += len(rows)
        self._agency_division.update({self.agency_ids[p.key]: p.division for p in plans})
        self._agency_domains.update({self.agency_ids[p.key]: p.domains for p in plans})
        return rows

    def _record(
        self,
        *batches: tuple[
            type[models.Model], Sequence[models.Model], tuple[Sequence[models.Model], ...]
        ],
    ) -> None:
        """One ``registry.rows.load`` entry with the state digests of the rows just written
        (each batch: a model, its rows and, for each child table of its state, the child rows
        written with them), computed from the objects rather than read back."""
        key = replay.current_key()
        written = {
            model: replay.digests_of_written(model, rows, children, key)
            for model, rows, children in batches
            if rows
        }
        if written:
            services.rows_load_record(actor=None, load=self.load, written=written)

    def _agency_row(self, plan: AgencyPlan) -> Agency:
        self._credit_serial += 1
        # GB 32100 position 1–2: 11 = 机构编制 · 机关, 12 = 机构编制 · 事业单位.
        prefix = "11" if plan.kind == Kind.STATUTORY else "12"
        code = validate_credit_code(
            credit_code(self._credit_serial, prefix=prefix, division=plan.division)
        )
        return Agency(
            name=plan.name,
            credit_code=code,
            level=plan.level,
            division_code=validate_division_code(plan.division),
            kind=plan.kind,
            parent_id=self.agency_ids[plan.parent] if plan.parent else None,
            entrusted_by_id=self.agency_ids[plan.entrusted_by] if plan.entrusted_by else None,
            qualification_announced_on=plan.announced_on,
            responsibilities=_responsibilities(plan),
            address=plan.address,
            phone=validate_landline(plan.phone) if plan.phone else "",
        )

    # -- officers --

    def people(self, plans: Sequence[AgencyPlan], chunk: int = 200) -> None:
        """Officers with certificates, histories, training and exams, in chunks of bodies."""
        self._people_divisions = sorted({p.division for p in plans if p.division[4:] != "00"})
        self._people_divisions = self._people_divisions or [plans[0].division]
        bodies = {
            b.agency_id: b.pk
            for b in ReviewBody.objects.filter(agency_id__in=self.agency_ids.values())
        }
        for group in _chunks(plans, chunk):
            drafts: list[_OfficerDraft] = []
            for plan in group:
                agency_id = self.agency_ids[plan.key]
                drafts += self._officer_drafts(plan, agency_id, bodies[agency_id])
            self._write_people(drafts)

    def _officer_drafts(
        self, plan: AgencyPlan, agency_id: int, body_id: int
    ) -> list[_OfficerDraft]:
        rng = self.rng
        n = max(plan.officers, len(plan.forced))
        n_random = n - len(plan.forced)
        # 2–5 legal-review staff per body (国办发〔2018〕118号: 法制审核人员原则上不少于本单位
        # 执法人员总数的5%); the named reviewer counts, the rest are the last random officers.
        wanted = rng.randint(2, 5) - sum(f.review for f in plan.forced)
        n_review = min(max(wanted, 0), max(n_random - 1, 0))
        drafts = []
        for i in range(n):
            forced = plan.forced[i] if i < len(plan.forced) else None
            j = i - len(plan.forced)
            if forced is not None:
                female, name, position = forced.female, forced.name, forced.position
                fate, review, legal = forced.fate, forced.review, forced.legal
                supervision = forced.supervision
            else:
                female = rng.random() < 0.38
                name = self._name(female)
                review = j >= n_random - n_review
                first_reviewer = j == n_random - n_review
                if review:
                    position = "法制审核科科长" if first_reviewer else "法制审核科科员"
                else:
                    position = self._position(plan, i)
                fate = _pick_fate(rng)
                # Every review body has at least one member with 法律职业资格.
                legal = (review and (first_reviewer or rng.random() < 0.5)) or rng.random() < 0.06
                supervision = plan.supervisors and rng.random() < 0.5
            born = _date_between(rng, date(1966, 1, 1), date(2000, 12, 31))
            mobile = rng.choice(_MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
            officer = Officer(
                agency_id=agency_id,
                name=name,
                id_number=self._id_number(female, born),
                phone=validate_mobile(mobile),
                position=position,
                has_legal_qualification=legal,
                status=Officer.Status.LEFT if fate == "left" else Officer.Status.SERVING,
                review_body_id=body_id if review else None,
            )
            certs = self._cert_plans(fate, supervision, forced)
            first = min((c.issued_on for c in certs if c.issued_on), default=None)
            applied_on = certs[0].steps[0].effective_on
            drafts.append(
                _OfficerDraft(
                    officer=officer,
                    certs=certs,
                    first_year=first.year if first else applied_on.year,
                    domain=rng.choice(plan.domains),
                    exam_name="行政执法监督人员资格考试" if supervision else "行政执法人员资格考试",
                    exam_before=first or applied_on,
                    forced_key=forced.key if forced else "",
                )
            )
        return drafts

    def _name(self, female: bool) -> str:
        rng = self.rng
        surname = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
        pool = GIVEN_FEMALE if female else GIVEN_MALE
        if rng.random() < 0.3:
            return surname + rng.choice(pool)
        first = rng.choice(pool + GIVEN_ANY)
        second = rng.choice(pool)
        return surname + first + (second if second != first else rng.choice(pool))

    def _position(self, plan: AgencyPlan, i: int) -> str:
        if plan.township:
            return "综合行政执法队队长" if i == 0 else "执法队员"
        if "队" in plan.name[-4:]:
            return ("支队长", "副支队长", "大队长", "中队长")[i] if i < 4 else "执法队员"
        leaders = ("局长", "副局长", "副局长")
        if i < len(leaders):
            return leaders[i]
        return self.rng.choice(
            ("科长", "副科长", "一级主任科员", "二级主任科员", "四级主任科员", "一级科员", "科员")
        )

    def _id_number(self, female: bool, born: date) -> str:
        rng = self.rng
        while True:
            division = rng.choice(self._people_divisions)
            # GB 11643: the 17th digit is odd for men, even for women.
            seq = rng.randrange(0, 1000, 2) + (0 if female else 1)
            if seq >= 1000:
                continue
            number = id_number(seq, division=division, born=born)
            if number not in self._ids_taken:
                self._ids_taken.add(number)
                return validate_resident_id(number)

    def _cert_plans(
        self, fate: str, supervision: bool, forced: OfficerPlan | None
    ) -> list[_CertPlan]:
        """The officer's certificates and their histories, as the services would have made
        them: certificate_register (申领), certificate_issue (核发), certificate_status_change."""
        rng = self.rng
        expires = forced.expires_on if forced else None
        kind = Certificate.Kind.SUPERVISION if supervision else Certificate.Kind.ENFORCEMENT

        def issued(start: date, end: date, lifetime_years: int = 5) -> _CertPlan:
            on = _date_between(rng, start, end)
            expiry = expires or (_add_years(on, lifetime_years) - timedelta(days=1))
            applied = on - timedelta(days=rng.randint(20, 75))
            return _CertPlan(
                kind,
                CS.VALID,
                on,
                expiry,
                [
                    _CertStep("", CS.APPLIED, "申领", applied),
                    _CertStep(CS.APPLIED, CS.VALID, "核发", on),
                ],
            )

        def then(cert: _CertPlan, to: str, reason: str, on: date) -> None:
            cert.steps.append(_CertStep(cert.status, to, reason, on))
            cert.status = to

        if fate == "applied":
            on = _date_between(rng, date(2026, 8, 1), REFERENCE_DAY)
            return [
                _CertPlan(kind, CS.APPLIED, None, None, [_CertStep("", CS.APPLIED, "申领", on)])
            ]
        if fate == "expired":
            # Expiry does not change the status: the dates say it (see eligibility.py).
            if expires is not None:
                start = _add_years(expires, -5) + timedelta(days=1)
                return [issued(start, start)]
            return [issued(date(2020, 6, 1), date(2021, 9, 30))]
        if fate == "renewed":
            old = issued(date(2017, 1, 1), date(2021, 6, 30))
            assert old.expires_on is not None
            new = issued(old.expires_on - timedelta(days=60), old.expires_on)
            assert new.issued_on is not None
            then(old, CS.CANCELLED, "到期换发新证", new.issued_on)
            return [old, new]
        # The named demo officers are measured against last year's training: issued before it.
        cert = issued(date(2022, 6, 1), date(2024, 6, 30) if forced else date(2026, 6, 30))
        assert cert.issued_on is not None
        since = max(cert.issued_on, date(2025, 1, 1)) + timedelta(days=30)
        later = _date_between(rng, since, REFERENCE_DAY)
        if fate in ("suspended", "restored"):
            then(cert, CS.SUSPENDED, rng.choice(_SUSPEND_REASONS), later)
            if fate == "restored":
                back = min(later + timedelta(days=rng.randint(30, 120)), REFERENCE_DAY)
                then(cert, CS.VALID, rng.choice(_RESTORE_REASONS), back)
        elif fate == "left":
            then(cert, CS.CANCELLED, f"离岗：{rng.choice(_LEAVE_REASONS)}", later)
        elif fate == "revoked":
            then(cert, CS.REVOKED, "违法违纪被处分，收回执法证件", later)
        return [cert]

    def _write_people(self, drafts: list[_OfficerDraft]) -> None:
        _bulk(Officer, [d.officer for d in drafts], self.progress)
        certs: list[tuple[Certificate, _CertPlan, _OfficerDraft]] = []
        for d in drafts:
            if d.forced_key:
                self.forced[d.forced_key] = d.officer
            agency = d.officer.agency_id
            for cp in d.certs:
                self._cert_serial += 1
                division = self._division_of(agency)
                letter = "J" if cp.kind == Certificate.Kind.SUPERVISION else ""
                number = f"{division[:4]}{letter}{self._cert_serial:0{8 - len(letter)}d}"
                certs.append(
                    (
                        Certificate(
                            number=number,
                            kind=cp.kind,
                            officer_id=d.officer.pk,
                            agency_id=agency,
                            region_code=division,
                            issued_on=cp.issued_on,
                            expires_on=cp.expires_on,
                            status=cp.status,
                        ),
                        cp,
                        d,
                    )
                )
        _bulk(Certificate, [c for c, _, _ in certs], self.progress)
        through = Certificate.domains.through
        changes: list[CertificateStatusChange] = []
        cert_domains = []
        for cert, cp, d in certs:
            domains = self._domains_of(d.officer.agency_id)
            if cp.kind == Certificate.Kind.SUPERVISION:
                domains = ("justice",)
            cert_domains += [
                through(certificate_id=cert.pk, domain_id=self.domains[c].pk) for c in domains
            ]
            for step in cp.steps:
                assert step.from_status == "" or can_move_certificate(
                    step.from_status, step.to_status
                )
                changes.append(
                    CertificateStatusChange(
                        certificate_id=cert.pk,
                        from_status=step.from_status,
                        to_status=step.to_status,
                        reason=step.reason,
                        effective_on=step.effective_on,
                        changed_by_id=self.actor.pk,
                    )
                )
        _bulk(through, cert_domains, None)
        _bulk(CertificateStatusChange, changes, self.progress)
        trainings: list[TrainingRecord] = []
        exams: list[ExamResult] = []
        for d in drafts:
            trainings += self._trainings(d)
            exams += self._exams(d)
        _bulk(TrainingRecord, trainings, self.progress)
        _bulk(ExamResult, exams, self.progress)
        self._record(
            (Officer, [d.officer for d in drafts], ()),
            (Certificate, [c for c, _, _ in certs], (cert_domains, changes)),
            (TrainingRecord, trainings, ()),
            (ExamResult, exams, ()),
        )
        self.counts.officers += len(drafts)
        self.counts.certificates += len(certs)
        self.counts.status_changes += len(changes)
        self.counts.trainings += len(trainings)
        self.counts.exams += len(exams)

    def _division_of(self, agency_id: int) -> str:
        return self._agency_division[agency_id]

    def _domains_of(self, agency_id: int) -> tuple[str, ...]:
        return self._agency_domains[agency_id]

    def _trainings(self, d: _OfficerDraft) -> list[TrainingRecord]:
        rng = self.rng
        rows = []
        diligent = bool(d.forced_key) or rng.random() < 0.85
        left = d.officer.status == Officer.Status.LEFT
        for year in TRAINING_YEARS:
            if year < d.first_year or (left and year == 2026):
                continue
            for kind in (TrainingRecord.Kind.LEGAL, TrainingRecord.Kind.PROFESSIONAL):
                full = diligent or rng.random() < 0.5
                total = rng.randint(30, 40) if full else rng.randint(8, 28)
                parts = [total] if total < 16 or rng.random() < 0.7 else _split(rng, total)
                courses = (
                    _LEGAL_COURSES
                    if kind == TrainingRecord.Kind.LEGAL
                    else _PROFESSIONAL_COURSES[d.domain]
                )
                last = date(year, 12, 20) if year < REFERENCE_DAY.year else REFERENCE_DAY
                for hours in parts:
                    rows.append(
                        TrainingRecord(
                            officer_id=d.officer.pk,
                            year=year,
                            kind=kind,
                            hours=Decimal(hours),
                            course=rng.choice(courses),
                            completed_on=_date_between(rng, date(year, 3, 1), last),
                        )
                    )
        return rows

    def _exams(self, d: _OfficerDraft) -> list[ExamResult]:
        rng = self.rng
        taken = d.exam_before - timedelta(days=rng.randint(25, 120))
        rows = [
            ExamResult(
                officer_id=d.officer.pk,
                name=f"{taken.year}年度{d.exam_name}",
                taken_on=taken,
                score=Decimal(rng.randint(62, 97)),
                passed=True,
            )
        ]
        if rng.random() < 0.1:
            failed = taken - timedelta(days=rng.randint(120, 240))
            rows.append(
                ExamResult(
                    officer_id=d.officer.pk,
                    name=f"{failed.year}年度{d.exam_name}",
                    taken_on=failed,
                    score=Decimal(rng.randint(38, 59)),
                    passed=False,
                )
            )
        return rows

    # -- power items --

    def power_items(self, plans: Sequence[AgencyPlan], chunk: int = 500) -> None:
        for group in _chunks(plans, chunk):
            self._power_items(group)

    def _power_items(self, plans: Sequence[AgencyPlan]) -> None:
        rng = self.rng
        first: list[tuple[PowerItem, PowerSpec]] = []
        second: list[tuple[PowerItem, PowerSpec, PowerItem, str]] = []
        for plan in plans:
            agency_id = self.agency_ids[plan.key]
            pool = _pool(plan)
            if plan.items is not None:
                pool = _take(rng, pool, plan.items)
            for spec in pool:
                fate = rng.random()
                published_on = _date_between(rng, date(2023, 3, 1), date(2024, 12, 31))
                v1 = self._item(plan, agency_id, spec, 1, published_on)
                first.append((v1, spec))
                if fate < 0.07:  # revised: v1 superseded, v2 published
                    v1.status = PS.SUPERSEDED
                    on = _date_between(rng, date(2025, 1, 1), date(2026, 9, 30))
                    second.append(
                        (
                            self._item(plan, agency_id, spec, 2, on),
                            spec,
                            v1,
                            rng.choice(_CHANGE_NOTES),
                        )
                    )
                elif fate < 0.09:  # a revision waiting to be published
                    second.append(
                        (
                            self._item(plan, agency_id, spec, 2, None),
                            spec,
                            v1,
                            rng.choice(_CHANGE_NOTES),
                        )
                    )
                elif fate < 0.11:  # a new item still in draft
                    v1.status, v1.published_on = PS.DRAFT, None
                elif fate < 0.125:  # taken off the list
                    on = _date_between(rng, date(2025, 3, 1), date(2026, 9, 30))
                    assert can_move_power_item(PS.PUBLISHED, PS.REPEALED)
                    v1.status = PS.REPEALED
                    v1.change_note = f"{on.isoformat()} 取消：{rng.choice(_REPEAL_REASONS)}"
        _bulk(PowerItem, [i for i, _ in first], self.progress)
        for item, _, v1, note in second:
            item.previous_id = v1.pk
            item.change_note = note
        _bulk(PowerItem, [i for i, _, _, _ in second], self.progress)
        bases = [
            LegalBasis(power_item_id=item.pk, law=b.law, article=b.article, position=n)
            for item, spec in [*first, *((i, s) for i, s, _, _ in second)]
            for n, b in enumerate(spec.bases)
        ]
        _bulk(LegalBasis, bases, self.progress)
        self._record((PowerItem, [i for i, _ in first] + [i for i, _, _, _ in second], (bases,)))
        self.counts.power_items += len(first) + len(second)
        self.counts.bases += len(bases)

    def _item(
        self, plan: AgencyPlan, agency_id: int, spec: PowerSpec, version: int, on: date | None
    ) -> PowerItem:
        empowered = plan.township and spec is not TOWN_OWN_SPEC
        return PowerItem(
            agency_id=agency_id,
            code=spec.code,
            version=version,
            name=spec.name,
            category=spec.category,
            domain_id=self.domains[spec.domain].pk,
            implementing_level=plan.level,
            procedure_steps=list(PROCEDURES[spec.category]),
            is_random_inspection=spec.random_inspection,
            is_township_empowered=empowered,
            empowering_decision=plan.empowering_decision if empowered else "",
            status=PS.PUBLISHED if on else PS.DRAFT,
            published_on=on,
        )


def _split(rng: random.Random, total: int) -> list[int]:
    a = rng.randint(6, total - 6)
    return [a, total - a]


def _take(rng: random.Random, pool: Sequence[_T], n: int) -> list[_T]:
    if n >= len(pool):
        return list(pool)
    picked = sorted(rng.sample(range(len(pool)), n))
    return [pool[i] for i in picked]


def _pool(plan: AgencyPlan) -> list[PowerSpec]:
    if plan.township:
        return [*TOWNSHIP_POOL, *((TOWN_OWN_SPEC,) if plan.town else ())]
    return [s for d in plan.domains for s in CATALOGUE[d]]


_FATES = (
    ("valid", 76),
    ("renewed", 5),
    ("expired", 4),
    ("suspended", 3),
    ("restored", 2),
    ("left", 4),
    ("applied", 5),
    ("revoked", 1),
)


def _pick_fate(rng: random.Random) -> str:
    return rng.choices([f for f, _ in _FATES], [w for _, w in _FATES])[0]


def _responsibilities(plan: AgencyPlan) -> str:
    names = "、".join(dict(DOMAINS)[d] for d in plan.domains)
    if plan.township:
        return f"依据赋权决定（{plan.empowering_decision}）在本辖区行使{names}领域部分行政执法权"
    if plan.kind == Kind.ENTRUSTED:
        return f"受委托以委托机关名义实施{names}领域行政执法"
    if plan.kind == Kind.AUTHORISED:
        return f"依法律法规授权以自己名义实施{names}领域行政执法"
    return f"负责本行政区域{names}领域的行政执法工作"


# -- entry points --------------------------------------------------------------------------


def domains_ensure() -> dict[str, Domain]:
    out = {}
    for code, name in DOMAINS:
        out[code], _ = Domain.objects.get_or_create(code=code, defaults={"name": name})
    return out


def city_loaded() -> bool:
    return Agency.objects.filter(
        name=f"{CITY_NAME}市场监督管理局", division_code=CITY_CODE
    ).exists()


def province_loaded() -> bool:
    return Agency.objects.filter(
        name=f"{PROVINCE_NAME}市场监督管理局", division_code=PROVINCE_CODE
    ).exists()


def _admin_ensure() -> Account:
    """The system administrator ``admin``; an existing one is kept (its password untouched)."""
    admin = Account.objects.filter(username="admin").first()
    if admin is None:
        spec = CITY_ACCOUNTS[0]
        admin = services.account_create(
            actor=None,
            username=spec.username,
            password=spec.password,
            role=spec.role,
            display_name=spec.display_name,
        )
    return admin


def _accounts_create(
    specs: Iterable[DemoAccount], writer: _Writer, default_agency: int, region: str
) -> None:
    """The demo logins, through services.account_create (bootstrap: no actor)."""
    for spec in specs:
        if spec.username == "admin":
            continue
        officer = writer.forced.get(spec.username)
        if spec.role in (Role.SUPERVISOR, Role.ADMIN):
            agency_id, region_code = (officer.agency_id if officer else None), region
        else:
            agency_id, region_code = (officer.agency_id if officer else default_agency), ""
        services.account_create(
            actor=None,
            username=spec.username,
            password=spec.password,
            role=spec.role,
            agency=Agency.objects.get(pk=agency_id) if agency_id else None,
            region_code=region_code,
            officer=officer,
            display_name=spec.display_name,
        )


def city_load() -> DemoResult:
    """Load 示范市 (idempotent: returns ``already=True`` and writes nothing when present)."""
    started = time.perf_counter()
    if city_loaded():
        return DemoResult(already=True, accounts=CITY_ACCOUNTS)
    plans = city_plan()
    with transaction.atomic():
        domains_ensure()
        writer = _Writer(random.Random(SEED), _admin_ensure(), None, "city")
        writer.agencies(plans)
        writer.people(plans)
        writer.power_items(plans)
        _accounts_create(CITY_ACCOUNTS, writer, writer.agency_ids["city.market"], CITY_CODE)
        # The bulk rows are fictional data, not changes by an actor: one summary entry says
        # when and how much was loaded.
        services.demo_load_record(actor=None, demo="city", counts=asdict(writer.counts))
    return DemoResult(
        already=False,
        counts=writer.counts,
        accounts=CITY_ACCOUNTS,
        seconds=time.perf_counter() - started,
    )


def province_load(*, scale_factor: float = 1.0, progress: bool = False) -> DemoResult:
    """Load 示范省 at ``scale_factor`` × (5,000 bodies, 100,000 officers, 50,000 items).

    Idempotent like :func:`city_load`. One transaction: an interrupted run leaves nothing.
    """
    started = time.perf_counter()
    if province_loaded():
        return DemoResult(already=True, accounts=PROVINCE_ACCOUNTS)
    plans = province_plan(scale_factor)
    officers = sum(max(p.officers, len(p.forced)) for p in plans)
    items = sum(p.items or 0 for p in plans)
    # Rows per officer (officer, certificates, steps, training, exams) and per item (bases).
    expected = len(plans) + round(officers * _ROWS_PER_OFFICER) + round(items * _ROWS_PER_ITEM)
    bar = tqdm(total=expected, unit="行", unit_scale=True, disable=not progress, desc="示范省")
    with transaction.atomic():
        domains_ensure()
        writer = _Writer(random.Random(SEED + 11), _admin_ensure(), bar, "province")
        writer.agencies(plans)
        writer.people(plans)
        writer.power_items(plans)
        default = next((p.key for p in plans if p.forced), plans[0].key)
        _accounts_create(PROVINCE_ACCOUNTS, writer, writer.agency_ids[default], PROVINCE_CODE)
        services.demo_load_record(actor=None, demo="province", counts=asdict(writer.counts))
    bar.close()
    return DemoResult(
        already=False,
        counts=writer.counts,
        accounts=PROVINCE_ACCOUNTS,
        seconds=time.perf_counter() - started,
    )


# Measured on the full province: an officer brings 11.7 rows (1.05 certificates, 2.2 status
# steps, 6.3 training records, 1.1 exams), an item code 2.2 (versions and legal bases).
_ROWS_PER_OFFICER = 11.7
_ROWS_PER_ITEM = 2.2
