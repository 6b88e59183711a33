"""How a team's maturity and trend turn into capability spans.

Every capability of a service (a runbook link, branch protection, a monitor, …) is
decided by one uniform draw compared against the probability of having it at the start
of the history window and at its end. Using the same draw for both makes improvement
and decline coherent: an improving team gains capabilities during the window, a
declining one loses them, and a stable one mostly keeps what it has.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from simulator.timeline import ABSENT, NEVER, Span

MATURITY_BANDS = (
    # (share of teams, low, high)
    (0.20, 0.93, 1.00),  # elite
    (0.30, 0.68, 0.88),  # good
    (0.32, 0.42, 0.66),  # middling
    (0.18, 0.10, 0.40),  # struggling
)
TRENDS = ((0.40, 1), (0.40, 0), (0.20, -1))
TREND_SHIFT = 0.3


def draw_maturity(rng: random.Random) -> tuple[float, int]:
    """A team's maturity in [0, 1] and its trend (+1 improving, 0 stable, -1 declining)."""
    u = rng.random()
    for share, low, high in MATURITY_BANDS:
        if u < share:
            maturity = rng.uniform(low, high)
            break
        u -= share
    else:  # pragma: no cover - shares sum to 1
        maturity = 0.5
    u = rng.random()
    trend = 0
    for share, value in TRENDS:
        if u < share:
            trend = value
            break
        u -= share
    return maturity, trend


def _clamp(p: float, low: float = 0.02, high: float = 0.995) -> float:
    return max(low, min(high, p))


@dataclass(frozen=True, slots=True)
class Window:
    """The history window the spans are drawn in, plus the entity's creation day."""

    start: int  # first day of the window
    today: int
    created: int  # entity creation day; nothing exists before it

    def early_day(self, rng: random.Random) -> int:
        """A day before the window (but not before creation) for long-standing facts."""
        if self.created >= self.start:
            return self.created
        return rng.randint(self.created, self.start - 1)

    def day_in_window(self, rng: random.Random) -> int:
        return rng.randint(max(self.start + 1, self.created + 1), self.today)


def probability(maturity: float, ease: float) -> float:
    """Chance that a service of a team with ``maturity`` has a capability today.

    ``ease`` shifts the curve: positive for things most teams do (a logs link), negative
    for demanding ones (coverage above 85%).
    """
    return _clamp(0.08 + 0.92 * maturity + ease)


def drift_span(
    rng: random.Random, maturity: float, trend: int, ease: float, window: Window
) -> Span:
    """The span during which a capability exists, drifting with the team's trend."""
    p_end = probability(maturity, ease)
    p_start = _clamp(p_end - TREND_SHIFT * trend)
    u = rng.random()
    has_start = u < p_start and window.created < window.start
    has_end = u < p_end
    if window.created >= window.start:
        # Created inside the window: either born with the capability or gaining it later.
        if has_end:
            if rng.random() < 0.6:
                return (window.created, NEVER)
            return (window.day_in_window(rng), NEVER)
        return ABSENT
    if has_start and has_end:
        return (window.early_day(rng), NEVER)
    if has_end:
        return (window.day_in_window(rng), NEVER)
    if has_start:
        return (window.early_day(rng), window.day_in_window(rng))
    return ABSENT
