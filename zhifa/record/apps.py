from datetime import time, timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordConfig(AppConfig):
    name = "zhifa.record"
    label = "record"
    verbose_name = "全过程记录"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from zhifa.core.jobs import register_job
        from zhifa.core.recording import register_recorder

        from .services import record_append, signing_key_create_for_new_log

        # core's writes (the statutory calendar) reach the log through this registration.
        register_recorder(record_append)

        # A new data folder has its signing key once migrated (/healthz checks for it).
        post_migrate.connect(
            signing_key_create_for_new_log, sender=self, dispatch_uid="record-signing-key"
        )

        from .jobs import head_needed, head_sign_job, uploads_expire_job, uploads_expire_needed

        register_job(
            "record.sign-head",
            every=timedelta(minutes=1),
            needed=head_needed,
            run=head_sign_job,
            label=_("签署记录树头"),
        )
        register_job(
            "record.expire-uploads",
            daily_at=time(2, 30),
            needed=uploads_expire_needed,
            run=uploads_expire_job,
            label=_("删除到期未附入步骤的上传文件"),
        )

        from .verification import register_replay_checker
        from .verification_uploads import uploads_replay_check

        register_replay_checker(uploads_replay_check)
