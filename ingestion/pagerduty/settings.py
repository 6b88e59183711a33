"""Constants of the PagerDuty source (API_SHAPES.md §4)."""

SOURCE = "pagerduty"

ACCEPT = "application/vnd.pagerduty+json;version=2"

# Classic pagination: `limit` at most 100, and offset + limit may not exceed 10,000.
PAGE_SIZE = 100
OFFSET_CEILING = 10_000
# When a listing holds more than the ceiling, split it so each part holds about this many.
SPLIT_TARGET = 5_000
# /incidents refuses `since`..`until` ranges longer than six months.
MAX_INCIDENT_RANGE_DAYS = 179

INCIDENT_STATUSES = ("triggered", "acknowledged", "resolved")

SERVICE_COLUMNS = {
    "service_id": "text",
    "name": "text",
    "status": "text",
    "escalation_policy_id": "text",
    "team_id": "text",
    "created_at": "timestamp",
}
POLICY_COLUMNS = {
    "escalation_policy_id": "text",
    "name": "text",
    "num_loops": "bigint",
    "escalation_rule_count": "bigint",
}
TARGET_COLUMNS = {
    "escalation_policy_id": "text",
    "escalation_rule_id": "text",
    "escalation_level": "bigint",
    "escalation_delay_in_minutes": "bigint",
    "target_type": "text",
    "target_id": "text",
}
SCHEDULE_COLUMNS = {"schedule_id": "text", "name": "text", "time_zone": "text"}
ONCALL_COLUMNS = {
    "escalation_policy_id": "text",
    "escalation_level": "bigint",
    "schedule_id": "text",
    "user_id": "text",
    "starts_at": "timestamp",
    "ends_at": "timestamp",
}
INCIDENT_COLUMNS = {
    "incident_id": "text",
    "incident_number": "bigint",
    "service_id": "text",
    "escalation_policy_id": "text",
    "status": "text",
    "urgency": "text",
    "created_at": "timestamp",
    "resolved_at": "timestamp",
    "last_status_change_at": "timestamp",
}
