"""The Okta helpers on recorded real responses (tests/fixtures/real/okta, see its README)."""

from __future__ import annotations

import datetime as dt

from dlt.sources.helpers.rest_client.paginators import HeaderLinkPaginator

from ingestion.okta import helpers
from tests.ingestion.okta.okta_support import real, recorded_response


def _gets(name: str, path_prefix: str) -> list[dict]:
    return [
        e
        for e in real(name)
        if e["method"] == "GET" and e["url"].split("?")[0].endswith(path_prefix)
    ]


def test_user_list_pages_map_to_rows_and_follow_the_recorded_next_link() -> None:
    pages = _gets("TestUsersResource.test_user_pagination.json", "/api/v1/users")
    assert len(pages) == 2
    rows = [helpers.user_row(u) for page in pages for u in page["response_body"]]
    assert rows[0] == {
        "user_id": "00usfdsyqnIjEmHNm4x6",
        "login": "John.Doe-Activate@example.com",
        "email": "John.Doe-Activate@example.com",
        "status": "STAGED",
        "created_at": dt.datetime(2020, 8, 27, 18, 16, tzinfo=dt.UTC),
        "activated_at": None,
        "status_changed_at": None,
        "last_login_at": None,
    }
    assert rows[1]["user_id"] == "00usfgmn9xhwtA6f74x6"
    assert rows[1]["login"] == "John.Doe-Paginate-1@example.com"

    # the recorded Link header drives dlt's paginator: next URL verbatim, cursor opaque
    paginator = HeaderLinkPaginator()
    paginator.update_state(recorded_response(pages[0]))
    assert paginator.has_next_page
    paginator.update_state(recorded_response(pages[1]))
    assert paginator.has_next_page  # the recording stops before the last page
    first_next = recorded_response(pages[0]).links["next"]["url"]
    assert first_next == pages[1]["url"]


def test_self_only_link_means_last_page() -> None:
    (listing,) = _gets("TestGroupsResource.test_list_groups.json", "/api/v1/groups")
    paginator = HeaderLinkPaginator()
    paginator.update_state(recorded_response(listing))
    assert not paginator.has_next_page


def test_groups_map_profile_name_and_type() -> None:
    (listing,) = _gets("TestGroupsResource.test_list_groups.json", "/api/v1/groups")
    rows = [helpers.group_row(g) for g in listing["response_body"]]
    assert rows[0] == {
        "group_id": "00gc04qatkiyWnGoq4x6",
        "group_name": "Everyone",
        "group_type": "BUILT_IN",
        "description": "All users in your organization",
    }
    assert rows[1]["group_name"] == "Group-Target-Test"
    assert rows[1]["group_type"] == "OKTA_GROUP"
    assert rows[1]["description"] is None


def test_group_members_are_user_objects() -> None:
    listings = _gets("TestGroupsResource.test_group_users_operations.json", "/users")
    assert [len(x["response_body"]) for x in listings] == [1, 0]
    member = helpers.user_row(listings[0]["response_body"][0])
    assert member["user_id"] == "00usfbpcapvcITLwi4x6"
    assert member["status"] == "STAGED"


def test_error_bodies_give_okta_code_and_summary() -> None:
    (missing,) = [
        e for e in real("TestUsersResource.test_user_pagination.json") if e["status"] == 404
    ]
    message = helpers._vendor_message(recorded_response(missing))
    assert message == ": E0000007 Not found: Resource not found: 00usfgmn9xhwtA6f74x6 (User)"


def test_rate_limit_headers_are_epoch_seconds() -> None:
    from ingestion.http import reset_delay

    (listing,) = _gets("TestGroupsResource.test_list_groups.json", "/api/v1/groups")
    response = recorded_response(listing)
    reset = int(response.headers["x-rate-limit-reset"])
    assert reset_delay(response, now=reset - 7) == 7


def _authorization(auth) -> str:
    import requests

    return auth(requests.Request("GET", "http://okta.invalid/api/v1/users").prepare()).headers[
        "Authorization"
    ]


def test_credentials_never_show_in_repr_and_oauth_is_bearer() -> None:
    auth = helpers.auth_for(None, "secret-access-token")
    assert _authorization(auth) == "Bearer secret-access-token"
    assert "secret" not in repr(auth)
    assert _authorization(helpers.auth_for("secret-api-token", "other")) == "SSWS secret-api-token"
