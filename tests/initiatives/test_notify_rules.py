"""The rules of notification planning and configuration, as pure functions, and the
Dagster wiring: the step after publish and the `notify` job."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pytest

from orchestration.build import EVALUATE_JOB, build_definitions
from orchestration.notifications.assets import CHECK_NAME, NOTIFY_JOB
from orchestration.notifications.config import notify_settings
from readiness.errors import ReadinessError
from readiness.notify.deliver import _precedence
from readiness.notify.messages import Initiative, Message
from readiness.notify.plan import digest_period_start, reminder_due
from readiness.notify.settings import SlackSettings

WEDNESDAY = dt.date(2026, 3, 4)


def initiative(**changes) -> Initiative:
    values = dict(
        initiative_id="i",
        name="I",
        description="",
        scorecard_id="sc",
        target_text="pass r",
        start_date=dt.date(2026, 1, 1),
        due_date=dt.date(2026, 3, 10),
        owner_ref="user:default/tina",
        channels=("slack", "email"),
        digest_cadence="weekly",
        digest_weekday="monday",
        reminder_days=(1, 7),
        escalate_overdue=True,
        level_drop_alerts=True,
    )
    return Initiative(**{**values, **changes})


@pytest.mark.parametrize(
    ("days_left", "expected"), [(8, None), (7, 7), (5, 7), (1, 1), (0, 1), (-1, None)]
)
def test_the_reminder_due_is_the_smallest_window_the_day_is_in(days_left, expected):
    due = dt.date(2026, 3, 10)
    assert reminder_due(initiative(due_date=due), due - dt.timedelta(days=days_left)) == expected


def test_digest_periods_start_on_the_cadence_day():
    assert digest_period_start(initiative(), WEDNESDAY) == dt.date(2026, 3, 2)
    assert digest_period_start(initiative(digest_weekday="wednesday"), WEDNESDAY) == WEDNESDAY
    assert digest_period_start(initiative(digest_weekday="friday"), WEDNESDAY) == dt.date(
        2026, 2, 27
    )
    assert digest_period_start(initiative(digest_cadence="daily"), WEDNESDAY) == WEDNESDAY
    assert digest_period_start(initiative(digest_cadence="never"), WEDNESDAY) is None


def message(event: str, recipient: str = "group:default/a", channel: str = "slack") -> Message:
    return Message(
        key=f"i/{event}/{recipient}/{channel}",
        initiative_id="i",
        event=event,
        as_of=WEDNESDAY,
        recipient_ref=recipient,
        channel=channel,
        address="a",
        subject=event,
        body="",
    )


def test_one_message_per_initiative_recipient_and_channel_wins_the_rest_are_superseded():
    new = [
        message("digest"),
        message("reminder"),
        message("created"),
        message("digest", channel="email"),
        message("digest", recipient="group:default/b"),
        message("overdue"),
    ]
    queued, superseded, by = _precedence(new)
    assert [m.key for m in queued] == [
        "i/created/group:default/a/slack",
        "i/digest/group:default/a/email",
        "i/digest/group:default/b/slack",
        "i/overdue/group:default/a/slack",
    ]
    assert by == {
        "i/digest/group:default/a/slack": "i/created/group:default/a/slack",
        "i/reminder/group:default/a/slack": "i/created/group:default/a/slack",
    }
    assert len(superseded) == 2


def test_webhooks_are_found_by_ref_or_name_and_fall_back_to_the_default():
    slack = SlackSettings.model_validate(
        {"webhooks": {"Payments": "https://h/1", "group:default/search": "https://h/2"}}
    )
    assert slack.route("group:default/payments") == "Payments"
    assert slack.route("group:default/search") == "group:default/search"
    assert slack.route("group:default/other") is None
    with_default = slack.model_copy(update={"default_webhook": "https://h/0"})
    assert SlackSettings.model_validate(with_default.model_dump()).route("x:y/z") == "default"
    assert SlackSettings.host(slack.url("Payments")) == "h"


def test_bad_settings_name_the_key_and_never_the_secret(monkeypatch):
    monkeypatch.setenv("NOTIFICATIONS__SLACK__WEBHOOKS", "https://hooks.example/T/B/s3cr3t")
    with pytest.raises(ReadinessError) as info:
        notify_settings()
    assert "notifications.slack.webhooks must be a table" in str(info.value)
    assert "s3cr3t" not in str(info.value)
    monkeypatch.delenv("NOTIFICATIONS__SLACK__WEBHOOKS")
    monkeypatch.setenv("NOTIFICATIONS__EMAIL__SMTP_PORT", "twenty-five")
    monkeypatch.setenv("NOTIFICATIONS__EMAIL__PASSWORD", "pw-s3cr3t")
    with pytest.raises(ReadinessError, match=r"notifications\.email\.smtp_port") as info:
        notify_settings()
    assert "s3cr3t" not in str(info.value)


def test_the_step_follows_the_publish_and_has_a_job_of_its_own(make_settings):
    defs = build_definitions(make_settings())
    graph = defs.resolve_asset_graph()
    node = graph.get(dg.AssetKey("notifications"))
    assert {k.to_user_string() for k in node.parent_keys} == {"published_warehouse"}
    evaluate = defs.resolve_job_def(EVALUATE_JOB).asset_layer.selected_asset_keys
    assert dg.AssetKey("notifications") in evaluate
    notify = defs.resolve_job_def(NOTIFY_JOB)
    assert notify.asset_layer.selected_asset_keys == {dg.AssetKey("notifications")}
    checks = notify.asset_layer.asset_graph.asset_check_keys
    assert dg.AssetCheckKey(dg.AssetKey("notifications"), CHECK_NAME) in checks
