"""Every schema of the API has its own name. django-ninja names an OpenAPI component after its
class, so two classes of one name (an app's ``EntryOut`` and the cases' ``EntryOut``) silently
share one component: clients — and the schema fuzz — are then told the wrong shape."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ZHIFA = Path(__file__).resolve().parent.parent
BASES = {"Schema", "ModelSchema", "FilterSchema"}


def schema_classes() -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(ZHIFA.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "Schema" not in text:
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and b.id in BASES for b in node.bases
            ):
                found[node.name].append(str(path.relative_to(ZHIFA)))
    return found


def test_no_two_api_schemas_share_a_name() -> None:
    clashes = {name: paths for name, paths in schema_classes().items() if len(paths) > 1}
    assert clashes == {}


def test_the_check_finds_the_schemas() -> None:
    assert schema_classes()["EntryOut"] == ["cases/schemas.py"]
