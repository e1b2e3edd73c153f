"""services.calendar / services.sla_defaults: every expected instant below was derived by hand.

2026 China facts used (holidays 0.109, checked against the State Council notice):
  New Year Jan 1-3 (Jan 4 Sun works); Spring Festival Feb 15-23 (Sat Feb 14, Sat Feb 28
  work); Qingming Apr 4-6; Labour Day May 1-5 (Sat May 9 works); Dragon Boat Jun 19-21;
  Mid-Autumn Sep 25-27; National Day Oct 1-7 (Sun Sep 20, Sat Oct 10 work).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from services.calendar import (
    BusinessCalendar,
    WorkingHours,
    due_at,
    elapsed_business_time,
    elapsed_fraction,
    load_overrides,
    reminder_times,
)
from services.sla_defaults import (
    DEFAULT_REMINDER_FRACTIONS,
    Span,
    default_auto_close_after,
    default_escalation_deadlines,
    default_sla_targets,
)

UTC = UTC
SH = ZoneInfo("Asia/Shanghai")
BER = ZoneInfo("Europe/Berlin")
H = timedelta(hours=1)
M = timedelta(minutes=1)
ALL_WEEK = frozenset(range(7))


def sh(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SH)


def ber(y: int, mo: int, d: int, h: int = 0, mi: int = 0, fold: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=BER, fold=fold)


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=UTC)


@pytest.fixture(scope="module")
def cn() -> BusinessCalendar:
    return BusinessCalendar.china(years=[2026])


@pytest.fixture(scope="module")
def plain() -> BusinessCalendar:
    return BusinessCalendar()  # Asia/Shanghai, 08:30-17:30 Mon-Fri, no holidays


# -- working days ------------------------------------------------------------------------------
def test_weekdays_and_weekends(plain: BusinessCalendar) -> None:
    assert [plain.is_working_day(date(2026, 3, d)) for d in range(2, 9)] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,  # Mon 2 .. Sun 8
    ]


def test_make_up_working_days_2026_come_from_the_library(cn: BusinessCalendar) -> None:
    make_up = {d for d in cn.workdays if d.year == 2026}
    assert make_up == {
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    }
    assert all(d.weekday() >= 5 and cn.is_working_day(d) for d in make_up)
    assert not cn.is_working_day(date(2026, 2, 21))  # an ordinary Saturday


def test_national_day_and_spring_festival_2026(cn: BusinessCalendar) -> None:
    assert cn.is_working_day(date(2026, 9, 30))
    assert not any(cn.is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert cn.is_working_day(date(2026, 10, 8))
    assert not any(cn.is_working_day(date(2026, 2, d)) for d in range(15, 24))
    assert cn.is_working_day(date(2026, 2, 24))


def test_default_years_follow_today() -> None:
    with time_machine.travel(datetime(2026, 6, 1, 12, tzinfo=SH), tick=False):
        cal = BusinessCalendar.china()  # loads 2025, 2026, 2027
    assert cal.is_working_day(date(2025, 1, 26))  # 2025 make-up Sunday
    assert not cal.is_working_day(date(2026, 10, 1))
    assert not cal.is_working_day(date(2027, 2, 8))  # library's 2027 Spring Festival


# -- add_business_time / next_opening / business_time_between -------------------------------
def test_add_inside_one_day_returns_utc(plain: BusinessCalendar) -> None:
    due = plain.add_business_time(sh(2026, 3, 2, 9), 2 * H)  # Mon 09:00 + 2 h = 11:00
    assert due == utc(2026, 3, 2, 3)
    assert due.tzinfo is UTC


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (sh(2026, 3, 2, 16, 30), 2 * H, utc(2026, 3, 3, 1, 30)),  # Mon 16:30 -> Tue 09:30
        (sh(2026, 3, 6, 16), 3 * H, utc(2026, 3, 9, 2)),  # Fri 16:00 -> Mon 10:00
        (sh(2026, 3, 7, 12), H, utc(2026, 3, 9, 1, 30)),  # Sat -> Mon 09:30
        (sh(2026, 3, 2, 7), H, utc(2026, 3, 2, 1, 30)),  # Mon 07:00 -> Mon 09:30
        (sh(2026, 3, 2, 20), 30 * M, utc(2026, 3, 3, 1)),  # Mon 20:00 -> Tue 09:00
        (sh(2026, 3, 2, 8, 30), 9 * H, utc(2026, 3, 2, 9, 30)),  # exactly to Mon 17:30
        (sh(2026, 3, 2, 17, 30), timedelta(0), utc(2026, 3, 3, 0, 30)),  # closed -> Tue 08:30
        (sh(2026, 3, 2, 10), timedelta(0), utc(2026, 3, 2, 2)),  # open -> itself
        (utc(2026, 3, 2, 2), 2 * H, utc(2026, 3, 2, 4)),  # UTC input = Mon 10:00 Shanghai
    ],
)
def test_add_business_time(
    plain: BusinessCalendar, start: datetime, duration: timedelta, expected: datetime
) -> None:
    assert plain.add_business_time(start, duration) == expected


def test_next_opening(plain: BusinessCalendar, cn: BusinessCalendar) -> None:
    assert plain.next_opening(sh(2026, 3, 7, 12)) == utc(2026, 3, 9, 0, 30)  # Sat -> Mon
    assert plain.next_opening(sh(2026, 3, 2, 10)) == utc(2026, 3, 2, 2)  # open: itself
    assert plain.next_opening(sh(2026, 3, 2, 17, 30)) == utc(2026, 3, 3, 0, 30)
    assert cn.next_opening(sh(2026, 9, 30, 18)) == utc(2026, 10, 8, 0, 30)  # after Golden Week
    assert cn.is_open(sh(2026, 10, 10, 9)) and not cn.is_open(sh(2026, 10, 7, 9))


def test_before_holiday_long_weekends(cn: BusinessCalendar) -> None:
    # Fri Apr 3 17:00: 0.5 h, then Qingming Sat 4 - Mon 6, Tue Apr 7 08:30 + 1.5 h.
    assert cn.add_business_time(sh(2026, 4, 3, 17), 2 * H) == utc(2026, 4, 7, 2)
    # Wed Sep 30 17:00: 0.5 h, National Day Oct 1-7, Thu Oct 8 10:00.
    assert cn.add_business_time(sh(2026, 9, 30, 17), 2 * H) == utc(2026, 10, 8, 2)
    # Fri Feb 13 17:00 before Spring Festival: Sat Feb 14 is a make-up working day.
    assert cn.add_business_time(sh(2026, 2, 13, 17), 2 * H) == utc(2026, 2, 14, 2)
    # 10 h = 0.5 Fri + 9 Sat Feb 14 + 0.5 on Tue Feb 24 (Feb 15-23 closed) -> 09:00.
    assert cn.add_business_time(sh(2026, 2, 13, 17), 10 * H) == utc(2026, 2, 24, 1)


def test_thirty_business_days(cn: BusinessCalendar) -> None:
    # From Mon Jun 1 08:30 the 30th working day is Mon Jul 13 (Fri Jun 19 Dragon Boat).
    start = sh(2026, 6, 1, 8, 30)
    due = cn.add_business_time(start, cn.business_days(30))
    assert due == utc(2026, 7, 13, 9, 30)  # 17:30 Shanghai
    assert cn.business_time_between(start, due) == 270 * H


def test_business_time_between(plain: BusinessCalendar, cn: BusinessCalendar) -> None:
    assert plain.business_time_between(sh(2026, 3, 6, 16), sh(2026, 3, 9, 10)) == 3 * H
    assert plain.business_time_between(sh(2026, 3, 9, 10), sh(2026, 3, 6, 16)) == timedelta(0)
    assert cn.business_time_between(sh(2026, 9, 30, 8, 30), sh(2026, 10, 9, 8, 30)) == 18 * H


STARTS = [
    sh(2026, 2, 13, 17),
    sh(2026, 3, 2, 8, 30),
    sh(2026, 3, 7, 3),
    sh(2026, 9, 30, 12),
    ber(2026, 3, 27, 16, 30),
    ber(2026, 10, 23, 17, 29),
    ber(2026, 3, 29, 2, 30),
]
DURATIONS = [
    timedelta(0),
    M,
    30 * M,
    9 * H - M,
    9 * H,
    9 * H + M,
    27 * H,
    100 * H,
    270 * H,
    timedelta(hours=3, microseconds=7),
]


@pytest.mark.parametrize("tz", ["Asia/Shanghai", "Europe/Berlin"])
def test_round_trip(tz: str) -> None:
    cal = BusinessCalendar.china(tz=tz, years=[2026])
    for start in STARTS:
        for d in DURATIONS:
            assert cal.business_time_between(start, cal.add_business_time(start, d)) == d


# -- YAML overrides ----------------------------------------------------------------------------
OVERRIDE_YAML = """\
# dates the library does not know yet
holidays: [2027-02-11, 2027-02-12]
workdays: [2027-02-20]
not_holidays: ["2027-10-05"]
"""


def test_yaml_override_2027(tmp_path: Path) -> None:
    path = tmp_path / "cn-2027.yaml"
    path.write_text(OVERRIDE_YAML, encoding="utf-8")
    library_only = BusinessCalendar.china(years=[2027])
    cal = BusinessCalendar.china(years=[2026], overrides=path)  # 2027 loaded via the file
    assert library_only.is_working_day(date(2027, 2, 11))
    assert not cal.is_working_day(date(2027, 2, 11)) and not cal.is_working_day(date(2027, 2, 12))
    assert not library_only.is_working_day(date(2027, 2, 20))
    assert cal.is_working_day(date(2027, 2, 20))  # Saturday made a working day
    assert not library_only.is_working_day(date(2027, 10, 5))
    assert cal.is_working_day(date(2027, 10, 5))  # not_holidays wins over the library
    assert not cal.is_working_day(date(2027, 2, 8))  # library holiday still there
    # Thu Feb 4 17:00: 0.5 h; Feb 5-14 closed (library 5-10, file 11-12, weekend); Mon Feb 15.
    assert cal.add_business_time(sh(2027, 2, 4, 17), 2 * H) == utc(2027, 2, 15, 2)
    # Fri Feb 19 17:00: 0.5 h, then the make-up Saturday Feb 20 08:30 + 1.5 h.
    assert cal.add_business_time(sh(2027, 2, 19, 17), 2 * H) == utc(2027, 2, 20, 2)
    as_dict = {
        "holidays": ["2027-02-11", date(2027, 2, 12)],
        "workdays": ["2027-02-20"],
        "not_holidays": [date(2027, 10, 5)],
    }
    assert BusinessCalendar.china(years=[2026], overrides=as_dict) == cal


def test_override_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown"):
        load_overrides({"holiday": ["2027-01-01"]})
    with pytest.raises(ValueError, match="both"):
        load_overrides({"holidays": ["2027-01-01"], "workdays": ["2027-01-01"]})
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    assert load_overrides(empty) == {k: frozenset() for k in ("holidays", "workdays", "not_holidays")}


# -- 24/7 and DST --------------------------------------------------------------------------------
def test_twenty_four_seven() -> None:
    cal = BusinessCalendar.twenty_four_seven()
    assert cal.is_working_day(date(2026, 10, 3))
    assert cal.add_business_time(sh(2026, 10, 3, 23, 50), 30 * M) == utc(2026, 10, 3, 16, 20)
    assert cal.business_time_between(sh(2026, 10, 3), sh(2026, 10, 5)) == 48 * H
    assert cal.next_opening(sh(2026, 10, 3, 3)) == utc(2026, 10, 2, 19)


def test_dst_weekends_berlin_vs_shanghai() -> None:
    berlin, shanghai = BusinessCalendar(tz="Europe/Berlin"), BusinessCalendar()
    # Fri 16:30 + 2 h -> Mon 09:30 wall clock; Berlin's offset changed over the weekend.
    assert berlin.add_business_time(ber(2026, 3, 27, 16, 30), 2 * H) == utc(2026, 3, 30, 7, 30)
    assert berlin.add_business_time(ber(2026, 10, 23, 16, 30), 2 * H) == utc(2026, 10, 26, 8, 30)
    assert shanghai.add_business_time(sh(2026, 3, 27, 16, 30), 2 * H) == utc(2026, 3, 30, 1, 30)
    assert berlin.business_time_between(ber(2026, 3, 27, 17), ber(2026, 3, 30, 9)) == H
    # 24/7 counts real time: Sat 23:00 CET + 4 h = Sun 04:00 CEST (not 03:00).
    always = BusinessCalendar.twenty_four_seven("Europe/Berlin")
    assert always.add_business_time(ber(2026, 3, 28, 23), 4 * H) == utc(2026, 3, 29, 2)
    assert always.business_time_between(ber(2026, 3, 29), ber(2026, 3, 30)) == 23 * H
    assert always.business_time_between(ber(2026, 10, 25), ber(2026, 10, 26)) == 25 * H


def test_working_hours_across_the_transition() -> None:
    night = WorkingHours(start=time(1), end=time(5), weekdays=ALL_WEEK)
    berlin = BusinessCalendar(tz="Europe/Berlin", hours=night)
    # 01:00 CET (00:00Z) .. 05:00 CEST (03:00Z): 3 real hours.
    # Fall back: 01:00 CEST (23:00Z) .. 05:00 CET (04:00Z): 5 real hours.
    assert berlin.business_time_between(ber(2026, 3, 29), ber(2026, 3, 30)) == 3 * H
    assert berlin.add_business_time(ber(2026, 3, 29), 2 * H) == utc(2026, 3, 29, 2)
    assert berlin.business_time_between(ber(2026, 10, 25), ber(2026, 10, 26)) == 5 * H
    assert BusinessCalendar(hours=night).business_time_between(sh(2026, 3, 29), sh(2026, 3, 30)) == 4 * H
    # An opening time in the gap moves forward by the gap; in the fold it is the first 02:30.
    gap = BusinessCalendar(tz="Europe/Berlin", hours=WorkingHours(time(2, 30), time(5), ALL_WEEK))
    assert gap.next_opening(ber(2026, 3, 29)) == utc(2026, 3, 29, 1, 30)  # 03:30 CEST
    assert gap.next_opening(ber(2026, 10, 25)) == utc(2026, 10, 25, 0, 30)  # 02:30 CEST
    assert gap.business_time_between(ber(2026, 10, 25), ber(2026, 10, 26)) == 3.5 * H


def test_input_validation(plain: BusinessCalendar) -> None:
    with pytest.raises(ValueError):
        plain.add_business_time(datetime(2026, 3, 2, 10), H)
    with pytest.raises(ValueError):
        plain.add_business_time(sh(2026, 3, 2, 10), -H)
    with pytest.raises(ValueError):
        WorkingHours(start=time(18), end=time(9))


# -- SLA clock with pauses -------------------------------------------------------------------
START = sh(2026, 3, 5, 16)  # Thu 16:00
TARGET = 27 * H  # 3 business days
PAUSES = [
    (sh(2026, 3, 5, 17), sh(2026, 3, 9, 10)),  # Thu 17:00 over the weekend to Mon 10:00
    (sh(2026, 3, 6, 9), sh(2026, 3, 6, 12)),  # inside the first one
    (sh(2026, 3, 10, 20), sh(2026, 3, 11, 7)),  # a night: no business time
]


def test_due_without_and_with_pauses(plain: BusinessCalendar) -> None:
    assert plain.business_days(3) == TARGET
    # 1.5 Thu + 9 Fri + 9 Mon + 7.5 Tue -> Tue 16:00.
    assert due_at(plain, START, TARGET, []) == utc(2026, 3, 10, 8)
    # 1 h before the pause, then from Mon 10:00: 7.5 Mon + 9 Tue + 9 Wed + 0.5 -> Thu 09:00.
    assert due_at(plain, START, TARGET, PAUSES) == utc(2026, 3, 12, 1)


def test_open_pause(plain: BusinessCalendar) -> None:
    assert due_at(plain, START, TARGET, [(sh(2026, 3, 5, 17), None)]) is None
    # Already breached (due Tue 16:00) before the open pause began: the breach stands.
    assert due_at(plain, START, TARGET, [(sh(2026, 3, 11, 9), None)]) == utc(2026, 3, 10, 8)
    now = sh(2026, 3, 9, 12)
    assert elapsed_business_time(plain, START, [(sh(2026, 3, 5, 17), None)], now) == H


def test_elapsed_fraction(plain: BusinessCalendar) -> None:
    # 1 h Thu + Mon 10:00-12:00 = 3 h of 27.
    assert elapsed_fraction(plain, START, TARGET, PAUSES, sh(2026, 3, 9, 12)) == 1 / 9
    # Due Thu Mar 12 09:00, then 8.5 h Thu + 9 h Fri over: 44.5 / 27.
    assert elapsed_fraction(plain, START, TARGET, PAUSES, sh(2026, 3, 13, 17, 30)) == 89 / 54
    assert elapsed_fraction(plain, START, TARGET, PAUSES, sh(2026, 3, 12, 9)) == 1.0


def test_reminder_times(plain: BusinessCalendar) -> None:
    start = sh(2026, 3, 2, 10)  # Mon 10:00, 27 h target
    # 50 % = 13.5 h: 7.5 Mon + 6 Tue -> Tue 14:30; 80 % = 21 h 36 min -> Wed 13:36.
    assert reminder_times(plain, start, TARGET, [], DEFAULT_REMINDER_FRACTIONS) == [
        utc(2026, 3, 3, 6, 30),
        utc(2026, 3, 4, 5, 36),
    ]
    # Open pause from Wed 12:00 (20 h elapsed): only the 50 % reminder is defined.
    assert reminder_times(plain, start, TARGET, [(sh(2026, 3, 4, 12), None)]) == [utc(2026, 3, 3, 6, 30)]
    assert reminder_times(plain, start, TARGET, [(sh(2026, 3, 3, 12), None)]) == []
    # Pause Tue 17:00 -> Thu 08:30: 80 % = 7.5 Mon + 8.5 Tue + 5 h 36 min Thu -> Thu 14:06.
    pause = [(sh(2026, 3, 3, 17), sh(2026, 3, 5, 8, 30))]
    assert reminder_times(plain, start, TARGET, pause) == [utc(2026, 3, 3, 6, 30), utc(2026, 3, 5, 6, 6)]


# -- default policy table ------------------------------------------------------------------------
def test_sla_defaults_resolve(cn: BusinessCalendar) -> None:
    by_priority = {t.priority: t for t in default_sla_targets()}
    assert set(by_priority) == {"emergency", "urgent", "normal"}
    assert all(t.category is None for t in by_priority.values())
    normal, urgent = by_priority["normal"], by_priority["urgent"]
    emergency = by_priority["emergency"]
    # Normal, reported Wed Sep 30 10:00: 1 business day -> Thu Oct 8 10:00 (after Golden Week).
    cal, target = normal.first_response.resolve(cn)
    assert due_at(cal, sh(2026, 9, 30, 10), target) == utc(2026, 10, 8, 2)
    assert normal.resolution is not None
    cal, target = normal.resolution.resolve(cn)
    # 7.5 h Sep 30 + 9 Oct 8 + 9 Oct 9 + 1.5 on the make-up Saturday Oct 10 -> 10:00.
    assert due_at(cal, sh(2026, 9, 30, 10), target) == utc(2026, 10, 10, 2)
    # Urgent resolution: 24 wall-clock hours, even across National Day.
    assert urgent.resolution is not None
    cal, target = urgent.resolution.resolve(cn)
    assert due_at(cal, sh(2026, 9, 30, 16), target) == utc(2026, 10, 1, 8)
    cal, target = urgent.first_response.resolve(cn)
    assert due_at(cal, sh(2026, 9, 30, 16), target) == utc(2026, 9, 30, 10)  # 2 wall-clock hours
    # Emergency: 24/7, 15 min response, 30 min on site, no resolution deadline.
    assert emergency.resolution is None and emergency.on_site is not None
    cal, target = emergency.on_site.resolve(cn)
    assert due_at(cal, sh(2026, 10, 1, 23, 50), target) == utc(2026, 10, 1, 16, 20)
    cal, target = emergency.first_response.resolve(cn)
    assert reminder_times(cal, sh(2026, 10, 1, 23, 55), target) == [
        utc(2026, 10, 1, 16, 2, 30),
        utc(2026, 10, 1, 16, 7),
    ]
    assert [
        (e.level, e.name, e.deadline.business_days, e.official) for e in default_escalation_deadlines()
    ] == [(1, "community", 1, False), (2, "street", 2, False), (3, "district", 3, False)]
    assert default_auto_close_after() == Span("24x7", time=timedelta(days=3))
    with pytest.raises(ValueError):
        Span("24x7", business_days=1)
