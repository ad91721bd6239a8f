import logging
import sys
from pathlib import Path

import pytest

from infra.crash import CrashHandler


@pytest.mark.allow_log_warnings
def test_uncaught_exception_is_logged_masked_and_recovery_runs(caplog: pytest.LogCaptureFixture,
                                                               tmp_path: Path) -> None:
    recovered: list[BaseException] = []
    handler = CrashHandler(recover=recovered.append)
    try:
        raise RuntimeError("boom while reading 140105199003071234")
    except RuntimeError as exc:
        with caplog.at_level(logging.ERROR, logger="hpf.app"):
            handler.handle(type(exc), exc, exc.__traceback__)
    assert [str(e) for e in recovered] == ["boom while reading 140105199003071234"]
    assert handler.count == 1
    assert any(r.name == "hpf.app" and r.levelno == logging.ERROR for r in caplog.records)


@pytest.mark.allow_log_warnings
def test_a_failing_recovery_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    def bad_recovery(_exc: BaseException) -> None:
        raise ValueError("recovery broke")

    handler = CrashHandler(recover=bad_recovery)
    exc = KeyError("x")
    with caplog.at_level(logging.ERROR, logger="hpf.app"):
        handler.handle(KeyError, exc, None)
    messages = [r.getMessage() for r in caplog.records]
    assert "recovery after a crash failed" in messages


def test_install_sets_the_hooks(tmp_path: Path) -> None:
    old_hook = sys.excepthook
    handler = CrashHandler()
    try:
        handler.install(tmp_path / "fault.log")
        assert sys.excepthook == handler.handle
        assert (tmp_path / "fault.log").exists()
    finally:
        sys.excepthook = old_hook
        import faulthandler
        import threading
        faulthandler.disable()
        threading.excepthook = threading.__excepthook__
        if handler._fault_file is not None:
            handler._fault_file.close()
