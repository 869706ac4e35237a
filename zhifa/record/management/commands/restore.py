"""``zhifa restore SRC``: restore a backup written by ``zhifa backup`` into the empty data
folder ``ZHIFA_DATA_DIR`` names (and, on PostgreSQL, the table-less database DATABASE_URL
names), after checking every file of the backup against its manifest."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhifa.record.backup import BackupError, backup_restore, human_size


class Command(BaseCommand):
    help = "从 zhifa backup 写的备份恢复到空的数据目录（及空数据库）；先逐一核对每个文件的SHA-256"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("src", type=Path, help="备份目录（含manifest.json）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_restore(options["src"])
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except OSError as exc:
            raise CommandError(
                _("恢复失败（%(error)s）：检查数据目录的空间和权限，清空后重试") % {"error": exc},
                returncode=2,
            ) from exc
        except Exception as exc:  # never a traceback: one line saying what happened
            raise CommandError(
                _("恢复失败（%(type)s：%(error)s）") % {"type": type(exc).__name__, "error": exc},
                returncode=2,
            ) from exc
        manifest = result.manifest
        head = manifest["log"]["latest_head"]
        self.stdout.write(
            _("已从%(src)s恢复到%(dir)s（用时%(seconds).1f秒）：")
            % {
                "src": Path(options["src"]).absolute(),
                "dir": result.data_dir,
                "seconds": result.seconds,
            }
        )
        self.stdout.write(
            _("  数据库（%(engine)s）：记录%(entries)d条，备份于%(at)s")
            % {
                "engine": result.database,
                "entries": manifest["log"]["size"],
                "at": manifest.get("created_at", "?"),
            }
        )
        if head is not None:
            self.stdout.write(
                _("  最新签名树头：%(size)d条，根哈希%(root)s")
                % {"size": head["size"], "root": head["root_hash"]}
            )
        if manifest["evidence"]["backend"] == "local":
            self.stdout.write(
                _("  证据文件：%(n)d个，%(size)s")
                % {"n": result.evidence_files, "size": human_size(result.evidence_bytes)}
            )
        else:
            self.stdout.write(
                _("  证据文件在对象存储桶%(bucket)s中（未随备份复制）")
                % {"bucket": manifest["evidence"]["bucket"]}
            )
        for problem in manifest.get("problems", []):
            self.stdout.write(_("  备份时已发现：%(message)s") % {"message": problem["message"]})
        self.stdout.write(_("下一步：运行 zhifa verify 校验恢复的数据"))
