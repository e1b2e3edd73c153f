"""The phone mask hides at least half of the digits whatever the length (PIPL), and shows only
a prefix and a suffix of them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.export import mask_phone

phones = st.text(alphabet=st.sampled_from("0123456789 +-()"), min_size=1, max_size=24)


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812341234", "13******234"),  # 11 digits: 5 shown, 6 hidden
        ("69912345", "69****45"),  # 8 digits: was 699****1234, 7 of 8 shown
        ("12345", "1***5"),
        ("12", "*2"),
        ("1", "*"),
        ("+86 138-1234-5678", "861*******678"),
        ("010-12345678901234", "010**********1234"),  # 17 digits: at most 3 first and 4 last
        ("ext", "****"),  # no digits at all
    ],
)
def test_examples(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


def test_nothing_to_mask() -> None:
    assert mask_phone(None) is None and mask_phone("") is None and mask_phone("   ") is None


@given(phones)
def test_at_least_half_of_the_digits_are_hidden(phone: str) -> None:
    digits = "".join(ch for ch in phone if ch.isdigit())
    masked = mask_phone(phone)
    if not phone.strip():
        assert masked is None
        return
    assert masked is not None
    shown = "".join(ch for ch in masked if ch.isdigit())
    hidden = masked.count("*")
    if not digits:
        assert masked == "****"
        return
    assert hidden == len(digits) - len(shown) and 2 * hidden >= len(digits)
    head = masked[: masked.index("*")]
    tail = masked[masked.rindex("*") + 1 :]
    assert len(head) <= 3 and len(tail) <= 4
    assert digits.startswith(head) and digits.endswith(tail)
    assert set(masked[len(head) : len(masked) - len(tail)]) == {"*"}
