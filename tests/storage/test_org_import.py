"""Org import from YAML / CSV: counts, idempotency, updates, strict validation (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import SQLModel, select

from services.categories import CATEGORIES
from services.errors import DomainError
from services.org_import import ImportReport, import_org, load_org_file
from services.validation import FileInvalid
from storage.models import Building, OrgKind, OrgNode, RoutingRule, Unit
from storage.uow import UowFactory
from tests.unit.org_cases import CSV, INVALID, compound, demo, set_units

TABLES: dict[str, type[SQLModel]] = {
    "org_node": OrgNode,
    "building": Building,
    "unit": Unit,
    "routing_rule": RoutingRule,
}

DEMO_COUNTS = {
    "district": 1,
    "company": 2,
    "street": 2,
    "department": 6,
    "community": 3,
    "compound": 5,
    "building": 12,
    "unit": 144,
}


async def run(uow_factory: UowFactory, doc: dict[str, Any]) -> ImportReport:
    async with uow_factory() as uow:
        report = await import_org(uow, doc)
        await uow.commit()
    return report


async def row_counts(uow_factory: UowFactory) -> dict[str, int]:
    async with uow_factory() as uow:
        return {
            name: (await uow.session.execute(select(func.count()).select_from(t))).scalar_one()
            for name, t in TABLES.items()
        }


async def node(uow_factory: UowFactory, code: str) -> OrgNode:
    """A detached copy of the stored node (leaving the unit of work expires loaded rows)."""
    async with uow_factory() as uow:
        n = await uow.org.by_code(code)
        assert n is not None
        return OrgNode(**n.model_dump())


async def test_demo_import_creates_the_tree(uow_factory: UowFactory) -> None:
    report = await run(uow_factory, demo())
    assert {k: c.created for k, c in report.counts.items()} == DEMO_COUNTS
    assert report.updated == 0 and report.rules_seeded == len(CATEGORIES)
    assert await row_counts(uow_factory) == {
        "org_node": 19,
        "building": 12,
        "unit": 144,
        "routing_rule": len(CATEGORIES),
    }
    old, xgy, yjwy, dist = [await node(uow_factory, c) for c in ("TYXC", "XGY", "YJWY", "PG")]
    assert old.company_id is None and old.kind == OrgKind.compound
    assert xgy.company_id == yjwy.id and yjwy.staff_chat_id == "-1001000000001"
    assert (xgy.latitude, xgy.longitude, xgy.address) == (40.1412, 117.1205, "平谷区兴谷园路1号")
    assert (dist.ticket_prefix, dist.timezone, dist.parent_id) == ("PG", "Asia/Shanghai", None)
    community = await node(uow_factory, "BH-XY")
    street = await node(uow_factory, "BH")
    assert (xgy.parent_id, community.parent_id, street.parent_id) == (community.id, street.id, dist.id)
    assert (await node(uow_factory, "PG-ZJW")).parent_id == dist.id
    assert (await node(uow_factory, "BH-CG")).parent_id == street.id
    async with uow_factory() as uow:
        u = await uow.org.unit(xgy.id or 0, "2-1-101")  # generated, owner added by an override
        assert u is not None and (u.area_m2, u.owner_name) == (76.8, "王秀兰")
        b = await uow.org.building(xgy.id or 0, "2")
        assert b is not None and b.name == "2号楼" and u.building_id == b.id


async def test_demo_people_are_returned_and_resolvable(uow_factory: UowFactory) -> None:
    doc = demo()
    await run(uow_factory, doc)
    people = doc["demo_people"]
    roles = [p["role"] for p in people]
    assert (
        roles.count("resident") == 6
        and roles.count("committee") == 1
        and roles.count("staff") == 2
        and roles.count("manager") == 2
    )
    assert roles.count("community") == 3 and roles.count("street") == 2 and roles.count("admin") == 1
    assert len({p["key"] for p in people}) == len(people)
    async with uow_factory() as uow:
        for p in people:
            org = await uow.org.by_code(p["org"])
            assert org is not None, p
            if "unit" in p:
                assert await uow.org.unit(org.id or 0, p["unit"]) is not None, p


async def test_reimport_changes_nothing(uow_factory: UowFactory) -> None:
    await run(uow_factory, demo())
    before = await row_counts(uow_factory)
    report = await run(uow_factory, demo())
    assert report.created == 0 and report.updated == 0 and not report.changed
    assert {k: c.unchanged for k, c in report.counts.items()} == DEMO_COUNTS
    assert report.rules_seeded == 0
    assert await row_counts(uow_factory) == before


async def test_changes_are_updated(uow_factory: UowFactory) -> None:
    await run(uow_factory, demo())
    doc = demo()
    lhy = compound(doc, "LHY")
    lhy["name"] = "柳河苑(南区)"
    lhy["company"] = "HTWY"  # company link moves
    lhy["buildings"][2]["units"][1]["area"] = 150.0  # 3-1-102
    compound(doc, "TYXC")["company"] = "YJWY"  # the old compound gets a company
    doc["district"]["name"] = "北京市平谷区"
    report = await run(uow_factory, doc)
    assert report.counts["compound"].updated == 2 and report.counts["compound"].unchanged == 3
    assert report.counts["unit"].updated == 1 and report.counts["district"].updated == 1
    assert report.created == 0 and report.updated == 4
    htwy, yjwy = await node(uow_factory, "HTWY"), await node(uow_factory, "YJWY")
    n = await node(uow_factory, "LHY")
    assert (n.name, n.company_id) == ("柳河苑(南区)", htwy.id)
    assert (await node(uow_factory, "TYXC")).company_id == yjwy.id
    assert (await node(uow_factory, "PG")).name == "北京市平谷区"
    async with uow_factory() as uow:
        u = await uow.org.unit(n.id or 0, "3-1-102")
        assert u is not None and u.area_m2 == 150.0
    # back to no company: omitting `company` clears the link
    del compound(doc, "TYXC")["company"]
    report = await run(uow_factory, doc)
    assert report.updated == 1 and (await node(uow_factory, "TYXC")).company_id is None


async def test_absent_optional_attributes_are_kept(uow_factory: UowFactory) -> None:
    await run(uow_factory, demo())
    doc = demo()
    del doc["companies"][0]["staff_chat_id"]
    del compound(doc, "XGY")["address"]
    assert not (await run(uow_factory, doc)).changed
    assert (await node(uow_factory, "YJWY")).staff_chat_id == "-1001000000001"
    doc["companies"][0]["staff_chat_id"] = None  # explicit null clears
    assert (await run(uow_factory, doc)).counts["company"].updated == 1
    assert (await node(uow_factory, "YJWY")).staff_chat_id is None


# a few of tests/unit/org_cases.INVALID (all of them are checked without a database)
STORED_CASES = (
    "unknown_company",
    "duplicate_unit_across_buildings",
    "negative_area",
    "unknown_field",
    "missing_district",
)


@pytest.mark.parametrize("case", STORED_CASES)
async def test_invalid_file_is_rejected_and_nothing_stored(uow_factory: UowFactory, case: str) -> None:
    await run(uow_factory, demo())
    before = await row_counts(uow_factory)
    mutate, path, key, _ = INVALID[case]
    doc = demo()
    doc["district"]["name"] = "改名"  # a valid change that must not be stored
    compound(doc, "JGJY")["buildings"].append({"code": "9", "units": [{"code": "9-1-101", "area": 50}]})
    mutate(doc)
    async with uow_factory() as uow:
        with pytest.raises(DomainError) as exc:
            await import_org(uow, doc)
        await uow.commit()  # even a careless caller stores nothing
    assert exc.value.code == "org_file_invalid" and isinstance(exc.value, FileInvalid)
    assert (path, key) in [(p.path, p.key) for p in exc.value.problems]
    assert await row_counts(uow_factory) == before
    assert (await node(uow_factory, "PG")).name == "平谷区"


async def test_invalid_file_on_empty_database_stores_nothing(uow_factory: UowFactory) -> None:
    doc = demo()
    compound(doc, "TYXC")["company"] = "NOCO"
    with pytest.raises(DomainError, match="org_file_invalid"):
        await run(uow_factory, doc)
    assert await row_counts(uow_factory) == dict.fromkeys(TABLES, 0)


async def test_all_errors_are_reported_together(uow_factory: UowFactory) -> None:
    doc = demo()
    compound(doc, "XGY")["company"] = "NOCO"
    set_units("LHY", 2, [{"code": "3-1-101", "area": -1}])(doc)
    with pytest.raises(FileInvalid) as exc:
        await run(uow_factory, doc)
    assert [p.key for p in exc.value.problems] == ["validation-at-least", "validation-unknown-company"]
    assert await row_counts(uow_factory) == dict.fromkeys(TABLES, 0)


async def test_code_used_by_another_kind_in_database(uow_factory: UowFactory) -> None:
    await run(uow_factory, demo())
    before = await row_counts(uow_factory)
    doc = demo()
    doc["companies"].append({"code": "ZZ", "name": "新物业"})
    other = {"district": {"code": "SY", "name": "顺义区"}, "companies": [{"code": "BH", "name": "冒名物业"}]}
    with pytest.raises(FileInvalid) as exc:
        await run(uow_factory, other)
    assert [(p.path, p.key, p.params) for p in exc.value.problems] == [
        ("companies[0].code", "validation-code-in-use", {"code": "BH", "kind": "street"})
    ]
    assert await row_counts(uow_factory) == before


async def test_csv_example_imports(uow_factory: UowFactory) -> None:
    report = await run(uow_factory, load_org_file(CSV))
    assert {k: c.created for k, c in report.counts.items()} == {
        "district": 1,
        "company": 1,
        "street": 1,
        "department": 0,
        "community": 1,
        "compound": 2,
        "building": 3,
        "unit": 9,
    }
    old, fyjy, co = [await node(uow_factory, c) for c in ("MFXC", "FYJY", "JHWY")]
    assert old.company_id is None and fyjy.company_id == co.id
    async with uow_factory() as uow:
        u = await uow.org.unit(old.id or 0, "1-1-101")
        assert u is not None and (u.area_m2, u.owner_name) == (56.3, "李娜")
    assert not (await run(uow_factory, load_org_file(CSV))).changed
    # the CSV district (same code, no ticket_prefix column) merges with the YAML demo
    report = await run(uow_factory, demo())
    assert report.counts["district"].unchanged == 1 and report.counts["unit"].created == 144
    assert (await node(uow_factory, "PG")).ticket_prefix == "PG"


async def test_compact_building_generator(uow_factory: UowFactory) -> None:
    doc = {
        "district": {"code": "T", "name": "测试区"},
        "streets": [
            {
                "code": "S",
                "name": "街道",
                "communities": [
                    {
                        "code": "C",
                        "name": "社区",
                        "compounds": [
                            {
                                "code": "X",
                                "name": "小区",
                                "buildings": [
                                    {
                                        "code": "3",
                                        "entrances": 2,
                                        "floors": 2,
                                        "per_floor": 2,
                                        "area": [80, 90.5],
                                        "units": [
                                            {"code": "3-2-201", "owner": "张三"},
                                            {"code": "3-2-301", "area": 120},
                                        ],
                                    },
                                    {
                                        "code": "10",
                                        "name": "十号楼",
                                        "entrances": 1,
                                        "floors": 11,
                                        "per_floor": 1,
                                        "area": 60,
                                    },
                                ],
                            }
                        ],
                    }
                ],
            }
        ],
    }
    report = await run(uow_factory, doc)
    assert report.counts["building"].created == 2 and report.counts["unit"].created == 8 + 1 + 11
    x = await node(uow_factory, "X")
    async with uow_factory() as uow:
        rows = (await uow.session.execute(select(Unit).where(Unit.compound_id == x.id))).scalars().all()
        got = {u.code: (u.area_m2, u.owner_name) for u in rows}
        b10 = await uow.org.building(x.id or 0, "10")
        assert b10 is not None and b10.name == "十号楼"
    assert {c: v for c, v in got.items() if c.startswith("3-")} == {
        "3-1-101": (80.0, None),
        "3-1-102": (90.5, None),
        "3-1-201": (80.0, None),
        "3-1-202": (90.5, None),
        "3-2-101": (80.0, None),
        "3-2-102": (90.5, None),
        "3-2-201": (80.0, "张三"),
        "3-2-202": (90.5, None),
        "3-2-301": (120.0, None),
    }
    assert "10-1-101" in got and "10-1-1101" in got and got["10-1-1101"] == (60.0, None)


async def test_owner_and_developer_are_stored(uow_factory: UowFactory) -> None:
    await run(uow_factory, demo())
    doc = demo()
    set_units(
        "LHY",
        2,
        [
            {"code": "3-1-101", "area": 142.6, "owner": "开发商", "developer": True},
            {"code": "3-1-102", "area": 142.6, "owner": "开发商", "developer": True},
        ],
    )(doc)
    report = await run(uow_factory, doc)
    assert report.counts["unit"].updated == 2
    lhy = await node(uow_factory, "LHY")
    async with uow_factory() as uow:
        units = [await uow.org.unit(lhy.id or 0, c) for c in ("3-1-101", "3-1-102", "3-1-201")]
    assert [(u.owner_name, u.developer) for u in units if u] == [
        ("开发商", True),
        ("开发商", True),
        (None, False),
    ]
    assert not (await run(uow_factory, doc)).changed  # idempotent
    set_units("LHY", 2, [{"code": "3-1-101", "area": 142.6, "developer": False}])(doc)
    assert (await run(uow_factory, doc)).counts["unit"].updated == 1
    async with uow_factory() as uow:
        u = await uow.org.unit(lhy.id or 0, "3-1-101")
    assert u is not None and (u.owner_name, u.developer) == ("开发商", False)  # absent owner is kept
