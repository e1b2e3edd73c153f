"""Reading a 12345 hotline CSV export (format: services/hotline.py) into checked rows.

Records. Rows are numbered as a spreadsheet shows them (the header is row 1, one row per
record). A cell may hold line breaks when it is quoted (a complaint written on several
lines); such a record is accepted. A stray double quote, though, opens a quoted cell that
swallows the following rows (their callers' phones included) until some later quote closes
it. A record is taken as such a swallow, and rejected as ``hotline-malformed-row``, when it
spans several physical lines and either its quotes never close (the file ends inside the
cell) or one of its continuation lines holds as many commas as a whole row (the header's
columns − 1). The row is rejected alone and the lines after its first line are read again
as rows of their own, so nothing after a stray quote is lost or merged.

Cells. Every row is checked by ``HotlineRow`` (pydantic) before anything touches the
database: control characters (NUL and the other C0/C1 controls; tab and line breaks only in
``content``) reject the row rather than being stripped, because they mean a damaged export
and a silently changed complaint is worse than a visible rejection; dates must lie in a
plausible window (``DateWindow``: not before 2000-01-01, not more than a day after the clock);
order numbers are normalised (NFKC, blanks stripped, upper case) so ``gd001`` and ``GD001``
are one order. Problems name no personal data (no phone, address or complaint text).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, ValidationInfo, field_validator

from services.errors import DomainError
from services.validation import Problem, fail, from_pydantic, matches, text

COLUMNS = ("order_no", "received_at", "address", "compound_code", "category", "content", "caller_phone")
PHONE = re.compile(r"^[0-9+\- ]{3,32}$")
FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S")


@dataclass(frozen=True)
class DateWindow:
    """Plausible ``received_at``: from ``earliest`` (local date) to the clock + ``future``."""

    earliest: date = date(2000, 1, 1)
    future: timedelta = timedelta(days=1)


@dataclass(frozen=True)
class RawRow:
    row: int
    cells: dict[str, str] | None  # None: a malformed record (a stray quote)


@dataclass(frozen=True)
class Rules:
    """What the row check needs from outside: the clock, the zone, the limits."""

    now: datetime
    tz: str = "Asia/Shanghai"
    max_content: int = 2000
    window: DateWindow = field(default_factory=DateWindow)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (its own BOM is dropped too)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError:
            continue
    raise DomainError("hotline_bad_encoding")


def parse_received(value: str, tz: str = "Asia/Shanghai") -> datetime | None:
    """ISO 8601, or ``2026-11-20 09:31[:05]`` / ``2026/11/20 09:31``; no zone → ``tz``."""
    s = value.strip()
    if not s:
        return None
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        for fmt in FORMATS:
            try:
                dt = datetime.strptime(s, fmt)
                break
            except ValueError:
                continue
        else:
            return None
    return dt.replace(tzinfo=ZoneInfo(tz)) if dt.tzinfo is None else dt


def normalise_order(value: str) -> str:
    """The order number as it is compared and stored: NFKC, stripped, upper case."""
    return unicodedata.normalize("NFKC", value).strip().upper()


def _blank_is_none(v: Any) -> Any:
    return None if isinstance(v, str) and not v.strip() else v


def _order(v: Any) -> Any:
    return _blank_is_none(normalise_order(v) if isinstance(v, str) else v)


Blank = BeforeValidator(_blank_is_none)


class HotlineRow(BaseModel):
    """One order. Validate with ``context={"rules": Rules(...)}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    order_no: Annotated[str, BeforeValidator(_order), text(64)]
    received_at: datetime
    address: Annotated[Annotated[str, text(500)] | None, Blank] = None
    compound_code: Annotated[Annotated[str, text(64)] | None, Blank] = None
    category: Annotated[Annotated[str, text(100)] | None, Blank] = None
    content: Annotated[str, Blank, text(1_000_000, lines=True)]  # the limit: Rules.max_content
    # never echoed in a problem: a phone is personal
    caller_phone: Annotated[Annotated[str, matches(PHONE, "hotline-phone", echo=False)] | None, Blank] = None

    @field_validator("received_at", mode="before")
    @classmethod
    def _received(cls, v: Any, info: ValidationInfo) -> datetime:
        rules: Rules = (info.context or {})["rules"]
        if not isinstance(v, str) or not v.strip():
            raise fail("validation-missing")
        dt = parse_received(v, rules.tz) if len(v) <= 40 else None
        if dt is None:
            raise fail("hotline-date-format", value=v.strip()[:40])
        zone = ZoneInfo(rules.tz)
        earliest = datetime.combine(rules.window.earliest, time(), zone)
        latest = rules.now + rules.window.future
        try:
            if dt < earliest:
                raise fail("hotline-date-too-early", earliest=rules.window.earliest.isoformat())
            if dt > latest:
                raise fail(
                    "hotline-date-in-future", latest=latest.astimezone(zone).strftime("%Y-%m-%d %H:%M")
                )
            return dt.astimezone(rules.now.tzinfo)
        except OverflowError as err:  # beyond what a datetime holds once converted
            raise fail("hotline-date-format", value=v.strip()[:40]) from err

    @field_validator("content")
    @classmethod
    def _content(cls, v: str, info: ValidationInfo) -> str:
        limit = (info.context or {})["rules"].max_content
        if len(v) > limit:
            raise fail("validation-text-too-long", max=limit, length=len(v))
        return v


