"""One unit of work: a step of several local writes that commits together or not at all.

A counter decision writes the case record, audit rows, outbox items (`case.action`s, the
`withdrawal.apply`) and drops a draft. Committed one by one, a crash between them leaves, say,
a withdrawal queued for a case that was never approved. `in_one_commit(store, step)` runs the
step with every write of this thread on that store file joined into one transaction
(`Store.unit_of_work`): one durable COMMIT when the step returns, a rollback when it raises.

The step must not wait on the network or a device: the transaction holds the store's write
lock (the sender and other writers wait), so fetch first, then decide and write in the unit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sync.store import Store

T = TypeVar("T")


def in_one_commit(store: Store, step: Callable[[], T]) -> T:
    """Run `step` so that all it writes to `store` commits in one transaction, or none of it does."""
    with store.unit_of_work():
        return step()
