"""The registry's rows against the record log: their state digests, and the check of ``zhifa
verify`` (registered in ``RegistryConfig.ready``, as ``cases`` registers its own).

Every service that writes registry rows puts, in its entry, the keyed digest of each row's state
after the write (:mod:`.row_state`); the demo's and other bulk loads put them in one entry per
batch (``registry.rows.load``). Replaying the log gives each row the digest of the latest entry
that wrote it; :func:`registry_replay_check` recomputes every row's digest from the tables and
reports, naming the row and the entry:

- ``registry_row_altered``: the row differs from what its latest entry recorded (an edit behind
  the log's back — the Django admin, SQL, a restored old copy of one table);
- ``registry_row_unrecorded``: a row no entry ever wrote (inserted behind the log's back);
- ``registry_row_missing``: a row an entry wrote that is gone (deleted behind its back);
- ``registry_digest_key_unknown``: an entry's digests were made with a key neither the secret key
  nor ``SECRET_KEY_FALLBACKS`` gives (the data folder's secret key was replaced).

Which columns a row's state holds is :data:`TRACKED` — every column of the registry's tables but
the creation and update timestamps and, of an account, the password hash and last login (they
change on their own, by design unrecorded: a login, a password change by its owner). Domains
(a code table) and API tokens (their last-used time changes on every call; their issue, with
its expiry, and revocation are recorded) are not tracked.

Memory: the replay keeps 29 bytes per recorded write (id, entry, digest, key), and about 70
more per row of the model being compared while it orders them by id; the tables are read in
chunks of :data:`CHUNK` rows. The demo's province (1.35 million rows) verifies in about 100 MB.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.utils.translation import gettext as _

from zhifa.record.models import Entry
from zhifa.record.verification import Problem

from . import row_state
from .models import (
    Account,
    Agency,
    Certificate,
    CertificateStatusChange,
    DiscretionBenchmark,
    DiscretionGrade,
    ExamResult,
    LegalBasis,
    LenientListItem,
    Officer,
    PowerItem,
    RandomInspectionItem,
    ReviewBody,
    TrainingRecord,
    TrainingRequirement,
)

CHUNK = 2000
_LISTING = (
    "agency_id",
    "previous_id",
    "version",
    "status",
    "published_on",
    "withdrawn_on",
    "withdrawal_reason",
    "change_note",
)


@dataclass(frozen=True)
class Child:
    """Rows folded into their parent's state: ``columns`` of ``model`` whose ``parent`` column
    is the parent's id, in ``order``."""

    model: type[Model]
    parent: str
    columns: tuple[str, ...]
    order: tuple[str, ...] = ("pk",)


@dataclass(frozen=True)
class Added:
    """Columns and child tables added to a tracked model after rows of it were recorded.

    A row recorded before the upgrade has a digest over the layout without them. It still
    verifies against that digest when every added column holds the default the migration gave
    it and every added child table has no row of it: then the row's old state is exactly its
    state now. Any value in the added part rules the old digest out, so an edit behind the log's
    back — to an old column or to a new one — is still reported. Rows written after the upgrade
    are recorded with the whole layout.
    """

    columns: dict[str, Any]  # column → its default as the migration added it
    children: tuple[type[Model], ...] = ()


@dataclass(frozen=True)
class Tracked:
    model: type[Model]
    columns: tuple[str, ...]
    children: tuple[Child, ...] = ()
    name: str = ""  # the column that names a row in a finding
    added: Added | None = None

    def earlier_values(self, values: Sequence[Any]) -> list[Any] | None:
        """The row's state in the layout before :attr:`added`, if the added part is untouched."""
        if self.added is None:
            return None
        width = len(self.columns)
        row = dict(zip(self.columns, values[:width], strict=True))
        if any(row[c] != default for c, default in self.added.columns.items()):
            return None
        kept = []
        for child, found in zip(self.children, values[width:], strict=True):
            if child.model in self.added.children:
                if found:
                    return None
            else:
                kept.append(found)
        return [row[c] for c in self.columns if c not in self.added.columns] + kept

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def verbose(self) -> str:
        return str(self.model._meta.verbose_name)


