"""The public ledger of a 六个一点 campaign: totals by source (pledged, received), received
versus pledged and the target, a progress bar, the names of givers who agreed to be named,
and once closed the final account (surplus or shortfall)."""

from __future__ import annotations

from dataclasses import dataclass

from services.campaigns import Source
from storage.models import Campaign, CampaignEntry

BAR = 10


@dataclass(frozen=True)
class SourceLine:
    source: Source
    pledged_fen: int
    received_fen: int


@dataclass(frozen=True)
class Ledger:
    lines: list[SourceLine]  # every source with an entry, in the six sources' order
    pledged_fen: int
    received_fen: int
    target_fen: int
    percent: int  # received / target, whole percent (floored)
    bar: str
    names: list[tuple[str, int]]  # (giver, amount) of pledges whose giver agreed to be named
    final_cost_fen: int | None
    balance_fen: int | None  # received − final cost: > 0 surplus, < 0 shortfall


def progress_bar(part: int, whole: int, width: int = BAR) -> tuple[int, str]:
    percent = 0 if whole <= 0 else part * 100 // whole
    filled = min(width, percent * width // 100)
    return percent, "▓" * filled + "░" * (width - filled)


def ledger(c: Campaign, entries: list[CampaignEntry]) -> Ledger:
    lines = []
    for s in Source:
        mine = [e for e in entries if e.source == s.value]
        if mine:
            lines.append(
                SourceLine(
                    s,
                    sum(e.amount_fen for e in mine if e.kind == "pledge"),
                    sum(e.amount_fen for e in mine if e.kind == "receipt"),
                )
            )
    pledged = sum(x.pledged_fen for x in lines)
    received = sum(x.received_fen for x in lines)
    percent, bar = progress_bar(received, c.target_fen)
    names = [(e.giver, e.amount_fen) for e in entries if e.public and e.giver and e.kind == "pledge"]
    cost = c.final_cost_fen
    return Ledger(
        lines,
        pledged,
        received,
        c.target_fen,
        percent,
        bar,
        names,
        cost,
        None if cost is None else received - cost,
    )
