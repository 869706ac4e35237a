"""Evidence uploads bound to their case and uploader (``EvidenceUpload``), and the first entry
carrying each stored file (``EvidenceFile.referenced_seq``).

The files entries carried before this migration are marked from the entries' leaves, in ``seq``
order: a file any entry carries is never removed by the expiry of an upload of the same bytes.
Uploads made before it have no ``EvidenceUpload`` row: what a case's entries carry stays the
case's, and a file stored but never carried stays in the store (it counts against no quota).
"""

from __future__ import annotations

import json
from typing import Any

from django.db import migrations, models

CHUNK = 2000


def mark_referenced(apps: Any, schema_editor: Any) -> None:
    entry_model = apps.get_model("record", "Entry")
    file_model = apps.get_model("record", "EvidenceFile")
    if not file_model.objects.exists():
        return
    last = -1
    while True:
        rows = list(
            entry_model.objects.filter(seq__gt=last).order_by("seq").values_list("seq", "leaf")[:CHUNK]
        )
        if not rows:
            break
        first: dict[str, int] = {}
        for seq, leaf in rows:
            try:
                items = json.loads(bytes(leaf)).get("files") or []
            except (ValueError, AttributeError):  # a damaged leaf: zhifa verify names it
                continue
            for item in items:
                sha = item.get("sha256") if isinstance(item, dict) else None
                if isinstance(sha, str):
                    first.setdefault(sha, seq)  # in seq order: an earlier chunk's mark stays
        by_seq: dict[int, list[str]] = {}
        for sha, seq in first.items():
            by_seq.setdefault(seq, []).append(sha)
        for seq, shas in by_seq.items():
            file_model.objects.filter(sha256__in=shas, referenced_seq__isnull=True).update(
                referenced_seq=seq
            )
        last = rows[-1][0]


class Migration(migrations.Migration):

    dependencies = [
        ('record', '0004_postgresql_append_function'),
    ]

    operations = [
        migrations.AddField(
            model_name='evidencefile',
            name='referenced_seq',
            field=models.BigIntegerField(blank=True, null=True, verbose_name='首次引用的记录序号'),
        ),
        migrations.CreateModel(
            name='EvidenceUpload',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('case_id', models.BigIntegerField(verbose_name='案件编号')),
                ('agency_id', models.BigIntegerField(verbose_name='执法主体编号')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                ('size', models.BigIntegerField(verbose_name='字节数')),
                ('name', models.CharField(max_length=255, verbose_name='文件名')),
                ('media_type', models.CharField(max_length=100, verbose_name='媒体类型')),
                ('uploader_id', models.BigIntegerField(blank=True, null=True, verbose_name='上传人编号')),
                ('uploader_name', models.CharField(max_length=150, verbose_name='上传人')),
                ('uploaded_at', models.DateTimeField(verbose_name='上传时间')),
                ('entry_seq', models.BigIntegerField(verbose_name='上传记录序号')),
                ('attached_seq', models.BigIntegerField(blank=True, null=True, verbose_name='附入记录序号')),
                ('recording_device', models.CharField(blank=True, max_length=100, verbose_name='记录设备')),
                ('officer_id', models.BigIntegerField(blank=True, null=True, verbose_name='记录人员编号')),
                ('officer_name', models.CharField(blank=True, max_length=100, verbose_name='记录人员')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='开始时间')),
                ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='结束时间')),
                ('place', models.CharField(blank=True, max_length=200, verbose_name='地点')),
                ('late_upload', models.BooleanField(default=False, verbose_name='逾期上传')),
            ],
            options={
                'verbose_name': '证据上传',
                'verbose_name_plural': '证据上传',
                'indexes': [models.Index(fields=['agency_id', 'size'], name='record_upload_agency'), models.Index(fields=['sha256'], name='record_upload_sha256'), models.Index(condition=models.Q(('attached_seq__isnull', True)), fields=['uploaded_at'], name='record_upload_unattached')],
                'constraints': [models.UniqueConstraint(fields=('case_id', 'sha256'), name='record_upload_case_file')],
            },
        ),
        migrations.RunPython(mark_referenced, migrations.RunPython.noop, elidable=True),
    ]
