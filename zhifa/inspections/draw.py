"""The 双随机 draw anyone can check (国办发〔2015〕58号（二）"全程留痕，实现责任可追溯";
国发〔2019〕5号).

Pure Python, no Django, no clock: the rule, the published document and its offline verifier.

1. **Freeze.** Each pool is the list of its identifiers (entities: 统一社会信用代码; inspectors:
   执法证件编号), sorted ascending (by code point, which is the order of their UTF-8 bytes),
   without repeats, UTF-8, one per line, each line ending in "\\n" (``pool_text``). Its SHA-256
   (``pool_sha256``), the count to draw and the *seed size* N — a tree size of the record log
   larger than its size when frozen — are recorded and published before the draw.
2. **Seed.** D is the lowercase hex root hash of the first signed tree head of the record log
   whose size is at least N: unknowable when the pools were frozen.
3. **Rank.** Each identifier C ranks by SHA-256(UTF-8(C + "/" + D)) read as a big-endian
   number, highest first (as ICANN OCTO-41's candidate selection; RFC 3797 ranks the same way
   with MD5). The first k of each pool are selected; a candidate that is recused (回避) or no
   longer eligible is skipped with its reason recorded, and the next in rank takes its place.
4. **Publish** the JSON document (``draw_document``) ``{"task", "pools", "seed_size",
   "checkpoint", "seed"}``; ``verify_document`` checks it offline, naming each failure. The
   task carries the freeze entry with its inclusion proof under the seed checkpoint
   (``task.freeze_entry``), so the verifier also checks that the pools' hashes, counts and N
   were in the log before the seed existed.

Default counts per risk class come from ``RISK_RATIOS`` (a settings table with its source).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Any

from zhifa.record import merkle
from zhifa.record.checkpoint import Checkpoint, CheckpointError, Verifier, open_checkpoint
from zhifa.record.published_json import load_json

# -- the rule's sources ---------------------------------------------------------------------

BASIS = "国办发〔2015〕58号《关于推广随机抽查规范事中事后监管的通知》（二）"
JOINT_BASIS = "国发〔2019〕5号《关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》"
MIN_INSPECTORS = (
    2  # ≥ 2 inspectors per entity (《行政处罚法》第四十二条; 58号 细则: 每个对象至少2名)
)
MIN_INSPECTORS_SOURCE = "《行政处罚法》第四十二条（执法人员不得少于两人）"


@dataclass(frozen=True)
class RatioBand:
    """The share of a risk class's entities a task draws: ``low`` ≤ ratio ≤ ``high``, drawn at
    ``default`` unless the task says otherwise."""

    low: Decimal
    high: Decimal
    default: Decimal


# Risk-graded ratios (林甸县农业农村局 双随机 细则, 2024: A ≤ 5 %, B 5–20 %, C 21–60 %,
# D 61–100 %). The default is the least that the band allows (A: its ceiling), so a task
# disturbs no more enterprises than the rule requires (国办发〔2024〕54号（四）"最大限度减少
# 入企检查频次"); every default is ≥ the 5 % overall floor.
RISK_RATIOS: dict[str, RatioBand] = {
    "A": RatioBand(Decimal("0"), Decimal("0.05"), Decimal("0.05")),
    "B": RatioBand(Decimal("0.05"), Decimal("0.20"), Decimal("0.05")),
    "C": RatioBand(Decimal("0.21"), Decimal("0.60"), Decimal("0.21")),
    "D": RatioBand(Decimal("0.61"), Decimal("1"), Decimal("0.61")),
}
RISK_RATIOS_SOURCE = (
    "林甸县农业农村局“双随机、一公开”抽查细则（2024）：A类≤5%，B类5%–20%，C类21%–60%，D类61%–100%"
)
MIN_OVERALL_RATIO = Decimal("0.05")
MIN_OVERALL_RATIO_SOURCE = "各地“双随机”抽查工作细则：抽查比例不低于5%（如镇平县教育体育局细则）"


def ratio_bands(configured: Mapping[str, Any] | None) -> tuple[dict[str, RatioBand], str]:
    """The bands in force: ``configured`` (``ZHIFA_DRAW_RISK_RATIOS``: ``{"A": {"low": "0",
    "high": "0.05", "default": "0.05"}, …, "source": "…"}``) over the shipped defaults.

    A configured table must name its source (a changed number no longer rests on ours)."""
    if not configured:
        return dict(RISK_RATIOS), RISK_RATIOS_SOURCE
    source = str(configured.get("source", "")).strip()
    if not source:
        raise ValueError("ZHIFA_DRAW_RISK_RATIOS: a configured table needs its source")
    bands = dict(RISK_RATIOS)
    for cls, row in configured.items():
        if cls == "source":
            continue
        band = RatioBand(Decimal(str(row["low"])), Decimal(str(row["high"])), Decimal("0"))
        default = Decimal(str(row.get("default", band.low if band.low > 0 else band.high)))
        if not (0 <= band.low <= default <= band.high <= 1):
            raise ValueError(f"ZHIFA_DRAW_RISK_RATIOS[{cls!r}]: need 0 ≤ low ≤ default ≤ high ≤ 1")
        bands[cls] = RatioBand(band.low, band.high, default)
    return bands, source


def count_for(size: int, ratio: Decimal) -> int:
    """How many of ``size`` entities a ``ratio`` draws: rounded up, so a non-zero ratio of a
    non-empty pool draws at least one (a ratio is a floor: "不低于")."""
    if size <= 0 or ratio <= 0:
        return 0
    return min(size, int((Decimal(size) * ratio).to_integral_value(rounding=ROUND_CEILING)))


def default_counts(
    sizes: Mapping[str, int], bands: Mapping[str, RatioBand] | None = None
) -> dict[str, int]:
    """The count per risk class at each band's default ratio, raised where needed so that at
    least ``MIN_OVERALL_RATIO`` of all the entities are drawn (the highest-risk classes first)."""
    bands = RISK_RATIOS if bands is None else bands
    counts = {
        cls: count_for(size, bands[cls].default if cls in bands else MIN_OVERALL_RATIO)
        for cls, size in sizes.items()
    }
    total = sum(sizes.values())
    floor = count_for(total, MIN_OVERALL_RATIO)
    for cls in sorted(sizes, reverse=True):  # D, C, B, A
        missing = floor - sum(counts.values())
        if missing <= 0:
            break
        counts[cls] = min(sizes[cls], counts[cls] + missing)
    return counts


@dataclass(frozen=True)
class CountProblem:
    risk_class: str
    message: str


def count_problems(
    sizes: Mapping[str, int],
    counts: Mapping[str, int],
    bands: Mapping[str, RatioBand] | None = None,
    source: str = RISK_RATIOS_SOURCE,
) -> list[CountProblem]:
    """Counts outside their class's band, or under the 5 % overall floor, each with the rule."""
    bands = RISK_RATIOS if bands is None else bands
    problems: list[CountProblem] = []
    for cls, size in sorted(sizes.items()):
        k = counts.get(cls, 0)
        if k < 0 or k > size:
            problems.append(CountProblem(cls, f"{cls}类抽取数量{k}不在0至{size}之间"))
            continue
        band = bands.get(cls)
        if band is None or size == 0:
            continue
        # Both ends rounded up, as the counts are: a band's share of a small class is whole
        # entities (5 % of 10 is at most one, not none).
        low, high = count_for(size, band.low), count_for(size, band.high)
        if not low <= k <= high:
            problems.append(
                CountProblem(
                    cls,
                    f"{cls}类{size}户抽取{k}户，超出{_pct(band.low)}–{_pct(band.high)}"
                    f"（{low}至{high}户）的比例（依据：{source}）",
                )
            )
    total = sum(sizes.values())
    if total and sum(counts.values()) < count_for(total, MIN_OVERALL_RATIO):
        problems.append(
            CountProblem(
                "",
                f"共{total}户只抽取{sum(counts.values())}户，低于{_pct(MIN_OVERALL_RATIO)}"
                f"（依据：{MIN_OVERALL_RATIO_SOURCE}）",
            )
        )
    return problems


