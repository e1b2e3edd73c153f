"""The one APScheduler job: the tick (services/tick.py), every ``seconds``.

No per-ticket jobs and no job store: the database is the source of truth, so a restart or a
second process changes nothing. ``max_instances=1`` + ``coalesce=True``: a slow tick is never
run twice at once, and missed runs collapse into one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

TICK_JOB_ID = "gongzhi-tick"


def build_scheduler(
    tick: Callable[[], Awaitable[Any]], seconds: float, *, run_now: bool = True
) -> AsyncIOScheduler:
    """An AsyncIOScheduler (not started) with the tick job. Start it inside the running loop
    (``scheduler.start()``) and stop it with ``scheduler.shutdown(wait=False)``."""
    if seconds <= 0:
        raise ValueError("tick interval must be positive")
    scheduler = AsyncIOScheduler(timezone=UTC)
    first: dict[str, Any] = {"next_run_time": datetime.now(UTC)} if run_now else {}
    scheduler.add_job(
        tick,
        IntervalTrigger(seconds=seconds, timezone=UTC),
        id=TICK_JOB_ID,
        name="tick",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=max(1, int(seconds)),
        replace_existing=True,
        **first,
    )
    return scheduler
