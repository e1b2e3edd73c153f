"""Conversation flows: channel-neutral handlers over the services.

The one place that assembles them: every feature's router and every notification renderer
is listed here, by a plain import, so nothing registers itself as a side effect.
"""

from __future__ import annotations

from handlers import (
    campaign,
    council,
    council_notices,
    council_steps,
    digest,
    funds,
    mine,
    notices,
    notices_deadlines,
    owners,
    owners_new,
    plans,
    queue,
    report,
    report_offer,
    staff,
    start,
    stats,
    vote,
    whistle,
    whistle_notices,
)
from handlers.rendering import Renderers
from handlers.router import Router


def build_router() -> Router:
    root = Router()
    for feature in (
        start,
        report,
        report_offer,
        mine,
        staff,
        queue,
        digest,
        stats,
        plans,
        vote,
        owners,
        owners_new,
        funds,
        campaign,
        whistle,
        council,
        council_steps,
    ):
        root.include(feature.router)
    return root


def build_renderers() -> Renderers:
    return Renderers.merge(
        notices.renderers,
        notices_deadlines.renderers,
        digest.renderers,
        stats.renderers,
        plans.renderers,
        vote.renderers,
        funds.renderers,
        campaign.renderers,
        whistle_notices.renderers,
        council_notices.renderers,
    )
