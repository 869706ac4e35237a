"""Segmentation: documents and queries become the same tokens, short queries still match."""

from zhifa.publicity.search.tokenize import document_tokens, query_tokens


def test_a_one_character_query_is_that_character() -> None:
    assert query_tokens("药") == ["药"]


def test_a_two_character_word_is_one_token() -> None:
    assert query_tokens("罚款") == ["罚款"]


def test_every_cjk_character_of_a_document_is_a_token() -> None:
    tokens = document_tokens("决定处以罚款")
    assert {"罚款", "决定", "处", "以", "罚", "款"} <= set(tokens)


def test_a_word_the_dictionary_does_not_know_falls_apart_into_characters() -> None:
    # 监罚 is no dictionary word: the query asks for its characters, which every document
    # containing it holds.
    assert query_tokens("监罚") == ["监", "罚"]
    assert {"监", "罚"} <= set(document_tokens("甲市监罚〔2026〕12号"))


def test_a_decision_number_keeps_its_digit_runs_and_drops_punctuation() -> None:
    tokens = query_tokens("甲市监罚〔2026〕12号")
    assert "2026" in tokens and "12" in tokens and "号" in tokens
    assert not any(t in tokens for t in ("〔", "〕"))
    assert set(tokens) <= set(document_tokens("处罚决定书 甲市监罚〔2026〕12号 已送达"))


def test_latin_letters_are_lower_cased_and_kept_with_their_digits() -> None:
    assert query_tokens("JY13030200001234") == ["jy13030200001234"]
    assert "jy13030200001234" in document_tokens("许可证编号JY13030200001234")


def test_a_query_asks_for_its_longest_words_not_their_parts() -> None:
    tokens = query_tokens("中华人民共和国食品安全法")
    assert "中华人民共和国" in tokens
    assert "人民" not in tokens  # implied by 中华人民共和国 in every matching document


def test_digit_runs_are_whole_tokens() -> None:
    assert query_tokens("123 1234") == ["123", "1234"]


def test_a_query_of_only_punctuation_has_no_tokens() -> None:
    assert query_tokens("，。！ 〔〕") == []


def test_a_long_query_is_cut_at_one_hundred_characters() -> None:
    assert len("".join(query_tokens("药" * 50 + "罚" * 200))) <= 100
