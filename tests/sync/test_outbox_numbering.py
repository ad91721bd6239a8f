"""Enqueue numbers and seals its rows before the transaction, on a guess of the next sequence number.

A second writer on the same file (another process: here a second Outbox on its own Store) makes
the guess wrong; the item must then be renumbered inside the transaction, with the application
number in the sealed payload and the business row following the real sequence number.
"""

import sqlite3
from pathlib import Path

from sync.crypto import Cipher, load_or_create_key
from sync.outbox import Outbox
from sync.store import open_store
from tests.sync.helpers import rating, withdrawal


def test_interleaved_writers_get_consecutive_numbers_and_matching_application_numbers(tmp_path: Path) -> None:
    key = load_or_create_key(tmp_path / "k")
    first, second = open_store(tmp_path / "t.db"), open_store(tmp_path / "t.db")
    try:
        a, b = Outbox(first, "TY-K-01", Cipher(key)), Outbox(second, "TY-K-01", Cipher(key))
        receipts = []
        for i in range(6):  # a, a, b, a, b, b: every switch of writer invalidates the other's guess
            writer = (a, a, b, a, b, b)[i]
            receipts.append(writer.enqueue("withdrawal.apply", withdrawal(100 + i), member_id=f"M{i}"))
        receipts.append(a.enqueue("rating", rating()))
        assert [r.seq for r in receipts] == list(range(1, 8))
        sent = {i.seq: i.wire()["payload"] for i in a.claim(10)}
        for r in receipts[:6]:
            assert r.application_no is not None and r.application_no.endswith(f"-{r.seq:06d}")
            assert sent[r.seq]["application_no"] == r.application_no  # the sealed payload was renumbered too
        with sqlite3.connect(first.path) as raw:
            rows = raw.execute("SELECT outbox_seq, application_no, amount_fen FROM applications ORDER BY id").fetchall()
        assert rows == [(r.seq, r.application_no, 100 + i) for i, r in enumerate(receipts[:6])]
    finally:
        first.close()
        second.close()


def test_a_refused_enqueue_does_not_use_up_a_number(tmp_path: Path) -> None:
    store = open_store(tmp_path / "t.db")
    try:
        outbox = Outbox(store, "TY-K-01")
        outbox.enqueue("withdrawal.apply", withdrawal(application_no="A-1"), member_id="M1")
        try:
            outbox.enqueue("withdrawal.apply", withdrawal(application_no="A-1"), member_id="M2")
        except ValueError:
            pass
        assert outbox.enqueue("rating", rating()).seq == 2
    finally:
        store.close()
