"""The rules of the external supervisors (行政执法监督员), pure (``today`` is given).

The 《行政执法监督条例》 has no such system (its article 23 only lets supervisors invite 人大代表、
政协委员、专家学者、新闻工作者); 《法治政府建设实施纲要（2021－2025年）》(二十六) asks for one, and
provinces set it up: 《江西省行政执法监督条例》第十八条 (appointed by the government; may report
problems, join inspections by invitation). What a 监督员 may do is recorded; they never see
personal data.
"""

from __future__ import annotations

from datetime import date

from zhifa.core.exceptions import RuleViolation

BASIS = "《法治政府建设实施纲要（2021－2025年）》（二十六）"
JIANGXI_18 = "《江西省行政执法监督条例》第十八条"
HEARING_PUBLIC = "《行政处罚法》第六十四条"
ARTICLE_23 = "《行政执法监督条例》第二十三条"


def check_term(term_start: date, term_end: date) -> None:
    if term_end <= term_start:
        raise RuleViolation("聘期截止日期须晚于起始日期", article=JIANGXI_18, field="term_end")


def is_serving(*, term_start: date, term_end: date, ended_on: date | None, today: date) -> bool:
    """Within the term (both ends included) and not dismissed on or before ``today``."""
    if ended_on is not None and ended_on <= today:
        return False
    return term_start <= today <= term_end


def require_serving(serving: bool) -> None:
    if not serving:
        raise RuleViolation("您不在行政执法监督员聘期内", article=JIANGXI_18)


def check_score(score: int) -> None:
    if not 1 <= score <= 5:
        raise RuleViolation("评分须为1至5分", article=ARTICLE_23, field="score")


def check_hearing_open(hearing_on: date | None, today: date) -> None:
    if hearing_on is None or hearing_on < today:
        raise RuleViolation("该听证不在可登记旁听的范围内", article=HEARING_PUBLIC)
