"""``zhifa backup DEST [--link-dest PREV]``: write a consistent backup of the data folder and
database into the new folder DEST while the server keeps writing (``record.backup``)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhifa.record.backup import BackupError, BackupResult, backup_write, human_size


class Command(BaseCommand):
    help = (
        "把数据库快照、所引用的证据文件、签名密钥和密钥文件备份到一个新目录，"
        "附SHA-256清单（manifest.json）；服务可照常运行"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("dest", type=Path, help="新的备份目录（不存在或为空）")
        parser.add_argument(
            "--link-dest",
            type=Path,
            metavar="PREV",
            help="上一次的备份目录：其中哈希相同的证据文件以硬链接代替复制",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_write(options["dest"], link_dest=options["link_dest"])
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except OSError as exc:
            raise CommandError(
                _("备份失败，未留下备份目录（%(error)s）：检查目标磁盘的空间和权限")
                % {"error": exc},
                returncode=2,
            ) from exc
        except Exception as exc:  # never a traceback: one line saying what happened
            raise CommandError(
                _("备份失败（%(type)s：%(error)s）") % {"type": type(exc).__name__, "error": exc},
                returncode=2,
            ) from exc
        for line in summary(result):
            self.stdout.write(line)
        if result.problems:
            raise CommandError(
                _("备份已写入，但发现%(n)d个问题（见上及manifest.json）：运行 zhifa verify 查明")
                % {"n": len(result.problems)},
                returncode=1,
            )


def summary(result: BackupResult) -> list[str]:
    """What the backup holds, for people."""
    manifest = result.manifest
    log = manifest["log"]
    head = log["latest_head"]
    evidence = manifest["evidence"]
    lines = [
        _("备份已写入%(dest)s（用时%(seconds).1f秒，共%(size)s）：")
        % {"dest": result.dest, "seconds": result.seconds, "size": human_size(result.total_bytes)},
        _("  数据库（%(engine)s）：%(file)s，%(size)s；记录%(entries)d条")
        % {
            "engine": manifest["database"]["engine"],
            "file": manifest["database"]["file"],
            "size": human_size(result.database_bytes),
            "entries": log["size"],
        },
    ]
    if head is not None:
        lines.append(
            _("  最新签名树头：%(size)d条，根哈希%(root)s")
            % {"size": head["size"], "root": head["root_hash"]}
        )
    if evidence["backend"] == "local":
        lines.append(
            _("  证据文件：%(n)d个，%(size)s（其中%(linked)d个与上次备份硬链接）")
            % {
                "n": result.evidence_files,
                "size": human_size(result.evidence_bytes),
                "linked": result.linked,
            }
        )
    else:
        lines.append(
            _("  证据文件：对象存储桶%(bucket)s中的%(n)d个对象（%(size)s）已列入%(list)s，未复制")
            % {
                "bucket": evidence["bucket"],
                "n": result.evidence_files,
                "size": human_size(result.evidence_bytes),
                "list": evidence["list"],
            }
        )
        lines.append("  " + evidence["note"])
    keys = manifest["keys"]
    lines.append(
        _("  签名密钥：%(signing)s；secret-key：%(secret)s")
        % {
            "signing": _("已备份") if keys.get("signing_key") else _("无"),
            "secret": _("已备份") if keys.get("secret_key") else _("无（由环境变量提供）"),
        }
    )
    lines.append(
        _("  备份含签名密钥：只允许系统管理员读取，另存一份到本机之外（见docs/backup.md）")
    )
    for problem in result.problems:
        lines.append(f"  ✗ {problem['message']}")
    return lines
