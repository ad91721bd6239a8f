"""Online first (issue 14, item 6): a kiosk's one-item request is marked online from HTTP entry, before any
write it makes, so a backlog batch holding SQLite's write lock lets it in; the mark is shared by the worker
processes of one `serve --workers N` (ledger.online's board). Order of events is asserted, never time."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ledger import auth, rules, service
from ledger.online import ONLINE, OnlineBoard, OnlineFirst, board_directory
from ledger.testing import LedgerThread, SignedClient
from tests.ledger.conftest import SignedTestClient
from tests.ledger.items import rating

WAIT_S = 30.0  # a bound for a test that would otherwise hang; nothing is asserted about it


def test_only_a_one_item_request_is_online_and_before_its_nonce_is_written(
        kiosk: SignedTestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real = auth.remember_nonce

    def remember(*args: Any, **kwargs: Any) -> None:
        seen.append(ONLINE.busy())  # the request's first write
        real(*args, **kwargs)

    monkeypatch.setattr(auth, "remember_nonce", remember)
    assert [r["status"] for r in kiosk.batch([rating(5)])] == ["accepted"]
    assert [r["status"] for r in kiosk.batch([rating(4), rating(3)])] == ["accepted", "accepted"]
    assert seen == [True, False], "the one-item request was online before its nonce; the backlog was not"
    assert not ONLINE.busy(), "the mark ends with the answer"


def test_an_online_request_is_answered_while_a_backlog_batch_holds_the_sqlite_write_lock(
        db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch is mid-transaction (SQLite's one write lock held) when the kiosk's request arrives: that request
    must write its nonce first, so the batch has to commit what it has and wait for the answer."""
    monkeypatch.setattr(service, "GIVE_WAY_BUDGET_S", WAIT_S)  # the order below must not depend on speed
    events: list[str] = []
    batch_holds_lock = threading.Event()
    real = rules.HANDLERS["rating"]

    def handler(session: Session, ctx: rules.ItemContext, p: Any) -> rules.Applied:
        applied = real(session, ctx, p)
        if p.score == 1:  # the batch's first item: its transaction holds the write lock now
            batch_holds_lock.set()
            threading.Event().wait(0)  # let the test thread run
            waited = 0.0
            while not ONLINE.busy() and waited < WAIT_S:  # until the online request has arrived
                threading.Event().wait(0.01)
                waited += 0.01
            events.append("batch: first item applied, online request waiting")
        elif p.score == 2:
            events.append("batch: an item after the first")
        else:
            events.append("online: decided")
        return applied

    monkeypatch.setitem(rules.HANDLERS, "rating", handler)
    with LedgerThread(db_url) as ledger:
        backlog, online = SignedClient(ledger.url, timeout_s=60), SignedClient(ledger.url, timeout_s=60)
        batch_results: list[dict[str, Any]] = []

        def send_backlog() -> None:
            batch_results.extend(backlog.send_batch([rating(1)] + [rating(2) for _ in range(4)]))
            events.append("batch: answered")

        sender = threading.Thread(target=send_backlog)
        sender.start()
        assert batch_holds_lock.wait(WAIT_S)
        answer = online.send_batch([rating(5)])
        events.append("online: answered")
        sender.join(WAIT_S)
        backlog.close()
        online.close()
    assert answer[0]["status"] == "accepted" and [r["status"] for r in batch_results] == ["accepted"] * 5
    # decided (and committed: the batch resumes only when the online request's mark ends) inside the batch
    server_side = [e for e in events if e != "online: answered"]  # the client's own record may come any time after
    assert server_side == (["batch: first item applied, online request waiting", "online: decided"]
                           + ["batch: an item after the first"] * 4 + ["batch: answered"]), events


_CHILD = """
import sys
from pathlib import Path
from ledger.online import OnlineFirst
first = OnlineFirst()
first.attach(Path(sys.argv[1]))
print("attached", first._board.slot, flush=True)
for line in sys.stdin:
    command = line.strip()
    if command == "busy?":
        print("busy" if first.busy() else "clear", flush=True)
    elif command == "online":
        first._online_cm = first.online()
        first._online_cm.__enter__()
        print("ok", flush=True)
    elif command == "done":
        first._online_cm.__exit__(None, None, None)
        print("ok", flush=True)
"""


class _Worker:
    """Another worker process attached to the same board, driven line by line."""

    def __init__(self, board: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", _CHILD, str(board)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        self.slot = int(self._line().split()[1])

    def _line(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def ask(self, command: str) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self._line()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()


def test_the_online_mark_is_seen_by_another_worker_process() -> None:
    with board_directory() as board:
        here = OnlineFirst()
        here.attach(board)
        other = _Worker(board)
        try:
            assert here._board is not None and other.slot != here._board.slot, "one slot per worker"
            assert other.ask("busy?") == "clear"
            with here.online():
                assert other.ask("busy?") == "busy", "this process's online request is seen by the other"
            assert other.ask("busy?") == "clear"
            assert other.ask("online") == "ok"
            assert here.busy(), "and the other's is seen here"
            assert other.ask("done") == "ok"
            assert not here.busy()
        finally:
            other.close()
            here.detach()


def test_a_worker_killed_in_flight_leaves_a_slot_the_next_worker_clears() -> None:
    with board_directory() as board:
        here = OnlineFirst()
        here.attach(board)
        dead = _Worker(board)
        try:
            assert dead.ask("online") == "ok"
            dead.close()  # SIGKILL with a request in flight: its counter stays behind
            assert here.busy(), "a stale count until the slot is claimed again"
            replacement = OnlineBoard(board)  # the restarted worker claims the freed slot and resets it
            try:
                assert replacement.slot == dead.slot
                assert not here.busy()
            finally:
                replacement.close()
        finally:
            dead.close()
            here.detach()


def test_a_drain_waits_for_an_online_request_in_another_worker() -> None:
    """GiveWay polls the board: a drain's pause ends when the other worker's request is answered."""
    with board_directory() as board:
        here = OnlineFirst()
        here.attach(board)
        other = _Worker(board)
        order: list[str] = []
        try:
            assert other.ask("online") == "ok"
            waiter = threading.Thread(target=lambda: (here.wait_clear(10 * WAIT_S), order.append("drain resumes")))
            waiter.start()
            order.append("online answered")
            assert other.ask("done") == "ok"
            waiter.join(WAIT_S)  # without polling the board it would sleep out its whole wait
            assert not waiter.is_alive() and order == ["online answered", "drain resumes"]
        finally:
            other.close()
            here.detach()
