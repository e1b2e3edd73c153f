"""Typed button data: packed and unpacked in one place, limits checked when built."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.buttons import (
    ButtonData,
    CardOp,
    ConfirmButton,
    Fixed,
    RateButton,
    SkipButton,
    TicketButton,
)
from handlers.types import Button, msg
from services.errors import DomainError


def test_pack_and_unpack_round_trip() -> None:
    b = TicketButton(CardOp.rjr, 42, "duplicate")
    assert b.pack() == "tk:rjr:42:duplicate"
    assert TicketButton.unpack(b.pack()) == b
    assert TicketButton(CardOp.take, 7).pack() == "tk:take:7"  # trailing defaults left out
    assert TicketButton.unpack("tk:take:7") == TicketButton(CardOp.take, 7, "")
    assert ConfirmButton.unpack("cf:y:3") == ConfirmButton(Fixed.yes, 3)
    assert RateButton.unpack("rt:3:5").stars == 5


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "tk",
        "tk:take",
        "tk:take:x",
        "tk:fly:7",
        "tk:take:-1",
        "tk:take:123456789012",
        "tk:take:7:a:b",
        "cf:maybe:3",
        "rt:3",
        "xx:take:7",
        "tk:take:٣",  # Arabic-Indic digit
        "tk:take:" + "1" * 70,
    ],
)
def test_forged_data_is_an_unknown_button(forged: str) -> None:
    with pytest.raises(DomainError) as err:
        TicketButton.unpack(forged) if not forged.startswith(("cf", "rt")) else (
            ConfirmButton.unpack(forged) if forged.startswith("cf") else RateButton.unpack(forged)
        )
    assert err.value.code == "unknown_button"


def test_the_64_byte_limit_is_checked_when_built() -> None:
    with pytest.raises(ValueError):
        SkipButton("步" * 30).pack()  # 90 bytes in UTF-8
    with pytest.raises(ValueError):
        Button(msg("btn-cancel"), SkipButton("x" * 70))
    with pytest.raises(ValueError):
        TicketButton(CardOp.rjr, 1, "a:b").pack()  # the separator cannot hide in a field


def test_a_prefix_is_required() -> None:
    with pytest.raises(TypeError):

        @dataclass(frozen=True)
        class NoPrefix(ButtonData):  # noqa: F841
            x: int


@given(st.text(max_size=80))
def test_unpack_never_fails_otherwise(data: str) -> None:
    try:
        b = TicketButton.unpack(data)
    except DomainError as err:
        assert err.code == "unknown_button"
    else:
        assert b.pack() == data.rstrip(":") or TicketButton.unpack(b.pack()) == b
