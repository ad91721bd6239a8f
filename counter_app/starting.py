"""The counter before its local store is open (issue 14: a counter that starts at once).

`hpf-counter` shows its windows with the sign-in screen and the ID card reader started, then opens
the local store (migrations), the sync runtime and the desk on a worker (SQLAlchemy, the ledger
client, the policy files: most of the old start-up). Until they are there, `services.desk` is a
`PendingDesk`: the counter's settings from the configuration, nobody signed in, and a `sign_in`
that waits for the store (it runs on a background operation, never the GUI thread) and then signs
in through the real desk: online through the ledger, or offline against the verifier this counter
kept in its store. The queue reads as empty (the hall shows its welcome) until the store is open.

Nothing a clerk can do before the store is open breaks or is lost: the only action offered is the
sign-in, and it waits. If the store cannot be opened (or a production counter still has a demo
password), the waiting sign-in fails with the reason and the program ends as it did before it
showed a window (exit 1, or the demo-credential exit code).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from counter_app.desk_settings import DeskSettings
from counter_app.services import CounterServices
from infra.config import Config
from infra.logs import get_logger

log = get_logger("counter")

OPEN_WAIT_S = 300.0  # a sign-in waits this long for the store (another process may be migrating it)


class StoreOpening:
    """The outcome of opening the store on the worker: the desk, or why there is none. Thread-safe."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self.desk: Any = None
        self.error: BaseException | None = None
        self.exit_code = 0  # what the program ends with when opening failed

    def succeeded(self, desk: Any) -> None:
        self.desk = desk
        self._done.set()

    def failed(self, error: BaseException, exit_code: int) -> None:
        self.error, self.exit_code = error, exit_code
        self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float = OPEN_WAIT_S) -> Any:
        """The desk, once the store is open (blocks: call it from a worker, never the GUI thread)."""
        if not self._done.wait(timeout):
            from sync.store import StoreError

            raise StoreError("the local store is still opening; try again in a moment")
        if self.error is not None:
            raise self.error
        return self.desk


class PendingDesk:
    """`services.desk` while the store opens: what the windows read before it, and a sign-in that waits."""

    account = None
    role = None
    session_token = ""
    signed_in_offline = False
    # a counter with a sync runtime signs its staff in through the centre (sync.staff_auth): the
    # sign-in screen says so from the first frame
    remote: Any = "centre"

    def __init__(self, settings: DeskSettings, opening: StoreOpening) -> None:
        self.settings = settings
        self.opening = opening

    @staticmethod
    def clock() -> datetime:
        return datetime.now(UTC)

    def sign_in(self, staff_id: str, password: str) -> Any:
        """Waits for the store, then the real desk's sign-in (online, or offline from the store)."""
        desk = self.opening.wait()
        result = desk.sign_in(staff_id, password)
        return result

    def sign_out(self) -> None:
        """Nobody can be signed in yet."""

    def forward_audit(self) -> int:
        return 0


class PendingQueue:
    """`services.queue` while the store opens: nobody called, nobody waiting."""

    current = None

    def recent_calls(self) -> list[Any]:
        return []

    def waiting(self) -> list[Any]:
        return []


def pending_services(config: Config, window: str) -> CounterServices:
    """The counter's services as they are before the store opens (`open_store_later` completes them)."""
    t = config.terminal
    opening = StoreOpening()
    desk = PendingDesk(DeskSettings(t.id, t.outlet, window, t.centre_name, t.hotline), opening)
    services = CounterServices(config, desk, PendingQueue(), None, None, None)  # type: ignore[arg-type]
    services.extras["store_opening"] = opening
    return services


def open_store_later(services: CounterServices, config: Config, window: str, *,
                     run_on_main: Callable[[Callable[[], None]], None],
                     attached: Callable[[], None], failed: Callable[[StoreOpening], None]) -> threading.Thread:
    """On a thread of its own: the sync runtime (the store opened and migrated), the desk and its
    parts; production: no staff account may keep a demo password. Then, on the GUI thread: the parts
    into `services`, the runtime started, `attached()` — or `failed(opening)`."""
    from counter_app.services import attach_heartbeat, build_services

    opening: StoreOpening = services.extras["store_opening"]

    def fail(exc: BaseException, code: int) -> None:
        opening.failed(exc, code)  # a waiting sign-in fails with the reason now
        try:
            run_on_main(lambda: failed(opening))
        except RuntimeError:  # the window closed meanwhile
            pass

    def attach(built: CounterServices, runtime: Any) -> None:
        if services.extras.pop("opened_runtime", None) is not runtime:  # closed meanwhile: close() stopped it
            return
        services.desk, services.queue, services.cases, services.bundles = (built.desk, built.queue, built.cases,
                                                                          built.bundles)
        services.runtime = runtime
        attach_heartbeat(services, config)
        runtime.start()
        attached()

    def work() -> None:
        from sync.credentials import NotEnrolled
        from sync.runtime import SyncRuntime
        from sync.store import StoreError

        try:
            runtime = SyncRuntime.from_config(config)
        except (StoreError, NotEnrolled) as exc:
            store = isinstance(exc, StoreError)
            print(f"{StoreError.zh} / {StoreError.en}\n{exc}" if store else f"hpf-counter: {exc}", file=sys.stderr)
            fail(exc, 1)
            return
        services.extras["opened_runtime"] = runtime  # close() stops it if never attached
        try:
            built = build_services(config, runtime, window=window)
            if not config.demo:  # production: no account may keep a demo password (README prints them)
                from infra.production import EXIT_DEMO_CREDENTIAL, DemoCredentialError, demo_passwords_among

                found = demo_passwords_among(built.desk.staff.password_hashes())
                if found:
                    error = DemoCredentialError("hpf-counter", found)
                    print(error, file=sys.stderr)
                    fail(error, EXIT_DEMO_CREDENTIAL)
                    return
        except Exception as exc:  # the policy files, a damaged store: nobody can work at this counter
            log.exception("the counter's desk could not be built")
            fail(exc, 1)
            return
        try:
            run_on_main(lambda: attach(built, runtime))
        except RuntimeError:  # the window closed meanwhile: close() stops the runtime
            pass
        # Now, not in `attach`: a sign-in waiting on a background lane goes on even while the GUI
        # thread waits for that lane (closing the window); its answer reaches the GUI thread after
        # `attach`, through the same queue.
        opening.succeeded(built.desk)

    thread = threading.Thread(target=work, name="hpf-counter-store", daemon=True)
    services.extras["opening"] = thread
    thread.start()
    return thread