_agency_domains = Agency.domains.through
_certificate_domains = Certificate.domains.through
_account_groups = Account.groups.through
_account_permissions = Account.user_permissions.through
_benchmark_power_items = DiscretionBenchmark.power_items.through
_lenient_power_items = LenientListItem.power_items.through

TRACKED: tuple[Tracked, ...] = (
    Tracked(
        Agency,
        (
            "name",
            "credit_code",
            "level",
            "division_code",
            "kind",
            "entrusted_by_id",
            "parent_id",
            "qualification_announced_on",
            "responsibilities",
            "address",
            "phone",
            "authority_basis",
            "supervision",
            "reconsideration_body",
            "litigation_court",
            "complaint_channels",
            "status",
        ),
        (Child(_agency_domains, "agency_id", ("domain_id",), ("domain_id",)),),
        name="name",
    ),
    Tracked(ReviewBody, ("agency_id", "name", "established_on"), name="name"),
    Tracked(
        Officer,
        (
            "agency_id",
            "name",
            "id_number",
            "phone",
            "position",
            "has_legal_qualification",
            "status",
            "review_body_id",
        ),
        name="name",
    ),
    Tracked(
        Certificate,
        (
            "number",
            "kind",
            "officer_id",
            "agency_id",
            "region_code",
            "issued_on",
            "expires_on",
            "status",
        ),
        (
            Child(_certificate_domains, "certificate_id", ("domain_id",), ("domain_id",)),
            Child(
                CertificateStatusChange,
                "certificate_id",
                ("from_status", "to_status", "reason", "effective_on", "changed_by_id"),
            ),
        ),
        name="number",
    ),
    Tracked(TrainingRecord, ("officer_id", "year", "kind", "hours", "course", "completed_on")),
    Tracked(ExamResult, ("officer_id", "name", "taken_on", "score", "passed")),
    Tracked(
        PowerItem,
        (
            "agency_id",
            "code",
            "version",
            "previous_id",
            "name",
            "category",
            "domain_id",
            "implementing_level",
            "procedure_steps",
            "is_random_inspection",
            "is_township_empowered",
            "empowering_decision",
            "change_note",
            "status",
            "published_on",
        ),
        (Child(LegalBasis, "power_item_id", ("law", "article", "text", "position")),),
        name="code",
    ),
    Tracked(
        Account,
        (
            "username",
            "role",
            "agency_id",
            "region_code",
            "officer_id",
            "display_name",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_superuser",
            "is_active",
            "supervision_scope",
        ),
        (
            Child(_account_groups, "account_id", ("group_id",), ("group_id",)),
            Child(_account_permissions, "account_id", ("permission_id",), ("permission_id",)),
        ),
        name="username",
        # issue 12: who a supervisor supervises (条例第六条第二款、第四十二条)
        added=Added({"supervision_scope": "region"}),
    ),
    Tracked(
        TrainingRequirement,
        ("region_code", "legal_hours", "professional_hours", "basis"),
        name="region_code",
    ),
    Tracked(
        RandomInspectionItem,
        (
            *_LISTING,
            "power_item_id",
            "category",
            "subjects",
            "content",
            "method",
            "ratio_frequency",
            "basis",
        ),
    ),
    Tracked(
        DiscretionBenchmark,
        (
            *_LISTING,
            "region_code",
            "issuer",
            "domain_id",
            "power_item_id",
            "violation",
            "basis",
            "violated_provision",
            "penalty_provision",
            "range_kind",
            "range_min",
            "range_max",
            "base_name",
            "parent_id",
            "penalty_kinds",
        ),
        (
            Child(
                DiscretionGrade,
                "benchmark_id",
                ("level", "conditions", "standard", "min_amount", "max_amount", "position"),
            ),
            Child(
                _benchmark_power_items,
                "discretionbenchmark_id",
                ("poweritem_id",),
                order=("poweritem_id",),
            ),
        ),
        name="violation",
        # issue 13: the statutory range, provisions, parent and power items
        added=Added(
            {
                "violated_provision": "",
                "penalty_provision": "",
                "range_kind": "kinds",
                "range_min": None,
                "range_max": None,
                "base_name": "",
                "parent_id": None,
                "penalty_kinds": [],
            },
            (_benchmark_power_items,),
        ),
    ),
    Tracked(
        LenientListItem,
        (
            *_LISTING,
            "kind",
            "region_code",
            "issuer",
            "domain_id",
            "violation",
            "violated_provision",
            "basis",
            "conditions",
            "standard",
            "measures",
            "measures_note",
            "source",
        ),
        (
            Child(
                _lenient_power_items,
                "lenientlistitem_id",
                ("poweritem_id",),
                order=("poweritem_id",),
            ),
        ),
        name="violation",
    ),
)
BY_LABEL = {t.label: t for t in TRACKED}
BY_MODEL = {t.model: t for t in TRACKED}


