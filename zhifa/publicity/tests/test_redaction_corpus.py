"""The redaction engine on a generated corpus of labelled decisions: every personal value of
every kind is removed, every look-alike is kept, every ambiguous number is flagged. Pure."""

from __future__ import annotations

import pytest

from zhifa.publicity.redaction import Kind, redact
from zhifa.publicity.tests.redaction_corpus import Score, generate

CORPUS_SIZE = 400


@pytest.fixture(scope="module")
def score() -> Score:
    score = Score()
    for decision in generate(CORPUS_SIZE, seed=20261121):
        score.add(decision, redact(decision.text, decision.known))
    print(f"\nredaction corpus, {CORPUS_SIZE} decisions\n{score.report()}")
    return score


@pytest.mark.parametrize("kind", list(Kind))
def test_recall_is_complete_for_every_kind(score: Score, kind: Kind):
    assert score.total[kind] > 0, f"the corpus has no {kind}"
    missed = [text for k, text in score.misses if k == kind]
    assert score.recall(kind) == 1.0, f"{kind}: missed {missed[:10]}"


def test_every_look_alike_is_kept(score: Score):
    assert score.keep_total > 0
    assert score.keep_rate == 1.0, f"damaged: {score.damaged[:10]}"


def test_every_ambiguous_number_is_flagged_and_left_in_the_text(score: Score):
    assert score.ambiguous_total > 0
    assert score.flag_rate == 1.0


def test_the_corpus_is_deterministic():
    assert generate(3, seed=7) == generate(3, seed=7)
    assert generate(3, seed=7) != generate(3, seed=8)


def test_no_personal_value_survives_in_the_redacted_text():
    for decision in generate(50, seed=1):
        redacted = redact(decision.text, decision.known).text
        for label in decision.personal:
            value = decision.text[label.start : label.end]
            if len(value) >= 4:  # short names may occur inside other words
                assert value not in redacted, (label.what, value)
