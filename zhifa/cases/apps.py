from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    label = "cases"
    verbose_name = "案件办理"

    def ready(self) -> None:
        from zhifa.record.verification import register_replay_checker

        from .selectors import cases_replay_check

        register_replay_checker(cases_replay_check)
