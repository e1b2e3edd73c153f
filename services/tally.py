"""The Art. 278 tally (民法典 第二百七十八条 and the Supreme People's Court interpretation),
as pure functions over exact numbers: areas are ``Decimal`` m², shares are ``Fraction``.

* Who counts as one owner: one unit is one person; all units of one owner (the same ``owner``
  value in the register) are one; all units the developer still holds are one.
* An owner's vote carries the area of all their units (the register's exclusive area).
* Quorum: owners holding ≥ ``quorum`` of the total area AND ≥ ``quorum`` of all owners take
  part (abstaining is taking part).
* Result: yes ≥ ``special`` (special matters) or > ``ordinary`` (ordinary matters) of the
  participating area AND of the participating owners.

The thresholds come from DomainConfig (defaults 2/3, 3/4, 1/2: domain-rules.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from services.errors import DomainError

TWO_PLACES = Decimal("0.01")
DEVELOPER = "developer"  # the owner key of every unit the developer still holds


class Kind(StrEnum):
    ordinary = "ordinary"
    special = "special"


class Choice(StrEnum):
    yes = "yes"
    no = "no"
    abstain = "abstain"


# what a paper ballot or a chat message may say
CHOICE_WORDS: Mapping[str, Choice] = {
    "yes": Choice.yes,
    "no": Choice.no,
    "abstain": Choice.abstain,
    "同意": Choice.yes,
    "反对": Choice.no,
    "弃权": Choice.abstain,
}


def parse_choice(word: str) -> Choice | None:
    return CHOICE_WORDS.get(word.strip().lower())


@dataclass(frozen=True)
class Thresholds:
    quorum: Fraction = Fraction(2, 3)  # ≥, of area and of owners
    special: Fraction = Fraction(3, 4)  # ≥, of the participating area and owners
    ordinary: Fraction = Fraction(1, 2)  # >, of the participating area and owners


@dataclass(frozen=True)
class UnitRec:
    """One unit of the register: its code, exclusive area and owner (id or name)."""

    code: str
    area: Decimal
    owner: str | None = None
    developer: bool = False

    @property
    def owner_key(self) -> str:
        if self.developer:
            return DEVELOPER
        return f"o:{self.owner}" if self.owner else f"u:{self.code}"


def area_of(value: float | Decimal | str) -> Decimal:
    """A register area as an exact decimal (a float column keeps its shortest repr)."""
    return (
        value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
    )


@dataclass(frozen=True)
class Tally:
    kind: Kind
    total_area: Decimal
    total_owners: int
    participating_area: Decimal
    participating_owners: int
    yes_area: Decimal
    yes_owners: int
    no_area: Decimal
    no_owners: int
    quorum_met: bool
    passed: bool

    def as_json(self) -> dict[str, Any]:
        """The keys ``gongzhi vote tally --json`` prints (areas as 2-place strings)."""

        def a(x: Decimal) -> str:
            return str(x.quantize(TWO_PLACES))

        return {
            "kind": self.kind.value,
            "total_area": a(self.total_area),
            "total_owners": self.total_owners,
            "participating_area": a(self.participating_area),
            "participating_owners": self.participating_owners,
            "yes_area": a(self.yes_area),
            "yes_owners": self.yes_owners,
            "quorum_met": self.quorum_met,
            "passed": self.passed,
        }


class TallyConflict(DomainError):
    """One owner's units carry different choices: ``owners`` maps the owner to its units."""

    def __init__(self, owners: Mapping[str, list[str]]) -> None:
        super().__init__(
            "tally_owner_conflict", units="; ".join(", ".join(units) for units in owners.values())
        )
        self.owners = dict(owners)


def share(part: Decimal | int, whole: Decimal | int) -> Fraction:
    """part / whole exactly; 0 when there is no whole."""
    return Fraction(0) if whole == 0 else Fraction(part) / Fraction(whole)


def quorum_met(p_area: Decimal, t_area: Decimal, p_owners: int, t_owners: int, th: Thresholds) -> bool:
    return share(p_area, t_area) >= th.quorum and share(p_owners, t_owners) >= th.quorum


def kind_met(kind: Kind, yes: Decimal | int, participating: Decimal | int, th: Thresholds) -> bool:
    """One measure (area or headcount) against the kind's threshold."""
    if participating == 0:
        return False
    s = share(yes, participating)
    return s >= th.special if kind == Kind.special else s > th.ordinary


def owner_choices(units: Iterable[UnitRec], by_unit: Mapping[str, Choice]) -> dict[str, Choice]:
    """Each owner's one choice from the choices of their units; TallyConflict when an
    owner's units disagree. ``by_unit`` must name register units only."""
    seen: dict[str, dict[str, Choice]] = {}
    for u in units:
        if u.code in by_unit:
            seen.setdefault(u.owner_key, {})[u.code] = by_unit[u.code]
    conflicts = {k: sorted(v) for k, v in seen.items() if len(set(v.values())) > 1}
    if conflicts:
        raise TallyConflict(conflicts)
    return {k: next(iter(v.values())) for k, v in seen.items()}


def tally(
    units: Iterable[UnitRec], by_unit: Mapping[str, Choice], kind: Kind, th: Thresholds = Thresholds()
) -> Tally:
    """The tally of one matter: ``units`` is the compound's register, ``by_unit`` the choice
    recorded for each voting unit (an owner's vote carries all their units' area)."""
    register = list(units)
    areas: dict[str, Decimal] = {}
    for u in register:
        areas[u.owner_key] = areas.get(u.owner_key, Decimal(0)) + u.area
    chosen = owner_choices(register, by_unit)

    def area(choice: Choice | None) -> Decimal:
        return sum((areas[k] for k, c in chosen.items() if choice in (None, c)), Decimal(0))

    def heads(choice: Choice | None) -> int:
        return sum(1 for c in chosen.values() if choice in (None, c))

    total_area, total_owners = sum(areas.values(), Decimal(0)), len(areas)
    p_area, p_owners = area(None), heads(None)
    y_area, y_owners = area(Choice.yes), heads(Choice.yes)
    quorum = quorum_met(p_area, total_area, p_owners, total_owners, th)
    passed = quorum and kind_met(kind, y_area, p_area, th) and kind_met(kind, y_owners, p_owners, th)
    return Tally(
        kind=kind,
        total_area=total_area,
        total_owners=total_owners,
        participating_area=p_area,
        participating_owners=p_owners,
        yes_area=y_area,
        yes_owners=y_owners,
        no_area=area(Choice.no),
        no_owners=heads(Choice.no),
        quorum_met=quorum,
        passed=passed,
    )


def thresholds_of(config: Any) -> Thresholds:
    """The thresholds configured in DomainConfig."""
    return Thresholds(config.vote_quorum, config.vote_special, config.vote_ordinary)