# -- keys ----------------------------------------------------------------------------------


def current_key() -> bytes:
    return row_state.digest_key(settings.SECRET_KEY)


def known_keys() -> dict[str, bytes]:
    """Key id → key, of the secret key and its fallbacks (the first wins)."""
    keys: dict[str, bytes] = {}
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        key = row_state.digest_key(secret)
        keys.setdefault(row_state.key_id(key), key)
    return keys


# -- row states ----------------------------------------------------------------------------


def _children(spec: Tracked, rows: list[Any], exact: bool) -> list[dict[int, list[Any]]]:
    """Each child table's rows of the parents ``rows`` (sorted by id), grouped by parent: of
    exactly their ids, or (``exact`` False: the rows are every parent in their id range) of the
    range, which needs no list of ids in the query."""
    out = []
    for child in spec.children:
        if exact:
            where = {f"{child.parent}__in": [row[0] for row in rows]}
        else:
            where = {f"{child.parent}__gte": rows[0][0], f"{child.parent}__lte": rows[-1][0]}
        found: dict[int, list[Any]] = {}
        children = (
            child.model._default_manager.filter(**where)
            .order_by(child.parent, *child.order)
            .values_list(child.parent, *child.columns)
        )
        for parent, *values in children:
            found.setdefault(parent, []).append(values[0] if len(values) == 1 else values)
        out.append(found)
    return out


def _states(
    spec: Tracked, rows: list[Any], *, exact: bool
) -> Iterator[tuple[int, Sequence[Any], list[Any]]]:
    """``(id, row, state values)`` of ``rows`` (``pk`` then ``spec.columns``, sorted by id)."""
    children = _children(spec, rows, exact) if spec.children and rows else []
    for row in rows:
        pk = row[0]
        yield pk, row, [*row[1:], *[found.get(pk, []) for found in children]]


