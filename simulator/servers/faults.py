"""Fault injection state for one simulated API, switchable at run time.

Faults are set from Python (``SimulatorServers.set_fault``) or over HTTP
(``POST /_sim/faults`` on the API's own port), so tests can break one source while a
pipeline runs in another process. Counted faults (``rate_limit``, ``server_errors``,
``malformed_json``) hit the next N requests and then clear themselves; the others stay
until cleared.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

FAULT_KINDS = (
    "rate_limit",
    "server_errors",
    "slow",
    "malformed_json",
    "broken_pagination",
    "expired_token",
)

DEFAULTS: dict[str, dict[str, Any]] = {
    # count: requests affected; reset_seconds: the wait the API announces.
    # variant (GitHub only): "primary" (403 + x-ratelimit-remaining: 0 + reset epoch),
    # "secondary" (403 + Retry-After) or "primary_429" (429 + remaining 0).
    "rate_limit": {"count": 3, "reset_seconds": 1, "variant": "primary"},
    "server_errors": {"count": 3, "status": 500},
    # seconds of delay before every response; count None = until cleared.
    "slow": {"seconds": 0.5, "count": None},
    "malformed_json": {"count": 1},
    # mode "server_error": every follow-up page (page 2+, any cursor or offset) gets a 500;
    # mode "invalid_cursor": follow-up pages get the API's own invalid-cursor error.
    "broken_pagination": {"mode": "server_error", "count": None},
    "expired_token": {"count": None},
}


class FaultError(ValueError):
    """An unknown fault kind or parameter."""


@dataclass
class FaultState:
    """Active faults of one source; thread-safe."""

    source: str
    _active: dict[str, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def set(self, kind: str, **params: Any) -> dict[str, Any]:
        if kind not in DEFAULTS:
            raise FaultError(
                f"unknown fault kind {kind!r} for {self.source}; known: {', '.join(FAULT_KINDS)}"
            )
        unknown = set(params) - set(DEFAULTS[kind])
        if unknown:
            raise FaultError(
                f"fault {kind!r} takes {sorted(DEFAULTS[kind])}, not {sorted(unknown)}"
            )
        merged = {**DEFAULTS[kind], **params}
        if kind == "broken_pagination" and merged["mode"] not in ("server_error", "invalid_cursor"):
            raise FaultError("broken_pagination mode must be 'server_error' or 'invalid_cursor'")
        if kind == "rate_limit" and merged["variant"] not in (
            "primary",
            "secondary",
            "primary_429",
        ):
            raise FaultError("rate_limit variant must be 'primary', 'secondary' or 'primary_429'")
        with self._lock:
            self._active[kind] = merged
        return dict(merged)

    def clear(self, kind: str | None = None) -> None:
        with self._lock:
            if kind is None:
                self._active.clear()
            else:
                self._active.pop(kind, None)

    def snapshot(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return {k: dict(v) for k, v in self._active.items()}

    def peek(self, kind: str) -> dict[str, Any] | None:
        with self._lock:
            params = self._active.get(kind)
            return dict(params) if params is not None else None

    def take(self, kind: str) -> dict[str, Any] | None:
        """Consume one occurrence of a fault: its parameters, or None when inactive."""
        with self._lock:
            params = self._active.get(kind)
            if params is None:
                return None
            count = params.get("count")
            if count is not None:
                if count <= 0:
                    del self._active[kind]
                    return None
                params["count"] = count - 1
                if count - 1 <= 0:
                    del self._active[kind]
            return dict(params)
