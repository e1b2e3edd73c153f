"""Paper ballots (an owners' assembly) → the Art. 278 tally: ``unit_code,choice`` rows.

A choice is yes / no / abstain or 同意 / 反对 / 弃权; a later row for a unit replaces an
earlier one. Every problem is collected (unknown unit, unknown choice, a bad header), then
the owners whose units carry different choices; any problem refuses the whole file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from services import tally as tl
from services.errors import DomainError
from storage.models import OrgKind
from storage.uow import UnitOfWork

HEADER = ("unit_code", "choice")


@dataclass(frozen=True)
class BallotProblem:
    row: int  # the file's line number (the header is line 1); 0: the whole file
    key: str  # the message key (ballot-unknown-unit, …)
    value: str


class BallotsInvalid(DomainError):
    def __init__(self, problems: Sequence[BallotProblem]) -> None:
        super().__init__("ballots_invalid", count=len(problems))
        self.problems = list(problems)


def parse_ballots(text: str, register: Sequence[tl.UnitRec]) -> dict[str, tl.Choice]:
    """The choice of each unit, or BallotsInvalid naming every offending row or unit."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or tuple(c.strip().lower() for c in rows[0]) != HEADER:
        raise BallotsInvalid([BallotProblem(1, "ballot-bad-header", ",".join(rows[0]) if rows else "")])
    codes = {u.code for u in register}
    problems: list[BallotProblem] = []
    out: dict[str, tl.Choice] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != 2:
            problems.append(BallotProblem(line, "ballot-bad-row", ",".join(row)))
            continue
        code, word = row[0].strip(), row[1].strip()
        choice = tl.parse_choice(word)
        if code not in codes:
            problems.append(BallotProblem(line, "ballot-unknown-unit", code))
        if choice is None:
            problems.append(BallotProblem(line, "ballot-unknown-choice", word))
        if code in codes and choice is not None:
            out[code] = choice  # a later row replaces an earlier one
    if problems:
        raise BallotsInvalid(problems)
    try:
        tl.owner_choices(register, out)
    except tl.TallyConflict as err:
        raise BallotsInvalid(
            [BallotProblem(0, "ballot-owner-conflict", ", ".join(units)) for units in err.owners.values()]
        ) from None
    return out


async def register_of(uow: UnitOfWork, compound_code: str) -> list[tl.UnitRec]:
    node = await uow.org.by_code(compound_code)
    if node is None or node.kind != OrgKind.compound or node.id is None:
        raise DomainError("compound_not_found", compound=compound_code)
    return await register(uow, node.id)


async def register(uow: UnitOfWork, compound_id: int) -> list[tl.UnitRec]:
    """The compound's unit register as the tally reads it."""
    return [
        tl.UnitRec(u.code, tl.area_of(u.area_m2), u.owner_name, u.developer)
        for u in await uow.org.units_of(compound_id)
    ]


async def tally_ballots(uow: UnitOfWork, compound_code: str, kind: tl.Kind, text: str) -> tl.Tally:
    register = await register_of(uow, compound_code)
    return tl.tally(register, parse_ballots(text, register), kind, tl.thresholds_of(uow.config))
