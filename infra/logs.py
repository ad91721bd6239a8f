"""Logging: one named logger per area under `hpf.`, a rotating file, optional JSON lines.

Every handler installed here carries `MaskingFilter`, so no ID number, phone number or bank
card number reaches a log file or the console whole (also written with spaces, dashes or +86), and
a Chinese personal name passed as a log argument is masked to its last character. A RAM ring
buffer keeps the recent lines for the technician's diagnostics screen.
"""

from __future__ import annotations

import collections
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from infra import paths

AREAS = ("app", "config", "domain", "hardware", "sync", "ledger", "ui", "kiosk", "counter", "diag")


def get_logger(area: str) -> logging.Logger:
    """The logger of one area: `get_logger("sync")` is `hpf.sync`."""
    return logging.getLogger(f"hpf.{area}")


class MaskingFilter(logging.Filter):
    """Masks personal numbers in the message and its arguments (rewrites the record in place)."""

    def filter(self, record: logging.LogRecord) -> bool:
        from domain.masking import looks_like_name, mask_name, mask_text  # its patterns: at the first record

        if isinstance(record.args, tuple) and record.args:
            # A name passed as an argument ("signed in: %s", "张三") has no digits to find later.
            record.args = tuple(mask_name(a) if isinstance(a, str) and looks_like_name(a) else a
                                for a in record.args)
        record.msg = mask_text(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        import json

        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


class RamHandler(logging.Handler):
    """Keeps the last `capacity` formatted lines in memory for the diagnostics screen."""

    def __init__(self, capacity: int = 500) -> None:
        super().__init__()
        self.lines: collections.deque[str] = collections.deque(maxlen=capacity)

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


class ConsoleHandler(logging.StreamHandler[TextIO]):
    """The console: whatever `sys.stderr` is when a record is written (as logging's last-resort
    handler does), not the one at set-up. A handler that kept the stream of its set-up would go on
    writing to it after whoever had swapped it in closed it (a test's captured stderr): every record
    from then on, from any thread, would end in a "--- Logging error ---" traceback."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:  # StreamHandler.setStream: the stream is never kept
        pass


ram_handler = RamHandler()

PLAIN_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def setup_logging(level: str = "INFO", *, json_lines: bool = False, to_file: bool = True,
                  log_file: Path | None = None, console: bool = True) -> Path | None:
    """Configure the `hpf` logger tree; returns the log file path if one is written."""
    root = logging.getLogger("hpf")
    root.setLevel(level)
    for h in list(root.handlers):
        root.removeHandler(h)
        if h is not ram_handler:
            h.close()
    formatter: logging.Formatter = JsonFormatter() if json_lines else logging.Formatter(PLAIN_FORMAT)
    masking = MaskingFilter()
    handlers: list[logging.Handler] = [ram_handler]
    if console:
        handlers.append(ConsoleHandler())
    written: Path | None = None
    if to_file:
        written = log_file or paths.log_dir() / "hpf-terminal.log"
        written.parent.mkdir(parents=True, exist_ok=True)
        from logging.handlers import RotatingFileHandler  # with socket and pickle: only for a log file

        handlers.append(RotatingFileHandler(
            written, maxBytes=5_000_000, backupCount=10, encoding="utf-8"))
    for h in handlers:
        h.setFormatter(formatter)
        h.addFilter(masking)
        root.addHandler(h)
    root.propagate = False
    return written
