"""议事: councils (庭院议事会, 百姓议事厅, 物业联席会), the agenda items residents propose,
and the decisions taken on them (each a small aggregate with a deadline the responsible
party owes). The lifecycles live in services/council_spec.py and decision_spec.py."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from storage.models._base import enum_field, json_field, ts_field


class CouncilKind(StrEnum):
    courtyard = "courtyard"  # 庭院议事会
    hall = "hall"  # 百姓议事厅
    property = "property"  # 物业联席会


class CouncilState(StrEnum):
    scheduled = "scheduled"
    agenda_posted = "agenda_posted"
    minutes_posted = "minutes_posted"
    cancelled = "cancelled"


class ItemState(StrEnum):
    proposed = "proposed"
    accepted = "accepted"
    merged = "merged"
    declined = "declined"


class DecisionState(StrEnum):
    open = "open"
    done = "done"


class Council(SQLModel, table=True):
    __tablename__ = "council"

    id: int | None = Field(default=None, primary_key=True)
    kind: CouncilKind = enum_field(CouncilKind)
    state: CouncilState = enum_field(CouncilState, default=CouncilState.scheduled, index=True)
    org_id: int = Field(foreign_key="org_node.id", index=True)  # a compound or a community
    organiser_id: int = Field(foreign_key="account.id")
    title: str = Field(max_length=200)
    place: str = Field(max_length=200)
    meet_at: datetime = ts_field(nullable=False, index=True)
    # who is invited: "residents", "property", and department org ids
    invite_residents: bool = True
    invite_property: bool = False
    invite_departments: list[int] = json_field(list)
    agenda_days: int = 3
    created_at: datetime = ts_field(nullable=False)
    agenda_posted_at: datetime | None = ts_field()
    minutes: str | None = Field(default=None, max_length=4000)
    minutes_posted_at: datetime | None = ts_field()


class CouncilItem(SQLModel, table=True):
    """An agenda item a resident (or the organiser) proposed."""

    __tablename__ = "council_item"

    id: int | None = Field(default=None, primary_key=True)
    council_id: int = Field(foreign_key="council.id", index=True)
    proposer_id: int | None = Field(default=None, foreign_key="account.id")
    text: str = Field(max_length=1000)
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id")
    state: ItemState = enum_field(ItemState, default=ItemState.proposed)
    merged_into: int | None = Field(default=None, foreign_key="council_item.id")
    created_at: datetime = ts_field(nullable=False)


class CouncilDecision(SQLModel, table=True):
    """A decision on an agenda item: who does what by when, linked to a ticket, a
    rectification item or an owners' matter."""

    __tablename__ = "council_decision"

    id: int | None = Field(default=None, primary_key=True)
    council_id: int = Field(foreign_key="council.id", index=True)
    item_id: int = Field(foreign_key="council_item.id", index=True)
    text: str = Field(max_length=1000)
    state: DecisionState = enum_field(DecisionState, default=DecisionState.open)
    responsible_org_id: int | None = Field(default=None, foreign_key="org_node.id")
    responsible_account_id: int | None = Field(default=None, foreign_key="account.id")
    deadline: date
    link_kind: str | None = Field(default=None, max_length=16)  # ticket | rx_item | matter
    link_id: int | None = None
    created_at: datetime = ts_field(nullable=False)
    done_at: datetime | None = ts_field()
