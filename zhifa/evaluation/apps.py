from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "zhifa.evaluation"
    label = "evaluation"
    verbose_name = "案卷评查与效能评价"

    def ready(self) -> None:
        # evaluation sits on top: it reads cases, record and registry through their selectors
        # and registers its labels, replay check and time limits with them.
        from zhifa.core.time_limits import register_time_limits
        from zhifa.record.action_labels import register_action_labels
        from zhifa.record.verification import register_replay_checker

        from .recording import evaluation_replay_check
        from .services import ACTION_LABELS
        from .time_limits import ROWS

        register_time_limits(ROWS)
        register_action_labels(ACTION_LABELS)
        register_replay_checker(evaluation_replay_check)
        # Each part registers its own labels, checks, to-dos and jobs below.
        from .services_templates import register_templates

        register_templates()
        from .services_outcomes import register_outcomes

        register_outcomes()
        from .services_efficiency import register_efficiency

        register_efficiency()
        from .checks_record import register_checks

        register_checks()
        from .services_campaigns import register_campaigns

        register_campaigns()
