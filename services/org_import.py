"""Import the org tree (district … unit) from a YAML or CSV file, idempotently.

YAML, one district per file. Org codes match ``^[A-Za-z0-9_-]{1,40}$`` (they appear in
deep links ``c_<code>``); building and unit codes use the same alphabet, ≤ 32 chars::

    district: {code: PG, name: 平谷区, ticket_prefix: PG, timezone: Asia/Shanghai}
    companies: [{code: YJWY, name: 宜居物业, staff_chat_id: "-1001234567890"}]  # chat optional
    departments: [{code: PG-ZJW, name: 区住建委}]  # district level; `parent: <street>` allowed
    streets:
      - code: BH
        name: 滨河街道
        departments: [{code: BH-CG, name: 滨河街道城管}]
        communities:
          - code: BH-XY
            name: 兴谷园社区
            staff_chat_id: "-100…"            # optional
            compounds:
              - code: XGY
                name: 兴谷园小区
                company: YJWY                  # omitted/null: 老旧小区, served by the community
                address: 平谷区兴谷园路1号
                location: [40.14, 117.12]      # [latitude, longitude]
                buildings:
                  - code: "1"                  # name defaults to "1号楼"
                    units: [{code: 1-1-101, area: 89.5, owner: 张三}]
                  - {code: "3", entrances: 2, floors: 6, per_floor: 2, area: [89.5, 102.0]}
    demo_people: […]                           # ignored here (the sandbox reads it)

A compact building generates units "<building>-<entrance>-<floor><nn>" ("3-2-501"); its
``area`` is one number or one per position on a floor, and its ``units`` list may add units
or override generated ones (e.g. add an owner). Explicit units need ``area`` (m², ≥ 0)
unless the building has a numeric ``area``.

CSV: one row per unit with the columns in ``CSV_COLUMNS`` (``district_code, district_name,
street_code, street_name, community_code, community_name, compound_code, compound_name,
company_code, company_name, building_code, unit_code, area_m2``, optional ``owner_name``);
an empty ``company_code`` means 老旧小区. UTF-8 (BOM or not) or GB18030 as Excel saves it.

Records are keyed by code: names, areas, parents and company links are updated, nothing
is deleted. Optional attributes (staff_chat_id, address, location, owner, ticket_prefix,
timezone) are written only when their key is present (null clears); ``company`` always is.
All errors are collected with their path and raised as
``DomainError("org_file_invalid", detail=…, errors=[…])`` before anything is written.
"""
from __future__ import annotations

import csv
import io
import math
import re
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped, unused-ignore]
from sqlmodel import col, select

from services.errors import DomainError
from services.routing import seed_default_rules
from storage.models import Building, OrgKind, OrgNode, Unit
from storage.uow import UnitOfWork

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
SUB_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
PREFIX_RE = re.compile(r"^[A-Za-z0-9]{1,8}$")
CSV_COLUMNS = ("district_code", "district_name", "street_code", "street_name", "community_code",
               "community_name", "compound_code", "compound_name", "company_code", "company_name",
               "building_code", "unit_code", "area_m2")
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
class KindCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    """Per kind (district … department, building, unit): created / updated / unchanged."""

    counts: dict[str, KindCounts] = field(default_factory=lambda: {k: KindCounts() for k in KINDS})
    rules_seeded: int = 0

    def bump(self, kind: str, outcome: str) -> None:
        setattr(self.counts[kind], outcome, getattr(self.counts[kind], outcome) + 1)

    @property
    def created(self) -> int:  # all kinds
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:  # all kinds
        return sum(c.updated for c in self.counts.values())

    @property
    def changed(self) -> bool:
        return self.created + self.updated > 0


@dataclass
class _Node:
    kind: OrgKind
    code: str
    path: str
    values: dict[str, Any]
    parent: str | None = None
    parent_kinds: tuple[OrgKind, ...] = ()
    company: str | None = None


def _invalid(errors: list[str]) -> DomainError:
    more = f"\n… and {len(errors) - 30} more" if len(errors) > 30 else ""
    return DomainError("org_file_invalid", detail="\n".join(errors[:30]) + more, errors=errors)


