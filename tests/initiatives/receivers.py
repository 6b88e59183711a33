"""Real receivers on 127.0.0.1: an SMTP server (aiosmtpd, with AUTH) and an HTTP server
that accepts Slack-style incoming-webhook posts (pytest-httpserver). Both can be taken
down and brought back on the same port, like a receiver that is down for one run."""

from __future__ import annotations

import email
import email.policy
import json
import logging
import socket
from dataclasses import dataclass

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pytest_httpserver import HTTPServer

SMTP_USER = "readiness"
SMTP_PASSWORD = "smtp-pw-SECRET-4711"
WEBHOOK_TOKEN = "T00/B00/SECRET-webhook-token-0815"
TEAM_HOOKS = ("payments", "search", "platform", "tina")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return " ".join(str(self.message["Subject"]).split())  # unfolded

    @property
    def body(self) -> str:
        return self.message.get_content()


class _Handler:
    def __init__(self) -> None:
        self.mails: list[Mail] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode() == SMTP_USER and auth_data.password.decode() == SMTP_PASSWORD
    )
    return AuthResult(success=ok)


class SmtpInbox:
    """An SMTP server that requires AUTH (plain, over a local connection) and keeps mail."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = _Handler()
        self.controller: Controller | None = None

    @property
    def mails(self) -> list[Mail]:
        return self.handler.mails

    def start(self) -> None:
        self.controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=_authenticate,
            auth_require_tls=False,
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def env(self) -> dict[str, str]:
        return {
            "NOTIFICATIONS__EMAIL__SMTP_HOST": "127.0.0.1",
            "NOTIFICATIONS__EMAIL__SMTP_PORT": str(self.port),
            "NOTIFICATIONS__EMAIL__SECURITY": "none",
            "NOTIFICATIONS__EMAIL__USERNAME": SMTP_USER,
            "NOTIFICATIONS__EMAIL__PASSWORD": SMTP_PASSWORD,
            "NOTIFICATIONS__EMAIL__FROM_ADDRESS": "readiness@example.com",
        }


@dataclass
class Post:
    hook: str
    text: str


class WebhookReceiver:
    """Slack-compatible incoming webhooks, one path per team: ``/services/<hook>/<token>``."""

    def __init__(self, hooks: tuple[str, ...] = TEAM_HOOKS) -> None:
        # werkzeug's access log would print the webhook paths (the secret) to stderr
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self.server = HTTPServer(host="127.0.0.1", port=free_port())
        self.hooks = hooks
        self.failing: set[str] = set()  # hooks that answer 500

    def start(self) -> None:
        self.server.start()
        for hook in self.hooks:
            self.server.expect_request(
                f"/services/{hook}/{WEBHOOK_TOKEN}", method="POST"
            ).respond_with_handler(self._respond(hook))

    def _respond(self, hook: str):
        from werkzeug import Response

        def respond(request):
            if hook in self.failing:
                return Response("internal_error", status=500)
            return Response("ok", status=200)

        return respond

    def stop(self) -> None:
        if self.server.is_running():
            self.server.stop()
        self.server.clear()

    @property
    def posts(self) -> list[Post]:
        result = []
        for request, response in self.server.log:
            if response.status_code == 200:
                hook = request.path.split("/")[2]
                result.append(Post(hook, json.loads(request.get_data())["text"]))
        return result

    def url(self, hook: str) -> str:
        return f"http://127.0.0.1:{self.server.port}/services/{hook}/{WEBHOOK_TOKEN}"

    def env(self) -> dict[str, str]:
        """Webhooks by team name, except search's, keyed by its entity ref."""
        keys = {hook: "group:default/search" if hook == "search" else hook for hook in self.hooks}
        return {
            "NOTIFICATIONS__SLACK__WEBHOOKS": json.dumps(
                {keys[hook]: self.url(hook) for hook in self.hooks}
            )
        }
