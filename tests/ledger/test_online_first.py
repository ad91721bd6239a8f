"""Online first (issue 14, item 6): a kiosk's one-item request is marked online before any write it makes (from
its key look-up on SQLite, after its signature check on PostgreSQL; never without signature headers), so a backlog
batch holding SQLite's write lock lets it in; admitted backlog requests wait for it before their own database work;
the mark is shared by the worker processes of one `serve --workers N` (ledger.online's board). Order of events is
asserted, never time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from ledger import rules, service
from ledger.auth import signed_headers
from ledger.db import SQLITE_BUSY_TIMEOUT_MS
from ledger.online import ONLINE, OnlineBoard, OnlineFirst, board_directory
from ledger.testing import LedgerThread, SignedClient
from protocol.signing import TerminalKey
from tests.ledger.conftest import SignedTestClient
from tests.ledger.items import rating

WAIT_S = 30.0  # a bound for a test that would otherwise hang; nothing is asserted about it


@contextmanager
def _nonce_writes() -> Iterator[list[bool]]:
    """ONLINE.busy() at each nonce INSERT the ledger sends to its database (the request's first write)."""
    seen: list[bool] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO NONCES"):
            seen.append(ONLINE.busy())

    event.listen(Engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", before)


def test_only_a_one_item_request_is_online_and_before_its_nonce_is_written(kiosk: SignedTestClient) -> None:
    with _nonce_writes() as seen:
        assert [r["status"] for r in kiosk.batch([rating(5)])] == ["accepted"]
        assert [r["status"] for r in kiosk.batch([rating(4), rating(3)])] == ["accepted", "accepted"]
    assert seen == [True, False], "the one-item request was online before its nonce; the backlog was not"
    assert not ONLINE.busy(), "the mark ends with the answer"


def test_a_backlog_request_starts_its_database_work_after_the_online_request_in_flight(
        kiosk: SignedTestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """An admitted backlog request waits (asleep, within its budget) while an online request is in flight before
    its nonce and look-ups, whose commits would queue with the online request's."""
    from ledger import app as ledger_app

    monkeypatch.setattr(ledger_app, "BACKLOG_START_WAIT_S", WAIT_S)  # the order must not depend on speed
    events: list[str] = []
    waiting = threading.Event()
    real_wait = ONLINE.wait_clear

    def wait_clear(timeout_s: float) -> None:
        events.append("backlog: waits")
        waiting.set()
        real_wait(timeout_s)

    monkeypatch.setattr(ONLINE, "wait_clear", wait_clear)
    results: list[dict[str, Any]] = []
    with _nonce_writes() as nonces:
        with ONLINE.online():  # an online request in flight
            sender = threading.Thread(target=lambda: results.extend(kiosk.batch([rating(4), rating(3)])))
            sender.start()
            assert waiting.wait(WAIT_S)
            events.append(f"online: answered ({len(nonces)} nonces written meanwhile)")
        sender.join(WAIT_S)
    assert events == ["backlog: waits", "online: answered (0 nonces written meanwhile)"], events
    assert nonces == [False] and [r["status"] for r in results] == ["accepted", "accepted"]


def test_an_unsigned_one_item_request_is_not_marked_online_and_a_forged_one_drops_its_mark(
        kiosk: SignedTestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unsigned: refused before any database access, never marked. Forged (a known key id, a wrong key): on SQLite
    marked from its key look-up (that read needs the write lock a drain may hold) and unmarked with its 401."""
    marks: list[str] = []
    real = ONLINE.online

    @contextmanager
    def online() -> Iterator[None]:
        marks.append("marked")
        try:
            with real():
                yield
        finally:
            marks.append("unmarked")

    monkeypatch.setattr(ONLINE, "online", online)
    body = json.dumps({"terminal_id": kiosk.key_id, "items": [rating(5)]}).encode()
    unsigned = kiosk.client.post("/v1/transactions", content=body, headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 401 and marks == [], "an unsigned request was marked online"
    headers = signed_headers(kiosk.key_id, TerminalKey.generate(), "POST", "/v1/transactions", body)  # another key
    forged = kiosk.client.post("/v1/transactions", content=body,
                               headers={**headers, "Content-Type": "application/json"})
    assert forged.status_code == 401 and forged.json()["error"]["code"] == "bad_signature"
    assert marks == ["marked", "unmarked"] and not ONLINE.busy(), "the forged request's mark ends with its 401"


def test_on_sqlite_a_marked_request_waits_for_the_write_lock_by_looking_again_until_it_is_free(
        engine: Engine) -> None:
    from ledger.app import _await_sqlite_write_lock

    events: list[str] = []
    polled = threading.Event()

    def pause(seconds: float) -> None:
        if not polled.is_set():
            events.append("lock held: looks again")
            polled.set()
        threading.Event().wait(seconds)

    holder = engine.raw_connection()
    holder.driver_connection.execute("BEGIN IMMEDIATE")  # a drain's transaction
    waiter = threading.Thread(target=lambda: (_await_sqlite_write_lock(engine, WAIT_S, pause),
                                              events.append("lock free: goes on")))
    waiter.start()
    assert polled.wait(WAIT_S)
    events.append("drain commits")
    holder.driver_connection.execute("COMMIT")
    waiter.join(WAIT_S)
    holder.close()
    assert events == ["lock held: looks again", "drain commits", "lock free: goes on"]
    with engine.begin() as conn:  # the probe left no transaction open and the busy timeout as it was
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS
    stuck = engine.raw_connection()
    stuck.driver_connection.execute("BEGIN IMMEDIATE")
    _await_sqlite_write_lock(engine, 0.0, pause)  # bounded: gives up (the request then waits in SQLite's handler)
    stuck.driver_connection.execute("ROLLBACK")
    stuck.close()


def test_on_postgresql_the_mark_begins_after_the_signature_check_not_with_the_key_look_up() -> None:
    """The same request check on a database whose reads take no write lock: the key look-up (a plain session)
    does not mark; `mark()`, which ingest calls once the signature and clock checks have passed (before the
    nonce, the request's first write), does, once, until the request is answered."""
    from contextlib import ExitStack

    from ledger.app import _MarkOnline

    opened: list[str] = []

    class Sessions:
        def __call__(self) -> str:
            opened.append(f"read, online={ONLINE.busy()}")
            return "session"

    with ExitStack() as stack:
        checked = _MarkOnline(Sessions(), stack, from_first_read=False)  # type: ignore[arg-type]
        checked()
        assert not checked.marked and not ONLINE.busy()
        checked.mark()
        checked.mark()
        assert checked.marked and ONLINE.busy()
        checked()
    assert not ONLINE.busy(), "marked once, unmarked once"
    assert opened == ["read, online=False", "read, online=True"]


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
from collections.abc import Iterator
from contextlib import contextmanager
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


def test_a_ledger_process_hands_the_interpreter_over_every_millisecond_and_never_lengthens_it(
        engine: Engine) -> None:
    """A thread back from the database waits for a busy drain thread at most SWITCH_INTERVAL_S (not CPython's
    5 ms); an interval set shorter before is kept."""
    from ledger.app import create_app
    from ledger.online import SWITCH_INTERVAL_S

    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)
        create_app(engine=engine)
        assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL_S)
        sys.setswitchinterval(0.0005)
        create_app(engine=engine)
        assert sys.getswitchinterval() == pytest.approx(0.0005)
    finally:
        sys.setswitchinterval(before)


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="thread priorities are a POSIX facility")
def test_drain_threads_run_nicer_than_the_request_threads(sessions: sessionmaker[Session]) -> None:
    """A backlog drain slot's thread is DRAIN_NICE nicer than the thread that handed it the batch (Linux keeps a
    niceness per thread): with every CPU busy the kernel runs a waiting person's request first."""
    from ledger import service

    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    theirs = service._background(sessions).submit(
        lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())).result()
    assert theirs == min(19, mine + service.DRAIN_NICE)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine, "the caller's own is unchanged"