class _Parser:
    """Validates the whole document into flat specs, collecting every error with its path."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.nodes: dict[str, _Node] = {}
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
        n = self.nodes[code] = _Node(kind, code, path, vals, parent, parent_kinds)
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


async def import_org(uow: UnitOfWork, doc: dict[str, Any]) -> ImportReport:
    """Create or update the org tree described by `doc` (validated first); the caller commits."""
    p = _Parser()
    p.parse(doc)
    if p.errors:
        raise _invalid(p.errors)
    stored = {n.code: n for n in await uow.org.all()}
    clash = [f"{n.path}: code '{c}' is already used by a {stored[c].kind} in the database"
             for c, n in p.nodes.items() if c in stored and stored[c].kind != n.kind]
    if clash:
        raise _invalid(clash)
    report = ImportReport()
    for kind in ORDER:
        for n in (x for x in p.nodes.values() if x.kind == kind):
            vals = {**n.values, "parent_id": stored[n.parent].id if n.parent else None}
            if kind == K.compound:
                vals["company_id"] = stored[n.company].id if n.company else None
            node = stored.get(n.code)
            if node is None:
                new: dict[str, Any] = {"timezone": "Asia/Shanghai", "ticket_prefix": re.sub(r"\W|_", "", n.code)[:8]}
                new = {**new, **vals} if kind == K.district else vals
                uow.org.add(stored.setdefault(n.code, OrgNode(code=n.code, kind=kind, **new)))
            report.bump(kind.value, "created" if node is None else "updated" if _apply(node, vals) else "unchanged")
        await uow.flush()
    ids = {cp: _id(stored[cp]) for cp, _ in p.buildings}
    q = select(Building).where(col(Building.compound_id).in_(ids.values()))
    blds = {(b.compound_id, b.code): b for b in (await uow.session.execute(q)).scalars()}
    for (cp, code), name in p.buildings.items():
        if (b := blds.get((ids[cp], code))) is None:
            uow.org.add(blds.setdefault((ids[cp], code), Building(compound_id=ids[cp], code=code, name=name)))
        report.bump("building", "created" if b is None else "updated" if _apply(b, {"name": name}) else "unchanged")
    await uow.flush()
    q2 = select(Unit).where(col(Unit.compound_id).in_(ids.values()))
    units = {(u.compound_id, u.code): u for u in (await uow.session.execute(q2)).scalars()}
    for (cp, code), v in p.units.items():
        vals = {k: x for k, x in v.items() if k != "building"} | {"building_id": _id(blds[(ids[cp], v["building"])])}
        if (u := units.get((ids[cp], code))) is None:
            uow.org.add(Unit(compound_id=ids[cp], code=code, **vals))
        report.bump("unit", "created" if u is None else "updated" if _apply(u, vals) else "unchanged")
    await uow.flush()
    report.rules_seeded = await seed_default_rules(uow)
    return report


def _id(obj: OrgNode | Building) -> int:
    assert obj.id is not None
    return obj.id


def _apply(obj: Any, values: dict[str, Any]) -> bool:
    changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
    for k, v in changed.items():
        setattr(obj, k, v)
    return bool(changed)


def load_org_file(path: str | Path) -> dict[str, Any]:
    """Read a .yaml/.yml or .csv org file into the import dict (YAML keeps `demo_people`)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv"):
        raise _invalid([f"{path.name}: unsupported file type (use .yaml, .yml or .csv)"])
    try:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")  # CSV saved by Excel on a Chinese system
        doc = _csv_to_doc(text, path.name) if suffix == ".csv" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise _invalid([f"{path.name}: cannot read: {e}"]) from e
    if not isinstance(doc, dict):
        raise _invalid([f"{path.name}: expected a mapping at the top level"])
    return doc


def _csv_to_doc(text: str, name: str) -> dict[str, Any]:
    reader = csv.DictReader(io.StringIO(text))
    if missing := [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]:
        raise _invalid([f"{name}: missing column(s) {', '.join(missing)}"])
    errors: list[str] = []
    doc: dict[str, Any] = {"companies": [], "streets": []}
    seen: dict[tuple[str, str], tuple[int, dict[str, Any], dict[str, Any]]] = {}  # -> row, attrs, out
    levels = (("district", None, ""), ("company", None, "companies"), ("street", None, "streets"),
              ("community", "street", "communities"), ("compound", "community", "compounds"),
              ("building", "compound", "buildings"))
    for row, r in enumerate(({k: (v or "").strip() for k, v in x.items() if k} for x in reader), start=2):
        empty = [c for c in CSV_COLUMNS if not r[c] and c not in ("company_code", "company_name")]
        empty += ["company_name"] if r["company_code"] and not r["company_name"] else []
        if empty or not any(r.values()):
            errors += [f"{name}: row {row}: empty {', '.join(empty)}"] if any(r.values()) else []
            continue
        try:
            area = float(r["area_m2"])
        except ValueError:
            errors.append(f"{name}: row {row}: area_m2 {r['area_m2']!r} is not a number")
            continue
        key = {k: r[f"{k}_code"] for k, _, _ in levels} | {"building": f"{r['compound_code']}/{r['building_code']}"}
        for kind, parent, plural in levels:
            out = {"code": r[f"{kind}_code"]} | ({"name": r[f"{kind}_name"]} if kind != "building" else {})
            out |= {"company": r["company_code"] or None} if kind == "compound" else {}
            attrs = out | ({"parent": key[parent]} if parent else {})
            if (kind, key[kind]) in seen:
                first, old, _ = seen[(kind, key[kind])]
                errors += [f"{name}: row {row}: {kind} {out['code']} has {k} {attrs[k]!r} but row {first} "
                           f"says {old[k]!r}" for k in attrs if attrs[k] != old[k]]
            elif out["code"]:
                seen[(kind, key[kind])] = (row, attrs, out)
                if kind == "district" and "district" in doc:
                    errors.append(f"{name}: row {row}: a file holds one district, found a second ({out['code']})")
                elif kind == "district":
                    doc["district"] = out
                else:
                    (seen[(parent, key[parent])][2] if parent else doc).setdefault(plural, []).append(out)
        unit = {"code": r["unit_code"], "area": area} | ({"owner": r["owner_name"]} if r.get("owner_name") else {})
        seen[("building", key["building"])][2].setdefault("units", []).append(unit)
    if errors or "district" not in doc:
        raise _invalid(errors or [f"{name}: no unit rows"])
    return doc
