"""The org file's items as pydantic models (``extra="forbid"``); the format is described in
services/org_import.py. Each item is checked on its own (children are plain lists here and
are checked by services/org_parse.py, which also checks codes across the file), so one bad
unit does not hide the problems of the others."""

from __future__ import annotations

import re
import zoneinfo
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from services.validation import TAG_PREFIX, IntToStr, NoneToList, fail, matches, text

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
SUB_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
PREFIX_RE = re.compile(r"^[A-Za-z0-9]{1,8}$")
SUB_CODE_MAX = 32

Code = Annotated[str, IntToStr, matches(CODE_RE, "validation-code", max=40)]
SubCode = Annotated[str, IntToStr, matches(SUB_CODE_RE, "validation-code", max=SUB_CODE_MAX)]
Prefix = Annotated[str, matches(PREFIX_RE, "validation-ticket-prefix")]
Name = Annotated[str, IntToStr, text(200)]
Text100 = Annotated[str, IntToStr, text(100)]
Text64 = Annotated[str, IntToStr, text(64)]
Text300 = Annotated[str, IntToStr, text(300)]
Area = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=1, le=99)]
Children = Annotated[list[Any], NoneToList]  # checked item by item by org_parse
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]


def _zone(v: str) -> str:
    if v not in zoneinfo.available_timezones():
        raise fail("validation-timezone", value=v[:40])
    return v


def _area_kind(v: Any) -> str:
    return f"{TAG_PREFIX}list" if isinstance(v, list) else f"{TAG_PREFIX}one"


Zone = Annotated[str, AfterValidator(_zone)]
# one area for every unit, or one per position on a floor (the tags never show in paths)
AreaSpec = Annotated[
    Annotated[Area, Tag(f"{TAG_PREFIX}one")] | Annotated[list[Area], Tag(f"{TAG_PREFIX}list")],
    Discriminator(_area_kind),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class DistrictIn(Strict):
    code: Code
    name: Name
    ticket_prefix: Prefix | None = None
    timezone: Zone | None = None

    @field_validator("ticket_prefix", "timezone")
    @classmethod
    def _not_null(cls, v: str | None) -> str:
        if v is None:  # written but empty: these cannot be cleared
            raise fail("validation-missing")
        return v


class CompanyIn(Strict):
    code: Code
    name: Name
    staff_chat_id: Text64 | None = None


class DepartmentIn(Strict):
    code: Code
    name: Name


class TopDepartmentIn(DepartmentIn):
    parent: Code | None = None  # a street or the district (default: the district)


class StreetIn(Strict):
    code: Code
    name: Name
    departments: Children = []
    communities: Children = []


class CommunityIn(Strict):
    code: Code
    name: Name
    staff_chat_id: Text64 | None = None
    compounds: Children = []


class CompoundIn(Strict):
    code: Code
    name: Name
    company: Code | None = None  # none: 老旧小区, served by the community
    address: Text300 | None = None
    location: tuple[Latitude, Longitude] | None = None
    buildings: Children = []

    @field_validator("location", mode="before")
    @classmethod
    def _list_is_pair(cls, v: Any) -> Any:
        return tuple(v) if isinstance(v, list) else v  # YAML gives lists; strict wants a tuple


class UnitIn(Strict):
    code: SubCode
    area: Area | None = None
    owner: Text100 | None = None  # an owner's id or name: the same value on several units = one owner
    developer: bool = False  # a unit the developer still holds


class BuildingIn(Strict):
    code: SubCode
    name: Text100 | None = None  # default "<code>号楼"
    units: Children = []
    area: AreaSpec | None = None
    entrances: Count | None = None
    floors: Count | None = None
    per_floor: Count | None = None

    @model_validator(mode="after")
    def _generator(self) -> BuildingIn:
        gen = (self.entrances, self.floors, self.per_floor)
        if any(x is not None for x in gen) and (any(x is None for x in gen) or self.area is None):
            raise fail("validation-generator-incomplete")
        if self.per_floor is not None and isinstance(self.area, list) and len(self.area) != self.per_floor:
            raise fail("validation-generator-areas", expected=self.per_floor, got=len(self.area))
        return self

    @property
    def generated(self) -> dict[str, float]:
        """Units "<building>-<entrance>-<floor><nn>" → area, for a compact building."""
        if self.entrances is None or self.floors is None or self.per_floor is None or self.area is None:
            return {}
        areas = self.area if isinstance(self.area, list) else [self.area] * self.per_floor
        return {
            f"{self.code}-{e}-{f}{i + 1:02d}": a
            for e in range(1, self.entrances + 1)
            for f in range(1, self.floors + 1)
            for i, a in enumerate(areas)
        }


class OrgFileIn(Strict):
    district: Any
    companies: Children = []
    streets: Children = []
    departments: Children = []
    demo_people: Any = None  # read by the sandbox, not by the importer
