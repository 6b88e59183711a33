"""The request pipeline every simulated API shares.

An ``ApiServer`` subclass declares its routes, its auth check and the exact shape of
its errors and throttling responses; ``ApiServer.handle`` runs the common pipeline:
admin endpoints, the ``/_as_of/YYYY-MM-DD`` history prefix, routing, per-endpoint
counters, injected faults, rate-limit headers. ``serve`` puts one on a threaded stdlib
HTTP server with HTTP/1.1 keep-alive.
"""

from __future__ import annotations

import abc
import datetime as dt
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import orjson

from simulator.model import Company
from simulator.servers.faults import FaultError, FaultState

AS_OF_PREFIX = re.compile(r"^/_as_of/(\d{4}-\d{2}-\d{2})(/.*)?$")


@dataclass
class Request:
    method: str
    path: str  # without the as-of prefix and without the query string
    query: dict[str, list[str]]
    headers: Message
    body: bytes
    day: int  # the as-of day (ordinal)
    prefix: str  # "" or "/_as_of/YYYY-MM-DD"
    origin: str  # scheme://host:port as the client addressed us
    template: str = ""
    params: dict[str, str] = field(default_factory=dict)
    form: dict[str, list[str]] = field(default_factory=dict)
    rate: tuple[int, int, int, int] | None = (
        None  # set when the handler already charged the rate window
    )

    @property
    def base(self) -> str:
        """The base URL a client at this as-of date uses: origin plus the prefix."""
        return self.origin + self.prefix

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name) or self.form.get(name)
        return values[0] if values else default

    def args(self, name: str) -> list[str]:
        """Values of a repeated parameter; accepts ``name[]`` and ``name`` spellings."""
        out: list[str] = []
        for key in (name, f"{name}[]"):
            out += self.query.get(key, []) + self.form.get(key, [])
        return out

    def int_arg(self, name: str, default: int) -> int:
        value = self.arg(name)
        if value is None or value == "":
            return default
        return int(value)

    def url(self, path: str, query: list[tuple[str, Any]] | None = None) -> str:
        url = self.base + path
        if query:
            url += "?" + urlencode(
                [(k, v) for k, v in query if v is not None], quote_via=quote, safe=":,"
            )
        return url

    def json(self) -> Any:
        return orjson.loads(self.body) if self.body else None


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str = "application/json; charset=utf-8"
    json_body: bool = True


def json_response(
    status: int, payload: Any, headers: list[tuple[str, str]] | None = None
) -> Response:
    return Response(status=status, body=orjson.dumps(payload), headers=list(headers or []))


def text_response(
    status: int, text: str, content_type: str = "text/plain; charset=utf-8"
) -> Response:
    return Response(
        status=status, body=text.encode("utf-8"), content_type=content_type, json_body=False
    )


