"""Telegram's length limits, counted the way Telegram counts them: in UTF-16 code units.

An emoji or a rare CJK character outside the Basic Multilingual Plane is one Python
character but two UTF-16 units, so a 2000-character description can be 4000 units long.
Every text the bot sends or edits goes through here:

* ``fit``: render a message; when it is longer than the limit, shorten its ``Long``
  parameters (a card's description) with a marker so that it fits in one message;
* ``split``: cut what is still too long into several messages, at line breaks where
  possible, otherwise between grapheme clusters (never inside a surrogate pair, an emoji
  ZWJ sequence, a flag or a base letter and its combining marks);
* ``clip``: shorten a short field (callback answer ≤ 200, caption ≤ 1024, topic name ≤ 128).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from locales import Lines, Long, Msg, render

TEXT_LIMIT = 4096  # sendMessage / editMessageText text
CAPTION_LIMIT = 1024  # sendPhoto caption
CALLBACK_ANSWER_LIMIT = 200  # answerCallbackQuery text
TOPIC_NAME_LIMIT = 128  # createForumTopic name
ELLIPSIS = "…"
CLIPPED_KEY = "text-clipped"  # the marker after a shortened parameter (locales)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _units(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


def _extends(ch: str) -> bool:
    """Whether ``ch`` belongs to the grapheme cluster before it."""
    o = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Me", "Mc")
        or o == 0x200D  # zero-width joiner
        or 0xFE00 <= o <= 0xFE0F  # variation selectors
        or 0x1F3FB <= o <= 0x1F3FF  # skin tones
        or 0xE0020 <= o <= 0xE007F  # tag characters (subdivision flags)
        or 0xE0100 <= o <= 0xE01EF
    )


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def is_boundary(text: str, i: int) -> bool:
    """Whether a message may be cut before ``text[i]``."""
    if i <= 0 or i >= len(text):
        return True
    prev, cur = text[i - 1], text[i]
    if _extends(cur) or prev == "\u200d" or (prev == "\r" and cur == "\n"):
        return False
    if _regional(prev) and _regional(cur):  # flags are pairs of regional indicators
        run = 0
        while i - 1 - run >= 0 and _regional(text[i - 1 - run]):
            run += 1
        return run % 2 == 0
    return True


def _prefix_end(text: str, limit: int) -> int:
    """The longest prefix (in characters) of at most ``limit`` UTF-16 units that ends at a
    grapheme boundary (at a character boundary when one cluster alone is too long)."""
    units, end = 0, 0
    for ch in text:
        units += _units(ch)
        if units > limit:
            break
        end += 1
    cut = end
    while cut > 0 and not is_boundary(text, cut):
        cut -= 1
    return cut if cut > 0 else end


def split(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Pieces of at most ``limit`` UTF-16 units, cut at line breaks where possible; blank
    pieces are left out (Telegram refuses an empty message)."""
    chunks: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        end = _prefix_end(rest, limit)
        cut = rest.rfind("\n", 0, end + 1)
        if cut <= 0:
            cut = end
        chunks.append(rest[:cut])
        rest = rest[cut:].lstrip("\n")
    chunks.append(rest)
    kept = [c for c in chunks if c.strip()]
    return kept or [text[: _prefix_end(text, limit)]]


def clip(text: str, limit: int, marker: str = ELLIPSIS) -> str:
    """``text`` itself when it fits, else its longest grapheme-whole head plus ``marker``."""
    if utf16_len(text) <= limit:
        return text
    budget = max(0, limit - utf16_len(marker))
    return text[: _prefix_end(text, budget)].rstrip() + marker


def fit(locale: str, m: Msg, limit: int = TEXT_LIMIT) -> str:
    """``m`` rendered; when longer than ``limit``, its ``Long`` parameters are shortened
    (longest first, each ending in the clipped marker) until it fits or none is left."""
    text = render(locale, m)
    for _ in range(8):
        over = utf16_len(text) - limit
        if over <= 0:
            return text
        longs = [v for v in _longs(m) if utf16_len(v) > 1]
        if not longs:
            return text
        longest = max(longs, key=utf16_len)
        marker = render(locale, Msg(CLIPPED_KEY))
        shorter = Long(clip(longest, max(1, utf16_len(longest) - over), marker))
        if shorter == longest:
            return text
        m = _replace(m, longest, shorter)
        text = render(locale, m)
    return text


def _longs(m: Msg) -> list[Long]:
    if isinstance(m, Lines):
        return [v for part in m.parts for v in _longs(part)]
    out: list[Long] = []
    for v in m.params.values():
        if isinstance(v, Long):
            out.append(v)
        elif isinstance(v, Msg):
            out.extend(_longs(v))
    return out


def _replace(m: Msg, old: Long, new: Long) -> Msg:
    if isinstance(m, Lines):
        return Lines([_replace(part, old, new) for part in m.parts])
    params: dict[str, Any] = {}
    for k, v in m.params.items():
        if v is old:
            params[k] = new
        elif isinstance(v, Msg):
            params[k] = _replace(v, old, new)
        else:
            params[k] = v
    return Msg(m.key, params)


def message_texts(locale: str, m: Msg, limit: int = TEXT_LIMIT) -> list[str]:
    """What one reply becomes on Telegram: fitted, then split into messages."""
    return split(fit(locale, m, limit), limit)
