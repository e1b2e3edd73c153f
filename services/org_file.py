"""Reading org files: YAML as it is, CSV (one row per unit) converted to the same
document. The format is described in services/org_import.py."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped, unused-ignore]

from services.org_parse import invalid

CSV_COLUMNS = ("district_code", "district_name", "street_code", "street_name", "community_code",
               "community_name", "compound_code", "compound_name", "company_code", "company_name",
               "building_code", "unit_code", "area_m2")


def load_org_file(path: str | Path) -> dict[str, Any]:
    """Read a .yaml/.yml or .csv org file into the import dict (YAML keeps `demo_people`)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv"):
        raise invalid([f"{path.name}: unsupported file type (use .yaml, .yml or .csv)"])
    try:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")  # CSV saved by Excel on a Chinese system
        doc = _csv_to_doc(text, path.name) if suffix == ".csv" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise invalid([f"{path.name}: cannot read: {e}"]) from e
    if not isinstance(doc, dict):
        raise invalid([f"{path.name}: expected a mapping at the top level"])
    return doc


def _csv_to_doc(text: str, name: str) -> dict[str, Any]:
    reader = csv.DictReader(io.StringIO(text))
    if missing := [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]:
        raise invalid([f"{name}: missing column(s) {', '.join(missing)}"])
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
        raise invalid(errors or [f"{name}: no unit rows"])
    return doc
