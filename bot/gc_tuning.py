"""The garbage collector of a serving process.

A started bot holds a few hundred thousand long-lived objects (the chat library's models,
SQLAlchemy's mappers and compiled statements, the locales) that the cyclic collector would
otherwise walk again at every full collection. Each update allocates a few thousand short-lived
objects, so with CPython's default thresholds (700, 10, 10) the collector ran about once per
update and took ~15 % of the bot's CPU (bench/throughput.py, measured with gc.callbacks).

``settle()`` runs once, after start-up: it collects what start-up left behind, then moves every
surviving object to the permanent generation (``gc.freeze``), so later collections only look at
what serving allocated, and lets the youngest generation grow before it is collected. Reference
counting still frees almost everything at once; the collector only looks for cycles.
"""

from __future__ import annotations

import gc

# objects allocated (net) before the youngest generation is collected, and how many collections
# of one generation before the next older one is: fewer, slightly larger collections
THRESHOLDS = (10_000, 20, 20)


def settle() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
