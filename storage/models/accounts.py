"""People, their channel identities, roles, invites and residencies."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models._base import enum_field, ts_field


class Role(StrEnum):
    resident = "resident"
    staff = "staff"
    manager = "manager"
    community = "community"
    street = "street"
    department = "department"
    committee = "committee"
    admin = "admin"


class Account(SQLModel, table=True):
    __tablename__ = "account"

    id: int | None = Field(default=None, primary_key=True)
    display_name: str = Field(max_length=200)
    locale: str | None = Field(default=None, max_length=16)  # chosen with /lang
    # the language the person's client reported at first contact (locales.choose_locale)
    client_language: str | None = Field(default=None, max_length=16)
    phone: str | None = Field(default=None, max_length=32)
    created_at: datetime = ts_field(nullable=False)


class ChannelIdentity(SQLModel, table=True):
    __tablename__ = "channel_identity"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    channel: str = Field(max_length=16)
    external_id: str = Field(max_length=64)
    # where the bot can write to this person privately
    chat_id: str = Field(max_length=64)


class RoleGrant(SQLModel, table=True):
    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("account_id", "role", "org_id"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    role: Role = enum_field(Role, index=True)
    org_id: int = Field(foreign_key="org_node.id", index=True)


class Residency(SQLModel, table=True):
    """A resident's link to a compound and, once named, a unit."""

    __tablename__ = "residency"
    __table_args__ = (UniqueConstraint("account_id", "compound_id"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    compound_id: int = Field(foreign_key="org_node.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    unit_confirmed: bool = False
    created_at: datetime = ts_field(nullable=False)


class Invite(SQLModel, table=True):
    __tablename__ = "invite"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    role: Role = enum_field(Role)
    org_id: int = Field(foreign_key="org_node.id")
    created_at: datetime = ts_field(nullable=False)
    expires_at: datetime = ts_field(nullable=False)
    used_by: int | None = Field(default=None, foreign_key="account.id")
    used_at: datetime | None = ts_field()
