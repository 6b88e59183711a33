"""The HTTP client every readiness source uses: dlt's REST client with a retry policy that
understands each API's rate-limit signals.

dlt's client already retries 429 and 5xx with exponential backoff and honours
``Retry-After``. The APIs we read also signal limits in other ways, which this module adds:

- GitHub: ``403``/``429`` with ``x-ratelimit-remaining: 0`` and ``x-ratelimit-reset``
  (epoch seconds), secondary limits as ``403`` + ``Retry-After``, and GraphQL's
  ``200`` + ``{"errors": [{"type": "RATE_LIMITED"}]}``;
- Okta: ``429`` + ``X-Rate-Limit-Reset`` (epoch seconds);
- PagerDuty: ``429`` + ``ratelimit-reset`` (seconds to wait);
- Datadog: ``429`` + ``X-RateLimit-Reset`` (seconds to wait).

Reset headers carry either an epoch or a number of seconds: any value above 10^9 is read
as an epoch. Every wait is capped (``max_delay``) so a broken server cannot stall a run.

A ``200`` whose JSON body is cut short (a dropped transfer) is asked again too, with the
ordinary backoff: several APIs stamp their reset header on every response, and waiting
for the rate-limit window to roll over before re-asking for a truncated page would be
wrong.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from dlt.sources.helpers.requests import Client
from dlt.sources.helpers.requests.retry import wait_exponential_retry_after
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import BasePaginator
from requests import PreparedRequest, Response
from requests.auth import AuthBase
from tenacity import RetryCallState, wait_exponential

from readiness.reports.redact import redact

RESET_HEADERS = ("x-ratelimit-reset", "x-rate-limit-reset", "ratelimit-reset")
REMAINING_HEADERS = ("x-ratelimit-remaining", "x-rate-limit-remaining", "ratelimit-remaining")
_EPOCH_THRESHOLD = 1_000_000_000


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to retry throttling, 5xx and truncated bodies before the load fails."""

    max_attempts: int = 6
    backoff_factor: float = 0.5
    max_delay: float = 60.0


class SecretHeaderAuth(AuthBase):
    """Sets one header from a secret (``SSWS <token>``, ``Token token=<key>``, ...).

    The secret stays out of the client's default headers and out of ``repr``, so it never
    lands in a log line, a trace or an error message.
    """

    def __init__(self, header: str, value: str) -> None:
        self.header = header
        self._value = value

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        request.headers[self.header] = self._value
        return request

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.header}: ***)"


