"""Amounts typed by people: exact fen, refusals for anything else."""

from __future__ import annotations

import pytest

from services.errors import DomainError
from services.money import parse_yuan, yuan, yuan_plain


@pytest.mark.parametrize(
    ("text", "fen"),
    [("1234.5", 123450), ("¥1,234.56", 123456), ("0.01", 1), ("3287000", 328700000), ("50元", 5000)],
)
def test_amounts(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text", ["-5", "0", "abc", "1.234", "", "NaN", "Infinity", "1e3.5", "1" * 20])
def test_bad_amounts_are_refused(text: str) -> None:
    with pytest.raises(DomainError) as err:
        parse_yuan(text, code="pledge_bad_amount")
    assert err.value.code == "pledge_bad_amount"


def test_display() -> None:
    assert (yuan(13460000), yuan(-5), yuan_plain(123450)) == ("134,600.00", "-0.05", "1234.50")
