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

        # publication (issue 16): the label of its recorded action
        from zhifa.record.action_labels import register_action_labels

        from .services_publication import ACTION_LABELS as PUBLICATION_LABELS

        register_action_labels(PUBLICATION_LABELS)
