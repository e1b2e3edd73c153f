"""Business-time arithmetic for SLA clocks. Pure: no database, chat or scheduler imports.

* Working hours are wall-clock times in the calendar's zone. A wall-clock time that does not
  exist (spring-forward gap) is read with the offset before the jump, i.e. shifted forward by
  the gap (02:30 -> 03:30 in Europe/Berlin); an ambiguous one (fall-back fold) is its first
  occurrence. Inputs must be timezone-aware; every result is in UTC.
* Precedence for a date: make-up working day > holiday > ``WorkingHours.weekdays``.
  Dates outside the years loaded into a calendar fall back to the weekday rule.
* Intervals are half-open: the calendar is open in [opening, closing). ``add_business_time``
  returns the closing time (not the next opening) when the duration ends exactly there.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import combinations
from typing import Any
from zoneinfo import ZoneInfo

import holidays as holidays_lib
import yaml  # type: ignore[import-untyped, unused-ignore]
from holidays.constants import PUBLIC

from services.errors import DomainError

Pause = tuple[datetime, datetime | None]
"""A pause of the SLA clock: (start, end); end None = still paused."""

_ZERO = timedelta(0)
_MAX_CLOSED_DAYS = 3660  # ten years without a working day: the calendar is misconfigured
_OVERRIDE_KEYS = ("holidays", "workdays", "not_holidays")


@dataclass(frozen=True)
class WorkingHours:
    """Daily opening hours (wall clock, same day; no overnight shifts). Weekdays: Monday=0."""

    start: time = time(8, 30)
    end: time = time(17, 30)
    weekdays: frozenset[int] = frozenset(range(5))

    def __post_init__(self) -> None:
        object.__setattr__(self, "weekdays", frozenset(self.weekdays))
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("working hours are naive wall-clock times")
        if not self.start < self.end:
            raise ValueError("working hours must start before they end")
        if not self.weekdays or not self.weekdays <= frozenset(range(7)):
            raise ValueError("weekdays must be a non-empty subset of 0..6 (Monday=0)")

    @property
    def day_length(self) -> timedelta:
        """Wall-clock length of one working day (9 h for 08:30-17:30)."""
        return datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)


def _utc(dt: datetime) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"timezone-aware datetime required, got {dt!r}")
    return dt.astimezone(UTC)


class HolidayFileInvalid(DomainError, ValueError):
    """The holiday override (GONGZHI_HOLIDAYS_FILE) cannot be used; ``code`` says why:
    holidays_file_missing, holidays_file_yaml, holidays_file_shape, holidays_file_unknown_keys,
    holidays_file_date, holidays_file_in_both. Checked when the bot starts: it refuses to run."""


def _as_date(value: object, path: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise HolidayFileInvalid("holidays_file_date", path=path, value=str(value))


def load_overrides(
    source: str | os.PathLike[str] | Mapping[str, Any] | None,
) -> dict[str, frozenset[date]]:
    """Read a holiday override (YAML file path or dict) into ``holidays``, ``workdays``,
    ``not_holidays`` date sets. A missing file, bad YAML, unknown keys, a value that is not a
    date and a date listed under two keys raise HolidayFileInvalid (a ValueError)."""
    data: Any = source if source is not None else {}
    path = "" if isinstance(data, Mapping) else str(data)
    if not isinstance(data, Mapping):
        try:
            with open(data, encoding="utf-8") as fh:
                # every scalar a string: a bad date is reported as such, not as YAML's ValueError
                data = yaml.load(fh, Loader=yaml.BaseLoader) or {}
        except OSError as err:
            raise HolidayFileInvalid("holidays_file_missing", path=path, reason=err.strerror or "") from err
        except (yaml.YAMLError, UnicodeDecodeError) as err:
            mark = getattr(err, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            raise HolidayFileInvalid("holidays_file_yaml", path=path, line=line) from err
    if not isinstance(data, Mapping):
        raise HolidayFileInvalid("holidays_file_shape", path=path)
    unknown = set(data) - set(_OVERRIDE_KEYS)
    if unknown:
        raise HolidayFileInvalid(
            "holidays_file_unknown_keys", path=path, keys=", ".join(sorted(map(str, unknown)))
        )
    out: dict[str, frozenset[date]] = {}
    for key in _OVERRIDE_KEYS:
        values = data.get(key) or ()
        if not isinstance(values, (list, tuple, set, frozenset)):
            raise HolidayFileInvalid("holidays_file_shape", path=path)
        out[key] = frozenset(_as_date(v, path) for v in values)
    for a, b in combinations(_OVERRIDE_KEYS, 2):
        if clash := out[a] & out[b]:
            dates = ", ".join(d.isoformat() for d in sorted(clash))
            raise HolidayFileInvalid("holidays_file_in_both", path=path, dates=dates, first=a, second=b)
    return out


def years_without_workdays(cal: BusinessCalendar, years: Iterable[int]) -> list[int]:
    """The years for which the calendar knows no make-up working day (调休): every year
    since 2000 has had some, so none means the ``holidays`` package (or the override file)
    does not know that year's schedule yet, and its deadlines follow the plain weekday rule."""
    known = {d.year for d in cal.workdays}
    return [y for y in years if y not in known]