def _header(response: Response, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = response.headers.get(name)  # requests' headers are case-insensitive
        if value is not None:
            return value
    return None


def reset_delay(response: Response, now: float | None = None) -> float | None:
    """Seconds until the rate limit resets, from whichever reset header the API sends."""
    value = _header(response, RESET_HEADERS)
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    if number > _EPOCH_THRESHOLD:
        number -= now if now is not None else time.time()
    return max(number, 0.0)


def is_rate_limited(response: Response | None) -> bool:
    """True for a throttling response that is not a 429 (GitHub's 403 and GraphQL 200)."""
    if response is None:
        return False
    if response.status_code == 403:
        if response.headers.get("Retry-After"):
            return True
        remaining = _header(response, REMAINING_HEADERS)
        if remaining is not None and remaining.strip() == "0":
            return True
        return "rate limit" in response.text.lower()
    if response.status_code == 200 and "RATE_LIMITED" in response.text[:2000]:
        try:
            errors = response.json().get("errors") or []
        except ValueError:
            return False
        return any(isinstance(e, dict) and e.get("type") == "RATE_LIMITED" for e in errors)
    return False


def is_truncated_json(response: Response | None) -> bool:
    """A ``200`` that says it is JSON but does not parse (a transfer cut short)."""
    if response is None or response.status_code != 200:
        return False
    if "json" not in response.headers.get("Content-Type", "").lower():
        return False
    try:
        response.json()
    except ValueError:
        return True
    return False


def _retry_predicate(response: Response | None, exception: BaseException | None) -> bool:
    return is_rate_limited(response) or is_truncated_json(response)


class wait_for_rate_limit(wait_exponential_retry_after):
    """Wait as the API says (Retry-After, then reset headers), else back off exponentially."""

    def __call__(self, retry_state: RetryCallState) -> float:
        retry_after = self._get_retry_after(retry_state)
        if retry_after is not None:
            return retry_after
        outcome = retry_state.outcome
        response = None
        if outcome is not None and not outcome.failed:
            result = outcome.result()
            response = result if isinstance(result, Response) else None
        elif outcome is not None:
            error = outcome.exception()
            response = getattr(error, "response", None)
        if response is not None and (response.status_code == 429 or is_rate_limited(response)):
            delay = reset_delay(response)
            if delay is not None:
                return min(max(delay, self.min), self.max)
        # Not throttled (a 5xx, a truncated body): the ordinary exponential backoff.
        return wait_exponential.__call__(self, retry_state)


class RateLimitAwareClient(Client):
    """dlt's requests client, with :class:`wait_for_rate_limit` as its wait strategy."""

    def _make_session(self):
        session = super()._make_session()
        # super() wrapped session.send with a Retrying; replace its wait strategy in place.
        retrying = session.send.retry  # type: ignore[attr-defined]
        retrying.wait = wait_for_rate_limit(
            multiplier=self._retry_kwargs["backoff_factor"], max=self._retry_kwargs["max_delay"]
        )
        return session


def rest_client(
    base_url: str,
    *,
    headers: Mapping[str, str] | None = None,
    auth: AuthBase | None = None,
    paginator: BasePaginator | None = None,
    policy: RetryPolicy = RetryPolicy(),
    timeout: float = 60.0,
) -> RESTClient:
    """A RESTClient whose session retries throttling, server errors and truncated JSON
    bodies as described above."""
    client = RateLimitAwareClient(
        request_timeout=timeout,
        raise_for_status=False,  # RESTClient raises, after the retries are spent
        request_max_attempts=policy.max_attempts,
        request_backoff_factor=policy.backoff_factor,
        request_max_retry_delay=policy.max_delay,
        retry_condition=_retry_predicate,
        respect_retry_after_header=True,
    )
    return RESTClient(
        base_url=base_url.rstrip("/"),
        headers=dict(headers or {}),
        auth=auth,
        paginator=paginator,
        session=client.session,
    )


def describe_http_error(source: str, error: Any) -> str:
    """A one-line, secret-free description of a failed request for error messages: the
    status and path, never the query string, a header or credentials in a URL."""
    response = getattr(error, "response", None)
    if response is None:
        # e.g. requests' ConnectionError, whose text holds the URL with its query string
        text = " ".join(str(error).split())
        return redact(f"source {source}: {type(error).__name__}: {text}")
    request = response.request
    path = request.path_url.split("?")[0] if request is not None else "?"
    return f"source {source}: HTTP {response.status_code} on {request.method} {path}"


@contextlib.contextmanager
def request_errors(
    source: str,
    error: type[Exception],
    what: str,
    explain: Callable[[Response | None], str] = lambda response: "",
) -> Iterator[None]:
    """Turn a request that failed for good into ``error`` with a one-line, secret-free
    message: the status and path (plus ``explain(response)``: the vendor's message, a
    hint), a body still truncated after the retries (``what`` names the page), or the
    connection error."""
    try:
        yield
    except requests.HTTPError as failure:
        message = describe_http_error(source, failure) + explain(failure.response)
        raise error(message) from None
    except requests.JSONDecodeError:
        raise error(
            f"source {source}: malformed JSON in {what} (still truncated after retries)"
        ) from None
    except requests.RequestException as failure:
        raise error(describe_http_error(source, failure)) from None
