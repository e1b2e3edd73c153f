"""Owners decide and pay: matters (共议) and their ballots (Art. 278), maintenance-fund
applications (维修资金) and the district emergency fund, 六个一点 cost-sharing campaigns.

Their lifecycles are governance aggregates (services/aggregate.py); their history is the
append-only ``aggregate_event``. Money is integer fen; areas come from the unit register.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models._base import enum_field, json_field, ts_field


class MatterState(StrEnum):
    notice = "notice"  # announced; voting opens at vote_from
    voting = "voting"
    closed = "closed"  # tallied; the result is to be published within the configured days
    published = "published"
    recorded = "recorded"  # the official e-voting system's result is recorded


class Matter(SQLModel, table=True):
    """共议: a matter the owners of one compound decide."""

    __tablename__ = "matter"

    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="org_node.id", index=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    kind: str = Field(max_length=16)  # services.tally.Kind
    state: MatterState = enum_field(MatterState, default=MatterState.notice)
    notice_at: datetime = ts_field(nullable=False)
    vote_from: datetime = ts_field(nullable=False)
    vote_until: datetime = ts_field(nullable=False)
    opened_by_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = ts_field(nullable=False)
    result: dict[str, Any] = json_field(dict)  # the final tally (Tally.as_json) once closed
    official_passed: bool | None = None  # the city e-voting system's result, once recorded


class Ballot(SQLModel, table=True):
    """One unit's current choice on a matter (a changed vote replaces it)."""

    __tablename__ = "ballot"
    __table_args__ = (UniqueConstraint("matter_id", "unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    matter_id: int = Field(foreign_key="matter.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    account_id: int = Field(foreign_key="account.id")
    choice: str = Field(max_length=8)  # services.tally.Choice
    at: datetime = ts_field(nullable=False)


class FundState(StrEnum):
    draft = "draft"
    notice = "notice"
    deciding = "deciding"
    approved = "approved"
    works = "works"
    accepted = "accepted"
    settled = "settled"
    refused = "refused"


class FundApplication(SQLModel, table=True):
    """维修资金: an application to use the maintenance fund (or the district emergency fund)."""

    __tablename__ = "fund_application"

    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="org_node.id", index=True)
    works: str = Field(max_length=300)
    amount_fen: int
    actual_fen: int | None = None
    emergency: bool = False  # roof leak, exterior insulation, elevator: the shorter path
    district_fund: bool = False  # paid from the district emergency fund (no fund of its own)
    state: FundState = enum_field(FundState, default=FundState.draft)
    matter_id: int | None = Field(default=None, foreign_key="matter.id")
    quotes: list[str] = json_field(list)  # channel file ids of quotes (photos or files)
    created_by_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = ts_field(nullable=False)
    notice_at: datetime | None = ts_field()
    approved_at: datetime | None = ts_field()
    settled_at: datetime | None = ts_field()


class EmergencyFund(SQLModel, table=True):
    """A district's emergency repair fund: its balance (set by the district admin)."""

    __tablename__ = "emergency_fund"

    id: int | None = Field(default=None, primary_key=True)
    district_id: int = Field(foreign_key="org_node.id", unique=True)
    balance_fen: int = 0
    updated_at: datetime | None = ts_field()


class CampaignState(StrEnum):
    open = "open"
    works = "works"
    closed = "closed"


class Campaign(SQLModel, table=True):
    """六个一点: a shared improvement paid from six sources."""

    __tablename__ = "campaign"

    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="org_node.id", index=True)
    purpose: str = Field(max_length=300)
    target_fen: int
    quantity: str = Field(default="", max_length=40)  # e.g. "1798 m²"
    end_date: date
    state: CampaignState = enum_field(CampaignState, default=CampaignState.open)
    created_by_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = ts_field(nullable=False)
    final_cost_fen: int | None = None


class CampaignEntry(SQLModel, table=True):
    """A pledge or a receipt of one source (政府补 / 街道奖 / 单位帮 / 物业搭 / 业主捐 / 社区筹)."""

    __tablename__ = "campaign_entry"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    kind: str = Field(max_length=8)  # pledge | receipt
    source: str = Field(max_length=16)
    amount_fen: int
    giver: str = Field(default="", max_length=100)
    public: bool = False  # the giver agreed to be named in the ledger
    account_id: int | None = Field(default=None, foreign_key="account.id")
    at: datetime = ts_field(nullable=False)
