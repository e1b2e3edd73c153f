"""Hotline complaint counts for the quarterly ranking, and whether its notifications exist."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import ChannelIdentity, Notification, Source
from storage.queries.common import T, valid_ticket


async def hotline_counts(
    session: AsyncSession, compound_ids: Sequence[int], start: datetime, end: datetime, *, min_count: int = 1
) -> list[tuple[int, int]]:
    """(compound id, valid hotline tickets received in [start, end)) for the compounds with at
    least ``min_count`` of them."""
    q = (
        select(T.compound_id, func.count())
        .where(
            T.source == Source.hotline.value,
            T.created_at >= start,
            T.created_at < end,
            T.compound_id.in_(list(compound_ids)),
            valid_ticket(),
        )
        .group_by(T.compound_id)
        .having(func.count() >= min_count)
    )
    return [(int(cid), int(n)) for cid, n in (await session.execute(q)).all()]


async def channels_of(session: AsyncSession, account_ids: Sequence[int]) -> list[tuple[int, str]]:
    """(account id, channel) of every channel identity of these accounts."""
    q = select(col(ChannelIdentity.account_id), col(ChannelIdentity.channel)).where(
        col(ChannelIdentity.account_id).in_(list(account_ids))
    )
    return [(int(a), str(c)) for a, c in (await session.execute(q)).all()]


async def notifications_with_keys(session: AsyncSession, keys: Sequence[str]) -> int:
    """How many outbox rows carry one of these dedup keys."""
    q = select(func.count()).select_from(Notification).where(col(Notification.dedup_key).in_(list(keys)))
    return int((await session.execute(q)).scalar_one())
