"""Refusals of privileged actions leave an audit row (issue 10, access).

A refused update is rolled back whole, so the row is written by the dispatcher in its own
transaction (handlers/dispatch.py `_refuse`). The action is ``refused:<code>``; the params name
where it came from (command or button kind, chat type), never the text a person wrote.
Refused invite codes also count towards the invite brute-force limit.
"""

from __future__ import annotations

from datetime import datetime

from services.errors import DomainError
from storage.uow import UnitOfWork

# codes that mean "you may not", as opposed to "you typed it wrong"
AUDITED = frozenset(
    {
        "not_allowed",
        "not_staff",
        "stats_not_allowed",
        "rx_not_allowed",
        "digest_not_available",
        "unknown_button",  # forged (a real client sends only what the bot made)
        "stale_button",
        "ticket_not_found",  # a forged ticket id
        "invalid_state",  # a stale button: the ticket moved on
        "private_only",
        "role_scope",
        "not_a_resident",
        "export_not_admin",
        "export_needs_admin",
        "invite_invalid",
        "invite_used",
        "invite_expired",
        "invite_throttled",
    }
)
INVITE_FAILURES = ("refused:invite_invalid", "refused:invite_used", "refused:invite_expired")


def action_of(code: str) -> str:
    return f"refused:{code}"


def audited(err: DomainError, *, button: bool) -> bool:
    """Every refused button press (a real client only presses what the bot made for that
    person: a refusal means a forged, stale or foreign button) and every refusal meaning
    "you may not"."""
    return button or err.code in AUDITED or err.code.endswith("_not_allowed")


async def record(
    uow: UnitOfWork, actor_id: int | None, err: DomainError, where: dict[str, str], *, button: bool = False
) -> bool:
    """An audit row for a refused privileged action; False when `err` is not one."""
    if not audited(err, button=button):
        return False
    await uow.audit.add(at=uow.clock.now(), actor_id=actor_id, action=action_of(err.code), params=where)
    return True


async def check_invite_attempts(uow: UnitOfWork, account_id: int, now: datetime) -> None:
    """Refuse one more try after `invite_attempts` refused codes within the window."""
    cfg = uow.config
    since = now - cfg.invite_attempt_window
    if (
        await uow.audit.count(actor_id=account_id, actions=INVITE_FAILURES, since=since)
        >= cfg.invite_attempts
    ):
        minutes = max(1, int(cfg.invite_attempt_window.total_seconds() // 60))
        raise DomainError("invite_throttled", minutes=minutes)
