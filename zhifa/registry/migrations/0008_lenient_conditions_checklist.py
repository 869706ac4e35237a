from django.db import migrations


def restate(apps, schema_editor):
    """The rows changed here are recorded as a bulk load (``registry.rows.load``): their new
    state digests, so that ``zhifa verify`` checks them as they now are."""
    if not apps.get_model("registry", "LenientListItem").objects.exists():
        return
    from zhifa.registry.models import LenientListItem
    from zhifa.registry.services import rows_load_record

    rows_load_record(
        actor=None, load="migration-lenient-lists", rows=LenientListItem.objects.order_by("pk")
    )


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0007_lenient_lists_structured'),
    ]

    operations = [
        migrations.RemoveField(model_name='lenientlistitem', name='conditions'),
        migrations.RenameField(
            model_name='lenientlistitem', old_name='conditions_list', new_name='conditions'
        ),
        migrations.RunPython(restate, migrations.RunPython.noop),
    ]
