from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "zhifa.review"
    label = "review"
    verbose_name = "法制审核"

    def ready(self) -> None:
        # review depends on cases, never the other way round: cases calls whatever gates and
        # listeners are registered here (see ``cases.services.register_decision_gate``).
        from zhifa.cases.documents import register_document_source
        from zhifa.cases.models import CaseDocument
        from zhifa.cases.services import register_decision_gate, register_proposal_listener
        from zhifa.record.action_labels import register_action_labels, register_entry_facts
        from zhifa.record.verification import register_replay_checker

        from .entry_facts import assess_facts
        from .opinion_document import SOURCE as opinion_source
        from .selectors import submissions_replay_check
        from .services import ACTION_LABELS, case_assess_on_change, decision_gate

        register_action_labels(ACTION_LABELS)
        register_entry_facts("review.assess", assess_facts)

        register_decision_gate(decision_gate)
        register_proposal_listener(case_assess_on_change)
        register_replay_checker(submissions_replay_check)
        register_document_source(CaseDocument.Kind.REVIEW_OPINION, opinion_source)

        from zhifa.cases.services import register_step_listener
        from zhifa.registry.models import Account
        from zhifa.todos.items import register_todo_source

        from .todo_source import case_review_requested, reviewer_todos

        register_step_listener(case_review_requested)
        register_todo_source((Account.Role.REVIEWER,), reviewer_todos)
