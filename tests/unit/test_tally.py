"""The Art. 278 tally (services/tally.py), each condition just above, exactly at and just
below its threshold, for area and for headcount separately; expectations worked out by hand
in the comments."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest

from services.tally import (
    Choice,
    Kind,
    TallyConflict,
    Thresholds,
    UnitRec,
    area_of,
    parse_choice,
    tally,
)

Y, N, A = Choice.yes, Choice.no, Choice.abstain


def reg(*areas: str) -> list[UnitRec]:
    """Units u0, u1, … each with its own owner."""
    return [UnitRec(f"u{i}", D(a)) for i, a in enumerate(areas)]


# -- quorum by area: 6 owners, 5 take part (5/6 ≥ 2/3 by headcount, always met) ----------------
# participants 5 × 40 = 200 m²; the absent owner holds 100 (200/300 = 2/3, at),
# 99.99 (200/299.99 > 2/3, above) or 100.01 (200/300.01 < 2/3, below)
@pytest.mark.parametrize(("absent", "met"), [("99.99", True), ("100", True), ("100.01", False)])
def test_quorum_by_area(absent: str, met: bool) -> None:
    units = reg("40", "40", "40", "40", "40", absent)
    t = tally(units, {f"u{i}": Y for i in range(5)}, Kind.ordinary)
    assert (t.participating_area, t.participating_owners, t.total_owners) == (D("200"), 5, 6)
    assert t.total_area == D(200) + D(absent)
    assert t.quorum_met is met and t.passed is met  # everyone present voted yes


# -- quorum by headcount: 9 owners; participants hold 100 m² each, the absent 1 m² each --------
# 7/9 > 2/3 (above), 6/9 = 2/3 (at), 5/9 < 2/3 (below); area share ≥ 500/504 always
@pytest.mark.parametrize(("present", "met"), [(7, True), (6, True), (5, False)])
def test_quorum_by_headcount(present: int, met: bool) -> None:
    units = reg(*(["100"] * present + ["1"] * (9 - present)))
    t = tally(units, {f"u{i}": Y for i in range(present)}, Kind.special)
    assert (t.participating_owners, t.total_owners) == (present, 9)
    assert t.quorum_met is met and t.passed is met


# -- special by area (≥ 3/4): 5 owners all vote, 4 yes (4/5 ≥ 3/4 by headcount) --------------
# yes 4 × 75 = 300 m²; the no-voter holds 99.99 (300/399.99 > 3/4), 100 (= 3/4) or 100.01 (<)
@pytest.mark.parametrize(("no_area", "passed"), [("99.99", True), ("100", True), ("100.01", False)])
def test_special_by_area(no_area: str, passed: bool) -> None:
    units = reg("75", "75", "75", "75", no_area)
    t = tally(units, {"u0": Y, "u1": Y, "u2": Y, "u3": Y, "u4": N}, Kind.special)
    assert t.quorum_met and (t.yes_area, t.yes_owners, t.participating_owners) == (D(300), 4, 5)
    assert t.passed is passed


# -- special by headcount (≥ 3/4): 8 owners all vote; yes-voters 100 m², no-voters 1 m² -------
# 7/8 > 3/4 (above), 6/8 = 3/4 (at), 5/8 < 3/4 (below); area ≥ 500/503 always
@pytest.mark.parametrize(("yes", "passed"), [(7, True), (6, True), (5, False)])
def test_special_by_headcount(yes: int, passed: bool) -> None:
    units = reg(*(["100"] * yes + ["1"] * (8 - yes)))
    t = tally(units, {f"u{i}": (Y if i < yes else N) for i in range(8)}, Kind.special)
    assert (t.yes_owners, t.participating_owners) == (yes, 8) and t.quorum_met
    assert t.passed is passed


# -- ordinary by area (> 1/2): 3 owners all vote, 2 yes (2/3 > 1/2 by headcount) -------------
# yes 2 × 50 = 100 m²; the no-voter holds 99.99 (100/199.99 > 1/2), 100 (= 1/2, not more),
# or 100.01 (<)
@pytest.mark.parametrize(("no_area", "passed"), [("99.99", True), ("100", False), ("100.01", False)])
def test_ordinary_by_area(no_area: str, passed: bool) -> None:
    t = tally(reg("50", "50", no_area), {"u0": Y, "u1": Y, "u2": N}, Kind.ordinary)
    assert t.quorum_met and t.passed is passed


# -- ordinary by headcount (> 1/2): 10 owners all vote; yes-voters 100 m², no-voters 1 m² -----
# 6/10 > 1/2 (above), 5/10 = 1/2 (at: not more), 4/10 < 1/2 (below)
@pytest.mark.parametrize(("yes", "passed"), [(6, True), (5, False), (4, False)])
def test_ordinary_by_headcount(yes: int, passed: bool) -> None:
    units = reg(*(["100"] * yes + ["1"] * (10 - yes)))
    t = tally(units, {f"u{i}": (Y if i < yes else N) for i in range(10)}, Kind.ordinary)
    assert t.yes_owners == yes and t.passed is passed


def test_one_owner_many_units_and_the_developer_count_once() -> None:
    units = [
        UnitRec("1-101", D("89.5"), owner="张三"),
        UnitRec("1-102", D("102.3"), owner="张三"),  # 张三: one owner, 191.8 m²
        UnitRec("1-201", D("89.5"), owner="李四"),
        UnitRec("1-202", D("102.3")),  # no owner named: the unit is one person
        UnitRec("2-101", D("76.8"), developer=True),
        UnitRec("2-102", D("76.8"), developer=True),  # the developer: one owner, 153.6 m²
    ]
    # 张三 votes yes on one of his units (it carries both), 李四 abstains, the developer no
    t = tally(units, {"1-101": Y, "1-201": A, "2-101": N}, Kind.ordinary)
    assert t.total_owners == 4 and t.total_area == D("537.2")
    assert (t.participating_owners, t.participating_area) == (3, D("434.9"))  # 191.8+89.5+153.6
    assert (t.yes_owners, t.yes_area, t.no_owners, t.no_area) == (1, D("191.8"), 1, D("153.6"))
    # quorum: 434.9/537.2 ≥ 2/3 and 3/4 ≥ 2/3; ordinary: 191.8/434.9 ≤ 1/2 → not passed
    assert t.quorum_met and not t.passed
    assert t.as_json() == {
        "kind": "ordinary",
        "total_area": "537.20",
        "total_owners": 4,
        "participating_area": "434.90",
        "participating_owners": 3,
        "yes_area": "191.80",
        "yes_owners": 1,
        "quorum_met": True,
        "passed": False,
    }


def test_an_owners_units_with_different_choices_are_refused() -> None:
    units = [UnitRec("a", D(1), owner="X"), UnitRec("b", D(1), owner="X"), UnitRec("c", D(1))]
    with pytest.raises(TallyConflict) as err:
        tally(units, {"a": Y, "b": N, "c": Y}, Kind.ordinary)
    assert err.value.owners == {"o:X": ["a", "b"]}
    # the same choice on both units is one vote
    assert tally(units, {"a": Y, "b": Y}, Kind.ordinary).participating_owners == 1


def test_thresholds_are_configurable_and_no_votes_pass_nothing() -> None:
    units = reg("1", "1", "1", "1")
    # 2 of 4 take part: below the 2/3 default quorum, at a configured 1/2
    assert not tally(units, {"u0": Y, "u1": Y}, Kind.special).quorum_met
    half = Thresholds(quorum=Fraction(1, 2))
    assert tally(units, {"u0": Y, "u1": Y}, Kind.special, half).passed
    assert not tally(units, {}, Kind.ordinary).passed
    assert not tally([], {}, Kind.ordinary).quorum_met


def test_choice_words_and_register_areas() -> None:
    assert [parse_choice(w) for w in ("YES", " 同意", "反对", "弃权", "maybe")] == [Y, Y, N, A, None]
    assert area_of(89.5) == D("89.5") and area_of(102.3) == D("102.3")
