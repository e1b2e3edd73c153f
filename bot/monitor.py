"""/healthz and /metrics (Prometheus text, prometheus-client) for one running bot.

Served on the webhook server, or on GONGZHI_METRICS_PORT in polling mode. /healthz answers
200 when the database answers and the tick loop ran (or found another process holding the
tick) within three tick periods, else 503 with the reason. /metrics: updates handled by kind,
handler errors, handling latency, 429 answers received, and at scrape time the outbox backlog,
the age of its oldest pending notification and the open tickets by state.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC
from typing import Any

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from storage.queries import ops
from storage.uow import UowFactory

log = logging.getLogger(__name__)
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Monitor:
    """The counters of one process (its own registry: several bots in one test process do
    not mix) and the two HTTP endpoints."""

    def __init__(self, uow_factory: UowFactory, tick_seconds: float, *, ticking: bool = True) -> None:
        self.uow_factory, self.tick_seconds, self.ticking = uow_factory, tick_seconds, ticking
        self.started = time.monotonic()
        self.last_tick: float | None = None  # monotonic time the tick loop last ran
        self.stopping = False  # SIGTERM received: /healthz says so (503), a balancer stops sending
        r = self.registry = CollectorRegistry()
        self.updates = Counter("gongzhi_updates_total", "Updates handled, by kind", ["kind"], registry=r)
        self.errors = Counter(
            "gongzhi_handler_errors_total", "Updates whose handler failed (a bug)", registry=r
        )
        self.latency = Histogram(
            "gongzhi_update_seconds", "Handling an update, replies included", buckets=BUCKETS, registry=r
        )
        self.retry_after = Counter(
            "gongzhi_telegram_429_total", "429 answers received from the Bot API", registry=r
        )
        self.backlog = Gauge("gongzhi_outbox_pending", "Notifications waiting in the outbox", registry=r)
        self.oldest = Gauge(
            "gongzhi_outbox_oldest_pending_seconds", "Age of the oldest pending notification", registry=r
        )
        self.leader = Gauge("gongzhi_tick_leader", "1 when this process runs the scheduler tick", registry=r)
        self.open_tickets = Gauge("gongzhi_open_tickets", "Open tickets by state", ["state"], registry=r)

    # -- what the runtime reports --------------------------------------------------------------
    def ticked(self) -> None:
        self.last_tick = time.monotonic()

    def on_hold(self, seconds: float) -> None:
        """The flood limiter was told to pause: a 429 was received."""
        self.retry_after.inc()

    # -- endpoints -----------------------------------------------------------------------------
    async def health(self) -> tuple[bool, str]:
        if self.stopping:
            return False, "stopping"
        try:
            async with self.uow_factory() as uow:
                await ops.ping(uow)
        except Exception as e:  # any failure to answer is "unhealthy", said in the body
            return False, f"database: {type(e).__name__}"
        if self.ticking:
            since = time.monotonic() - (self.last_tick if self.last_tick is not None else self.started)
            if since > 3 * self.tick_seconds:
                return False, f"tick: last ran {since:.0f} s ago"
        return True, "ok"

    async def _healthz(self, request: web.Request) -> web.Response:
        ok, reason = await self.health()
        return web.Response(status=200 if ok else 503, text=reason)

    async def refresh(self) -> None:
        async with self.uow_factory() as uow:
            pending, oldest = await ops.outbox_backlog(uow)
            by_state = await ops.open_tickets_by_state(uow)
            now = uow.clock.now()
        self.backlog.set(pending)
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        self.oldest.set(max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
        self.open_tickets.clear()
        for state, n in by_state.items():
            self.open_tickets.labels(state=state).set(n)

    async def _metrics(self, request: web.Request) -> web.Response:
        try:
            await self.refresh()
        except Exception:
            log.exception("metrics: the database read-outs failed")
        resp = web.Response(body=generate_latest(self.registry))
        resp.content_type = CONTENT_TYPE_LATEST.split(";")[0]
        return resp

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)

    async def serve(self, host: str, port: int) -> web.AppRunner:
        """Its own small server (polling mode)."""
        app = web.Application()
        self.add_routes(app)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except BaseException:
            await runner.cleanup()
            raise
        return runner


def update_kind(inc: Any) -> str:
    """command / button / photo / location / text, for the updates counter."""
    if inc.callback_data is not None:
        return "button"
    if inc.command is not None:
        return "command"
    if inc.photos:
        return "photo"
    if inc.location is not None:
        return "location"
    return "text"