def _pct(value: Decimal) -> str:
    return f"{(value * 100).normalize():f}%"


# -- pools ----------------------------------------------------------------------------------


class PoolError(ValueError):
    """An identifier that cannot be in a pool (empty, or holding a line break)."""


def pool_members(identifiers: Iterable[str]) -> list[str]:
    """The pool's identifiers in published order: ascending, each once. Raises ``PoolError`` for
    an empty identifier or one containing a line break (it would split its line)."""
    members = sorted(set(identifiers))
    for item in members[:1] + members[-1:]:
        if not item:
            raise PoolError("an identifier is empty")
    if any("\n" in m or "\r" in m for m in members):
        raise PoolError("an identifier holds a line break")
    return members


def pool_text(members: Sequence[str]) -> str:
    """The serialised pool: one identifier a line, each line ending in "\\n"."""
    return "".join(m + "\n" for m in members)


def pool_sha256(members: Sequence[str]) -> str:
    """Lowercase hex SHA-256 of the UTF-8 bytes of ``pool_text``."""
    return hashlib.sha256(pool_text(members).encode("utf-8")).hexdigest()


def members_from_text(text: str) -> list[str]:
    """The identifiers of a serialised pool (inverse of ``pool_text``)."""
    return text.split("\n")[:-1] if text else []


