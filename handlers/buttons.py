"""Typed button data: a prefix plus typed fields, packed and unpacked in one place.

Modelled on aiogram's ``CallbackData``: declare a frozen dataclass with a prefix,

    @dataclass(frozen=True)
    class TicketButton(ButtonData, prefix="tk"):
        action: TicketButtonAction
        ticket: int

``TicketButton(TicketButtonAction.take, 7).pack()`` gives ``"tk:take:7"`` and checks the
64-byte limit of Telegram's ``callback_data`` when it is built; ``TicketButton.unpack(data)``
gives the typed value back or raises DomainError("unknown_button") for anything a real
client could not have sent (wrong prefix, field count, type, enum value, length).
Fields may be ``int`` (non-negative, at most 11 digits), ``str`` (no ":"), ``bool`` or a
``StrEnum``; trailing fields with a default may be left out.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from enum import StrEnum
from typing import Any, ClassVar, Self

from services.errors import DomainError

CALLBACK_MAX_BYTES = 64
SEP = ":"


class ButtonData:
    prefix: ClassVar[str]

    def __init_subclass__(cls, prefix: str = "", **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if not prefix or SEP in prefix:
            raise TypeError(f"{cls.__name__}: a button prefix without {SEP!r} is required")
        cls.prefix = prefix

    def pack(self) -> str:
        fields = list(dataclasses.fields(self))  # type: ignore[arg-type]
        while (
            fields
            and fields[-1].default is not dataclasses.MISSING
            and getattr(self, fields[-1].name) == fields[-1].default
        ):
            fields.pop()  # trailing defaults are left out: "dg:on", not "dg:on:"
        data = SEP.join([self.prefix, *(_encode(getattr(self, f.name), f.name) for f in fields)])
        if len(data.encode()) > CALLBACK_MAX_BYTES:
            raise ValueError(f"callback data over {CALLBACK_MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def unpack(cls, data: str | None) -> Self:
        if not data or len(data.encode()) > CALLBACK_MAX_BYTES:
            raise DomainError("unknown_button")
        prefix, *values = data.split(SEP)
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]
        required = [f for f in fields if f.default is dataclasses.MISSING]
        if prefix != cls.prefix or not len(required) <= len(values) <= len(fields):
            raise DomainError("unknown_button")
        hints = _hints(typing.cast(type, cls))
        kwargs = {f.name: _decode(v, hints[f.name]) for f, v in zip(fields, values, strict=False)}
        return cls(**kwargs)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """A button class's field types, resolved once (get_type_hints evaluates every annotation)."""
    return typing.get_type_hints(cls)


def _encode(value: Any, name: str) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, StrEnum):
        return value.value
    text = str(value)
    if SEP in text:
        raise ValueError(f"button field {name} contains {SEP!r}: {text!r}")
    return text


def _decode(raw: str, kind: Any) -> Any:
    if kind is bool:
        if raw not in ("0", "1"):
            raise DomainError("unknown_button")
        return raw == "1"
    if kind is int:
        if not raw.isascii() or not raw.isdigit() or len(raw) > 11:
            raise DomainError("unknown_button")
        return int(raw)
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        try:
            return kind(raw)
        except ValueError:
            raise DomainError("unknown_button") from None
    if kind is str:
        return raw
    raise TypeError(f"unsupported button field type {kind!r}")


# -- the buttons shared by several flows --------------------------------------------------------
class CardOp(StrEnum):
    """A staff card's buttons; ``rjr`` carries the reject reason in ``arg``."""

    ack = "ack"
    take = "take"
    ask = "ask"
    res = "res"
    rej = "rej"
    rjr = "rjr"
    nrc = "nrc"  # confirm "not responsible" (re-route to the community)
    view = "view"


class RejectReason(StrEnum):
    not_responsible = "not_responsible"
    duplicate = "duplicate"
    invalid = "invalid"


@dataclasses.dataclass(frozen=True)
class TicketButton(ButtonData, prefix="tk"):
    op: CardOp
    ticket: int
    arg: str = ""


@dataclasses.dataclass(frozen=True)
class SkipButton(ButtonData, prefix="sk"):
    """The "skip" / "cancel" button of a conversation step."""

    step: str


@dataclasses.dataclass(frozen=True)
class MyTicketButton(ButtonData, prefix="mv"):
    ticket: int


@dataclasses.dataclass(frozen=True)
class AddInfoButton(ButtonData, prefix="ma"):
    ticket: int


class Fixed(StrEnum):
    yes = "y"
    no = "n"


@dataclasses.dataclass(frozen=True)
class ConfirmButton(ButtonData, prefix="cf"):
    fixed: Fixed
    ticket: int


@dataclasses.dataclass(frozen=True)
class RateButton(ButtonData, prefix="rt"):
    ticket: int
    stars: int


@dataclasses.dataclass(frozen=True)
class LangButton(ButtonData, prefix="lang"):
    code: str


@dataclasses.dataclass(frozen=True)
class MyPage(ButtonData, prefix="my"):
    page: int


@dataclasses.dataclass(frozen=True)
class QueuePage(ButtonData, prefix="q"):
    page: int


class WhOp(StrEnum):
    new_t = "nt"  # id: a ticket — start the flow
    new_r = "nr"  # id: a rectification item — start the flow
    kind = "k"  # arg: the type
    dep = "d"  # dept: toggle a department
    go = "go"  # the departments are chosen
    rin = "in"  # id: the whistle, dept: report in for it
    arr = "on"  # id: the whistle, dept: on site
    cls = "cl"  # id: the whistle — choose the outcome
    out = "o"  # id: the whistle, arg: the outcome
    view = "v"  # id: the whistle


@dataclasses.dataclass(frozen=True)
class WhistleButton(ButtonData, prefix="wh"):
    op: WhOp
    id: int = 0
    dept: int = 0
    arg: str = ""


class CcOp(StrEnum):
    new = "new"  # schedule a council
    kind = "k"  # arg: the kind
    org = "org"  # id: the org node
    view = "v"  # id: the council
    prop = "p"  # id: the council — propose an item
    disc = "dt"  # id: a ticket — "discuss this ticket" (from /my)
    disc_in = "di"  # id: the council, item: the ticket
    acc = "a"  # id: the council, item: the item
    mrg = "m"  # id, item: choose what to merge into
    into = "mi"  # id, item, arg: the item merged into
    dec = "x"  # id, item: decline
    agenda = "ag"  # id: post the agenda now
    decide = "d"  # id, item: record a decision
    minutes = "mn"  # id: post the minutes
    done = "ok"  # id: a decision — done


@dataclasses.dataclass(frozen=True)
class CouncilButton(ButtonData, prefix="cc"):
    op: CcOp
    id: int = 0
    item: int = 0
    arg: str = ""
