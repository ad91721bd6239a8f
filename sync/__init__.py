"""The terminal's offline side: local store, outbox, sync engine and ledger client (no Qt).

    from sync.runtime import SyncRuntime
    runtime = SyncRuntime.from_config(config)        # opens + migrates the store, builds the client
    runtime.start()                                  # background sync thread
    receipt = runtime.enqueue("withdrawal.apply", payload, member_id=...)   # durable on return
    runtime.status                                   # SyncStatus: online/offline/degraded, unsent, ...
    runtime.subscribe(callback)                      # called on every status change
    runtime.account_snapshot(member_id)              # ledger, else encrypted cache (source="cache")
    runtime.outbox.for_clerk() / .resolve(seq, ...)  # rejected and parked items for a clerk
    runtime.stop()

Modules: `store` (SQLite WAL + FULL, Alembic at open), `models` and `migrations/` (schema),
`outbox` (enqueue, claim, record, park), `engine` (batches, backoff, sender lock, status),
`client` (protocol v1, signed requests, typed errors in `errors`), `signing`, `cache` and
`crypto` (encrypted snapshot cache, reference data), `status`, `filelock`, `runtime`.
"""
