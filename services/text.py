"""Text people type, made safe to store and show.

``clean`` removes what no reader should receive: C0/C1 control characters (line breaks and
tabs stay), bidirectional overrides, embeddings and isolates (they can reverse how a card
reads, e.g. a ticket number or a phone), byte-order marks and interlinear annotations.
Zero-width joiners stay: emoji sequences need them. ``visible`` says whether anything a
person can see is left (a text of zero-width or control characters only is not a text)."""

from __future__ import annotations

import re
import unicodedata

BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_STRIP = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{BIDI_CONTROLS}\\ufeff\\ufff9-\\ufffb]")
# characters that draw nothing although Unicode does not class them as format or space
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Cs", "Mn", "Me", "Zs", "Zl", "Zp"})


def clean(text: str) -> str:
    """``text`` without control and bidi-override characters; CR LF and CR become LF."""
    return _STRIP.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def visible(text: str) -> bool:
    """Whether ``text`` has at least one character that shows."""
    return any(
        not ch.isspace() and ch not in _BLANK and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
        for ch in text
    )
