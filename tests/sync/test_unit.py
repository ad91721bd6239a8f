"""`in_one_commit`: every local write of the step joins one transaction, committed at the end or not at all."""

import sqlite3
from pathlib import Path

import pytest

from sync.outbox import Outbox
from sync.staff_store import StaffStore
from sync.store import open_store
from sync.unit import in_one_commit
from tests.sync.helpers import rating


def _on_disk(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as raw:  # an independent connection: only what was committed
        return (raw.execute("SELECT count(*) FROM outbox").fetchone()[0],
                raw.execute("SELECT count(*) FROM counter_cases").fetchone()[0])


def test_writes_inside_the_step_commit_together_and_read_their_own_rows(tmp_path: Path) -> None:
    store = open_store(tmp_path / "t.db")
    try:
        outbox, staff = Outbox(store, "T1"), StaffStore(store, "T1")
        seen: list[object] = []

        def step() -> int:
            receipt = outbox.enqueue("rating", rating())
            staff.put_case("C-1", {"status": "approved"})
            seen.append(staff.case("C-1"))  # a read inside the unit sees the unit's own write
            seen.append(_on_disk(tmp_path / "t.db"))  # … which no other connection sees yet
            return receipt.seq

        assert in_one_commit(store, step) == 1
        assert seen == [{"status": "approved"}, (0, 0)]
        assert _on_disk(tmp_path / "t.db") == (1, 1)
    finally:
        store.close()


def test_an_exception_in_the_step_leaves_nothing_and_the_next_enqueue_is_numbered_right(tmp_path: Path) -> None:
    store = open_store(tmp_path / "t.db")
    try:
        outbox, staff = Outbox(store, "T1"), StaffStore(store, "T1")

        def step() -> None:
            outbox.enqueue("rating", rating())
            in_one_commit(store, lambda: staff.put_case("C-1", {"status": "approved"}))  # nested: joins
            raise RuntimeError("the printer caught fire")

        with pytest.raises(RuntimeError):
            in_one_commit(store, step)
        assert _on_disk(tmp_path / "t.db") == (0, 0)
        assert staff.case("C-1") is None
        assert outbox.enqueue("rating", rating()).seq == 1  # the rolled-back number is not skipped
    finally:
        store.close()
