"""Property test: whatever mix of enqueues, sends, answers, lost answers and server faults
happens, no item is lost, final states never change, and sending follows creation order."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.client import ItemResult, Reason
from sync.outbox import ACKNOWLEDGED, PARKED, PENDING, REJECTED, Outbox
from sync.store import open_store
from tests.sync.helpers import rating

FINAL = (ACKNOWLEDGED, REJECTED)
ops = st.lists(st.one_of(
    st.tuples(st.just("enqueue"), st.sampled_from(["M1", "M2", None])),
    st.tuples(st.just("send"), st.integers(1, 4)),
), min_size=1, max_size=25)
answers = st.lists(st.sampled_from(["accepted", "rejected", "lost", "fault"]), min_size=25, max_size=25)


def _scratch() -> Path:
    shm = Path("/dev/shm")
    return Path(tempfile.mkdtemp(dir=shm if shm.is_dir() else None))


@settings(max_examples=40, deadline=None)
@given(ops, answers)
def test_no_item_is_lost_and_final_states_are_final(steps: list[tuple[str, object]], replies: list[str]) -> None:
    folder = _scratch()
    store = open_store(folder / "t.db")
    try:
        outbox = Outbox(store, "T")
        enqueued: list[str] = []
        final: dict[str, str] = {}
        for (op, arg), reply in zip(steps, replies, strict=False):
            if op == "enqueue":
                enqueued.append(outbox.enqueue("rating", rating(), member_id=arg).idempotency_key)  # type: ignore[arg-type]
                continue
            pending_before = [i.idempotency_key for i in outbox.items(PENDING)]
            batch = outbox.claim(int(arg))  # type: ignore[call-overload]
            assert [i.idempotency_key for i in batch] == pending_before[: int(arg)]  # type: ignore[call-overload]
            if not batch:
                continue
            if reply == "lost":
                outbox.release(batch)
            elif reply == "fault":
                outbox.fail(batch, max_attempts=3, reason=Reason("server_error", "故障。", "Fault."))
            else:
                outbox.record([ItemResult(i.idempotency_key, reply, "L", None, {}) for i in batch])
                final.update((i.idempotency_key, ACKNOWLEDGED if reply == "accepted" else REJECTED) for i in batch)
        items = outbox.items()
        assert [i.idempotency_key for i in items] == enqueued  # nothing lost, creation order kept
        for item in items:
            if item.idempotency_key in final:
                assert item.state == final[item.idempotency_key]
            else:
                assert item.state in (PENDING, PARKED)
            assert item.state == PARKED or item.attempts < 3
    finally:
        store.close()
        shutil.rmtree(folder, ignore_errors=True)
