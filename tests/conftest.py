"""Test harness shared by every test.

Qt runs offscreen; tests that use a QApplication are marked `gui` automatically, so
`pytest -m "not gui"` runs the pure layers alone. Any record at WARNING or above from an
`hpf.*` logger fails the test unless the test is marked `allow_log_warnings`. A test that sets up
logging (a program's `main()`, `infra.logs.setup_logging`) has the `hpf` loggers put back as they
were after it.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True, scope="session")
def _private_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep tests away from the developer's real config, data and logs (see infra.paths)."""
    old = os.environ.get("HPF_HOME")
    os.environ["HPF_HOME"] = str(tmp_path_factory.mktemp("hpf-home"))
    yield
    if old is None:
        os.environ.pop("HPF_HOME", None)
    else:
        os.environ["HPF_HOME"] = old


@pytest.fixture(scope="session")
def exchange_url() -> Iterator[str]:
    """The data-sharing exchange simulator (`hpf-exchange`'s app) in a thread, for ledgers started by tests.

    It knows the first 200 demo people of the default seed: every seeded test ledger's members."""
    from exchange.testing import ExchangeThread

    with ExchangeThread(members=200) as exchange:
        yield exchange.url


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qtbot" in fixtures or "qapp" in fixtures:
            item.add_marker(pytest.mark.gui)


@contextlib.contextmanager
def hpf_logging_kept() -> Iterator[None]:
    """The `hpf` logger's handlers, level and propagation as they were before, afterwards; the
    handlers added meanwhile closed (except the shared RAM buffer). A program's `main()` run by a
    test sets up logging for its process: left in place, its console handler, level and propagation
    would apply to every later test of the session."""
    from infra.logs import ram_handler

    hpf = logging.getLogger("hpf")
    handlers, level, propagate = list(hpf.handlers), hpf.level, hpf.propagate
    try:
        yield
    finally:
        for h in list(hpf.handlers):
            hpf.removeHandler(h)
            if h not in handlers and h is not ram_handler:
                h.close()
        for h in handlers:
            hpf.addHandler(h)
        hpf.setLevel(level)
        hpf.propagate = propagate


@pytest.fixture(autouse=True)
def _hpf_logging_restored() -> Iterator[None]:
    with hpf_logging_kept():
        yield


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def _fail_on_hpf_warnings(request: pytest.FixtureRequest) -> Iterator[None]:
    handler = _Collect()
    root = logging.getLogger("hpf")
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    if request.node.get_closest_marker("allow_log_warnings"):
        return
    if handler.records:
        lines = "\n".join(f"{r.name} {r.levelname}: {r.getMessage()}" for r in handler.records)
        pytest.fail(f"unexpected hpf log records at WARNING or above:\n{lines}", pytrace=False)
