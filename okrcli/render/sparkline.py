"""Sparklines: a series of numbers as a line of block characters."""

from __future__ import annotations

import math
from collections.abc import Sequence

BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float]) -> str:
    """``▁▃▅█`` for rising values; a flat series is a flat line; empty is empty."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return BLOCKS[3] * len(values)
    top = len(BLOCKS) - 1
    if math.isinf(high - low):  # values near the float limit: halve them first
        values, low, high = [v / 2 for v in values], low / 2, high / 2
    span = high - low
    return "".join(BLOCKS[min(top, round((v - low) / span * top))] for v in values)
