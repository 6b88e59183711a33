"""Notifications: initiative events delivered exactly once through a durable outbox.

- :mod:`readiness.notify.settings`: channel settings (webhooks, SMTP) as secrets;
- :mod:`readiness.notify.plan`: which messages are due on a day, from the marts;
- :mod:`readiness.notify.messages`: the messages and their text;
- :mod:`readiness.notify.outbox`: the outbox table in the working warehouse;
- :mod:`readiness.notify.channels`: Slack-compatible webhooks and SMTP;
- :mod:`readiness.notify.deliver`: one run: plan, queue, deliver, retry.

The orchestration runs :func:`readiness.notify.deliver.notify` as a Dagster step after
each publish; ``readiness notify --dry-run`` prints what it would send.
"""
