from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "zhifa.registry"
    label = "registry"
    verbose_name = "执法主体与人员"

    def ready(self) -> None:
        from zhifa.record.verification import register_replay_checker

        from .replay import registry_replay_check

        # zhifa verify: every registry row equals what the latest entry that wrote it recorded.
        register_replay_checker(registry_replay_check)
