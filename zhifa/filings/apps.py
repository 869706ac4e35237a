from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "zhifa.filings"
    label = "filings"
    verbose_name = "重大行政处罚决定备案审查"

    def ready(self) -> None:
        # filings sits above cases and reads them: it adds its panel to the case workspace,
        # its items to the to-do lists and its replay to `zhifa verify`, all by registration.
        from zhifa.alerts.rules import register_rule
        from zhifa.cases.views import register_workspace_panel
        from zhifa.core.time_limits import register_time_limits
        from zhifa.record.action_labels import register_action_labels
        from zhifa.record.verification import register_replay_checker
        from zhifa.registry.models import Account
        from zhifa.supervision.personal_values import register_personal_values
        from zhifa.todos.items import register_todo_source

        from .alert_rule import rule as alert_rule
        from .deadlines import TIME_LIMITS
        from .selectors import (
            agency_todos,
            filed_case_values,
            filings_replay_check,
            supervisor_todos,
        )
        from .services import ACTION_LABELS
        from .views import workspace_panel

        register_time_limits(TIME_LIMITS)
        register_rule(alert_rule())
        register_action_labels(ACTION_LABELS)
        register_replay_checker(filings_replay_check)
        register_workspace_panel(workspace_panel)
        register_todo_source((Account.Role.OFFICER, Account.Role.HEAD), agency_todos)
        register_todo_source((Account.Role.SUPERVISOR,), supervisor_todos)
        register_personal_values(filed_case_values)
