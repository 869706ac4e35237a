"""Where an objection goes (条例第三十条, 国务院令第825号): the 条例 only says the agency "可以向其
提出并说明理由", i.e. to the supervisory body that issued the document. Several provinces send it
one level up instead — 《广东省行政执法监督条例》第三十三条 (to the upper-level 法制机构, answered
in 15 days) and 《吉林省行政执法监督条例》第三十条 (or the upper supervisor). A deployment chooses
with ``ZHIFA_SUPERVISION_OBJECTION_TO_UPPER`` (default off: the 条例's own reading).

The upper-level supervisory body is the 司法局 of the government one level up (条例第六条: the
司法行政部门 is the supervisory body of its own government): the city's for a county bureau, the
province's for a city's; a province has none above it in zhifa. Pure: the service reads the
registry and passes the codes in.
"""

from __future__ import annotations

UPPER_RULE = "《广东省行政执法监督条例》第三十三条、《吉林省行政执法监督条例》第三十条"


def upper_division_code(code: str) -> str | None:
    """The division one level up of a 6-digit division code: a county's (``130302``) is its
    city (``130300``), a city's (``130300``) its province (``130000``); a province has none."""
    if len(code) != 6 or not code.isdigit():
        raise ValueError(f"not a division code: {code!r}")
    if code.endswith("0000"):
        return None
    if code.endswith("00"):
        return code[:2] + "0000"
    return code[:4] + "00"
