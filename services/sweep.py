"""One pass over the rows whose next moment has passed (tickets, duties): each in its own
short transaction holding the row, so two processes or a restart neither lose nor repeat a
moment, and one broken row does not stop the others."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from storage.uow import UnitOfWork, UowFactory

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Sweep(Generic[T]):
    name: str  # for the log
    due_ids: Callable[[UnitOfWork, datetime, int, set[int]], Awaitable[list[int]]]
    hold: Callable[[UnitOfWork, int, datetime], Awaitable[T | None]]  # None: held elsewhere or no longer due
    check: Callable[[UnitOfWork, T], Awaitable[None]]


@dataclass
class SweepCount:
    looked_at: int = 0
    skipped: int = 0
    errors: int = 0


async def sweep(uow_factory: UowFactory, s: Sweep[T], *, batch: int = 100, most: int = 5000) -> SweepCount:
    """Every due row (up to ``most``; the rest wait for the next tick)."""
    count = SweepCount()
    seen: set[int] = set()
    while len(seen) < most:
        async with uow_factory() as uow:
            ids = await s.due_ids(uow, uow.clock.now(), min(batch, most - len(seen)), seen)
        if not ids:
            break
        for row_id in ids:
            seen.add(row_id)
            try:
                async with uow_factory() as uow:
                    row = await s.hold(uow, row_id, uow.clock.now())
                    if row is None:
                        count.skipped += 1
                        continue
                    await s.check(uow, row)
                    await uow.commit()
                    count.looked_at += 1
            except Exception:  # one broken row must not stop the others
                log.exception("%s %s failed", s.name, row_id)
                count.errors += 1
    return count
