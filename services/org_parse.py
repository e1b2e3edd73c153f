"""Validation of an org document (see services/org_import.py for the format):
the whole document is checked into flat specs, every error collected with its path."""
from __future__ import annotations

import math
import re
import zoneinfo
from dataclasses import dataclass
from typing import Any

from services.errors import DomainError
from storage.models import OrgKind

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
SUB_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
PREFIX_RE = re.compile(r"^[A-Za-z0-9]{1,8}$")
K = OrgKind
ORDER = (K.district, K.company, K.street, K.department, K.community, K.compound)
KINDS = tuple(k.value for k in ORDER) + ("building", "unit")
KEYS: dict[OrgKind, set[str]] = {
    K.district: {"code", "name", "ticket_prefix", "timezone"}, K.company: {"code", "name", "staff_chat_id"},
    K.street: {"code", "name", "departments", "communities"}, K.department: {"code", "name"},
    K.community: {"code", "name", "staff_chat_id", "compounds"},
    K.compound: {"code", "name", "company", "address", "location", "buildings"}}
TOP_KEYS = {"district", "companies", "streets", "departments", "demo_people"}



@dataclass
class Node:
    kind: OrgKind
    code: str
    path: str
    values: dict[str, Any]
    parent: str | None = None
    parent_kinds: tuple[OrgKind, ...] = ()
    company: str | None = None


def invalid(errors: list[str]) -> DomainError:
    more = f"\n… and {len(errors) - 30} more" if len(errors) > 30 else ""
    return DomainError("org_file_invalid", detail="\n".join(errors[:30]) + more, errors=errors)


