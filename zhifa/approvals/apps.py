from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "zhifa.approvals"
    label = "approvals"
    verbose_name = "审批申请"

    def ready(self) -> None:
        # approvals sits above cases: it listens to the case steps, adds its panel to the
        # workspace and its items to the to-do lists, all by registration.
        from zhifa.cases.services import register_step_listener
        from zhifa.cases.views import register_workspace_panel
        from zhifa.record.action_labels import register_action_labels
        from zhifa.record.verification import register_replay_checker
        from zhifa.registry.models import Account
        from zhifa.todos.items import register_todo_source

        from .selectors import approvals_replay_check, head_todos, officer_todos
        from .services import ACTION_LABELS, approval_on_step
        from .views import workspace_panel

        register_action_labels(ACTION_LABELS)
        register_step_listener(approval_on_step)
        register_replay_checker(approvals_replay_check)
        register_workspace_panel(workspace_panel)
        register_todo_source((Account.Role.HEAD,), head_todos)
        register_todo_source((Account.Role.OFFICER,), officer_todos)