def check_row(raw: RawRow, rules: Rules) -> HotlineRow | list[Problem]:
    """The checked order, or its problems (each with row and column)."""
    if raw.cells is None:
        return [Problem((), "hotline-malformed-row", row=raw.row)]
    try:
        return HotlineRow.model_validate(raw.cells, context={"rules": rules})
    except ValidationError as err:
        return from_pydantic(err, row=raw.row)


class _Lines:
    """Physical lines fed to csv.reader one at a time; ``pos`` can be moved back."""

    def __init__(self, lines: list[str]) -> None:
        self.lines, self.pos = lines, 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


def records(text: str) -> Iterator[list[str] | None]:
    """CSV records; None for a record that swallowed the rows after it (see the module doc).
    The first record is the header."""
    src = _Lines(text.splitlines(keepends=True))
    reader = csv.reader(src)
    width = 0
    while src.pos < len(src.lines):
        start = src.pos
        try:
            rec = next(reader)
        except StopIteration:
            return
        if start == 0:
            width = len(rec)
        if _swallowed(src.lines[start : src.pos], width, at_end=src.pos >= len(src.lines)):
            yield None
            src.pos = start + 1  # the following lines are rows of their own
            reader = csv.reader(src)  # a fresh reader: no state from the swallowed cell
            continue
        yield rec


def _swallowed(lines: list[str], width: int, *, at_end: bool) -> bool:
    if at_end and _open(lines):  # the file ended inside a quoted cell
        return True
    return len(lines) > 1 and any(line.count(",") >= max(1, width - 1) for line in lines[1:])


_SENTINEL = "\ue000"  # a private-use character: never in a real export


def _open(lines: list[str]) -> bool:
    """Whether these lines end inside a quoted cell: one more line would join the record."""
    rec = next(csv.reader([*lines, _SENTINEL + "\n"]), [])
    return any(_SENTINEL in cell for cell in rec)


def read_rows(text: str) -> tuple[list[str], list[RawRow]]:
    """The header's missing columns and the rows with their spreadsheet row numbers (cells
    of the known columns only; extra columns are ignored; rows with every cell empty are
    not orders and are skipped, but keep their number)."""
    recs = records(text)
    header = [h.strip().lstrip("\ufeff").lower() for h in next(recs, None) or []]
    missing = [c for c in COLUMNS if c not in header]
    pos = {c: header.index(c) for c in COLUMNS if c in header}
    rows = []
    for number, rec in enumerate(recs, start=2):
        if rec is None:
            rows.append(RawRow(number, None))
        elif any(cell.strip() for cell in rec):
            rows.append(RawRow(number, {c: (rec[i] if i < len(rec) else "") for c, i in pos.items()}))
    return missing, rows