# -- ranking and selection ------------------------------------------------------------------


def rank_key(identifier: str, seed: str) -> bytes:
    """SHA-256(UTF-8(C + "/" + D)); as bytes, their order is the big-endian number's."""
    return hashlib.sha256(f"{identifier}/{seed}".encode()).digest()


def ranked(members: Iterable[str], seed: str) -> list[str]:
    """The identifiers, highest rank first."""
    keyed = [(hashlib.sha256(f"{m}/{seed}".encode()).digest(), m) for m in members]
    keyed.sort(reverse=True)
    return [m for _, m in keyed]


@dataclass(frozen=True)
class Skip:
    id: str
    reason: str


@dataclass(frozen=True)
class Selection:
    selected: tuple[str, ...]
    skipped: tuple[Skip, ...]


def select(
    members: Sequence[str],
    seed: str,
    count: int,
    skip_reason: Callable[[str], str | None] = lambda _id: None,
) -> Selection:
    """The top ``count`` of ``members`` ranked by ``seed``; a candidate for which ``skip_reason``
    gives a reason is skipped (the reason kept) and the next in rank takes its place. Fewer are
    selected only when the pool runs out."""
    selected: list[str] = []
    skipped: list[Skip] = []
    if count <= 0:
        return Selection((), ())
    for candidate in ranked(members, seed):
        reason = skip_reason(candidate)
        if reason:
            skipped.append(Skip(candidate, reason))
            continue
        selected.append(candidate)
        if len(selected) == count:
            break
    return Selection(tuple(selected), tuple(skipped))


def assign(
    entities: Sequence[str], inspectors: Sequence[str], per_entity: int
) -> dict[str, list[str]]:
    """Inspectors for each drawn entity, in turn from one pool's selection (round robin, in rank
    order): each entity gets ``per_entity`` distinct inspectors while the pool has that many."""
    team = min(per_entity, len(inspectors))
    result: dict[str, list[str]] = {}
    if not inspectors:
        return {e: [] for e in entities}
    position = 0
    for entity in entities:
        result[entity] = [inspectors[(position + i) % len(inspectors)] for i in range(team)]
        position = (position + team) % len(inspectors)
    return result


# -- the published document -----------------------------------------------------------------


@dataclass
class PoolResult:
    name: str
    members: Sequence[str]
    sha256: str
    count: int
    selected: Sequence[str]
    skipped: Sequence[Mapping[str, str]]


def draw_document(
    *,
    task: Mapping[str, Any],
    pools: Sequence[PoolResult],
    seed_size: int,
    checkpoint: str,
    seed: str,
) -> dict[str, Any]:
    """The JSON document published at ``/public/inspections/draws/<id>.json``."""
    return {
        "task": dict(task),
        "pools": [
            {
                "name": p.name,
                "pool": list(p.members),
                "pool_sha256": p.sha256,
                "count": p.count,
                "selected": list(p.selected),
                "skipped": [{"id": s["id"], "reason": s["reason"]} for s in p.skipped],
            }
            for p in pools
        ],
        "seed_size": seed_size,
        "checkpoint": checkpoint,
        "seed": seed,
    }


