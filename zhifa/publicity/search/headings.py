"""The heading of a published decision wherever it is listed (search results, the Atom feed).

Pure. Built from what the index holds, all of it already public: the 文号, the 执法对象 as
published (redacted) and the index's title (执法类别 or 案由). "行政处罚" alone names no decision.
"""

from __future__ import annotations

SEPARATOR = " · "


def decision_heading(*, decision_number: str, subject: str, title: str) -> str:
    """``甲市监罚〔2026〕2号 · 示范市康宁大药房有限公司 · 药品零售企业销售假药``; empty parts and
    repeats are left out."""
    parts: list[str] = []
    for part in (decision_number.strip(), subject.strip(), title.strip()):
        if part and part not in parts:
            parts.append(part)
    return SEPARATOR.join(parts)
