"""Message catalogues (Project Fluent .ftl files): zh_CN default, en.

Code holds keys and parameters; every sentence a person reads is here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource
from fluent.runtime.types import fluent_number

HERE = Path(__file__).parent
DEFAULT_LOCALE = "zh_CN"
LOCALES = ("zh_CN", "en")


@dataclass(frozen=True)
class Msg:
    """A message to be rendered later, in the reader's language."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Lines(Msg):
    """Several messages one under the other, rendered one by one and joined by line breaks.

    Long texts (a digest of 120 compounds, a ticket's history) are built this way rather
    than as one message with the whole text in a parameter: Fluent refuses a parameter
    (placeable) longer than 2500 characters. A channel splits the joined text into several
    messages at line breaks when it is longer than its limit."""

    parts: tuple[Msg, ...] = ()

    def __init__(self, parts: Sequence[Msg]) -> None:
        parts = tuple(parts)
        # the first part's key, so logs and tests can tell what the message is
        object.__setattr__(self, "key", parts[0].key if parts else "")
        object.__setattr__(self, "params", {})
        object.__setattr__(self, "parts", parts)


@dataclass(frozen=True)
class Rendered(Msg):
    """Text already rendered in the reader's language (a kept reply sent again after a
    crash, handlers/held_reply.py): shown as it is, never through Fluent (no length limit)."""

    def __init__(self, text: str) -> None:
        object.__setattr__(self, "key", "plain")
        object.__setattr__(self, "params", {"text": text})


class Long(str):
    """A parameter that may be shortened (with a marker) when the whole message would be
    longer than what the channel accepts in one message (a ticket card's description)."""

    __slots__ = ()


def normalize(locale: str | None) -> str:
    """Map a channel language code (zh-hans, en-US, …) to a catalogue."""
    if not locale:
        return DEFAULT_LOCALE
    low = locale.replace("-", "_").lower()
    if low.startswith("zh"):
        return "zh_CN"
    if low.startswith("en"):
        return "en"
    return DEFAULT_LOCALE


def choose_locale(chosen: str | None, client: str | None, default: str) -> str:
    """The one rule for a reader's language, used by replies, notifications, cards and
    digests alike: the language the person chose (/lang), else the one their client
    reported at first contact, else the configured default."""
    if chosen in LOCALES:
        return str(chosen)
    if client:
        return normalize(client)
    return default if default in LOCALES else DEFAULT_LOCALE


@cache
def bundle(locale: str) -> FluentBundle:
    b = FluentBundle([locale.replace("_", "-")], use_isolating=False)
    for path in sorted((HERE / locale).glob("*.ftl")):
        b.add_resource(FluentResource(path.read_text(encoding="utf-8")))
    return b


def keys(locale: str) -> set[str]:
    ids: set[str] = set()
    for path in (HERE / locale).glob("*.ftl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line[0].isspace() and "=" in line and not line.startswith(("#", "-")):
                ids.add(line.split("=", 1)[0].strip())
    return ids


class MissingMessage(KeyError):
    pass


def t(locale: str, key: str, **params: Any) -> str:
    """Render `key` in `locale`; Msg parameters are rendered first."""
    if not params:  # a button label, a prompt: the same text every time
        return _t_plain(locale, key)
    return _t(locale, key, params)


@lru_cache(maxsize=4096)
def _t_plain(locale: str, key: str) -> str:
    return _t(locale, key, {})


def _t(locale: str, key: str, params: dict[str, Any]) -> str:
    b = bundle(normalize(locale) if locale not in LOCALES else locale)
    if not b.has_message(key):
        b = bundle(DEFAULT_LOCALE)
        if not b.has_message(key):
            raise MissingMessage(key)
    rendered = {k: _value(locale, v) for k, v in params.items()}
    msg = b.get_message(key)
    if msg.value is None:  # a message with attributes only: nothing to show
        raise MissingMessage(key)
    text, errors = b.format_pattern(msg.value, rendered)
    if errors:
        raise MissingMessage(f"{key}: {errors}")
    return str(text)


def _value(locale: str, v: Any) -> Any:
    if isinstance(v, (Lines, Rendered)):
        return render(locale, v)
    if isinstance(v, Long):
        return str(v)
    if isinstance(v, Msg):
        return t(locale, v.key, **v.params)
    if isinstance(v, (list, tuple)):  # lines, each a Msg or text
        return "\n".join(str(_value(locale, x)) for x in v)
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        # counts and lengths read better without grouping: 2001, not 2,001
        return fluent_number(v, useGrouping=False)
    return v


def render(locale: str, m: Msg) -> str:
    if isinstance(m, Rendered):
        return str(m.params["text"])
    if isinstance(m, Lines):
        return "\n".join(render(locale, part) for part in m.parts)
    return t(locale, m.key, **m.params)
