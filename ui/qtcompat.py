"""Work-arounds for defects of the Qt binding, each detected at run time and off when fixed.

PySide6 6.12.0 on CPython 3.11 hands out `None`, `True` and `False` without counting the
reference: every call of a method that returns nothing (`QLabel.setText`, `QTableWidget.setItem`
…) and every `Signal.emit()` takes one reference away from those singletons, and after a few
thousand calls CPython aborts ("none_dealloc: deallocating None"). On CPython 3.12+ these objects
are immortal (PEP 683) and the miscount is harmless, which is how the binding gets away with it.
`guard_singletons()` (run when `ui` is imported) probes for the defect and, when present, gives
the three singletons a reference count no session can wear down — the 3.12 behaviour.

For every module imported after it, the binding asks whether the module's source mentions
"PySide6" (its `__feature__` switch) through `inspect.getsource`: about a quarter of a millisecond
a module, a tenth of the kiosk's start-up. `quicker_feature_check()` (infra.pyside_imports; run
when `ui` is imported, and when `infra` is) answers the same question from the file's bytes.

Values from other threads never travel as signal arguments here either: `GuiInbox` takes them
into a thread-safe queue and an argument-free wake signal has the GUI thread hand them on, so no
Python object's count depends on the binding's cross-thread bookkeeping.
"""

from __future__ import annotations

import sys
from _queue import Empty, SimpleQueue  # queue's C core: the same classes, without importing queue.py
from collections.abc import Callable
from functools import cache
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from infra.pyside_imports import feature_check_is_quick, quicker_feature_check


@cache
def _py_incref() -> Any:
    import ctypes

    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    incref.restype = None
    return incref


def _incref(obj: object) -> None:
    """Py_IncRef(obj). ctypes is imported only on a binding with one of the defects (start-up time)."""
    _py_incref()(obj)


class _Probe(QObject):
    ping = Signal()


def _emit_steals_true() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    stolen = before - sys.getrefcount(True)
    for _ in range(max(stolen, 0)):  # pay back what the probe itself took
        _incref(True)
    return stolen >= 8


EMIT_STEALS_TRUE = _emit_steals_true()

# 2**40 references: ~10^12 miscounted calls before trouble, far beyond any terminal's uptime.
_IMMORTAL_BOOST = 1 << 40


def _void_call_steals_none() -> bool:
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(8):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= 8


def guard_singletons() -> bool:
    """Make None/True/False effectively immortal when the binding miscounts them; True if it did."""
    if sys.version_info >= (3, 12) or not _void_call_steals_none():
        return False
    import ctypes

    for singleton in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(singleton))  # ob_refcnt is a PyObject's first field
        if count.value < _IMMORTAL_BOOST:
            count.value += _IMMORTAL_BOOST
    return True


SINGLETONS_GUARDED = guard_singletons()


FEATURE_CHECK_QUICKER = quicker_feature_check() or feature_check_is_quick()  # infra may have installed it


def emit(signal: Any, *args: Any) -> None:
    """`signal.emit(*args)`, safe on bindings whose emit() mis-counts its return value."""
    result = signal.emit(*args)
    if EMIT_STEALS_TRUE and result is True:
        _incref(True)


class GuiInbox(QObject):
    """Items `put` from any thread reach `deliver(item)` on the GUI thread, in order.

    A `put` wakes the GUI thread with an argument-free queued signal (as Anki's task manager
    does); nothing polls. `interval_ms` is accepted for older callers and unused."""

    _wake = Signal()

    def __init__(self, deliver: Callable[[Any], None], parent: QObject | None = None,
                 interval_ms: int = 15) -> None:
        super().__init__(parent)
        self._deliver = deliver
        self._queue: SimpleQueue[Any] = SimpleQueue()
        self._stopped = False
        self._wake.connect(self.drain, Qt.ConnectionType.QueuedConnection)

    def put(self, item: Any) -> None:
        self._queue.put(item)
        if not self._stopped:
            try:
                emit(self._wake)
            except RuntimeError:  # the window (and this object with it) is gone: nobody to deliver to
                self._stopped = True

    def drain(self) -> None:
        while not self._stopped:
            try:
                item = self._queue.get_nowait()
            except Empty:
                return
            self._deliver(item)

    def stop(self) -> None:
        self._stopped = True
