"""Old processed-update ids expire (Telegram restarts update ids after a week without
updates): an id handled more than 7 days ago is handled again as new once the scheduled
jobs ran; a recent one is still dropped as a redelivery."""

from __future__ import annotations

from datetime import timedelta

from bot.background import run_scheduled_jobs
from storage.clock import FrozenClock
from tests.flows.harness import Harness


async def test_an_old_update_id_is_handled_again_and_a_fresh_one_is_still_dropped(
    h: Harness, clock: FrozenClock
) -> None:
    await h.say("li", "/help", update_id=500)
    replies = len(h.seen("li"))
    assert replies > 0
    clock.advance(timedelta(days=7, minutes=1))
    await h.say("li", "/help", update_id=900)  # a fresh update, a minute past the week
    replies = len(h.seen("li"))
    await run_scheduled_jobs(h.core.uow_factory)
    await h.say("li", "/help", update_id=500)  # Telegram's ids restarted: 500 is a new update now
    assert len(h.seen("li")) > replies
    replies = len(h.seen("li"))
    await h.say("li", "/help", update_id=900)  # a redelivery of the fresh one
    assert len(h.seen("li")) == replies
