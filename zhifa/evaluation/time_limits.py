"""The evaluation's time limits, as rows of ``core.time_limits`` (registered in ``apps.ready``),
each with the provincial rule it comes from; a deployment replaces them in
``ZHIFA_TIME_LIMITS``."""

from __future__ import annotations

from zhifa.core.time_limits import TimeLimit

GD = "《广东省行政执法案卷评查办法》"

OBJECTION_FILE = "evaluation.objection_file"
RECHECK_ANSWER = "evaluation.recheck_answer"

ROWS = [
    TimeLimit(OBJECTION_FILE, "对评查结果提出异议", 10, "workdays", f"{GD}第十二条第（七）项"),
    TimeLimit(RECHECK_ANSWER, "复核并书面答复异议", 10, "workdays", f"{GD}第十二条第（七）项"),
]
