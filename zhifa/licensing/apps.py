from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "zhifa.licensing"
    label = "licensing"
    verbose_name = "行政许可"

    def ready(self) -> None:
        # licensing is built on cases: it registers its documents, record labels and replay
        # check; cases never imports it.
        from zhifa.record.action_labels import register_action_labels
        from zhifa.record.verification import register_replay_checker

        from . import documents
        from .selectors import licensing_replay_check
        from .services import ACTION_LABELS

        documents.register()
        register_action_labels(ACTION_LABELS)
        register_replay_checker(licensing_replay_check)
