"""Telegram text limits in UTF-16 units: split, clip and fit never exceed the limit, never
cut a surrogate pair, an emoji sequence or a flag, and lose nothing but line breaks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.telegram_text import (
    CALLBACK_ANSWER_LIMIT,
    TEXT_LIMIT,
    clip,
    fit,
    is_boundary,
    message_texts,
    split,
    utf16_len,
)
from locales import Lines, Long, Msg

FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # one grapheme, 11 UTF-16 units
FLAG = "🇨🇳"
PIECES = st.sampled_from(["😀", "漏", "a", "\n", FAMILY, FLAG, "é", "👍🏽", "𠀀", " "])
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=400).map("".join)


@given(TEXTS, st.integers(min_value=12, max_value=300))
def test_split_pieces_fit_and_keep_every_character(text: str, limit: int) -> None:
    pieces = split(text, limit)
    assert all(utf16_len(p) <= limit for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "") or not text.strip()
    for p in pieces:
        p.encode("utf-16-le").decode("utf-16-le")  # no lone surrogate


def test_split_keeps_grapheme_clusters_whole() -> None:
    text = FAMILY * 10 + FLAG * 10
    for piece in split(text, 25):
        assert piece.count("\u200d") % 3 == 0  # every family whole
        assert sum(0x1F1E6 <= ord(c) <= 0x1F1FF for c in piece) % 2 == 0  # every flag whole
    assert not is_boundary("e\u0301", 1) and not is_boundary("👍🏽", 1) and is_boundary("ab", 1)


def test_split_prefers_line_breaks() -> None:
    lines = [f"line {i} " + "字" * 30 for i in range(200)]
    pieces = split("\n".join(lines), TEXT_LIMIT)
    assert len(pieces) >= 2
    assert [line for p in pieces for line in p.split("\n")] == lines


@given(TEXTS, st.integers(min_value=2, max_value=CALLBACK_ANSWER_LIMIT))
def test_clip_fits(text: str, limit: int) -> None:
    out = clip(text, limit)
    assert utf16_len(out) <= limit
    assert out == text or out.endswith("…")


def test_fit_shortens_a_long_parameter_with_the_marker() -> None:
    card = Msg("ticket-card", {"number": "PG-2026-000001", "place": "兴谷园小区", "category": "漏水"})
    params = {**card.params, "priority": "普通", "state": "待受理", "photos": 0, "reporter": "李伟"}
    m = Msg(
        "ticket-card",
        {**params, "description": Long("😀" * 2100), "created": "-", "details": [Msg("card-no-location")]},
    )
    text = fit("zh_CN", m)
    assert utf16_len(text) <= TEXT_LIMIT and text.endswith("📍 位置：居民未提供")
    assert "内容过长，已截断" in text and text.count("😀") > 1950
    nested = Msg("ticket-card-moved", {"card": m, "to": "兴谷园社区"})
    assert utf16_len(fit("en", nested)) <= TEXT_LIMIT


def test_lines_render_past_fluents_placeable_limit_and_split() -> None:
    lines = Lines([Msg("plain", {"text": f"{i:04d} " + "字" * 60}) for i in range(120)])
    texts = message_texts("zh_CN", lines)
    assert len(texts) == 2 and all(utf16_len(t) <= TEXT_LIMIT for t in texts)
    assert "\n".join(texts).count("字") == 120 * 60