# -- the verifier ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """One failed check: ``kind`` (stable, English), ``pool`` (its name, or ""), ``message``."""

    kind: str
    message: str
    pool: str = ""


@dataclass
class Report:
    source: str = ""
    key: str = ""
    tree_size: int | None = None
    origin: str = ""
    pools: int = 0
    freeze_checked: bool = False
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def add(self, kind: str, message: str, pool: str = "") -> None:
        self.failures.append(Failure(kind, message, pool))


FREEZE_ACTION = "inspection.draw_freeze"


def _freeze_checks(doc: Mapping[str, Any], report: Report, checkpoint: Checkpoint | None) -> None:
    """The freeze entry, when the task carries it (``task.freeze_entry``: its ``seq``, its
    ``leaf`` — the entry's exact bytes as UTF-8 — and an inclusion ``proof`` under the seed
    checkpoint): it is in the tree the checkpoint signs, it lies before N, and it announced
    these pools' hashes and counts and this N. So the pools were fixed before the seed existed."""
    task = doc.get("task")
    frozen = task.get("freeze_entry") if isinstance(task, dict) else None
    if frozen is None:
        return
    report.freeze_checked = True
    if checkpoint is None or not isinstance(frozen, dict):
        report.add("freeze_entry", "无法核对名录冻结记录：签名树头或冻结记录缺失")
        return
    seq, leaf, proof = frozen.get("seq"), frozen.get("leaf"), frozen.get("proof")
    if not isinstance(seq, int) or not isinstance(leaf, str) or not isinstance(proof, list):
        report.add("freeze_entry", "名录冻结记录格式不对（seq、leaf、proof）")
        return
    leaf_bytes = leaf.encode("utf-8", "surrogatepass")
    try:
        root = merkle.root_from_inclusion_proof(
            merkle.leaf_hash(leaf_bytes), seq, checkpoint.size, [bytes.fromhex(h) for h in proof]
        )
    except (ValueError, TypeError, merkle.ProofError) as exc:
        report.add("freeze_entry", f"名录冻结记录的包含证明无效（{exc}）")
        return
    if root != checkpoint.root_hash:
        report.add("freeze_entry", "名录冻结记录不在签名树头所代表的全过程记录中")
    try:
        fields = json.loads(leaf)
    except ValueError:
        report.add("freeze_entry", "名录冻结记录不是有效的JSON")
        return
    payload = fields.get("payload") if isinstance(fields, dict) else None
    if not isinstance(payload, dict) or fields.get("action") != FREEZE_ACTION:
        report.add("freeze_entry", "所附记录不是名录冻结记录")
        return
    if fields.get("seq") != seq:
        report.add("freeze_entry", "名录冻结记录的序号与所列序号不符")
    seed_size = doc.get("seed_size")
    if payload.get("seed_size") != seed_size:
        report.add("freeze_entry", "冻结时公布的种子树规模与抽取结果所载不同")
    if isinstance(seed_size, int) and seq + 1 >= seed_size:
        report.add("freeze_entry", f"名录冻结记录（第{seq}条）不在种子树规模{seed_size}之前")
    announced = [
        (p.get("name"), p.get("sha256"), p.get("count"))
        for p in payload.get("pools", [])
        if isinstance(p, dict)
    ]
    published = [
        (p.get("name"), p.get("pool_sha256"), p.get("count"))
        for p in doc.get("pools") or []
        if isinstance(p, dict)
    ]
    if announced != published:
        report.add("freeze_entry", "抽取结果中的名录、哈希或抽取数量与冻结时记录的不同")


