"""What a supervision result's publication shows and by when (执法监督结果公开).

《行政执法监督条例》第三十一条 lets the supervisory body "在一定范围内进行通报或者向社会公布"; the
条例 sets no time limit. A result published to society is 政府信息 of the body that made it,
published "自该政府信息形成或者变更之日起20个工作日内" (《中华人民共和国政府信息公开条例》
第二十六条), which is the due day here. Pure.
"""

from __future__ import annotations

from zhifa.law.periods import Period, Unit

ARTICLE = "《行政执法监督条例》（国务院令第825号）第三十一条"
OGI_26 = "《中华人民共和国政府信息公开条例》第二十六条"
WORKDAYS = 20

# The public fields of a supervision result, in the page's order. ``agency`` and ``number``
# keep the names the proof's offline verifier reads (verify.py: "决定：{agency} {number}").
FIELD_LABELS: dict[str, str] = {
    "agency": "监督机构",
    "category": "文书种类",
    "number": "文号",
    "issued_on": "制发日期",
    "target": "被监督机关",
    "title": "监督事项",
}


def period() -> Period:
    return Period(WORKDAYS, Unit.WORKING_DAYS, OGI_26, "执法监督结果公开")
