"""Every schema of the API has its own name. django-ninja names an OpenAPI component after its
class, so two classes of one name (an app's ``EntryOut`` beside the cases' ``EntryOut``) silently
share one component: clients — and the schema fuzz — are then told the wrong shape."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema


def schema_classes() -> dict[str, list[str]]:
    """Class name -> the modules defining a schema of that name (every zhifa schema, once the
    API and with it every app's endpoints are imported)."""
    import config.api  # noqa: F401 - imports every router and its schemas

    found: dict[str, set[str]] = defaultdict(set)
    todo: list[type] = [Schema]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("zhifa."):
                found[sub.__name__].add(sub.__module__)
    return {name: sorted(mods) for name, mods in found.items()}


def test_no_two_api_schemas_share_a_name() -> None:
    clashes = {name: mods for name, mods in schema_classes().items() if len(mods) > 1}
    assert clashes == {}


def test_the_check_finds_schemas_of_every_depth() -> None:
    found = schema_classes()
    assert found["EntryOut"] == ["zhifa.cases.schemas"]
    assert "zhifa.cases.schemas" in found["EvidenceOut"]  # a subclass of the cases' FileOut
