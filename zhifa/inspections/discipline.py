"""The inspection discipline "五个严禁、八个不得" (国办发〔2024〕54号 part 七), as data.

Five prohibitions (严禁); under them eight specific "不得" (4 + 1 + 1 + 1 + 1). The notice
(行政检查通知书) prints them, the on-site record (现场检查笔录) carries them as a checklist, and
the enterprise's rating form names them as the kinds of breach it may report. Pure: no Django.

Source: /work/shared/domain/inspections.md §1.1 ("五个严禁、八个不得", read through 证券时报's
report of the text; the counts match the document's 4 + 1 + 1 + 1 + 1).
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = "《国务院办公厅关于严格规范涉企行政检查的意见》（国办发〔2024〕54号）第七部分"
RECUSAL_SENTENCE = (
    "执法人员与被检查人有直接利害关系或者有其他关系可能影响公正执法的，被检查人有权申请回避"
    "（《中华人民共和国行政处罚法》第四十三条）。"
)


@dataclass(frozen=True)
class Prohibition:
    """One 严禁 with the 不得 it names; ``code`` is what a rating's breach list stores."""

    code: str
    title: str  # 严禁…
    rules: tuple[str, ...]  # 不得…


PROHIBITIONS: tuple[Prohibition, ...] = (
    Prohibition(
        "profit",
        "严禁逐利检查",
        (
            "不得接受被检查企业任何馈赠、报酬、福利待遇",
            "不得参加被检查企业提供的宴请、娱乐、旅游等活动",
            "不得由被检查企业支付消费开支或者将检查费用转嫁给企业",
            "不得强制企业接受指定的中介机构提供服务",
        ),
    ),
    Prohibition("disturb", "严禁干扰企业正常生产经营", ("不得刻意要求法定代表人到场",)),
    Prohibition("arbitrary", "严禁任性处罚企业", ("不得乱查封、乱扣押、乱冻结，动辄责令停产停业",)),
    Prohibition(
        "quota",
        "严禁下达检查指标",
        ("不得将考核考评、预算项目绩效与检查频率、罚款数额挂钩",),
    ),
    Prohibition(
        "disguised",
        "严禁变相检查",
        ("不得以观摩、督导、考察等名义行检查之实",),
    ),
)

CODES: dict[str, Prohibition] = {p.code: p for p in PROHIBITIONS}


def breach_label(code: str) -> str:
    """The prohibition a breach code names (its 严禁 title)."""
    return CODES[code].title


def breaches_valid(codes: list[str]) -> list[str]:
    """The codes that are not prohibitions (empty when every code is one)."""
    return [c for c in codes if c not in CODES]


def rule_count() -> tuple[int, int]:
    """(严禁, 不得): (5, 8)."""
    return len(PROHIBITIONS), sum(len(p.rules) for p in PROHIBITIONS)
