"""A plain artifact store serving each repository's latest Cobertura report.

``GET /{owner}/{repo}/coverage.xml`` → the report CI published as of the day, or 404.
Protected by a bearer token, as artifact stores usually are.
"""

from __future__ import annotations

from typing import Any

from simulator.cobertura import coverage_xml
from simulator.servers.framework import ApiServer, Request, Response, text_response


class ArtifactsApi(ApiServer):
    source = "artifacts"

    def register_routes(self) -> None:
        self.route("GET", "/{owner}/{repo}/coverage.xml", self.coverage)

    def authenticate(self, req: Request) -> Response | None:
        token = self.credentials.get("bearer_token")
        if not token or req.headers.get("Authorization", "") == f"Bearer {token}":
            return None
        return text_response(401, "401 Unauthorized: a valid bearer token is required\n")

    def expired_token(self, req: Request) -> Response:
        return text_response(401, "401 Unauthorized: token expired\n")

    def throttled(self, req: Request, params: dict[str, Any]) -> Response:
        response = text_response(429, "429 Too Many Requests\n")
        response.headers.append(("Retry-After", str(int(params["reset_seconds"]))))
        return response

    def server_error(self, req: Request, status: int) -> Response:
        return text_response(status, f"{status} Internal Server Error\n")

    def not_found(self, req: Request) -> Response:
        return text_response(404, "404 Not Found\n")

    def coverage(self, req: Request) -> Response:
        if req.params["owner"].lower() != self.company.org:
            return self.not_found(req)
        index = self.company.lookup("repo").get(req.params["repo"])
        if index is None or not self.company.services[index].exists_on(req.day):
            return self.not_found(req)
        xml = coverage_xml(self.company, self.company.services[index], req.day)
        if xml is None:
            return self.not_found(req)
        response = text_response(200, xml, "application/xml")
        response.json_body = False
        return response
