"""Star ratings → 满意 / 基本满意 / 不满意 (configurable thresholds)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RatingScale:
    satisfied_min: int = 4  # 4–5 stars: 满意
    basic_min: int = 3  # 3 stars: 基本满意; below: 不满意
    basic_weight: float = 0.9


def satisfaction(stars: int, scale: RatingScale | None = None) -> str:
    s = scale or RatingScale()
    if stars >= s.satisfied_min:
        return "satisfied"
    if stars >= s.basic_min:
        return "basic"
    return "dissatisfied"
