"""The rules a supervision step must satisfy, one pure function per rule.

Each guard is given the facts and returns quietly or raises :class:`RuleViolation` with a
Chinese message and the article it enforces (《行政执法监督条例》, 国务院令第825号, or the
provincial rule a deployment's time-limit table names). No database access, no clock: the
services read the facts and pass them in. The names are the preconditions of ``transitions.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from zhifa.core.exceptions import RuleViolation

ORDER = "《行政执法监督条例》（国务院令第825号）"
# ≥ 2 supervisors showing a 监督证件 on an investigation: the provincial rules (the 条例 leaves
# it to 第四十三条's future rules) — 广东 27, 四川 29, 吉林 23, 内蒙古 23, 广西 15, 贵州 26.
TWO_SUPERVISORS_RULE = "《广东省行政执法监督条例》第二十七条、《四川省行政执法监督条例》第二十九条"
RECUSAL_RULE = "《四川省行政执法监督条例》第三十条"


def article(number: str) -> str:
    """``article("三十三")`` → 《行政执法监督条例》（国务院令第825号）第三十三条."""
    return f"{ORDER}第{number}条"


def _d(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# -- who acts -------------------------------------------------------------------------------


def actor_is_supervisor(*, role: str, actor_body_id: int | None, body_id: int) -> None:
    """Matters are handled by the supervisors of the supervisory body that opened them."""
    if role != "supervisor" or actor_body_id != body_id:
        raise RuleViolation("只有本监督机构的执法监督人员可以办理该监督事项", article=article("六"))


def agency_in_region(*, division_code: str, region_prefix: str | None) -> None:
    """A 司法局 supervises the agencies of its own region (and the lower governments')."""
    if region_prefix is None or not division_code.startswith(region_prefix):
        raise RuleViolation("该机关不在本监督机构的监督范围内", article=article("二条、第六"))


# -- scopes other than the region (条例第四十二条; 第六条第二款) ------------------------------

SYSTEM_RULE = "《行政执法监督条例》（国务院令第825号）第四十二条"
ASSIST_RULE = "《行政执法监督条例》（国务院令第825号）第六条第二款"


def agency_in_system(*, in_system: bool, is_department: bool) -> None:
    """第四十二条: a department supervises its own system — the bodies below it (所属机构、
    派出机构; a vertically managed department's lower units), not itself, not the region."""
    if is_department:
        raise RuleViolation(
            "本系统内部监督的对象是本部门所属机构、派出机构或者下级单位，不包括本部门自身",
            article=SYSTEM_RULE,
        )
    if not in_system:
        raise RuleViolation("该机关不属于本部门系统，不在本系统内部监督范围内", article=SYSTEM_RULE)


def department_outcome_allowed(*, kind: str) -> None:
    """A department supervising its system issues 督办函/意见书 as the body (第四十二条 参照
    第二十七条、第二十八条); the 决定书 is the government's, on its 司法局's proposal
    (第二十九条)."""
    if kind == "decision":
        raise RuleViolation(
            "行政执法监督决定书由县级以上人民政府根据其行政执法监督机构的提请作出，"
            "部门本系统内部监督不能报请制发",
            article=f"{article('二十九')}、第四十二条",
        )


def department_kind_allowed(*, kind: str) -> None:
    """专项监督 is organised by provincial 行政执法监督机构 only (第二十一条), not by a
    department supervising its system."""
    if kind == "special":
        raise RuleViolation(
            "专项监督由省级以上行政执法监督机构组织开展，部门本系统内部监督不能组织",
            article=f"{article('二十一')}、第四十二条",
        )


def assistant_may(*, allowed: bool, on_team: bool, of_body: bool) -> None:
    """第六条第二款: a 司法所 assists (协助) its county 司法局 — it takes part in the measures of
    the matters the bureau added it to; it does not open, accept, refuse or decide."""
    if not allowed:
        raise RuleViolation(
            "司法所协助县级行政执法监督机构开展监督工作，不能登记、受理、不予受理监督事项或者制发监督文书",
            article=ASSIST_RULE,
        )
    if not (of_body and on_team):
        raise RuleViolation(
            "司法所只能协助本县司法行政部门已将其加入监督组的监督事项", article=ASSIST_RULE
        )


def assistant_takes_part(*, takes_part: bool) -> None:
    """第六条第二款: a 司法所 records the measures it takes part in, not others'."""
    if not takes_part:
        raise RuleViolation("司法所只能记录本人参加的监督措施", article=ASSIST_RULE)


def actor_is_agency_head(*, role: str, actor_agency_id: int | None, agency_id: int) -> None:
    """The supervised agency answers through its head (条例第二十五条: it must cooperate)."""
    if role != "head" or actor_agency_id != agency_id:
        raise RuleViolation(
            "只有被监督机关的负责人可以答复、报告或者提出异议", article=article("二十五")
        )


# -- intake ---------------------------------------------------------------------------------


def reason_given(*, reason: str) -> None:
    """不予受理, 移送, 终止 and 办结 state their reason (it is shown to whoever asks)."""
    if not reason.strip():
        raise RuleViolation("请写明理由", article=article("二十六"))


def not_under_review_or_litigation(*, under_review: bool, under_litigation: bool) -> None:
    """第三十三条第三款: a dispute already in 行政复议 or 行政诉讼 is not supervised again; the
    party is guided to those procedures."""
    if under_review or under_litigation:
        what = "行政复议" if under_review else "行政诉讼"
        raise RuleViolation(
            f"该行政争议已经进入{what}程序，行政执法监督机构不重复监督；"
            "请引导当事人依法参加行政复议或者行政诉讼",
            article=article("三十三"),
        )


def special_supervision_allowed(
    *, body_level: str, plan: dict[str, str], approved_by: str, approved_on: date | None
) -> None:
    """第二十一条: 专项监督 only by provincial (or higher) bodies, on a plan naming 责任部门,
    监督重点, 进度安排 and 工作要求, approved by the government of the same level."""
    if body_level != "province":
        raise RuleViolation("专项监督由省级以上行政执法监督机构组织开展", article=article("二十一"))
    missing = [k for k in PLAN_FIELDS if not str(plan.get(k, "")).strip()]
    if missing:
        raise RuleViolation(
            "专项监督工作方案应当写明" + "、".join(PLAN_FIELDS[k] for k in missing),
            article=article("二十一"),
        )
    if not approved_by.strip() or approved_on is None:
        raise RuleViolation("专项监督工作方案须报本级人民政府批准", article=article("二十一"))


PLAN_FIELDS = {
    "departments": "责任部门",
    "focus": "监督重点",
    "schedule": "进度安排",
    "requirements": "工作要求",
}


def key_method_given(*, kind: str, key_method: str) -> None:
    """第二十条: 重点监督 is carried out by 挂牌督办 or 提级监督."""
    if kind == "key" and not key_method:
        raise RuleViolation("重点监督应当采取挂牌督办或者提级监督方式", article=article("二十"))
    if kind != "key" and key_method:
        raise RuleViolation("挂牌督办、提级监督只用于重点监督", article=article("二十"))


# -- investigation --------------------------------------------------------------------------


def two_certified_supervisors(*, certified: Sequence[str], uncertified: Sequence[str]) -> None:
    """An investigation step is taken by at least two supervisors, each holding a 行政执法监督证
    valid that day (``certified``: their names; ``uncertified``: named without one)."""
    if uncertified:
        raise RuleViolation(
            "、".join(uncertified) + "未持有当日有效的行政执法监督证，不能参加调查",
            article=TWO_SUPERVISORS_RULE,
        )
    if len(set(certified)) < 2:
        raise RuleViolation(
            "调查核实应当由两名以上持有行政执法监督证的监督人员进行", article=TWO_SUPERVISORS_RULE
        )


def not_recused(*, recused: Sequence[str]) -> None:
    """A supervisor who declared a conflict of interest takes no part in the matter."""
    if recused:
        raise RuleViolation(
            "、".join(recused) + "已申请回避，不能参加本监督事项", article=RECUSAL_RULE
        )


def case_of_agency(*, case_agency_id: int, agency_id: int) -> None:
    """调阅 concerns the supervised agency's own case files (条例第二十二条第四项)."""
    if case_agency_id != agency_id:
        raise RuleViolation("只能调阅被监督机关与监督事项有关的案卷", article=article("二十二"))


# -- outcomes -------------------------------------------------------------------------------


def government_approved(*, approved_by: str, approved_on: date | None) -> None:
    """第二十九条: the 决定书 is the government's act, issued on the bureau's proposal."""
    if not approved_by.strip() or approved_on is None:
        raise RuleViolation(
            "行政执法监督决定书须报本级人民政府决定后制发，请填写批准的人民政府及日期",
            article=article("二十九"),
        )


def decision_grounds(*, grave: bool, earlier_ignored: bool) -> None:
    """第二十九条: a 决定书 where the matter is grave or a 督办函/意见书 was not acted on."""
    if not (grave or earlier_ignored):
        raise RuleViolation(
            "报请制发行政执法监督决定书，须涉及重大问题或者被监督机关拒不落实督办函、意见书",
            article=article("二十九"),
        )


def officer_measure_known(*, measure: str, allowed: Sequence[str]) -> None:
    """第三十二条: 批评教育、离岗教育、调离执法岗位、取消执法资格等处理, decided by 有权机关."""
    if measure not in allowed:
        raise RuleViolation("请选择处理建议", article=article("三十二"))


def suspension_allowed(*, allowed: bool) -> None:
    """The 条例 only recommends (第三十二条); a deployment may allow suspending the certificate
    (e.g. 《辽宁省行政执法监督规定》第三十六条)."""
    if not allowed:
        raise RuleViolation(
            "本地未授权行政执法监督机构暂扣执法证件，只能提出处理建议", article=article("三十二")
        )


# -- the agency's side ----------------------------------------------------------------------


def objection_in_time(*, filed_on: date, last_day: date, source: str) -> None:
    """第三十条 (no number; the deployment's row): reasons filed by the last day."""
    if filed_on > last_day:
        raise RuleViolation(
            f"提出异议的期限已于{_d(last_day)}届满", article=f"{article('三十')}；{source}"
        )


def objection_allowed(*, kind: str, status: str, pending: bool) -> None:
    """An objection is against the supervisory body's own 督办函 or 意见书 still open, one at a
    time (条例第三十条: "向其提出"). A 决定书 is the government's (第二十九条), executed at once:
    not objected to here."""
    if kind == "decision":
        raise RuleViolation(
            "行政执法监督决定书由本级人民政府作出，应当立即执行，不能向监督机构提出异议",
            article=article("二十九"),
        )
    if kind not in ("urge_letter", "opinion") or status != "issued":
        raise RuleViolation("该文书不能提出异议", article=article("三十"))
    if pending:
        raise RuleViolation("已有异议待答复", article=article("三十"))


def objection_pending(*, status: str) -> None:
    if status != "filed":
        raise RuleViolation("该异议已经答复", article=article("三十"))


def rectification_open(*, status: str, kind: str) -> None:
    """A report answers a 督办函/意见书/决定书 that was issued and not yet accepted."""
    if kind not in ("urge_letter", "opinion", "decision") or status not in ("issued", "rejected"):
        raise RuleViolation("该文书没有待报送的整改情况", article=article("二十八"))


def rectification_suspended(*, suspends: bool, objection_pending: bool) -> None:
    """An objection does not stop the rectification unless the deployment says so."""
    if suspends and objection_pending:
        raise RuleViolation("异议处理期间暂停整改，请待答复后再报送", article=article("三十"))


def rectification_reported(*, status: str) -> None:
    if status != "reported":
        raise RuleViolation("被监督机关尚未报送整改情况，不能验收", article=article("二十八"))


def nothing_open(*, open_numbers: Sequence[str]) -> None:
    """A matter is closed once every rectification it asked for is accepted."""
    if open_numbers:
        raise RuleViolation(
            "以下文书的整改尚未验收，不能办结：" + "、".join(open_numbers),
            article=article("二十八"),
        )


def request_open(*, answered: bool) -> None:
    if answered:
        raise RuleViolation("该要求已经答复", article=article("二十二"))


# -- files added later to what the agency gave --------------------------------


def attachments_given(*, count: int) -> None:
    if count < 1:
        raise RuleViolation("请选择要补充的附件", article=article("二十五"))


def answer_open_for_files(*, matter_final: bool) -> None:
    """A written explanation (条例第二十二条第一项, 第二十五条: the agency cooperates and gives
    the material) takes further files while the matter is open."""
    if matter_final:
        raise RuleViolation("监督事项已经结束，不能补充附件", article=article("二十五"))


def objection_open_for_files(*, status: str) -> None:
    """An objection takes further files while it waits for its answer: the answer rests on what
    was before the body that gave it (条例第三十条)."""
    if status != "filed":
        raise RuleViolation("该异议已经答复，不能补充附件", article=article("三十"))


def report_open_for_files(*, status: str) -> None:
    """A rectification report takes further files while it waits for the check; once checked
    (accepted or not), a new report is made instead (条例第二十八条)."""
    if status != "reported":
        what = "尚未报送整改情况" if status in ("issued", "rejected") else "整改情况已经验收"
        raise RuleViolation(
            f"{what}，不能补充附件；整改未通过的，请重新报送整改情况", article=article("二十八")
        )


def objection_answered_by(
    *, role: str, actor_body_id: int | None, answer_body_id: int, source: str
) -> None:
    """An objection routed upward is answered by the upper-level body's supervisors only."""
    if role != "supervisor" or actor_body_id != answer_body_id:
        raise RuleViolation(
            "该异议由上一级行政执法监督机构答复，本机构只能查看",
            article=f"{article('三十')}；{source}",
        )


def result_publishable(*, kind: str, allowed: Sequence[str], proposed: bool) -> None:
    """第三十一条: a 通报 or a document's result may be published (向社会公布), once; an officer
    recommendation or a clue transfer is not published."""
    if kind not in allowed:
        raise RuleViolation("该文书不向社会公布", article=article("三十一"))
    if proposed:
        raise RuleViolation("该文书已提出公开，请在公示管理中查看", article=article("三十一"))
