from django.apps import AppConfig


class DiscretionConfig(AppConfig):
    name = "zhifa.discretion"
    label = "discretion"
    verbose_name = "裁量基准适用"

    def ready(self) -> None:
        # discretion sits above cases and registry: it adds its gate to the decision, its panel
        # to the workspace and its checker to ``zhifa verify``, all by registration.
        from zhifa.cases.services import register_decision_gate
        from zhifa.cases.views import register_workspace_panel
        from zhifa.record.action_labels import register_action_labels
        from zhifa.record.verification import register_replay_checker

        from .selectors import applications_replay_check
        from .services import ACTION_LABELS, decision_gate
        from .views import workspace_panel

        register_action_labels(ACTION_LABELS)
        register_decision_gate(decision_gate)
        register_replay_checker(applications_replay_check)
        register_workspace_panel(workspace_panel)

        from zhifa.cases.documents import register_document_values
        from zhifa.cases.models import CaseDocument

        from .selectors import document_values

        kinds = (CaseDocument.Kind.PENALTY_NOTICE, CaseDocument.Kind.PENALTY_DECISION)
        register_document_values(kinds, document_values)

        from zhifa.review.selectors import register_discretion_facts

        from .selectors import review_facts

        register_discretion_facts(review_facts)
