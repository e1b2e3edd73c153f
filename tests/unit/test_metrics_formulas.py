"""The rate formulas on hand-made numbers, the periods and the ranking order (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.errors import DomainError
from services.metrics import (
    Counts,
    MetricWeights,
    composite_score,
    rates_of,
    ratio,
    satisfaction_rate,
)
from services.periods import following, parse_period, previous, resolve
from services.ranking import rank
from services.ratings import RatingScale


def test_ratio_and_zero_denominator() -> None:
    assert ratio(3, 4) == 0.75
    assert ratio(0, 5) == 0.0
    assert ratio(0, 0) is None


def test_satisfaction_counts_basic_at_ninety_percent() -> None:
    # 6 satisfied, 2 basic, 2 dissatisfied of 10 rated: (6 + 0.9 × 2) / 10
    assert satisfaction_rate(6, 2, 10) == pytest.approx(0.78)
    assert satisfaction_rate(0, 4, 4) == pytest.approx(0.9)
    assert satisfaction_rate(0, 0, 0) is None
    assert satisfaction_rate(1, 1, 2, basic_weight=0.5) == pytest.approx(0.75)


def test_composite_weighs_10_50_40_as_points() -> None:
    # 10 × 0.9 + 50 × 0.8 + 40 × 0.75 = 9 + 40 + 30
    assert composite_score(0.9, 0.8, 0.75) == pytest.approx(79.0)
    assert composite_score(1.0, 1.0, 1.0) == pytest.approx(100.0)
    assert composite_score(0.9, 0.8, None) is None
    assert composite_score(None, 0.8, 0.75) is None


def test_composite_with_other_weights() -> None:
    w = MetricWeights(response=1, resolution=1, satisfaction=2)
    assert composite_score(0.5, 1.0, 0.25, w) == pytest.approx(100 * (0.5 + 1.0 + 0.5) / 4)
    with pytest.raises(ValueError):
        MetricWeights(response=0, resolution=0, satisfaction=0)
    with pytest.raises(ValueError):
        MetricWeights(response=-1)


def test_rates_of_counts() -> None:
    # 20 received: 18 answered or past the response due, 16 of them in time, 2 not yet due;
    # 16 valid: 15 resolved or past the resolution due, 12 resolved, 1 not yet due
    c = Counts(
        total=20,
        valid=16,
        response_counted=18,
        responded_on_time=16,
        resolution_counted=15,
        resolved=12,
        rated=10,
        satisfied=7,
        basic=2,
        standard_total=8,
        standard_met=6,
    )
    r = rates_of(c)
    assert r.response == pytest.approx(16 / 18)
    assert r.resolution == pytest.approx(12 / 15)
    assert (c.response_pending, c.resolution_pending) == (2, 1)
    assert r.satisfaction == pytest.approx((7 + 1.8) / 10)
    assert r.composite == pytest.approx(10 * 16 / 18 + 50 * 12 / 15 + 40 * 0.88)
    assert r.service_standard == pytest.approx(0.75)
    assert r.rectification is None


def test_rates_of_nothing_are_none_not_zero() -> None:
    r = rates_of(Counts())
    assert (r.response, r.resolution, r.satisfaction, r.composite, r.service_standard) == (None,) * 5
    # tickets but nobody rated: satisfaction and the composite stay unknown
    r2 = rates_of(
        Counts(total=2, valid=2, response_counted=2, responded_on_time=1, resolution_counted=2, resolved=2)
    )
    assert r2.response == 0.5 and r2.resolution == 1.0 and r2.satisfaction is None and r2.composite is None


def test_a_ticket_received_a_minute_ago_is_pending_not_a_failure() -> None:
    # one ticket, not answered, nothing due yet: no rate at all (shown "—"), one pending each
    c = Counts(total=1, valid=1)
    r = rates_of(c)
    assert (r.response, r.resolution, r.composite) == (None, None, None)
    assert (c.response_pending, c.resolution_pending) == (1, 1)
    # a second one answered in time and resolved: 100 %, the new one still pending
    c2 = c + Counts(
        total=1, valid=1, response_counted=1, responded_on_time=1, resolution_counted=1, resolved=1
    )
    assert (rates_of(c2).response, rates_of(c2).resolution) == (1.0, 1.0)
    assert (c2.response_pending, c2.resolution_pending) == (1, 1)


def test_rating_scale_thresholds_change_the_basic_weight() -> None:
    c = Counts(total=1, valid=1, rated=4, satisfied=2, basic=2)
    assert rates_of(c, scale=RatingScale(basic_weight=0.5)).satisfaction == pytest.approx(0.75)


def test_counts_add_up() -> None:
    assert Counts(total=1, rated=2) + Counts(total=3, basic=1, bounced=2) == Counts(
        total=4, rated=2, basic=1, bounced=2
    )


def test_periods_parse_and_bounds() -> None:
    q3 = parse_period("2026Q3")
    assert (q3.start, q3.end, q3.label) == (date(2026, 7, 1), date(2026, 9, 30), "2026Q3")
    lo, hi = q3.bounds()
    # local midnight in Beijing is 16:00 UTC the day before
    assert lo == datetime(2026, 6, 30, 16, tzinfo=UTC)
    assert hi == datetime(2026, 9, 30, 16, tzinfo=UTC)
    nov = parse_period("2026-11")
    assert (nov.start, nov.end, nov.label) == (date(2026, 11, 1), date(2026, 11, 30), "2026-11")
    assert parse_period("2026-q4").label == "2026Q4"
    assert previous(parse_period("2026Q1")).label == "2025Q4"
    assert following(parse_period("2026Q4")).label == "2027Q1"
    assert previous(parse_period("2026-01")).label == "2025-12"
    span = resolve(None, "2026-10-01", "2026-12-31")
    assert (span.start, span.end, span.kind) == (date(2026, 10, 1), date(2026, 12, 31), "range")
    assert previous(span).end == date(2026, 9, 30)


@pytest.mark.parametrize("text", ["2026Q5", "2026-13", "Q3", "", "2026-10-05..2026-10-01"])
def test_bad_periods_are_refused(text: str) -> None:
    with pytest.raises(DomainError) as err:
        parse_period(text)
    assert err.value.code == "bad_period"


def test_resolve_needs_exactly_one_way() -> None:
    with pytest.raises(DomainError) as e1:
        resolve("2026Q3", "2026-07-01", None)
    with pytest.raises(DomainError) as e2:
        resolve(None, None, None)
    with pytest.raises(DomainError) as e3:
        resolve(None, "2026-7-1x", None)
    assert (e1.value.code, e2.value.code, e3.value.code) == ("period_conflict", "period_missing", "bad_date")


def test_competition_ranking_ties_min_count_and_cut() -> None:
    items = [
        (1, "B", "b", 9),
        (2, "A", "a", 9),
        (3, "C", "c", 7),
        (4, "D", "d", 5),
        (5, "E", "e", 5),
        (6, "F", "f", 2),
    ]
    rows = rank(items, top=10, min_count=3)
    assert [(r.rank, r.code, r.count) for r in rows] == [
        (1, "A", 9),
        (1, "B", 9),
        (3, "C", 7),
        (4, "D", 5),
        (4, "E", 5),
    ]
    # the cut keeps every compound tied at the last rank kept
    assert [r.code for r in rank(items, top=4, min_count=3)] == ["A", "B", "C", "D", "E"]
    assert [r.code for r in rank(items, top=3, min_count=3)] == ["A", "B", "C"]
    assert [r.code for r in rank(items, top=1, min_count=3)] == ["A", "B"]
    assert rank(items, top=10, min_count=10) == []
