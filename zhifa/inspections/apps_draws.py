"""Start-up registrations of the 双随机 draws: record labels, the scheduled draw, the replay."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _


def register_draws() -> None:
    from zhifa.core.jobs import register_job
    from zhifa.record.action_labels import register_action_labels
    from zhifa.record.verification import register_replay_checker

    from .selectors_draws import draws_replay_check
    from .services import register_approval_check
    from .services_draws import ACTION_LABELS, draws_needed, draws_run_due, task_check

    register_action_labels(ACTION_LABELS)
    # A frozen task is drawn within a minute of the first signed head of its seed size.
    register_job(
        "inspections.draw",
        every=timedelta(minutes=1),
        needed=draws_needed,
        run=draws_run_due,
        label=_("抽取种子树头已签署的双随机任务"),
    )
    register_replay_checker(draws_replay_check)
    # An inspection under a task: an entity the task drew, an agency of the task.
    register_approval_check(task_check)

    from zhifa.registry.models import Account
    from zhifa.todos.items import register_todo_source

    from .todos_draws import draw_todos

    register_todo_source([Account.Role.OFFICER, Account.Role.HEAD], draw_todos)