def _chunks(spec: Tracked, lo: int | None = None, hi: int | None = None) -> Iterator[list[Any]]:
    """Every row of the model (with an id in ``[lo, hi]``), ``CHUNK`` at a time, by id."""
    qs = spec.model._default_manager.order_by("pk")
    if hi is not None:
        qs = qs.filter(pk__lte=hi)
    last = None if lo is None else lo - 1
    while True:
        page = qs if last is None else qs.filter(pk__gt=last)
        rows = list(page.values_list("pk", *spec.columns)[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def row_states(spec: Tracked, pks: Iterable[int]) -> Iterator[tuple[int, list[Any]]]:
    """The state values of the rows ``pks`` (those that exist), in id order."""
    wanted = sorted(set(pks))
    for start in range(0, len(wanted), CHUNK):
        rows = list(
            spec.model._default_manager.filter(pk__in=wanted[start : start + CHUNK])
            .order_by("pk")
            .values_list("pk", *spec.columns)
        )
        for pk, _row, values in _states(spec, rows, exact=True):
            yield pk, values


def all_row_states(spec: Tracked) -> Iterator[tuple[int, str, list[Any]]]:
    """Every row's ``(id, name, state values)``, in id order, read ``CHUNK`` rows at a time."""
    name_at = 1 + spec.columns.index(spec.name) if spec.name else None
    for rows in _chunks(spec):
        for pk, row, values in _states(spec, rows, exact=False):
            yield pk, (str(row[name_at]) if name_at is not None else ""), values


def digests_of(
    rows: Iterable[Model], key: bytes | None = None
) -> dict[str, list[tuple[int, bytes]]]:
    """The state digests of ``rows`` (model instances of tracked models, as stored now), by
    model label — what an entry's ``state`` lists."""
    key = key or current_key()
    by_model: dict[type[Model], set[int]] = {}
    for obj in rows:
        by_model.setdefault(type(obj), set()).add(obj.pk)
    out: dict[str, list[tuple[int, bytes]]] = {}
    for model, pks in by_model.items():
        spec = BY_MODEL[model]
        out[spec.label] = [
            (pk, row_state.state_digest(key, spec.label, values))
            for pk, values in row_states(spec, pks)
        ]
    return out


def digests_in_range(model: type[Model], lo: int, hi: int, key: bytes) -> list[tuple[int, bytes]]:
    """The state digests of every row of ``model`` with an id in ``[lo, hi]`` (a bulk load's
    batch), read in chunks."""
    spec = BY_MODEL[model]
    return [
        (pk, row_state.state_digest(key, spec.label, values))
        for rows in _chunks(spec, lo, hi)
        for pk, _row, values in _states(spec, rows, exact=False)
    ]


def digests_of_written(
    model: type[Model],
    rows: Sequence[Model],
    children: Sequence[Sequence[Model]] = (),
    key: bytes | None = None,
) -> list[tuple[int, bytes]]:
    """The state digests of rows a bulk load has just written, taken from the objects it holds
    (``children``: every row of each of the model's :attr:`Tracked.children` tables belonging
    to them, in that order) rather than read back — the demo's province is 1.35 million rows.
    The values are the ones the tables give back (``row_state`` writes decimals without their
    scale), so the digests equal those :func:`row_states` computes; the demo's tests check it."""
    key = key or current_key()
    spec = BY_MODEL[model]
    grouped: list[dict[int, list[Any]]] = []
    for child, objs in zip(spec.children, children, strict=True):
        order = (child.parent, *child.order)
        found: dict[int, list[Any]] = {}
        for obj in sorted(objs, key=lambda o: tuple(getattr(o, f) for f in order)):
            values = [getattr(obj, c) for c in child.columns]
            found.setdefault(getattr(obj, child.parent), []).append(
                values[0] if len(values) == 1 else values
            )
        grouped.append(found)
    return [
        (
            obj.pk,
            row_state.state_digest(
                key,
                spec.label,
                [*(getattr(obj, c) for c in spec.columns), *(g.get(obj.pk, []) for g in grouped)],
            ),
        )
        for obj in rows
    ]


# -- the replay ----------------------------------------------------------------------------


class _Recorded:
    """What the entries say of one model's rows: for every write, the row id, the entry and the
    digest (and which key made it), in log order — 29 bytes a write."""

    def __init__(self) -> None:
        self.ids = array("q")
        self.seqs = array("q")
        self.keys = bytearray()
        self.digests = bytearray()

    def add(self, pk: int, seq: int, key: int, digest: bytes) -> None:
        self.ids.append(pk)
        self.seqs.append(seq)
        self.keys.append(key)
        self.digests += digest

    def latest(self) -> Iterator[tuple[int, int, int, bytes]]:
        """``(id, seq, key, digest)`` of the latest write of each row, in id order."""
        order = sorted(range(len(self.ids)), key=self.ids.__getitem__)  # stable: log order kept
        size = row_state.DIGEST_BYTES
        for pk, group in itertools.groupby(order, key=self.ids.__getitem__):
            *_, i = group
            yield pk, self.seqs[i], self.keys[i], bytes(self.digests[i * size : (i + 1) * size])


@dataclass
class _Log:
    recorded: dict[str, _Recorded]
    key_ids: list[str]  # index (as stored in _Recorded.keys) → key id
    problems: list[Problem]


def _read_log() -> _Log:
    log = _Log(recorded={t.label: _Recorded() for t in TRACKED}, key_ids=[], problems=[])
    key_index: dict[str, int] = {}
    entries = (
        Entry.objects.filter(case_id__isnull=True, action__startswith="registry.")
        .order_by("seq")
        .only("seq", "leaf", "action")
    )
    for entry in entries.iterator(chunk_size=500):
        state = entry.data.get("state")
        if state is None:
            continue
        try:
            key = state["key"]
            if not isinstance(key, str) or (len(key_index) >= 255 and key not in key_index):
                raise ValueError("key")
            if key not in key_index:
                key_index[key] = len(log.key_ids)
                log.key_ids.append(key)
            rows = state["rows"]
            if not isinstance(rows, dict):
                raise ValueError("rows")
            for label, runs in rows.items():
                recorded = log.recorded.get(label)
                if recorded is None:
                    raise ValueError(label)
                for pk, digest in row_state.unpack(runs):
                    recorded.add(pk, entry.seq, key_index[key], digest)
        except (KeyError, TypeError, ValueError):
            log.problems.append(
                Problem(
                    kind="registry_state_unreadable",
                    seq=entry.seq,
                    message=_("第%(seq)d条记录（%(action)s）的登记数据摘要无法读取")
                    % {"seq": entry.seq, "action": entry.action},
                )
            )
    return log


def rows_unrecorded() -> Iterator[tuple[type[Model], list[int]]]:
    """The rows no entry ever recorded, by model, in chunks of ``CHUNK`` ids (for
    ``zhifa registry_baseline``: a database from before the registry's entries had states)."""
    log = _read_log()
    for spec in TRACKED:
        recorded = log.recorded.pop(spec.label)
        seen = {pk for pk, *_ in recorded.latest()}
        chunk: list[int] = []
        for pk in spec.model._default_manager.order_by("pk").values_list("pk", flat=True):
            if pk not in seen:
                chunk.append(pk)
                if len(chunk) == CHUNK:
                    yield spec.model, chunk
                    chunk = []
        if chunk:
            yield spec.model, chunk


def _describe(spec: Tracked, pk: int, name: str) -> str:
    return f"{spec.verbose}{pk}" + (f"（{name}）" if name else "")


def registry_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """The replay checker of ``zhifa verify`` (see the module docstring). ``groups`` — the
    cases' entries — is not used: registry entries have no case."""
    del groups
    log = _read_log()
    yield from log.problems
    keys = known_keys()
    usable = [keys.get(key_id) for key_id in log.key_ids]
    for index, key in enumerate(usable):
        if key is None:
            yield Problem(
                kind="registry_digest_key_unknown",
                message=_(
                    "登记数据摘要使用的密钥（编号%(key)s）不是本数据目录的密钥：若更换过"
                    "SECRET_KEY，请把原密钥加入SECRET_KEY_FALLBACKS；用该密钥记录的登记数据无法核对"
                )
                % {"key": log.key_ids[index]},
            )
    for spec in TRACKED:
        yield from _compare(spec, log.recorded.pop(spec.label), usable)


def _compare(spec: Tracked, recorded: _Recorded, keys: list[bytes | None]) -> Iterator[Problem]:
    """Merge the latest recorded digest of each row with the rows as stored, both in id order."""
    label = spec.label
    written = recorded.latest()
    pending = next(written, None)
    for pk, name, values in all_row_states(spec):
        while pending is not None and pending[0] < pk:
            yield _missing(spec, *pending[:2])
            pending = next(written, None)
        if pending is None or pending[0] != pk:
            yield Problem(
                kind="registry_row_unrecorded",
                message=_("%(row)s没有任何全过程记录（在记录之外写入）")
                % {"row": _describe(spec, pk, name)},
            )
            continue
        seq, key_index, digest = pending[1:]
        pending = next(written, None)
        key = keys[key_index]
        if key is None:
            continue  # reported once for the key
        if row_state.state_digest(key, label, values) != digest and not _recorded_before_upgrade(
            spec, key, values, digest
        ):
            yield Problem(
                kind="registry_row_altered",
                seq=seq,
                message=_("%(row)s与第%(seq)d条记录所记的状态不一致（在记录之外被修改）")
                % {"row": _describe(spec, pk, name), "seq": seq},
            )
    while pending is not None:
        yield _missing(spec, *pending[:2])
        pending = next(written, None)


def _recorded_before_upgrade(spec: Tracked, key: bytes, values: list[Any], digest: bytes) -> bool:
    earlier = spec.earlier_values(values)
    return earlier is not None and row_state.state_digest(key, spec.label, earlier) == digest


def _missing(spec: Tracked, pk: int, seq: int) -> Problem:
    return Problem(
        kind="registry_row_missing",
        seq=seq,
        message=_("第%(seq)d条记录写入的%(row)s已不存在（在记录之外被删除）")
        % {"seq": seq, "row": _describe(spec, pk, "")},
    )
