"""Personal-data retention (PIPL; domain-rules.md): the personal fields of tickets closed
longer than ``DomainConfig.retention`` ago (default 3 years, ``GONGZHI_RETENTION_DAYS``)
are erased; what statistics need stays.

Erased: the reporter link (the ticket's reporter, the outbox rows and message links that
tie the reporter's chat to the ticket), the hotline caller's phone, the unit, the location, photos (file
ids), the rating comment, phone numbers written into the description or the resolution note,
and the texts and photos of relayed messages, questions and comments (in ticket events, whose
rows only allow such an erasure, and in outbox payloads). Kept: number, compound, category,
priority, source, queue, states, every timestamp and due time, rating, reject reason,
escalation level, reopen count, the events' kinds, times and actors — so every rate and count
is the same afterwards.

Run by ``gongzhi privacy purge [--dry-run]`` and by the scheduled jobs (bot/background.py);
each purge that erased something writes one audit_log row (``privacy_purge``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from services.export import mask_phone
from storage.models import Ticket
from storage.uow import UnitOfWork

AUDIT_ACTION = "privacy_purge"
# keys of event data and outbox payloads that hold what a person wrote or sent
PERSONAL_KEYS = frozenset({"text", "photos", "comment", "phone", "caller_phone", "reporter", "name"})
BATCH = 500
# 7+ digits, possibly split by spaces or dashes: phone numbers written into free text
_PHONE = re.compile(r"(?<!\d)(?:\+?\d[\d\- ]{5,}\d)(?!\d)")


@dataclass
class PurgeReport:
    cutoff: datetime
    numbers: list[str] = field(default_factory=list)  # tickets erased (or that would be)
    events: int = 0
    notifications: int = 0


def scrub_phones(text: str | None) -> str | None:
    """Phone-like digit runs in free text, masked (at least half of the digits hidden)."""
    if not text:
        return text

    def repl(m: re.Match[str]) -> str:
        digits = sum(ch.isdigit() for ch in m.group())
        return m.group() if digits < 7 else mask_phone(m.group()) or ""

    return _PHONE.sub(repl, text)


async def _erase(uow: UnitOfWork, t: Ticket, now: datetime, report: PurgeReport) -> None:
    assert t.id is not None
    reporter = t.reporter_id
    t.reporter_id, t.caller_phone, t.unit_id = None, None, None
    t.latitude, t.longitude, t.photos = None, None, []
    t.rating_comment = None
    t.description = scrub_phones(t.description) or ""
    t.resolution_note = scrub_phones(t.resolution_note)
    t.erased_at = now
    for ev in await uow.tickets.events(t.id):
        if ev.id is not None and PERSONAL_KEYS & set(ev.data or {}):
            await uow.tickets.erase_event_data(
                ev.id, {k: v for k, v in ev.data.items() if k not in PERSONAL_KEYS}
            )
            report.events += 1
    for n in await uow.outbox.of_ticket(t.id):
        to_reporter = reporter is not None and n.account_id == reporter
        if PERSONAL_KEYS & set(n.payload or {}) or to_reporter:
            n.payload = {k: v for k, v in n.payload.items() if k not in PERSONAL_KEYS}
            report.notifications += 1
        if to_reporter:  # whom the ticket's news went to is the reporter link too
            n.account_id, n.chat_id = None, ""
    if reporter is not None:
        await uow.outbox.forget_links(t.id, reporter)


async def purge(
    uow: UnitOfWork, *, dry_run: bool = False, actor_id: int | None = None, limit: int = BATCH
) -> PurgeReport:
    """Erase (or with `dry_run` only list) up to `limit` tickets past retention; the caller
    commits. A ticket is erased once (``ticket.erased_at``)."""
    now = uow.clock.now()
    report = PurgeReport(cutoff=now - uow.config.retention)
    for t in await uow.tickets.erasable(report.cutoff, limit):
        report.numbers.append(t.number)
        if not dry_run:
            await _erase(uow, t, now, report)
    if report.numbers and not dry_run:
        await uow.flush()
        await uow.audit.add(
            at=now,
            actor_id=actor_id,
            action=AUDIT_ACTION,
            params={
                "cutoff": report.cutoff.isoformat(),
                "tickets": report.numbers,
                "events": report.events,
                "notifications": report.notifications,
            },
        )
    return report


async def run_scheduled(uow: UnitOfWork) -> int:
    """The scheduled job: erase what is due; the number of tickets erased."""
    return len((await purge(uow)).numbers)
