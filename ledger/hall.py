"""The hall's routes (issue 11): certificate verification and the hall queue, installed by one line."""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from ledger import certificates, hall_queue


def install(app: FastAPI, authenticated: Callable[..., Any]) -> None:
    certificates.install(app, authenticated)  # /v1/certificates/verify, public /verify/{code}
    hall_queue.install(app, authenticated)  # /v1/queue/tickets, call-next, call, offline-block
