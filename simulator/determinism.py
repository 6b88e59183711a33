"""Deterministic hashing used to derive per-day facts lazily.

Parameters of every entity are drawn once, in order, from one seeded ``random.Random``
(see ``company.py``). Event data that would be expensive to materialise up front
(commits per day, incidents, SLO series, alert lists) is derived on demand from a
counter-based hash of ``(seed, stream, entity, day, ...)``: the same inputs always give
the same number, in any order and from any thread, without storing anything.
"""

from __future__ import annotations

import random
import zlib

_MASK = (1 << 64) - 1
_TWO64 = float(1 << 64)


def _splitmix(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def stream_id(name: str) -> int:
    """A stable integer for a stream name (``hash()`` is salted per process)."""
    return zlib.crc32(name.encode("utf-8"))


def hash64(*parts: int) -> int:
    """Mix integers into one 64-bit value; order matters."""
    h = 0x2545F4914F6CDD1D
    for part in parts:
        h = _splitmix(h ^ (part & _MASK))
    return h


def unit(*parts: int) -> float:
    """A float in [0, 1) determined by ``parts``."""
    return hash64(*parts) / _TWO64


class SimRandom(random.Random):
    """``random.Random`` with cheaper integer draws.

    The stdlib's ``randint``/``choice`` use rejection sampling on ``getrandbits``; the
    generator makes millions of such draws for a 20,000-service company, and scaling one
    float is about three times faster. The slight bias is irrelevant for a simulation,
    and the result is just as deterministic.
    """

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:  # type: ignore[override]
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def choice(self, seq):  # type: ignore[no-untyped-def]
        return seq[int(self.random() * len(seq))]


def entity_rng(seed: int, stream: str, index: int) -> SimRandom:
    """A private RNG for one entity of one stream, for lazily derived detail."""
    return SimRandom(hash64(seed, stream_id(stream), index))


_ALNUM_UPPER = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def token(value: int, length: int, alphabet: str = _BASE62) -> str:
    """Render ``value`` as a fixed-length string over ``alphabet`` (for vendor-style ids).

    When ``value`` has fewer digits than ``length``, further digits come from hashing it,
    so ids never end in a tell-tale run of zeros.
    """
    base = len(alphabet)
    chars = []
    state = value
    refill = 0
    for _ in range(length):
        if state < base:
            refill += 1
            state = state * (1 << 64) + hash64(value, refill)
        state, rem = divmod(state, base)
        chars.append(alphabet[rem])
    return "".join(chars)


def pagerduty_id(seed: int, stream: str, index: int) -> str:
    """PagerDuty ids look like ``PIJ90N7``: ``P`` plus six upper-case alphanumerics."""
    return "P" + token(hash64(seed, stream_id(stream), index), 6, _ALNUM_UPPER)


def okta_id(seed: int, prefix: str, index: int) -> str:
    """Okta ids look like ``00usfdsyqnIjEmHNm4x6``: a 3-char type prefix plus 17 chars."""
    return prefix + token(hash64(seed, stream_id(prefix), index), 17)


def hex_digest(*parts: int, length: int = 40) -> str:
    """A git-style hex object id."""
    out = []
    i = 0
    while len(out) * 16 < length:
        out.append(f"{hash64(*parts, i):016x}")
        i += 1
    return "".join(out)[:length]
