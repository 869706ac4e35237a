from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    label = "cases"
    verbose_name = "案件办理"

    def ready(self) -> None:
        from zhifa.core.jobs import register_job
        from zhifa.record.action_labels import register_action_labels
        from zhifa.record.verification import register_replay_checker
        from zhifa.registry.models import Account
        from zhifa.todos.items import register_todo_source

        from .jobs import deadlines_recount_job, deadlines_recount_needed
        from .schemas import case_action_labels
        from .selectors import cases_replay_check
        from .todo_source import officer_todos

        register_todo_source((Account.Role.OFFICER,), officer_todos)
        # 不予处罚 (第三十三条): the party's history and the lists beside the form.
        from .leniency import history_panel
        from .views import register_workspace_panel

        register_workspace_panel(history_panel)
        register_action_labels(case_action_labels())
        register_replay_checker(cases_replay_check)
        # 行政复议 / 行政诉讼 of a decision: recorded entries of the case, replayed on their own.
        from .services_challenges import ACTION_LABELS as CHALLENGE_LABELS
        from .services_challenges import challenges_replay_check

        register_action_labels(CHALLENGE_LABELS)
        register_replay_checker(challenges_replay_check)
        from .views_challenges import challenges_panel

        register_workspace_panel(challenges_panel)
        register_job(
            "cases.recount-deadlines",
            daily_at=time(1, 0),
            needed=deadlines_recount_needed,
            run=deadlines_recount_job,
            label=_("重新计算暂定期限"),
        )
