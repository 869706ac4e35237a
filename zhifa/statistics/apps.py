from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "zhifa.statistics"
    label = "statistics"
    verbose_name = "行政执法统计"

    def ready(self) -> None:
        # statistics sits on top of cases: it listens to every case step to keep its derived
        # facts current; cases never imports it.
        from zhifa.cases.services import register_step_listener

        from .facts import on_case_step

        register_step_listener(on_case_step)
        # 复议/诉讼 are not steps of the procedure: their own listener refreshes the facts.
        from zhifa.cases.services_challenges import register_challenge_listener

        from .facts import on_challenge

        register_challenge_listener(on_challenge)
        # The deployment's tables: recorded writes, replayed by zhifa verify.
        from zhifa.record.action_labels import register_action_labels
        from zhifa.record.verification import register_replay_checker

        from .services_tables import ACTION_LABELS as TABLE_LABELS
        from .services_tables import tables_replay_check

        register_action_labels(TABLE_LABELS)
        register_replay_checker(tables_replay_check)
        # Each part registers its own labels, checks, to-dos and jobs below.
        self._ready_filings()

    def _ready_filings(self) -> None:
        from zhifa.record.action_labels import register_action_labels
        from zhifa.record.verification import register_replay_checker
        from zhifa.todos.items import register_todo_source

        from .recording import statistics_replay_check
        from .services_filings import ACTION_LABELS
        from .todos_filings import agency_todos, supervisor_todos

        register_action_labels(ACTION_LABELS)
        register_replay_checker(statistics_replay_check)
        register_todo_source(("head", "publisher"), agency_todos)
        register_todo_source(("supervisor",), supervisor_todos)

        # publication (issue 16): the label of its recorded action
        from zhifa.record.action_labels import register_action_labels

        from .services_publication import ACTION_LABELS as PUBLICATION_LABELS

        register_action_labels(PUBLICATION_LABELS)