def _checkpoint_checks(doc: Mapping[str, Any], report: Report, key: str) -> Checkpoint | None:
    note = doc.get("checkpoint")
    seed = doc.get("seed")
    seed_size = doc.get("seed_size")
    if not isinstance(seed_size, int) or isinstance(seed_size, bool) or seed_size < 1:
        report.add("seed_size", f"种子树规模（seed_size）无效：{seed_size!r}")
        seed_size = None
    if not isinstance(note, str) or not note:
        report.add("signature", "缺少签名树头（checkpoint）")
        return None
    checkpoint: Checkpoint | None = None
    try:
        checkpoint = open_checkpoint(note, Verifier.from_key(key))
    except CheckpointError as exc:
        report.add("signature", f"签名树头不能用日志公钥{key or '（未提供）'}验证：{exc}")
        split = note.rfind("\n\n")
        try:
            checkpoint = Checkpoint.parse(note[: split + 1] if split >= 0 else note)
        except CheckpointError:
            checkpoint = None
    if checkpoint is None:
        report.add("seed", "签名树头无法解析，无法核对种子")
        return None
    report.tree_size, report.origin = checkpoint.size, checkpoint.origin
    if seed != checkpoint.root_hash.hex():
        report.add(
            "seed",
            f"种子{seed!r}不是签名树头的根哈希{checkpoint.root_hash.hex()}（小写十六进制）",
        )
    if seed_size is not None and checkpoint.size < seed_size:
        report.add(
            "seed_size",
            f"签名树头只有{checkpoint.size}条记录，小于冻结时公布的种子树规模{seed_size}",
        )
    return checkpoint


def _pool_checks(raw: Any, seed: str, report: Report, index: int, *, ranking: bool) -> None:
    if not isinstance(raw, dict):
        report.add("format", f"第{index + 1}个名录不是JSON对象")
        return
    name = str(raw.get("name", f"#{index + 1}"))
    members, selected, skipped = raw.get("pool"), raw.get("selected"), raw.get("skipped")
    count = raw.get("count")
    if (
        not isinstance(members, list)
        or not all(isinstance(m, str) for m in members)
        or not isinstance(selected, list)
        or not isinstance(skipped, list)
        or not isinstance(count, int)
        or isinstance(count, bool)
    ):
        report.add("format", f"名录“{name}”缺少 pool、count、selected 或 skipped", name)
        return
    if members != sorted(set(members)):
        report.add("pool_order", f"名录“{name}”未按升序排列或有重复项", name)
    digest = hashlib.sha256(pool_text(members).encode("utf-8")).hexdigest()
    if digest != raw.get("pool_sha256"):
        report.add(
            "pool_hash",
            f"名录“{name}”的SHA-256为{digest}，与公布的{raw.get('pool_sha256')}不符：名录被改动",
            name,
        )
    if not ranking:
        return
    skip_ids: dict[str, str] = {}
    for item in skipped:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            report.add("format", f"名录“{name}”的跳过记录格式不对", name)
            return
        if not str(item.get("reason", "")).strip():
            report.add("skip_reason", f"名录“{name}”跳过{item['id']}而未载明理由", name)
        skip_ids[item["id"]] = str(item.get("reason", ""))
    order = ranked(members, seed)
    expected: list[str] = []
    reached: set[str] = set()
    for candidate in order:
        if len(expected) == count:
            break
        reached.add(candidate)
        if candidate not in skip_ids:
            expected.append(candidate)
    if selected != expected:
        report.add(
            "selection",
            f"名录“{name}”的抽中结果不是按种子排序、除去所载跳过项后的前{count}名",
            name,
        )
    unreached = sorted(set(skip_ids) - reached)
    if unreached:
        report.add(
            "skipped",
            f"名录“{name}”所载跳过项{'、'.join(unreached[:5])}不在名录中或排名未轮到",
            name,
        )


