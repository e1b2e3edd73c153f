"""Money typed by people: yuan with at most two decimals → integer fen; fen → "1,234.56"."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from services.errors import DomainError

MAX_FEN = 10**13  # ¥100 billion: anything above is a typo


def parse_yuan(text: str, *, code: str = "bad_amount") -> int:
    """'1234.5' or '¥1,234.50' → 123450 fen; DomainError(code) for anything not a positive
    amount with at most two decimal places."""
    raw = text.strip().replace(",", "").replace("，", "").removeprefix("¥").removeprefix("￥").strip()
    raw = raw.removesuffix("元").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise DomainError(code, amount=text.strip()[:20]) from None
    if not value.is_finite() or value <= 0 or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise DomainError(code, amount=text.strip()[:20])
    fen = int(value * 100)
    if fen > MAX_FEN:
        raise DomainError(code, amount=text.strip()[:20])
    return fen


def yuan(fen: int) -> str:
    """123450 → '1,234.50' (exact)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def yuan_plain(fen: int) -> str:
    """123450 → '1234.50' (for tables)."""
    return str((Decimal(fen) / 100).quantize(Decimal("0.01")))