class BadRequest(Exception):
    """Raised by handlers for invalid parameters; the server renders ``response``."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


@dataclass
class Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    handler: Callable[[Request], Response]


def _compile(template: str) -> re.Pattern[str]:
    regex = ""
    for part in re.split(r"(\{[^}]+\})", template):
        if part.startswith("{") and part.endswith("}"):
            name = part[1:-1]
            if name.endswith("..."):
                regex += f"(?P<{name[:-3]}>.+)"
            else:
                regex += f"(?P<{name}>[^/]+)"
        else:
            regex += re.escape(part)
    return re.compile(f"^{regex}$")


class RateWindow:
    """A calendar-aligned request counter that produces rate-limit header values.

    The simulator reports honest counts but never runs a client dry on its own:
    ``remaining`` bottoms out at 1, so throttling happens only when a test asks for it
    with the ``rate_limit`` fault. A real 20,000-service crawl would exceed several of
    these vendor limits, and waiting an hour is not what the simulator is for.
    """

    def __init__(self, limit: int, period: int) -> None:
        self.limit = limit
        self.period = period
        self._window = 0
        self._used = 0
        self._lock = threading.Lock()

    def hit(self, weight: int = 1) -> tuple[int, int, int, int]:
        """(limit, remaining, used, reset epoch seconds) after counting ``weight`` units."""
        now = time.time()
        window = int(now // self.period)
        with self._lock:
            if window != self._window:
                self._window, self._used = window, 0
            self._used += weight
            used = self._used
        reset = (window + 1) * self.period
        return self.limit, max(1, self.limit - used), used, reset

    def peek(self) -> tuple[int, int, int, int]:
        window = int(time.time() // self.period)
        with self._lock:
            used = self._used if window == self._window else 0
        return self.limit, max(1, self.limit - used), used, (window + 1) * self.period


class ApiServer(abc.ABC):
    """Base class of one simulated API. Subclasses fill in the vendor specifics: the
    abstract methods below (routes, authentication and the vendor's own error bodies)."""

    source = ""

    def __init__(
        self,
        company: Company,
        credentials: dict[str, str],
        stats: Counter[tuple[str, str]],
        stats_lock: threading.Lock,
    ) -> None:
        self.company = company
        self.credentials = credentials
        self.faults = FaultState(self.source)
        self._stats = stats
        self._stats_lock = stats_lock
        self.routes: list[Route] = []
        self.register_routes()

    # -- to be provided by subclasses ------------------------------------------------

    @abc.abstractmethod
    def register_routes(self) -> None:
        """Add the API's endpoints to ``self.routes``."""

    @abc.abstractmethod
    def authenticate(self, req: Request) -> Response | None:
        """None when the credentials are valid, else the API's own 401/403."""

    @abc.abstractmethod
    def expired_token(self, req: Request) -> Response:
        """The API's answer to an expired token (fault injection)."""

    @abc.abstractmethod
    def throttled(self, req: Request, params: dict[str, Any]) -> Response:
        """The API's rate-limit answer (429 or 403 with its Retry-After or reset headers)."""

    def server_error(self, req: Request, status: int) -> Response:
        return json_response(status, {"message": "Server Error"})

    def invalid_cursor(self, req: Request) -> Response:
        return json_response(400, {"message": "invalid cursor"})

    def not_found(self, req: Request) -> Response:
        return json_response(404, {"message": "Not Found"})

    def rate_headers(self, req: Request) -> list[tuple[str, str]]:
        return []

    def is_follow_up_page(self, req: Request) -> bool:
        """Whether the request asks for anything but the first page of a list."""
        return False

    def rewrite(self, path: str) -> str:
        """Map alternate spellings of a path (e.g. GitHub ``/repositories/{id}``)."""
        return path

    # -- the pipeline ------------------------------------------------------------------

    def route(self, method: str, template: str, handler: Callable[[Request], Response]) -> None:
        self.routes.append(Route(method, template, _compile(template), handler))

    def count(self, req: Request) -> None:
        with self._stats_lock:
            self._stats[(self.source, f"{req.method} {req.template}")] += 1

    def handle(
        self, method: str, raw_path: str, headers: Message, body: bytes, origin: str
    ) -> Response:
        split = urlsplit(raw_path)
        path = split.path or "/"
        query = parse_qs(split.query, keep_blank_values=True)
        if path.startswith("/_sim/"):
            return self._admin(method, path, body)
        prefix = ""
        day = self.company.today_day
        match = AS_OF_PREFIX.match(path)
        if match:
            try:
                as_of = dt.date.fromisoformat(match.group(1))
            except ValueError:
                return text_response(
                    400, f"invalid as-of date {match.group(1)!r}; use YYYY-MM-DD\n"
                )
            if as_of > self.company.today:
                return text_response(
                    400, f"as-of date {as_of} is after the simulated today {self.company.today}\n"
                )
            prefix = f"/_as_of/{as_of.isoformat()}"
            day = as_of.toordinal()
            path = match.group(2) or "/"
        path = self.rewrite(path)
        req = Request(
            method=method,
            path=path,
            query=query,
            headers=headers,
            body=body,
            day=day,
            prefix=prefix,
            origin=origin,
        )
        content_type = headers.get("Content-Type", "")
        if method == "POST" and content_type.startswith("application/x-www-form-urlencoded"):
            req.form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        route = self._match(req)
        if route is None:
            req.template = "(unrouted)"
            self.count(req)
            return self._finish(req, self.not_found(req))
        self.count(req)
        slow = self.faults.take("slow")
        if slow:
            time.sleep(float(slow["seconds"]))
        if self.faults.take("expired_token") is not None:
            return self._finish(req, self.expired_token(req))
        denied = self.authenticate(req)
        if denied is not None:
            return self._finish(req, denied)
        throttle = self.faults.take("rate_limit")
        if throttle is not None:
            return self.throttled(req, throttle)
        failure = self.faults.take("server_errors")
        if failure is not None:
            return self._finish(req, self.server_error(req, int(failure["status"])))
        if self.is_follow_up_page(req):
            broken = self.faults.take("broken_pagination")
            if broken is not None:
                if broken["mode"] == "invalid_cursor":
                    return self._finish(req, self.invalid_cursor(req))
                return self._finish(req, self.server_error(req, 500))
        try:
            response = route.handler(req)
        except BadRequest as exc:
            response = exc.response
        response = self._finish(req, response)
        if (
            response.status == 200
            and response.json_body
            and self.faults.take("malformed_json") is not None
        ):
            response.body = response.body[: max(1, len(response.body) // 2)]
        return response

    def _match(self, req: Request) -> Route | None:
        for route in self.routes:
            if route.method != req.method and not (route.method == "GET" and req.method == "HEAD"):
                continue
            m = route.pattern.match(req.path)
            if m:
                req.template = route.template
                req.params = m.groupdict()
                return route
        return None

    def _finish(self, req: Request, response: Response) -> Response:
        response.headers = self.rate_headers(req) + response.headers
        return response

    def _admin(self, method: str, path: str, body: bytes) -> Response:
        try:
            if path == "/_sim/faults" and method == "GET":
                return json_response(200, {"source": self.source, "faults": self.faults.snapshot()})
            if path == "/_sim/faults" and method == "POST":
                payload = orjson.loads(body or b"{}")
                if payload.get("clear"):
                    self.faults.clear(payload.get("kind"))
                    return json_response(
                        200, {"source": self.source, "faults": self.faults.snapshot()}
                    )
                params = self.faults.set(payload["kind"], **(payload.get("params") or {}))
                return json_response(
                    200, {"source": self.source, "kind": payload["kind"], "params": params}
                )
            if path == "/_sim/faults" and method == "DELETE":
                self.faults.clear()
                return json_response(200, {"source": self.source, "faults": {}})
            if path == "/_sim/stats" and method == "GET":
                with self._stats_lock:
                    counts = {k[1]: v for k, v in self._stats.items() if k[0] == self.source}
                return json_response(
                    200, {"source": self.source, "requests": counts, "total": sum(counts.values())}
                )
            if path == "/_sim/reset" and method == "POST":
                self.faults.clear()
                with self._stats_lock:
                    for key in [k for k in self._stats if k[0] == self.source]:
                        del self._stats[key]
                return json_response(200, {"source": self.source, "reset": True})
        except (FaultError, KeyError, TypeError, orjson.JSONDecodeError) as exc:
            return json_response(400, {"error": f"bad admin request: {exc}"})
        return json_response(404, {"error": f"unknown admin endpoint {method} {path}"})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "readiness-simulator"
    sys_version = ""
    # Keep-alive with small writes otherwise meets Nagle + delayed ACK: 40 ms per request.
    disable_nagle_algorithm = True

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        server: _ApiHTTPServer = self.server  # type: ignore[assignment]
        host = self.headers.get("Host") or f"{server.server_address[0]}:{server.server_address[1]}"
        try:
            response = server.api.handle(
                self.command, self.path, self.headers, body, f"http://{host}"
            )
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the connection silently
            response = text_response(500, f"simulator error: {type(exc).__name__}: {exc}\n")
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self._headers_buffer.append(b"\r\n")
        if self.command != "HEAD":
            self._headers_buffer.append(response.body)
        self.wfile.write(b"".join(self._headers_buffer))
        self._headers_buffer = []

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return


class _ApiHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], api: ApiServer) -> None:
        self.api = api
        super().__init__(address, _Handler)


class RunningServer:
    """One API on its own port, served from a background thread."""

    def __init__(self, api: ApiServer, host: str, port: int) -> None:
        self.api = api
        self.httpd = _ApiHTTPServer((host, port), api)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever,
            kwargs={"poll_interval": 0.2},
            daemon=True,
            name=f"sim-{api.source}",
        )

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
