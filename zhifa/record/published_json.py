"""Fetching a published JSON document for an offline check — a publication's proof bundle
(``zhifa verify-publication``) or a 双随机 draw (``zhifa draw-verify``): from an http(s) URL or a
local file, within a size limit. No Django, so the checks run anywhere Python does."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any


def load_json(source: str, *, limit: int, what: str, timeout: float = 20) -> dict[str, Any]:
    """The JSON object at ``source``; raises ``ValueError`` (in Chinese, naming ``what`` — e.g.
    "公示证明") when it cannot be read, is over ``limit`` bytes, or is not a JSON object."""
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"Accept": "application/json"})  # noqa: S310 - http(s) only, checked above
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read(limit + 1)
    else:
        raw = Path(source).read_bytes()
    if len(raw) > limit:
        raise ValueError(f"文件过大，不是{what}")
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"不是有效的JSON：{exc}") from exc
    if not isinstance(document, dict):
        raise ValueError(f"{what}应为JSON对象")
    return document
