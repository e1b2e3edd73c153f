"""The ticket lifecycle of design.md, written out by hand (not from the code): for every
action, the states it may start from, where it leads ("=" stays) and who may ask for it."""

from __future__ import annotations

from services.ticket_rules import Action
from storage.models import TicketState

S = TicketState
OPEN = "new acknowledged in_progress waiting_resident"
HANDLER = "staff manager community street admin"
SPEC: dict[Action, tuple[str, str, str]] = {
    # action: (from states, to state or "=", roles)
    Action.acknowledge: ("new", "acknowledged", HANDLER),
    Action.take: ("new acknowledged in_progress", "in_progress", HANDLER),
    Action.ask: ("new acknowledged in_progress", "waiting_resident", HANDLER),
    Action.message: ("acknowledged in_progress waiting_resident resolved", "=", HANDLER),
    Action.resolve: (OPEN, "resolved", HANDLER),
    Action.reject: (OPEN, "rejected", HANDLER),
    Action.reroute: (OPEN, "new", "staff manager"),
    Action.answer: ("waiting_resident", "in_progress", "reporter"),
    Action.add_info: ("new acknowledged in_progress resolved", "=", "reporter"),
    Action.confirm: ("resolved", "closed", "reporter"),
    Action.reopen: ("resolved", "in_progress", "reporter"),
    Action.rate: ("closed", "=", "reporter"),
    Action.comment: ("closed", "=", "reporter"),
    Action.remind: (OPEN, "=", "system"),
    Action.mark_overdue: (OPEN, "=", "system"),
    Action.escalate: (OPEN + " closed", "=", "system community street admin"),
    Action.auto_close: ("resolved", "closed", "system"),
}
# the one exception to "=": a message to the reporter is the first response of a new ticket
SPECIAL = {(S.new, Action.message): S.acknowledged}


def expected(state: TicketState, action: Action) -> TicketState | None:
    if (state, action) in SPECIAL:
        return SPECIAL[(state, action)]
    starts, to, _ = SPEC[action]
    if state.value not in starts.split():
        return None
    return state if to == "=" else TicketState(to)
