from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "zhifa.complaints"
    label = "complaints"
    verbose_name = "投诉举报与行政执法监督员"

    def ready(self) -> None:
        from zhifa.alerts.rules import register_rule
        from zhifa.alerts.selectors import register_fact_url
        from zhifa.core.time_limits import register_time_limits
        from zhifa.record.action_labels import register_action_labels
        from zhifa.record.verification import register_replay_checker
        from zhifa.registry.models import Account
        from zhifa.todos.items import register_todo_source

        from .alert_rule import RULE
        from .intake import TIME_LIMITS
        from .selectors import complaints_replay_check
        from .services import ACTION_LABELS
        from .todo_source import supervisor_todos

        register_time_limits(TIME_LIMITS)
        register_rule(RULE)
        register_fact_url("complaint", "complaint_detail")
        register_action_labels(ACTION_LABELS)
        register_replay_checker(complaints_replay_check)
        register_todo_source((Account.Role.SUPERVISOR,), supervisor_todos)

        # The complainant's identity is removed from a published supervision result.
        from zhifa.supervision.personal_values import register_personal_values

        from .selectors import complainant_values

        register_personal_values(complainant_values)
