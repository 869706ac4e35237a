"""API tokens expire: a token issued before this migration expires ZHIFA_API_TOKEN_DAYS after
it was issued (already expired if it is older than that)."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models


def tokens_expire(apps, schema_editor):
    ApiToken = apps.get_model("registry", "ApiToken")
    days = timedelta(days=int(getattr(settings, "ZHIFA_API_TOKEN_DAYS", 365)))
    for token in ApiToken.objects.filter(expires_at__isnull=True):
        token.expires_at = token.created_at + days
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0003_public_portal"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="到期时间"),
        ),
        migrations.RunPython(tokens_expire, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="到期时间"),
        ),
    ]
