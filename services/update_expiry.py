"""Old processed-update ids expire.

Telegram numbers updates upward but restarts at a random id after a week without updates,
so an id recorded long ago can come back for a genuine new update, which would then be
dropped as a redelivery. Redeliveries come within minutes or hours, never a week later: ids
handled more than ``DomainConfig.processed_update_ttl`` ago (default 7 days, setting
``GONGZHI_PROCESSED_UPDATE_DAYS``) are deleted by the scheduled jobs, so such an id is
handled again as new.
"""

from __future__ import annotations

from datetime import timedelta

from storage.uow import UnitOfWork


async def run_scheduled(uow: UnitOfWork, ttl: timedelta | None = None) -> int:
    """Delete processed-update ids older than ``ttl`` (default: the configured one); the
    number deleted (the caller commits)."""
    keep = ttl if ttl is not None else uow.config.processed_update_ttl
    return await uow.conversations.prune_processed(uow.clock.now() - keep)