class Parser:
    """Validates the whole document into flat specs, collecting every error with its path."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.nodes: dict[str, Node] = {}
        self.buildings: dict[tuple[str, str], str] = {}  # (compound, code) -> name
        self.units: dict[tuple[str, str], dict[str, Any]] = {}  # (compound, code) -> values
        self.where: dict[tuple[str, str, str], str] = {}  # (building|unit, compound, code) -> path

    def err(self, msg: str) -> None:
        self.errors.append(msg)

    def keys(self, d: Any, path: str, allowed: set[str], required: set[str]) -> bool:
        if not isinstance(d, dict):
            self.err(f"{path}: expected a mapping, got {type(d).__name__}")
            return False
        for k in sorted(set(map(str, d)) - allowed):
            self.err(f"{path}: unknown field '{k}'")
        for k in sorted(required - {k for k, v in d.items() if v is not None}):
            self.err(f"{path}: missing required field '{k}'")
        return True

    def items(self, d: dict[str, Any], key: str, path: str) -> list[tuple[str, Any]]:
        v = d.get(key) or []
        if not isinstance(v, list):
            self.err(f"{path}{key}: expected a list")
            return []
        return [(f"{path}{key}[{x['code'] if isinstance(x, dict) and 'code' in x else '#' + str(i)}]", x)
                for i, x in enumerate(v)]

    def code(self, v: Any, path: str, rx: re.Pattern[str] = CODE_RE) -> str | None:
        s = str(v) if isinstance(v, int) and not isinstance(v, bool) else v
        if v is None or isinstance(s, str) and rx.match(s):  # None: reported as missing
            return s
        self.err(f"{path}: code {v!r} must match {rx.pattern}")
        return None

    def text(self, v: Any, path: str, n: int) -> str | None:
        if v is None:  # a missing required field is reported by keys()
            return None
        if isinstance(v, (int, str)) and not isinstance(v, bool) and 0 < len(str(v).strip()) <= n:
            return str(v).strip()
        self.err(f"{path}: expected non-empty text of at most {n} characters, got {v!r}")
        return None

    def num(self, v: Any, path: str, lo: float = 0.0, hi: float = math.inf, whole: bool = False) -> float | None:
        if isinstance(v, (int, float)) and not isinstance(v, bool) and lo <= v <= hi and (
                not whole or float(v).is_integer()):
            return float(v)
        self.err(f"{path}: expected a {'whole ' * whole}number between {lo} and {hi}, got {v!r}")
        return None

    def node(self, kind: OrgKind, d: Any, path: str, parent: str | None, extra: frozenset[str] = frozenset(),
             parent_kinds: tuple[OrgKind, ...] = ()) -> str | None:
        if not self.keys(d, path, KEYS[kind] | extra, {"code", "name"}):
            return None
        code = self.code(d.get("code"), f"{path}.code")
        vals: dict[str, Any] = {"name": self.text(d.get("name"), f"{path}.name", 200)}
        for k in ("staff_chat_id", "address", "ticket_prefix", "timezone", "location"):
            if k not in d or k not in KEYS[kind]:
                continue
            v, p = d[k], f"{path}.{k}"
            if k == "location":
                if v is not None and not (isinstance(v, list) and len(v) == 2):
                    self.err(f"{p}: expected [latitude, longitude]")
                else:
                    vals.update(latitude=v and self.num(v[0], p, -90, 90), longitude=v and self.num(v[1], p, -180, 180))
            elif k == "ticket_prefix" and not (isinstance(v, str) and PREFIX_RE.match(v)):
                self.err(f"{p}: {v!r} must match {PREFIX_RE.pattern}")
            elif k == "timezone" and v not in zoneinfo.available_timezones():
                self.err(f"{p}: unknown timezone {v!r}")
            else:
                vals[k] = self.text(v, p, 300 if k == "address" else 64)
        if code is None:
            return None
        if code in self.nodes:
            self.err(f"{path}: duplicate code '{code}' (also at {self.nodes[code].path})")
            return None
        n = self.nodes[code] = Node(kind, code, path, vals, parent, parent_kinds)
        if kind == K.compound:
            n.company = None if d.get("company") is None else self.code(d["company"], f"{path}.company")
            for bpath, b in self.items(d, "buildings", f"{path}."):
                self.building(b, bpath, code)
        return code

    def building(self, b: Any, path: str, cp: str) -> None:
        gen = ("entrances", "floors", "per_floor")
        if not self.keys(b, path, {"code", "name", "units", "area", *gen}, {"code"}):
            return
        code = self.code(b.get("code"), f"{path}.code", SUB_CODE_RE)
        name = self.text(b.get("name", f"{code}号楼"), f"{path}.name", 100)
        if code is None or name is None or not self.add(("building", cp, code), path):
            return
        self.buildings[(cp, code)] = name
        area, units, paths = b.get("area"), dict[str, dict[str, Any]](), dict[str, str]()
        if any(k in b for k in gen):
            if not all(k in b for k in gen) or area is None:
                return self.err(f"{path}: a generated building needs entrances, floors, per_floor and area")
            e, f, per = (int(self.num(b[k], f"{path}.{k}", 1, 99, whole=True) or 0) for k in gen)
            areas = [self.num(a, f"{path}.area") for a in area] if isinstance(area, list) else [
                self.num(area, f"{path}.area")] * per
            if len(areas) != per:
                self.err(f"{path}.area: expected {per} areas (one per unit on a floor), got {len(areas)}")
            units = {f"{code}-{en}-{fl}{i + 1:02d}": {"area_m2": a} for en in range(1, e + 1)
                     for fl in range(1, f + 1) for i, a in enumerate(areas[:per])}
        for upath, u in self.items(b, "units", f"{path}."):
            if not self.keys(u, upath, {"code", "area", "owner"}, {"code"}):
                continue
            if (uc := self.code(u.get("code"), f"{upath}.code", SUB_CODE_RE)) is None:
                continue
            if uc in paths:
                self.err(f"{upath}: duplicate unit code '{uc}' (also at {paths[uc]})")
                continue
            paths[uc], vals = upath, units.setdefault(uc, {})
            if "area" in u or "area_m2" not in vals:
                if "area" not in u and not isinstance(area, (int, float)):
                    self.err(f"{upath}: missing required field 'area'")
                else:
                    vals["area_m2"] = self.num(u.get("area", area), f"{upath}.area")
            if "owner" in u:
                vals["owner_name"] = self.text(u["owner"], f"{upath}.owner", 100)
        for uc, vals in units.items():
            upath = paths.get(uc, f"{path}.units[{uc}]")
            if not SUB_CODE_RE.match(uc):
                self.err(f"{upath}: generated unit code '{uc}' is longer than 32 characters")
            elif self.add(("unit", cp, uc), upath):
                self.units[(cp, uc)] = {**vals, "building": code}

    def add(self, key: tuple[str, str, str], path: str) -> bool:
        if key in self.where:
            self.err(f"{path}: duplicate {key[0]} code '{key[2]}' in compound {key[1]} (also at {self.where[key]})")
            return False
        self.where[key] = path
        return True

    def parse(self, doc: Any) -> None:
        if not self.keys(doc, "file", TOP_KEYS, {"district"}):
            return
        dist = None if doc.get("district") is None else self.node(K.district, doc["district"], "district", None)
        for p, c in self.items(doc, "companies", ""):
            self.node(K.company, c, p, None)
        for sp, s in self.items(doc, "streets", ""):
            st = self.node(K.street, s, sp, dist)
            if isinstance(s, dict) and st is not None:
                for p, dep in self.items(s, "departments", f"{sp}."):
                    self.node(K.department, dep, p, st)
                for cp, c in self.items(s, "communities", f"{sp}."):
                    cm = self.node(K.community, c, cp, st)
                    for p, x in self.items(c, "compounds", f"{cp}.") if isinstance(c, dict) and cm else []:
                        self.node(K.compound, x, p, cm)
        for p, d in self.items(doc, "departments", ""):
            par = (d.get("parent") or dist) if isinstance(d, dict) else None
            self.node(K.department, d, p, None if par is None else str(par), frozenset({"parent"}),
                      (K.street, K.district))
        for n in self.nodes.values():
            par = self.nodes.get(n.parent or "")
            if n.parent_kinds and n.parent is not None and (par is None or par.kind not in n.parent_kinds):
                self.err(f"{n.path}: unknown parent code '{n.parent}' (expected a {'/'.join(n.parent_kinds)})")
            comp = self.nodes.get(n.company or "")
            if n.company is not None and (comp is None or comp.kind != K.company):
                self.err(f"{n.path}.company: unknown company code '{n.company}'")
