"""Validation of an org document (format: services/org_import.py) into flat specs.

Each item is checked by its model (services/org_model.py); this walk adds what a single item
cannot know: codes unique across the file, parents and companies that exist, buildings and
units unique within a compound, units that need an area. Every problem is collected with its
path (``streets[1].communities[0].compounds[2].code``); any problem rejects the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from services.org_model import (
    SUB_CODE_MAX,
    BuildingIn,
    CommunityIn,
    CompanyIn,
    CompoundIn,
    DepartmentIn,
    DistrictIn,
    OrgFileIn,
    StreetIn,
    TopDepartmentIn,
    UnitIn,
)
from services.validation import FileInvalid, Loc, Problem, format_loc, from_pydantic
from storage.models import OrgKind

K = OrgKind
ORDER = (K.district, K.company, K.street, K.department, K.community, K.compound)
KINDS = tuple(k.value for k in ORDER) + ("building", "unit")
M = TypeVar("M", bound=BaseModel)
# optional attributes, written only when the file has the key (null clears)
OPTIONAL = ("staff_chat_id", "address", "ticket_prefix", "timezone")


@dataclass
class Node:
    kind: OrgKind
    code: str
    loc: Loc
    values: dict[str, Any]
    parent: str | None = None
    parent_kinds: tuple[OrgKind, ...] = ()  # checked when not implied by the file's nesting
    company: str | None = None


@dataclass
class OrgSpec:
    nodes: dict[str, Node] = field(default_factory=dict)
    buildings: dict[tuple[str, str], str] = field(default_factory=dict)  # (compound, code) -> name
    units: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (compound, code) -> values


def invalid(problems: list[Problem]) -> FileInvalid:
    return FileInvalid("org_file_invalid", problems)


def parse_org(doc: Any) -> OrgSpec:
    """The validated specs of ``doc``; FileInvalid with every problem otherwise."""
    w = _Walk()
    w.file(doc)
    if w.problems:
        raise invalid(w.problems)
    return w.spec


def _items(raw: Any, key: str, loc: Loc) -> list[tuple[Loc, Any]]:
    """The children of a raw item, whatever state it is in (its model reports a bad list)."""
    v = raw.get(key) if isinstance(raw, dict) else None
    return [(loc + (key, i), x) for i, x in enumerate(v)] if isinstance(v, list) else []


class _Walk:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.spec = OrgSpec()
        self.broken: set[str] = set()  # codes of items with problems: not reported again as unknown

    def check(self, model: type[M], raw: Any, loc: Loc) -> M | None:
        try:
            return model.model_validate(raw)
        except ValidationError as err:
            self.problems += from_pydantic(err, loc)
            if isinstance(raw, dict) and isinstance(raw.get("code"), (str, int)):
                self.broken.add(str(raw["code"]))
            return None

    def add(
        self, kind: OrgKind, item: Any, loc: Loc, parent: str | None, parent_kinds: tuple[OrgKind, ...] = ()
    ) -> None:
        code = item.code
        if (other := self.spec.nodes.get(code)) is not None:
            self.problems.append(
                Problem(
                    loc + ("code",), "validation-duplicate-code", {"code": code, "other": _path(other.loc)}
                )
            )
            return
        values: dict[str, Any] = {"name": item.name}
        values |= {k: getattr(item, k) for k in OPTIONAL if k in item.model_fields_set}
        if "location" in item.model_fields_set:
            lat, lon = item.location or (None, None)
            values |= {"latitude": lat, "longitude": lon}
        self.spec.nodes[code] = Node(
            kind, code, loc, values, parent, parent_kinds, getattr(item, "company", None)
        )

    def file(self, doc: Any) -> None:
        top = self.check(OrgFileIn, doc, ())
        if top is None:
            return
        d = self.check(DistrictIn, top.district, ("district",))
        dist = d.code if d else None
        if d:
            self.add(K.district, d, ("district",), None)
        for loc, raw in _items(doc, "companies", ()):
            if c := self.check(CompanyIn, raw, loc):
                self.add(K.company, c, loc, None)
        for sloc, raw in _items(doc, "streets", ()):
            s = self.check(StreetIn, raw, sloc)
            if s:
                self.add(K.street, s, sloc, dist)
            for loc, x in _items(raw, "departments", sloc):
                if (dep := self.check(DepartmentIn, x, loc)) and s:
                    self.add(K.department, dep, loc, s.code)
            for cloc, x in _items(raw, "communities", sloc):
                self.community(x, cloc, s.code if s else None)
        for loc, raw in _items(doc, "departments", ()):
            if dep2 := self.check(TopDepartmentIn, raw, loc):
                self.add(K.department, dep2, loc, dep2.parent or dist, (K.street, K.district))
        self.references()

    def community(self, raw: Any, loc: Loc, street: str | None) -> None:
        cm = self.check(CommunityIn, raw, loc)
        if cm and street:
            self.add(K.community, cm, loc, street)
        for xloc, x in _items(raw, "compounds", loc):
            cp = self.check(CompoundIn, x, xloc)
            if cp and cm and street:
                self.add(K.compound, cp, xloc, cm.code)
            self.buildings(x, xloc, cp.code if cp else None)

    def buildings(self, raw: Any, loc: Loc, compound: str | None) -> None:
        seen_b: dict[str, Loc] = {}
        seen_u: dict[str, Loc] = {}
        for bloc, x in _items(raw, "buildings", loc):
            b = self.check(BuildingIn, x, bloc)
            units = [(uloc, self.check(UnitIn, u, uloc)) for uloc, u in _items(x, "units", bloc)]
            if b is None or compound is None:
                continue
            if b.code in seen_b:
                self.problems.append(
                    Problem(
                        bloc + ("code",),
                        "validation-duplicate-building",
                        {"code": b.code, "other": _path(seen_b[b.code])},
                    )
                )
                continue
            seen_b[b.code] = bloc
            self.spec.buildings[(compound, b.code)] = b.name or f"{b.code}号楼"
            for uc, vals in self.units(b, bloc, units).items():
                uloc = vals.pop("loc")
                if uc in seen_u:
                    self.problems.append(
                        Problem(
                            uloc + ("code",),
                            "validation-duplicate-unit",
                            {"code": uc, "other": _path(seen_u[uc])},
                        )
                    )
                    continue
                seen_u[uc] = uloc
                self.spec.units[(compound, uc)] = {**vals, "building": b.code}

    def units(
        self, b: BuildingIn, loc: Loc, units: list[tuple[Loc, UnitIn | None]]
    ) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        too_long = [uc for uc in b.generated if len(uc) > SUB_CODE_MAX]
        if too_long:  # one problem per building, naming the longest code
            self.problems.append(
                Problem(
                    loc,
                    "validation-generated-code-too-long",
                    {"code": max(too_long, key=len), "max": SUB_CODE_MAX},
                )
            )
        for uc, area in b.generated.items():
            if len(uc) <= SUB_CODE_MAX:
                out[uc] = {"area_m2": area, "loc": loc}  # a generated unit: where its building is
        explicit: dict[str, Loc] = {}
        for uloc, u in units:
            if u is None:
                continue
            if u.code in explicit:
                self.problems.append(
                    Problem(
                        uloc + ("code",),
                        "validation-duplicate-unit",
                        {"code": u.code, "other": _path(explicit[u.code])},
                    )
                )
                continue
            explicit[u.code] = uloc
            vals = out.setdefault(u.code, {})
            vals["loc"] = uloc
            if u.area is not None:
                vals["area_m2"] = u.area
            elif "area_m2" not in vals:
                if isinstance(b.area, float):
                    vals["area_m2"] = b.area
                else:
                    self.problems.append(Problem(uloc + ("area",), "validation-missing"))
            if "owner" in u.model_fields_set:
                vals["owner_name"] = u.owner
            if "developer" in u.model_fields_set:
                vals["developer"] = u.developer
        return out

    def references(self) -> None:
        nodes = self.spec.nodes
        for n in nodes.values():
            par = nodes.get(n.parent or "")
            if n.parent in self.broken or n.company in self.broken:
                continue
            if n.parent_kinds and n.parent is not None and (par is None or par.kind not in n.parent_kinds):
                self.problems.append(
                    Problem(n.loc + ("parent",), "validation-unknown-parent", {"code": n.parent})
                )
            comp = nodes.get(n.company or "")
            if n.company is not None and (comp is None or comp.kind != K.company):
                self.problems.append(
                    Problem(n.loc + ("company",), "validation-unknown-company", {"code": n.company})
                )


def _path(loc: Loc) -> str:
    return format_loc(loc) or "-"
