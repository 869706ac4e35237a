"""The 双随机 draw rule (draw.py), without Django: pools, hashes, ranking, skips, the verifier.

Expected hashes are hand-listed constants, computed outside zhifa with coreutils:
``printf 'E1/<D>' | sha256sum`` and ``printf 'E1\\nE2\\n…' | sha256sum``.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from zhifa.inspections import draw
from zhifa.record.checkpoint import Checkpoint, Signer, sign_checkpoint

# D: a root hash (here SHA-256 of the empty string, as a recognisable value).
D = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
POOL = ["E1", "E2", "E3", "E4", "E5"]
POOL_SHA256 = "030aabad40284a90736d8aaace77e5b71e6ab468de560e981e2318f855c06bd8"  # E1\n…E5\n
POOL_E6_SHA256 = "22072d0e8f31d64e8d1d279aba84062dabe4ca10bc8971bcf2dde451505d3657"  # …E4\nE6\n
RANKS = {  # SHA-256(UTF-8(C + "/" + D))
    "E1": "f12135e4dbf207a749ae0e989d832060f977dbaeecbbec071d385f879144e461",
    "E2": "4d998bf90bb9edeeb6824f456c3d7f60816ef90f17bb2c5576f9c7ac3e65be2e",
    "E3": "ffd98de6c1f738c406cbd81a4c9b03bbbe535a219222eec20955614f0c7353f2",
    "E4": "1181f705b4c2a50b367b87b5a5413893b0a5e3f7a3ea65b6b71376a5b87af13b",
    "E5": "07dff84c17f39eab1afeeb495dd1ac36eb9b1a0d41db53d1665ceb667c5c0d65",
    "甲": "cd2fd54c56bd8c65d8436ac9979ba247a8d1228194d056f5500e63615885cb1c",
}


def test_pool_is_sorted_unique_lines_each_ending_in_newline() -> None:
    members = draw.pool_members(["E3", "E1", "E2", "E1", "E5", "E4"])
    assert members == POOL
    assert draw.pool_text(members) == "E1\nE2\nE3\nE4\nE5\n"
    assert draw.pool_sha256(members) == POOL_SHA256
    assert draw.members_from_text(draw.pool_text(members)) == POOL


def test_changing_one_pool_line_changes_the_pool_hash() -> None:
    assert draw.pool_sha256(["E1", "E2", "E3", "E4", "E6"]) == POOL_E6_SHA256 != POOL_SHA256


def test_an_identifier_with_a_line_break_cannot_be_in_a_pool() -> None:
    with pytest.raises(draw.PoolError):
        draw.pool_members(["E1", "E2\nE3"])


def test_rank_is_the_sha256_of_identifier_slash_seed() -> None:
    for identifier, digest in RANKS.items():
        assert draw.rank_key(identifier, D).hex() == digest


def test_ranking_against_the_hand_computed_example() -> None:
    # As big-endian numbers: ffd9… (E3) > f121… (E1) > cd2f… (甲) > 4d99… (E2) > 1181… (E4)
    # > 07df… (E5).
    assert draw.ranked([*POOL, "甲"], D) == ["E3", "E1", "甲", "E2", "E4", "E5"]
    assert draw.select(POOL, D, 2).selected == ("E3", "E1")


def test_a_skipped_candidate_keeps_its_reason_and_the_next_in_rank_takes_its_place() -> None:
    result = draw.select(POOL, D, 2, lambda c: "依法回避" if c == "E3" else None)
    assert result.selected == ("E1", "E2")
    assert result.skipped == (draw.Skip("E3", "依法回避"),)


def test_a_pool_smaller_than_its_count_selects_everyone_not_skipped() -> None:
    result = draw.select(POOL, D, 9, lambda c: "已注销" if c == "E4" else None)
    assert result.selected == ("E3", "E1", "E2", "E5")


def test_default_counts_follow_the_risk_bands_and_the_five_percent_floor() -> None:
    counts = draw.default_counts({"A": 100, "B": 100, "C": 100, "D": 100})
    assert counts == {"A": 5, "B": 5, "C": 21, "D": 61}
    assert draw.count_problems({"A": 100, "B": 100, "C": 100, "D": 100}, counts) == []
    # Only A entities: 5 % of them is both A's ceiling and the overall floor.
    assert draw.default_counts({"A": 40}) == {"A": 2}


def test_counts_outside_a_band_are_refused_with_the_source() -> None:
    problems = draw.count_problems({"A": 100, "C": 100}, {"A": 6, "C": 20})
    assert [p.risk_class for p in problems] == ["A", "C"]
    assert draw.RISK_RATIOS_SOURCE in problems[0].message
    under = draw.count_problems({"A": 1000}, {"A": 10})
    assert under and "5%" in under[-1].message


def test_a_configured_band_table_needs_its_source() -> None:
    with pytest.raises(ValueError, match="source"):
        draw.ratio_bands({"A": {"low": "0", "high": "0.1"}})
    bands, source = draw.ratio_bands({"A": {"low": "0", "high": "0.1"}, "source": "某省细则"})
    assert bands["A"].high == Decimal("0.1") and source == "某省细则"


def test_teams_take_inspectors_in_turn() -> None:
    teams = draw.assign(["X", "Y", "Z"], ["c1", "c2", "c3"], 2)
    assert teams == {"X": ["c1", "c2"], "Y": ["c3", "c1"], "Z": ["c2", "c3"]}


# -- the verifier -----------------------------------------------------------------------------

SIGNER = Signer("example.org/record", bytes(range(32)))
KEY = SIGNER.verifier.key


def _document(size: int = 12, seed_size: int = 10) -> dict[str, object]:
    root = bytes.fromhex(D)
    note = sign_checkpoint(Checkpoint("example.org/record", size, root), SIGNER)
    entities = draw.select(POOL, D, 2, lambda c: "冻结后已注销或被吊销" if c == "E3" else None)
    inspectors = ["Z-001", "Z-002", "Z-003"]
    chosen = draw.select(inspectors, D, 2)
    return draw.draw_document(
        task={"id": 1, "title": "示例任务"},
        pools=[
            draw.PoolResult(
                "检查对象（A类）",
                POOL,
                POOL_SHA256,
                2,
                entities.selected,
                [{"id": s.id, "reason": s.reason} for s in entities.skipped],
            ),
            draw.PoolResult(
                "检查人员（示范局）",
                inspectors,
                draw.pool_sha256(inspectors),
                2,
                chosen.selected,
                [],
            ),
        ],
        seed_size=seed_size,
        checkpoint=note,
        seed=D,
    )


def _kinds(doc: dict[str, object], key: str = KEY) -> list[str]:
    return [f.kind for f in draw.verify_document(doc, key=key).failures]


def test_a_faithful_draw_verifies() -> None:
    doc = _document()
    assert doc["pools"][0]["selected"] == ["E1", "E2"]  # type: ignore[index]
    assert doc["pools"][0]["skipped"] == [{"id": "E3", "reason": "冻结后已注销或被吊销"}]  # type: ignore[index]
    assert _kinds(doc) == []


def test_a_changed_pool_line_fails_the_pool_hash() -> None:
    doc = _document()
    doc["pools"][0]["pool"][4] = "E6"  # type: ignore[index]
    assert "pool_hash" in _kinds(doc)


def test_a_tampered_seed_fails() -> None:
    doc = _document()
    doc["seed"] = "0" * 64
    kinds = _kinds(doc)
    assert "seed" in kinds


def test_a_checkpoint_signed_by_another_key_fails_the_signature() -> None:
    doc = _document()
    other = Signer("example.org/record", bytes(32))
    doc["checkpoint"] = sign_checkpoint(
        Checkpoint("example.org/record", 12, bytes.fromhex(D)), other
    )
    assert _kinds(doc) == ["signature"]


def test_an_edited_checkpoint_fails_the_signature() -> None:
    doc = _document()
    note = str(doc["checkpoint"])
    doc["checkpoint"] = note.replace("\n12\n", "\n13\n", 1)
    assert "signature" in _kinds(doc)


def test_a_head_smaller_than_the_seed_size_fails() -> None:
    assert _kinds(_document(size=9, seed_size=10)) == ["seed_size"]


def test_a_selection_that_is_not_the_top_k_fails() -> None:
    doc = _document()
    doc["pools"][0]["selected"] = ["E1", "E4"]  # type: ignore[index]
    assert _kinds(doc) == ["selection"]


def test_an_unrecorded_skip_fails_the_selection() -> None:
    doc = _document()
    doc["pools"][0]["skipped"] = []  # type: ignore[index]
    assert _kinds(doc) == ["selection"]


def test_a_skip_of_a_candidate_never_reached_fails() -> None:
    doc = copy.deepcopy(_document())
    doc["pools"][0]["skipped"].append({"id": "E5", "reason": "x"})  # type: ignore[index]
    assert _kinds(doc) == ["skipped"]


def test_the_command_line_verifier_needs_no_django(tmp_path: object) -> None:
    import json
    from pathlib import Path

    path = Path(str(tmp_path)) / "draw.json"
    path.write_text(json.dumps(_document(), ensure_ascii=False), encoding="utf-8")
    assert draw.main([str(path), "--key", KEY]) == 0
    bad = _document()
    bad["seed"] = "1" * 64
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    assert draw.main([str(path), "--key", KEY]) == 1


def test_a_frozen_draw_is_reported_not_drawn_and_its_pool_hashes_are_checked() -> None:
    doc = _document()
    doc["checkpoint"], doc["seed"] = "", ""
    for pool in doc["pools"]:  # type: ignore[attr-defined]
        pool["selected"], pool["skipped"] = [], []
    assert _kinds(doc) == ["not_drawn"]
    doc["pools"][0]["pool"][0] = "E0"  # type: ignore[index]
    assert _kinds(doc) == ["not_drawn", "pool_hash"]
