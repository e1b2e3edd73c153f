"""The ticket state machine against the hand-written lifecycle of design.md
(tests/unit/lifecycle_spec.py): every (state, action, role) is compared with ``ticket_rules``."""

from __future__ import annotations

import itertools

from services.ticket_policy import POLICY
from services.ticket_rules import (
    ACTION_ROLES,
    EVENT_OF,
    TRANSITIONS,
    Action,
    EventKind,
    TicketRole,
    allowed_actions,
    next_state,
)
from storage.models import TicketState
from tests.unit.lifecycle_spec import SPEC, expected

S, R = TicketState, TicketRole


def test_the_spec_names_every_action() -> None:
    assert set(SPEC) == set(Action)


def test_transition_table_matches_the_lifecycle() -> None:
    wrong = {
        (s.value, a.value): (next_state(s, a), expected(s, a))
        for s, a in itertools.product(TicketState, Action)
        if next_state(s, a) != expected(s, a)
    }
    assert wrong == {}


def test_every_state_action_role() -> None:
    wrong = []
    for state, action, role in itertools.product(TicketState, Action, TicketRole):
        may = expected(state, action) is not None and role.value in SPEC[action][2].split()
        if (action in allowed_actions(state, role)) is not may:
            wrong.append((state.value, action.value, role.value, may))
    assert wrong == []


def test_terminal_states_offer_nothing_but_rating_and_rules() -> None:
    assert allowed_actions(S.rejected, R.staff) == ()
    assert allowed_actions(S.closed, R.staff) == ()
    assert set(allowed_actions(S.closed, R.reporter)) == {Action.rate, Action.comment}
    assert set(allowed_actions(S.closed, R.system)) == {Action.escalate}


def test_staff_buttons_follow_the_state() -> None:
    assert set(allowed_actions(S.new, R.staff)) >= {Action.acknowledge, Action.take, Action.resolve}
    assert Action.acknowledge not in allowed_actions(S.acknowledged, R.staff)
    assert Action.ask not in allowed_actions(S.waiting_resident, R.staff)
    assert Action.reroute not in allowed_actions(S.new, R.community)  # it is theirs already


def test_every_action_records_an_event_with_a_policy_row() -> None:
    assert set(EVENT_OF) == set(Action)
    assert set(POLICY) == set(EventKind)
    assert set(ACTION_ROLES) == set(Action)
    assert all(s in TicketState and a in Action for s, a in TRANSITIONS)


def test_the_clock_columns_of_the_policy() -> None:
    responds = {k for k, p in POLICY.items() if p.responds}
    assert responds == {
        EventKind.acknowledged,
        EventKind.assigned,
        EventKind.asked,
        EventKind.staff_message,
        EventKind.resolved,
        EventKind.rejected,
    }
    assert {k for k, p in POLICY.items() if p.pauses} == {EventKind.asked}
    assert POLICY[EventKind.rerouted].restarts and POLICY[EventKind.reopened].restarts_resolution
    assert POLICY[EventKind.escalated].starts_level
