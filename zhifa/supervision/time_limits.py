"""The supervision matters' time limits, as rows of ``core.time_limits`` (registered in
``apps.ready``). The 《行政执法监督条例》 sets no day counts ("及时", "在规定时限内"); each
default below is the provincial rule named as its source (supervision.md §0), replaced by a
deployment in ``ZHIFA_TIME_LIMITS``.
"""

from __future__ import annotations

from zhifa.core.time_limits import TimeLimit

GD = "《广东省行政执法监督条例》"

TRANSFER = "supervision.transfer"
EXPLANATION = "supervision.explanation_answer"
URGE = "supervision.urge_rectify"
OPINION = "supervision.opinion_rectify"
DECISION = "supervision.decision_report"
OBJECTION_FILE = "supervision.objection_file"
OBJECTION_ANSWER = "supervision.objection_answer"
CLUE_REPORT = "supervision.clue_report_back"
OBJECTION_ANSWER_UPPER = "supervision.objection_answer_upper"

ROWS = [
    TimeLimit(TRANSFER, "移送有权处理的机关", 10, "days", "《四川省行政执法监督条例》第三十一条"),
    TimeLimit(
        EXPLANATION, "被监督机关书面说明情况", 10, "workdays", "《上海市行政执法监督办法》第二十条"
    ),
    TimeLimit(URGE, "落实督办函并报送纠正情况", 30, "days", f"{GD}第三十三条"),
    TimeLimit(OPINION, "落实意见书并报送纠正情况", 30, "days", f"{GD}第三十三条"),
    TimeLimit(DECISION, "执行决定书并报告", 30, "days", f"{GD}第三十四条"),
    TimeLimit(OBJECTION_FILE, "提出异议", 15, "days", f"{GD}第三十三条"),
    # The issuing body answers (四川 34: objection 15 d, answer 15 d); 广东 33 is the upward route.
    TimeLimit(OBJECTION_ANSWER, "答复异议", 15, "days", "《四川省行政执法监督条例》第三十四条"),
    # Where the deployment routes objections upward (ZHIFA_SUPERVISION_OBJECTION_TO_UPPER):
    # 广东 33 sends the objection to the upper-level 法制机构, which answers within 15 days.
    TimeLimit(
        OBJECTION_ANSWER_UPPER, "上级行政执法监督机构答复异议", 15, "days", f"{GD}第三十三条"
    ),
    TimeLimit(
        CLUE_REPORT,
        "纪检监察机关反馈处理结果",
        20,
        "days",
        "《内蒙古自治区行政执法监督条例》第二十六条",
    ),
]

# The limit each document kind sets for the agency's report.
FOR_DOCUMENT = {
    "urge_letter": URGE,
    "opinion": OPINION,
    "decision": DECISION,
    "clue_transfer": CLUE_REPORT,
}