def verify_document(doc: Mapping[str, Any], *, key: str, source: str = "") -> Report:
    """Check a published draw offline against the log's published verifier ``key``: every
    pool's hash and order, the checkpoint's signature, D = its root, its size ≥ the seed size,
    and every pool's selection = its top ``count`` after the recorded skips."""
    report = Report(source=source, key=key)
    drawn = bool(doc.get("checkpoint") or doc.get("seed"))
    if drawn:
        checkpoint = _checkpoint_checks(doc, report, key)
        _freeze_checks(doc, report, checkpoint)
    else:  # frozen, the seed not yet known: the pools' hashes can be checked already
        report.add(
            "not_drawn", f"尚未抽取：种子取自第一个规模不小于{doc.get('seed_size')}的签名树头"
        )
    seed = doc.get("seed")
    pools = doc.get("pools")
    if not isinstance(pools, list) or not pools:
        report.add("format", "缺少名录（pools）")
        return report
    report.pools = len(pools)
    for index, raw in enumerate(pools):
        _pool_checks(raw, str(seed), report, index, ranking=drawn)
    _assignment_checks(doc, pools, report)
    return report


def _assignment_checks(doc: Mapping[str, Any], pools: list[Any], report: Report) -> None:
    """Teams, when the task lists them: drawn entities, drawn inspectors, at least two each."""
    task = doc.get("task")
    teams = task.get("assignments") if isinstance(task, dict) else None
    if not teams:
        return
    drawn = {c for p in pools if isinstance(p, dict) for c in p.get("selected") or []}
    for team in teams:
        if not isinstance(team, dict):
            report.add("assignments", "检查组分配格式不对")
            return
        entity, inspectors = team.get("entity"), team.get("inspectors") or []
        if entity not in drawn or any(i not in drawn for i in inspectors):
            report.add("assignments", f"检查组{entity}含未被抽中的对象或人员")
        if len(set(inspectors)) < MIN_INSPECTORS:
            report.add(
                "assignments",
                f"检查对象{entity}的检查人员少于{MIN_INSPECTORS}人（{MIN_INSPECTORS_SOURCE}）",
            )


MAX_DOCUMENT = 256 << 20  # a province's pools: 1,000,000 codes of 19 bytes and more


def load(source: str, *, timeout: float = 60) -> dict[str, Any]:
    """The document from an http(s) URL or a local file; raises ``ValueError`` when unreadable."""
    return load_json(source, limit=MAX_DOCUMENT, what="抽取结果", timeout=timeout)


def report_lines(report: Report) -> list[str]:
    lines = [f"抽取结果：{report.source}", f"日志公钥：{report.key or '（未提供）'}"]
    if report.tree_size is not None:
        lines.append(f"签名树头：{report.origin}，{report.tree_size}条记录；名录{report.pools}个")
    if report.freeze_checked:
        lines.append("名录冻结记录：已核对其包含证明、序号和所公布的名录哈希")
    lines.extend(f"  ✗ [{f.kind}] {f.message}" for f in report.failures)
    if report.ok:
        lines.append(
            "校验通过：名录哈希一致，签名树头的签名有效，种子为其根哈希，每个名录的抽中结果"
            "均为按种子排序、除去所载跳过项后的前k名。"
        )
    else:
        lines.append(f"校验发现{len(report.failures)}个问题。")
    return lines


def render(report: Report, *, as_json: bool) -> str:
    if as_json:
        return json.dumps(
            {
                "ok": report.ok,
                "source": report.source,
                "key": report.key,
                "tree_size": report.tree_size,
                "failures": [
                    {"kind": f.kind, "pool": f.pool, "message": f.message} for f in report.failures
                ],
            },
            ensure_ascii=False,
            indent=1,
        )
    return "\n".join(report_lines(report))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", help="抽取结果JSON的网址（http/https）或本地文件")
    parser.add_argument("--key", help="全过程记录日志公布的公钥（名称+密钥ID+密钥）")
    parser.add_argument("--json", action="store_true", help="以JSON输出校验结果")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m zhifa.inspections.draw FILE-or-URL --key KEY``: no Django needed."""
    parser = argparse.ArgumentParser(description="离线校验“双随机”抽取结果")
    add_arguments(parser)
    args = parser.parse_args(argv)
    if not args.key:
        print("请用 --key 提供全过程记录日志公布的公钥", file=sys.stderr)
        return 2
    try:
        doc = load(args.source)
    except (OSError, ValueError) as exc:
        print(f"无法读取抽取结果：{exc}", file=sys.stderr)
        return 2
    report = verify_document(doc, key=args.key, source=args.source)
    print(render(report, as_json=args.json))
    return 0 if report.ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
