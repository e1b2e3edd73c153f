"""Org tree: district → street → community → compound → building → unit, plus
property companies and departments."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models._base import enum_field


class OrgKind(StrEnum):
    district = "district"
    street = "street"
    community = "community"
    compound = "compound"
    company = "company"
    department = "department"


class OrgNode(SQLModel, table=True):
    __tablename__ = "org_node"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True, index=True)
    kind: OrgKind = enum_field(OrgKind, index=True)
    name: str = Field(max_length=200)
    parent_id: int | None = Field(default=None, foreign_key="org_node.id", index=True)
    # compound: the property company serving it (None = 老旧小区, served by the community)
    company_id: int | None = Field(default=None, foreign_key="org_node.id", index=True)
    # district: prefix of ticket numbers, e.g. "PG"
    ticket_prefix: str | None = Field(default=None, max_length=8)
    timezone: str | None = Field(default=None, max_length=64)
    address: str | None = Field(default=None, max_length=300)
    latitude: float | None = None
    longitude: float | None = None
    # company/community: a staff group (forum supergroup) for ticket topics
    staff_chat_id: str | None = Field(default=None, max_length=64)


class Building(SQLModel, table=True):
    __tablename__ = "building"
    __table_args__ = (UniqueConstraint("compound_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="org_node.id", index=True)
    code: str = Field(max_length=32)
    name: str = Field(max_length=100)


class Unit(SQLModel, table=True):
    """房屋: a unit with its exclusive area, used for votes and cost sharing."""

    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("compound_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="org_node.id", index=True)
    building_id: int = Field(foreign_key="building.id", index=True)
    code: str = Field(max_length=32)  # e.g. "3-2-501": building-entrance-room
    area_m2: float = 0.0
    # the owner's id or name from the org file: the same value on several units is one owner
    owner_name: str | None = Field(default=None, max_length=100)
    developer: bool = False  # a unit the developer still holds (counts as one owner in votes)
