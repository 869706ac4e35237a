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
        # The directory part: its record labels, import/export kind, replay check and to-dos.
        from . import directory_transfer, todos_directory
        from .selectors_directory import entities_replay_check
        from .services_directory import ACTION_LABELS as DIRECTORY_LABELS

        register_action_labels(DIRECTORY_LABELS)
        directory_transfer.register()
        todos_directory.register()
        from zhifa.record.verification import register_replay_checker

        register_replay_checker(entities_replay_check)

        from .services_codes import register as register_codes  # the inspection code (扫码入企)

        register_codes()
        from .apps_draws import register_draws

        register_draws()

        # Caps, quiet periods and warnings (the rules part): its check, alerts, labels, replay.
        from .checks_rules import register_rules

        register_rules()
