"""`{{ event|event_what }}`, `{{ event|event_remark }}`: a security log entry in the reader's
language."""

from __future__ import annotations

from django import template

from accounts import events
from accounts.models import SecurityEvent

register = template.Library()


@register.filter
def event_detail(event: SecurityEvent) -> str:
    return events.event_detail(event)


@register.filter
def event_what(event: SecurityEvent) -> str:
    return events.event_what(event)


@register.filter
def event_remark(event: SecurityEvent) -> str:
    return events.event_remark(event)


@register.filter
def event_description(event: SecurityEvent) -> str:
    return events.event_description(event)
