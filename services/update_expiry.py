"""Old processed-update ids expire.

Telegram numbers updates upward but restarts at a random id after a week without updates,
so an id recorded long ago can come back for a genuine new update, which would then be
dropped as a redelivery. Redeliveries come within minutes or hours, never a week later: ids
handled more than ``ttl`` ago (default 7 days, setting ``GONGZHI_PROCESSED_UPDATE_DAYS``) are
deleted by the scheduled jobs, so such an id is handled again as new.
"""
from __future__ import annotations

from datetime import timedelta

from storage.uow import UnitOfWork

DEFAULT_TTL = timedelta(days=7)


async def run_scheduled(uow: UnitOfWork, ttl: timedelta = DEFAULT_TTL) -> int:
    """Delete processed-update ids older than ``ttl``; the number deleted (caller commits)."""
    return await uow.conversations.prune_processed(uow.clock.now() - ttl)
