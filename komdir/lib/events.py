"""The event bus: a lower app announces what it wrote or showed; a higher app reacts.

`focus` and `circles` must not import the features above them (notifications, the overview),
yet a published case must reach its followers. So their services `emit` an event and the
features `subscribe` in their `AppConfig.ready()`. Events and payloads are plain names and
model instances; the bus knows no app.

- `emit` runs the subscribers after the surrounding transaction commits (at once outside one),
  so nothing is sent for a write that rolls back.
- `emit_in_transaction` runs them at once, inside the caller's transaction: what they write is
  part of the write that emitted it, and their failure rolls it back.
- `ask` collects answers: a page lets higher apps add to what it shows (a focus area's page
  lists the meeting notes that discussed it) without importing them.
- `subscribed_temporarily` swaps a subscriber in for a test (as Wagtail's
  `hooks.register_temporarily`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.db import transaction

Subscriber = Callable[..., Any]

_subscribers: dict[str, list[Subscriber]] = defaultdict(list)


def subscribe(event: str, subscriber: Subscriber) -> None:
    """Idempotent, so `ready()` running twice (tests, autoreload) never doubles a notice."""
    if subscriber not in _subscribers[event]:
        _subscribers[event].append(subscriber)


def unsubscribe(event: str, subscriber: Subscriber) -> None:
    if subscriber in _subscribers[event]:
        _subscribers[event].remove(subscriber)


def subscribers(event: str) -> list[Subscriber]:
    return list(_subscribers.get(event, ()))


def emit(event: str, /, **payload: Any) -> None:
    for subscriber in subscribers(event):
        transaction.on_commit(partial(subscriber, **payload))


def emit_in_transaction(event: str, /, **payload: Any) -> None:
    for subscriber in subscribers(event):
        subscriber(**payload)


def ask(event: str, /, **payload: Any) -> list[Any]:
    return [subscriber(**payload) for subscriber in subscribers(event)]


@contextmanager
def subscribed_temporarily(event: str, subscriber: Subscriber) -> Iterator[None]:
    subscribe(event, subscriber)
    try:
        yield
    finally:
        unsubscribe(event, subscriber)