@dataclass(frozen=True)
class BusinessCalendar:
    """Working days and hours in one time zone; immutable, so safe to share."""

    tz: str = "Asia/Shanghai"
    hours: WorkingHours = field(default_factory=WorkingHours)
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()  # make-up working days (调休), even on a weekend
    always_open: bool = False  # 24/7, e.g. emergencies
    zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "zone", ZoneInfo(self.tz))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))

    @classmethod
    def twenty_four_seven(cls, tz: str = "Asia/Shanghai") -> BusinessCalendar:
        return cls(tz=tz, always_open=True)

    @classmethod
    def china(
        cls,
        tz: str = "Asia/Shanghai",
        hours: WorkingHours | None = None,
        years: Iterable[int] | None = None,
        overrides: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    ) -> BusinessCalendar:
        """Holidays and make-up working days from the ``holidays`` package (China, public
        category), merged with an override file. ``years`` defaults to last, this and next
        year; the years of override dates are always loaded too."""
        extra = load_overrides(overrides)
        if years is None:
            this_year = datetime.now(ZoneInfo(tz)).year
            years = range(this_year - 1, this_year + 2)
        wanted = set(years) | {d.year for dates in extra.values() for d in dates}
        lib = holidays_lib.country_holidays("CN", years=sorted(wanted), categories=(PUBLIC,), expand=False)
        # weekend_workdays: Saturdays/Sundays the State Council notice turns into working days.
        off = (set(lib.keys()) | extra["holidays"]) - extra["workdays"] - extra["not_holidays"]
        on = (set(lib.weekend_workdays) | extra["workdays"]) - extra["holidays"]
        on -= extra["not_holidays"]
        return cls(tz=tz, hours=hours or WorkingHours(), holidays=frozenset(off), workdays=frozenset(on))

    # -- days ------------------------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        if self.always_open or day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() in self.hours.weekdays

    def business_days(self, n: int) -> timedelta:
        """Business time of ``n`` working days: ``n`` x day length (24 h each when 24/7).
        From a start inside working hours this ends at the same clock time ``n`` working
        days later."""
        return n * (timedelta(days=1) if self.always_open else self.hours.day_length)

    def _local_date(self, t: datetime) -> date:
        return t.astimezone(self.zone).date()

    def _instant(self, day: date, wall: time) -> datetime:
        # fold=0: a gap time is read with the pre-transition offset (shifted forward),
        # an ambiguous time is its first occurrence.
        return datetime.combine(day, wall, tzinfo=self.zone).astimezone(UTC)

    def _windows(self, first_day: date) -> Iterator[tuple[datetime, datetime]]:
        """(opening, closing) in UTC of each working day from ``first_day`` on, in order."""
        day, closed = first_day, 0
        while True:
            if self.is_working_day(day):
                closed = 0
                opening = self._instant(day, self.hours.start)
                closing = self._instant(day, self.hours.end)
                if closing > opening:
                    yield opening, closing
            else:
                closed += 1
                if closed > _MAX_CLOSED_DAYS:
                    raise ValueError(f"no working day within {_MAX_CLOSED_DAYS} days")
            day += timedelta(days=1)

    # -- instants --------------------------------------------------------------------------
    def next_opening(self, dt: datetime) -> datetime:
        """Earliest instant >= ``dt`` at which the calendar is open (``dt`` itself if open)."""
        t = _utc(dt)
        if self.always_open:
            return t
        for opening, closing in self._windows(self._local_date(t)):
            if closing > t:
                return max(opening, t)
        raise AssertionError("unreachable")  # pragma: no cover

    def is_open(self, dt: datetime) -> bool:
        return self.next_opening(dt) == _utc(dt)

    def add_business_time(self, start: datetime, duration: timedelta) -> datetime:
        """Instant at which ``duration`` of business time has elapsed since ``start``."""
        if duration < _ZERO:
            raise ValueError("duration must not be negative")
        t = _utc(start)
        if self.always_open:
            return t + duration
        remaining = duration
        for opening, closing in self._windows(self._local_date(t)):
            if closing <= t:
                continue
            t = max(t, opening)
            if remaining <= closing - t:
                return t + remaining
            remaining -= closing - t
        raise AssertionError("unreachable")  # pragma: no cover

    def business_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Business time inside [a, b); zero when ``b <= a``."""
        a, b = _utc(a), _utc(b)
        if b <= a:
            return _ZERO
        if self.always_open:
            return b - a
        total = _ZERO
        for opening, closing in self._windows(self._local_date(a)):
            if opening >= b:
                break
            total += max(_ZERO, min(closing, b) - max(opening, a))
        return total


# -- SLA clock (pure functions) ----------------------------------------------------------------
def _merge_pauses(started: datetime, pauses: Iterable[Pause]) -> list[Pause]:
    """UTC pauses clipped to ``started``, sorted, overlaps merged; an open pause absorbs
    every later one."""
    normal: list[Pause] = []
    for p0, p1 in pauses:
        s, e = _utc(p0), (None if p1 is None else _utc(p1))
        if e is not None and e < s:
            raise ValueError(f"pause ends before it starts: {p0!r} .. {p1!r}")
        normal.append((max(s, started), e))
    merged: list[Pause] = []
    for s, e in sorted(normal, key=lambda p: p[0]):
        if e is not None and e <= s:
            continue  # empty, or entirely before the clock started
        if merged and (merged[-1][1] is None or s <= merged[-1][1]):
            last_s, last_e = merged[-1]
            merged[-1] = (last_s, None if last_e is None or e is None else max(last_e, e))
        else:
            merged.append((s, e))
    return merged


def due_at(
    calendar: BusinessCalendar,
    started_at: datetime,
    target: timedelta,
    paused_intervals: Iterable[Pause] = (),
) -> datetime | None:
    """When ``target`` business time, not counting pauses, has elapsed since ``started_at``.

    None while the clock is paused (open pause) and the target was not already reached
    before that pause began (a breach that happened before the pause stays a breach)."""
    if target < _ZERO:
        raise ValueError("target must not be negative")
    t, remaining = _utc(started_at), target
    for p0, p1 in _merge_pauses(t, paused_intervals):
        running = calendar.business_time_between(t, p0)
        if remaining <= running:
            return calendar.add_business_time(t, remaining)
        remaining -= running
        if p1 is None:
            return None
        t = p1
    return calendar.add_business_time(t, remaining)


def elapsed_business_time(
    calendar: BusinessCalendar, started_at: datetime, paused_intervals: Iterable[Pause], now: datetime
) -> timedelta:
    """Business time the clock has run in [started_at, now), pauses excluded."""
    t, end, total = _utc(started_at), _utc(now), _ZERO
    for p0, p1 in _merge_pauses(t, paused_intervals):
        if p0 >= end:
            break
        total += calendar.business_time_between(t, p0)
        if p1 is None:
            return total
        t = p1
    return total + calendar.business_time_between(t, end)


def elapsed_fraction(
    calendar: BusinessCalendar,
    started_at: datetime,
    target: timedelta,
    paused_intervals: Iterable[Pause],
    now: datetime,
) -> float:
    """Elapsed share of ``target``: 0.0 at start, 1.0 at due, > 1.0 when breached."""
    if target <= _ZERO:
        raise ValueError("target must be positive")
    return elapsed_business_time(calendar, started_at, paused_intervals, now) / target


def reminder_times(
    calendar: BusinessCalendar,
    started_at: datetime,
    target: timedelta,
    paused_intervals: Iterable[Pause] = (),
    fractions: Sequence[float] = (0.5, 0.8),
) -> list[datetime]:
    """Reminder instants for ``fractions`` of ``target``, ascending by fraction. While an
    open pause lasts, only reminders reached before it began are returned (a prefix)."""
    if target <= _ZERO or any(f <= 0 for f in fractions):
        raise ValueError("target and fractions must be positive")
    pauses = list(paused_intervals)
    times: list[datetime] = []
    for fraction in sorted(fractions):
        due = due_at(calendar, started_at, target * fraction, pauses)
        if due is None:
            break
        times.append(due)
    return times
