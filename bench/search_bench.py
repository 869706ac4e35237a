"""Search benchmark: a million published decisions, then 500 queries (prints its figures).

    .venv/bin/python bench/search_bench.py [--data-dir var/bench-search] [--count 1000000]
                                           [--queries 500] [--skip-generate]

1. creates the search index in its own data folder (SQLite by default; DATABASE_URL switches to
   PostgreSQL) and, unless it already holds ``--count`` decisions, generates them — realistic
   decisions of about 600 characters from 5,000 agencies in 10 domains over 5 years, fixed seed —
   and loads them through ``services.search_index_bulk_load``, timing the load, then
   ``services.search_index_optimize`` (FTS5 merge; on PostgreSQL the GIN build and ANALYZE);
2. times ``selectors.decisions_search`` for 500 queries of mixed kinds (one character, two
   characters, words, phrases, a decision number; with and without filters; page 1 and page 10;
   newest first, by amount, by relevance) and prints p50 / p95 / max per kind and overall, with
   the median count and how many counts were estimates (PostgreSQL past
   ``selectors.PG_EXACT_COUNT``), plus the size of the index;
3. times the statistics page's aggregates (province, a domain, a city, an agency) uncached.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261121
START = date(2021, 1, 1)
DAYS = 5 * 365

DOMAINS = [
    ("market", "市场监管", "市场监督管理局", "市监"),
    ("environment", "生态环境", "生态环境分局", "环"),
    ("transport", "交通运输", "交通运输局", "交"),
    ("health", "卫生健康", "卫生健康委员会", "卫"),
    ("emergency", "应急管理", "应急管理局", "应急"),
    ("agriculture", "农业农村", "农业农村局", "农"),
    ("culture", "文化市场", "文化市场综合执法大队", "文"),
    ("resources", "自然资源", "自然资源局", "自然资源"),
    ("housing", "住房城乡建设", "住房和城乡建设局", "建"),
    ("water", "水利", "水利局", "水"),
]
# domain → (law, [(fact, article, penalty article)])
VIOLATIONS: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "market": (
        "《中华人民共和国食品安全法》",
        [
            ("销售超过保质期的预包装食品", "第三十四条第（十）项", "第一百二十四条第一款"),
            ("经营未按规定进行检验的肉类制品", "第三十四条第（八）项", "第一百二十四条第一款"),
            ("未取得食品经营许可从事餐饮服务活动", "第三十五条第一款", "第一百二十二条第一款"),
            ("销售标签不符合规定的保健食品", "第六十七条", "第一百二十五条第一款"),
            ("药品零售企业销售假药", "第九十八条第一款", "第一百一十六条"),
            ("经营未取得注册证的医疗器械", "第十三条", "第八十一条"),
            ("销售不符合强制性标准的电动自行车", "第十三条", "第四十九条"),
            ("发布虚假违法广告", "第四条", "第五十五条"),
        ],
    ),
    "environment": (
        "《中华人民共和国大气污染防治法》",
        [
            ("超过大气污染物排放标准排放废气", "第十八条", "第九十九条第（二）项"),
            ("未按规定安装使用污染防治设施", "第二十条第二款", "第一百零八条"),
            ("露天焚烧产生有毒有害烟尘的物质", "第七十七条", "第一百一十九条"),
            ("违规贮存危险废物", "第七十九条", "第一百一十二条"),
            ("通过暗管排放水污染物", "第三十九条", "第八十三条第（三）项"),
        ],
    ),
    "transport": (
        "《中华人民共和国道路运输条例》",
        [
            ("未取得道路运输经营许可擅自从事道路货物运输经营", "第二十四条", "第六十三条"),
            ("客运车辆超载运输旅客", "第三十四条", "第七十条"),
            ("使用未经检测合格的车辆从事运输", "第三十一条", "第七十条第一款"),
            ("网约车平台未取得经营许可", "第八条", "第三十五条"),
        ],
    ),
    "health": (
        "《中华人民共和国基本医疗卫生与健康促进法》",
        [
            ("未取得医疗机构执业许可证擅自执业", "第三十八条", "第九十九条"),
            ("使用非卫生技术人员从事医疗卫生技术工作", "第五十一条", "第一百零一条"),
            ("公共场所未取得卫生许可证经营", "第八条", "第十四条"),
            ("生活饮用水卫生不符合国家标准", "第十条", "第二十条"),
        ],
    ),
    "emergency": (
        "《中华人民共和国安全生产法》",
        [
            ("未按规定对从业人员进行安全生产教育和培训", "第二十八条", "第九十七条第（三）项"),
            ("未建立事故隐患排查治理制度", "第四十一条", "第一百零一条第（五）项"),
            ("特种作业人员未取得相应资格上岗作业", "第三十条", "第九十七条第（七）项"),
            ("危险化学品储存不符合安全要求", "第三十九条", "第一百零一条"),
        ],
    ),
    "agriculture": (
        "《中华人民共和国农产品质量安全法》",
        [
            ("销售含有国家禁止使用的农药的农产品", "第三十六条", "第七十条"),
            ("经营假兽药", "第二十七条", "第五十六条"),
            ("违规使用禁用渔具捕捞", "第三十条", "第三十八条"),
        ],
    ),
    "culture": (
        "《娱乐场所管理条例》",
        [
            ("网吧接纳未成年人进入营业场所", "第二十一条", "第三十一条"),
            ("擅自从事营业性演出经营活动", "第六条", "第四十三条"),
            ("出版物发行单位发行非法出版物", "第二十五条", "第六十二条"),
        ],
    ),
    "resources": (
        "《中华人民共和国土地管理法》",
        [
            ("未经批准非法占用集体土地建设厂房", "第四十四条", "第七十七条"),
            ("擅自改变土地用途", "第五十六条", "第七十九条"),
            ("无证开采矿产资源", "第三条", "第三十九条"),
        ],
    ),
    "housing": (
        "《建设工程质量管理条例》",
        [
            ("未取得施工许可证擅自施工", "第十三条", "第五十七条"),
            ("施工单位偷工减料", "第二十八条", "第六十四条"),
            ("未按规定办理工程竣工验收备案", "第四十九条", "第五十六条"),
        ],
    ),
    "water": (
        "《中华人民共和国水法》",
        [
            ("未经批准擅自取水", "第四十八条", "第六十九条"),
            ("在河道管理范围内违法采砂", "第三十九条", "第七十二条"),
            ("在饮用水水源保护区内设置排污口", "第三十四条", "第六十七条"),
        ],
    ),
}
# Words a citizen would look for in each domain (the "word+filters" queries).
DOMAIN_WORDS = {
    "market": ["食品", "保质期", "假药", "医疗器械", "广告"],
    "environment": ["废气", "排放", "危险废物", "暗管"],
    "transport": ["超载", "道路运输", "网约车"],
    "health": ["医疗机构", "卫生许可证", "饮用水"],
    "emergency": ["安全生产", "培训", "危险化学品"],
    "agriculture": ["农药", "兽药", "渔具"],
    "culture": ["网吧", "出版物", "演出"],
    "resources": ["土地", "矿产", "厂房"],
    "housing": ["施工", "偷工减料", "竣工验收"],
    "water": ["取水", "采砂", "排污口"],
}
KIND_WEIGHTS = [
    ("penalty", 62),
    ("licence", 14),
    ("inspection", 10),
    ("coercion", 8),
    ("levy", 4),
    ("confirmation", 1),
    ("other", 1),
]
SYLLABLES = list("东西南北安平和兴德福华清泰宁明长新永丰盛阳山河湖海林川源")
TRADES = [
    "食品",
    "商贸",
    "药房",
    "医疗器械",
    "餐饮",
    "建材",
    "化工",
    "物流",
    "运输",
    "科技",
    "农业",
    "养殖",
    "网络",
    "文化传媒",
    "建筑工程",
    "环保",
    "机械制造",
    "酒店",
    "超市",
    "汽车服务",
    "纺织",
    "电子",
    "水产",
    "粮油",
]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
PROCESS = [
    "执法人员依法对当事人的经营场所进行了现场检查，制作了现场检查笔录，并对相关物品进行了拍照取证。",
    "本机关于同日依法立案调查，调取了当事人的营业执照、进货台账、销售记录等证据材料。",
    "执法人员对当事人的负责人进行了询问并制作询问笔录，当事人对违法事实供认不讳。",
    "本机关依法向当事人送达了行政处罚告知书，告知其拟作出行政处罚的事实、理由、依据及依法享有的陈述、申辩和要求听证的权利。",
    "当事人在法定期限内未提出陈述、申辩意见，也未要求举行听证。",
    "当事人提出陈述申辩意见，经复核，其陈述申辩理由不能成立，本机关不予采纳。",
    "案件经本机关法制审核机构审核，认为事实清楚、证据确凿、适用依据正确、程序合法。",
    "鉴于当事人积极配合调查，主动消除违法行为危害后果，依据裁量基准予以从轻处罚。",
    "以上事实有现场检查笔录、询问笔录、抽样检验报告、视听资料、证人证言等证据为证。",
    "经抽样检验，涉案产品的检验结论为不合格，当事人对检验结论无异议。",
]
CLOSING = [
    "当事人应当自收到本决定书之日起十五日内，到指定银行缴纳罚没款。逾期不缴纳的，每日按罚款数额的百分之三加处罚款。",
    "当事人如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。",
    "申请行政复议或者提起行政诉讼期间，本决定不停止执行。",
]


def _setup(data_dir: str) -> None:
    os.environ["ZHIFA_DATA_DIR"] = data_dir
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    import config.settings.dev as dev

    values = {name: getattr(dev, name) for name in dir(dev) if name.isupper()}
    if "zhifa.publicity.search" not in values["INSTALLED_APPS"]:
        values["INSTALLED_APPS"] = [*values["INSTALLED_APPS"], "zhifa.publicity.search"]
    values["DEBUG"] = False  # no query log in memory, as in production
    db = values["DATABASES"]["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db["NAME"] = Path(data_dir).resolve() / "search.sqlite3"
    settings.configure(**values)
    django.setup()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _ms(values: list[float]) -> str:
    return (
        f"n {len(values):4d}  p50 {_percentile(values, 0.5):7.1f}  "
        f"p95 {_percentile(values, 0.95):7.1f}  max {max(values):7.1f} ms"
    )


class World:
    """The generated province: divisions, agencies (5,000 = 500 counties × 10 domains)."""

    def __init__(self, rng: random.Random) -> None:
        self.agencies: list[tuple[int, str, str, int]] = []  # id, name, division, domain index
        agency_id = 0
        for city in range(1, 26):
            city_name = rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + "市"
            for county in range(1, 21):
                division = f"13{city:02d}{county:02d}"
                county_name = rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + rng.choice("区县")
                for d, (_code, _name, suffix, _abbr) in enumerate(DOMAINS):
                    agency_id += 1
                    name = f"示范省{city_name}{county_name}{suffix}"
                    self.agencies.append((agency_id, name, division, d))


def _company(rng: random.Random) -> str:
    place = rng.choice(SYLLABLES) + rng.choice(SYLLABLES)
    name = rng.choice(SYLLABLES) + rng.choice(SYLLABLES)
    suffix = rng.choice(["有限公司", "有限责任公司", "店", "经营部"])
    return f"示范{place}{name}{rng.choice(TRADES)}{suffix}"


def documents(count: int) -> Iterator[Any]:
    """``count`` published decisions, in decision-date order, fixed seed."""
    from zhifa.publicity.search.services import SearchDocument

    rng = random.Random(SEED)
    world = World(rng)
    kinds = [k for k, _ in KIND_WEIGHTS]
    weights = [w for _, w in KIND_WEIGHTS]
    offsets = sorted(rng.randrange(DAYS) for _ in range(count))
    numbers: dict[tuple[int, int], int] = defaultdict(int)
    for i, offset in enumerate(offsets, start=1):
        decided = START + timedelta(days=offset)
        agency_id, agency_name, division, d = world.agencies[
            min(int(rng.paretovariate(1.2)) - 1, 4999) * 37 % 5000
            if rng.random() < 0.5
            else rng.randrange(5000)
        ]
        code, domain_name, _suffix, abbr = DOMAINS[d]
        law, facts = VIOLATIONS[code]
        fact, article, penalty_article = rng.choice(facts)
        kind = rng.choices(kinds, weights)[0]
        numbers[(agency_id, decided.year)] += 1
        number = f"示{abbr}罚〔{decided.year}〕{numbers[(agency_id, decided.year)]}号"
        subject = _company(rng) if rng.random() < 0.85 else rng.choice(SURNAMES) + "某"
        fine = rng.choice([500, 1000, 2000, 3000, 5000, 10000, 20000, 50000, 100000, 200000])
        confiscated = rng.choice([0, 0, 0, 800, 1500, 3200, 12000])
        amount = Decimal(fine + confiscated) if kind in ("penalty", "levy") else None
        sentences = rng.sample(PROCESS, 6)
        body = (
            f"当事人：{subject}。经查，当事人于{decided.year}年{rng.randint(1, 12)}月"
            f"{rng.randint(1, 28)}日在其经营场所{fact}，货值金额{rng.randint(3, 90) * 100}元。"
            + "".join(sentences[:3])
            + f"当事人的上述行为违反了{law}{article}的规定。"
            + "".join(sentences[3:])
            + f"依据{law}{penalty_article}的规定，本机关决定对当事人作出如下行政处罚：没收违法所得"
            f"人民币{confiscated}元，并处罚款人民币{fine}元。" + "".join(CLOSING)
        )
        workdays = 7 if kind in ("penalty", "licence") else 20
        due = decided + timedelta(days=workdays * 7 // 5)
        published = decided + timedelta(days=rng.choice([1, 2, 3, 4, 5, 7, 9, 12, 30]))
        yield SearchDocument(
            publication_id=i,
            agency_id=agency_id,
            agency_name=agency_name,
            division_code=division,
            domain_code=code,
            domain_name=domain_name,
            kind=kind,
            decision_number=number,
            decided_on=decided,
            published_on=published,
            due_on=due,
            on_time=published <= due,
            amount=amount,
            subject=subject,
            title=f"{domain_name}：{fact}",
            body=body,
            url=f"/public/decisions/{i}/",
        )


def generate(count: int, skip: bool) -> None:
    from django.core.management import call_command
    from django.db import connection

    from zhifa.publicity.search import services
    from zhifa.publicity.search.models import Entry

    call_command("migrate", verbosity=0)
    have = Entry.objects.count()
    if have == count:
        print(f"{have:,} decisions already loaded: generation not timed")
        return
    if skip:
        sys.exit(f"--skip-generate given but the index holds {have:,} decisions, not {count:,}")
    services.search_index_clear()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    started = time.perf_counter()
    loaded = 0
    last = started
    docs = documents(count)
    step = 50_000
    while True:
        chunk = services.search_index_bulk_load(
            (doc for _, doc in zip(range(step), docs, strict=False)), batch=5000
        )
        if not chunk:
            break
        loaded += chunk
        now = time.perf_counter()
        print(f"  {loaded:>9,} loaded  {chunk / (now - last):7.0f} /s", flush=True)
        last = now
        if chunk < step:
            break
    load = time.perf_counter() - started
    merged = time.perf_counter()
    services.search_index_optimize()
    optimize = time.perf_counter() - merged
    print(
        f"generated and loaded {loaded:,} decisions in {load:.0f} s "
        f"({loaded / load:,.0f} /s, generation and segmentation included); "
        f"optimize (FTS5 merge / GIN build and ANALYZE) {optimize:.0f} s"
    )


def _queries(n: int) -> list[tuple[str, dict[str, Any], int]]:
    """(kind, SearchQuery arguments, page) — a fixed mix."""
    rng = random.Random(SEED + 1)
    one = list("药罚款水车网证污火食酒")
    two = ["罚款", "食品", "药品", "排放", "超载", "许可", "假药", "施工", "采砂", "广告", "网吧"]
    words = [
        "保质期",
        "医疗器械",
        "危险废物",
        "安全生产",
        "道路运输",
        "电动自行车",
        "营业执照",
        "非法出版物",
        "污染防治设施",
        "医疗机构",
    ]
    phrases = [
        "销售超过保质期的预包装食品",
        "未取得施工许可证擅自施工",
        "超过大气污染物排放标准",
        "食品安全法 第一百二十四条",
        "网吧接纳未成年人",
        "药品零售企业销售假药",
    ]
    out: list[tuple[str, dict[str, Any], int]] = []
    kinds = [
        "1-char",
        "2-char",
        "word",
        "phrase",
        "number",
        "filter only",
        "word+filters",
        "1-char+agency",
        "by amount",
        "relevance",
        "page 10",
    ]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        args: dict[str, Any] = {}
        page = 1
        if kind == "1-char":
            args["q"] = rng.choice(one)
        elif kind == "2-char":
            args["q"] = rng.choice(two)
        elif kind == "word":
            args["q"] = rng.choice(words)
        elif kind == "phrase":
            args["q"] = rng.choice(phrases)
        elif kind == "number":
            args["q"] = f"示市监罚〔{rng.randint(2021, 2025)}〕{rng.randint(1, 40)}号"
        elif kind == "filter only":
            args[rng.choice(["agency", "domain", "kind", "division"])] = None
        elif kind == "word+filters":
            domain = rng.choice(DOMAINS)[0]
            args["q"] = rng.choice(DOMAIN_WORDS[domain])
            args["domain"] = domain
            args["decided_from"] = date(rng.randint(2021, 2025), rng.randint(1, 6), 1)
            args["decided_to"] = args["decided_from"] + timedelta(days=180)
            args["min_amount"] = Decimal(rng.choice([1000, 5000, 20000]))
        elif kind == "1-char+agency":
            args["q"] = rng.choice(one)
            args["agency"] = None
        elif kind == "by amount":
            args["q"] = rng.choice(two + words)
            args["sort"] = "amount"
        elif kind == "relevance":
            args["q"] = rng.choice(two + words)
            args["sort"] = "relevance"
        elif kind == "page 10":
            args["q"] = rng.choice(one + two)
            page = 10
        for name in ("agency", "domain", "kind", "division"):
            if name in args and args[name] is None:
                args[name] = {
                    "agency": rng.randint(1, 5000),
                    "domain": rng.choice(DOMAINS)[0],
                    "kind": rng.choice(KIND_WEIGHTS)[0],
                    "division": f"13{rng.randint(1, 25):02d}",
                }[name]
        out.append((kind, args, page))
    return out


def bench_queries(n: int) -> None:
    from zhifa.publicity.search import selectors

    per_kind: dict[str, list[float]] = defaultdict(list)
    matches: dict[str, list[int]] = defaultdict(list)
    estimated: dict[str, int] = defaultdict(int)
    queries = _queries(n)
    # Warm the segmenter's dictionary and the page cache once.
    selectors.decisions_search(selectors.SearchQuery(q="罚款"))
    for kind, args, page in queries:
        started = time.perf_counter()
        result = selectors.decisions_search(selectors.SearchQuery(**args), page=page)
        per_kind[kind].append((time.perf_counter() - started) * 1000)
        matches[kind].append(result.count)
        estimated[kind] += result.estimated
    print(
        f"\n{n} queries (decisions_search, one page of 50 with its count: exact up to 10,000 on "
        f"SQLite, up to {selectors.PG_EXACT_COUNT:,} on PostgreSQL and estimated past it):"
    )
    everything: list[float] = []
    for kind, values in per_kind.items():
        everything += values
        typical = sorted(matches[kind])[len(matches[kind]) // 2]
        print(
            f"  {kind:<14} {_ms(values)}   median matches {typical:,}"
            f"  (estimated {estimated[kind]}/{len(values)})"
        )
    print(f"  {'overall':<14} {_ms(everything)}")


def bench_statistics() -> None:
    """The statistics page's aggregates, uncached, for the province, a domain, a city, an
    agency; then the agency list of the search form."""
    from django.core.cache import cache

    from zhifa.publicity.search import selectors

    print("\nstatistics (decisions_statistics, cache cleared before each):")
    scopes: list[tuple[str, dict[str, Any]]] = [
        ("province", {}),
        ("one domain", {"domain": "market"}),
        ("one city", {"division": "1303"}),
        ("one agency", {"agency": 17}),
    ]
    for label, args in scopes:
        cache.clear()
        started = time.perf_counter()
        stats = selectors.decisions_statistics(selectors.SearchQuery(**args))
        elapsed = (time.perf_counter() - started) * 1000
        print(f"  {label:<12} {elapsed:7.0f} ms   {stats.total:,} decisions")
    cache.clear()
    started = time.perf_counter()
    agencies = selectors.agencies_published()
    elapsed = (time.perf_counter() - started) * 1000
    print(f"  agency list  {elapsed:7.0f} ms   {len(agencies):,} agencies")


def index_size() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC")
            rows = cursor.fetchall()
            fts = sum(size for name, size in rows if name.startswith("publicity_search_fts"))
            table = sum(size for name, size in rows if not name.startswith("publicity_search_fts"))
            print(
                f"\nsize: full-text index {fts / 2**20:,.0f} MiB, table and its indexes "
                f"{table / 2**20:,.0f} MiB"
            )
        else:
            cursor.execute(
                "SELECT pg_relation_size('search_terms_gin'),"
                " pg_total_relation_size('publicity_search_terms'),"
                " pg_total_relation_size('publicity_search_entry')"
            )
            gin, terms, entries = cursor.fetchone()
            print(
                f"\nsize: GIN index {gin / 2**20:,.0f} MiB; terms table (key, amount, tokens) "
                f"with its indexes and TOASTed tsvectors {terms / 2**20:,.0f} MiB; entry table "
                f"with its indexes {entries / 2**20:,.0f} MiB"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-search"))
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--skip-generate", action="store_true")
    args = parser.parse_args()
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    _setup(args.data_dir)
    generate(args.count, args.skip_generate)
    bench_queries(args.queries)
    bench_statistics()
    index_size()


if __name__ == "__main__":
    main()
