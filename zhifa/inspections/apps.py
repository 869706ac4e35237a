from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "zhifa.inspections"
    label = "inspections"
    verbose_name = "涉企行政检查"

    def ready(self) -> None:
        # inspections is built on cases and registry: it registers its step gate, record
        # labels and replay check with them; they never import it.
        from zhifa.record.action_labels import register_action_labels

        from .services import ACTION_LABELS, register

        register_action_labels(ACTION_LABELS)
        register()

        from .apps_draws import register_draws

        register_draws()
