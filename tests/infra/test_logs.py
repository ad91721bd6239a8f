import io
import json
import logging
import sys
import threading
from pathlib import Path

import pytest

from domain.masking import mask_bank_card, mask_id_number, mask_name, mask_phone, mask_text
from infra.logs import ConsoleHandler, get_logger, ram_handler, setup_logging
from tests.conftest import hpf_logging_kept


def test_masks() -> None:
    assert mask_id_number("140105199003071234") == "1401**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_bank_card("6222 0212 3456 7890 123") == "6222***********0123"
    assert mask_name("张三") == "*三"
    assert mask_name("欧阳娜娜") == "***娜"


def test_mask_text_finds_numbers_inside_sentences() -> None:
    text = "member 11010519491231002X phone 13812345678 card 6222021234567890123 amount 2500"
    masked = mask_text(text)
    assert "11010519491231002X" not in masked and "1101**********002X" in masked
    assert "138****5678" in masked
    assert "6222***********0123" in masked
    assert masked.endswith("amount 2500")


@pytest.fixture()
def log_file(tmp_path: Path) -> Path:
    path = tmp_path / "t.log"
    yield path
    setup_logging(to_file=False, console=False)


def test_every_record_in_the_file_is_masked(log_file: Path) -> None:
    setup_logging("INFO", log_file=log_file, console=False)
    get_logger("kiosk").info("card read: %s phone %s", "140105199003071234", "13912345678")
    get_logger("sync").info("plain line")
    text = log_file.read_text(encoding="utf-8")
    assert "140105199003071234" not in text and "1401**********1234" in text
    assert "13912345678" not in text
    assert "hpf.sync" in text
    assert ram_handler.lines[-1].endswith("plain line")


def test_json_lines(log_file: Path) -> None:
    setup_logging("INFO", json_lines=True, log_file=log_file, console=False)
    try:
        raise ValueError("bad id 140105199003071234")
    except ValueError:
        logging.getLogger("hpf.domain").info("failed", exc_info=True)
    entry = json.loads(log_file.read_text(encoding="utf-8").splitlines()[-1])
    assert entry["logger"] == "hpf.domain"
    assert "ValueError" in entry["exception"]
    assert "140105199003071234" not in entry["exception"]


@pytest.mark.parametrize(("text", "whole", "masked"), [
    ("call +86 138 1234 5678 now", "1234 5678", "138****5678"),
    ("call +8613812345678 now", "13812345678", "138****5678"),
    ("tel 138-1234-5678.", "1234-5678", "138****5678"),
    ("card 6222 0212 3456 7890 123 ok", "3456 7890", "6222***********0123"),
    ("card 6222-0212-3456-7890 ok", "0212-3456", "6222********7890"),
    ("id 140105 19900307 1234 seen", "19900307", "1401**********1234"),
    ("id 1401 0519 9003 0712 3X seen", "0519 9003", "1401**********123X"),
])
def test_numbers_written_with_spaces_dashes_or_plus86_are_masked(text: str, whole: str, masked: str) -> None:
    out = mask_text(text)
    assert whole not in out and masked in out, out


def test_ordinary_figures_are_left_alone() -> None:
    for text in ("amount 2500 fen", "on 2026-12-06 20:30:09", "batch 200 of 1000", "v1.2.3"):
        assert mask_text(text) == text


def test_a_name_passed_as_a_log_argument_is_masked(log_file: Path) -> None:
    setup_logging("INFO", log_file=log_file, console=False)
    get_logger("counter").info("signed in: %s (%s), outlet %s", "王柜员", "clerk-01", "总部服务大厅")
    get_logger("kiosk").info("member %s", "阿依古丽·买买提")
    text = log_file.read_text(encoding="utf-8")
    assert "王柜员" not in text and "**员" in text and "clerk-01" in text and "总部服务大厅" in text
    assert "阿依古丽·买买提" not in text


def test_the_console_follows_stderr_and_never_writes_to_a_closed_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """A program's `main()` run under a swapped stderr (a test's captured one), which is then closed:
    a later record, from any thread, goes to the stderr of that moment, with no "Logging error"."""
    first = io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    setup_logging("INFO", to_file=False)
    get_logger("sync").info("while set up")
    assert "while set up" in first.getvalue()
    first.close()
    later = io.StringIO()
    monkeypatch.setattr(sys, "stderr", later)
    worker = threading.Thread(target=lambda: get_logger("hardware").info("printer thread, later"))
    worker.start()
    worker.join(10)
    assert "printer thread, later" in later.getvalue()
    assert "Logging error" not in later.getvalue()


def test_a_logging_set_up_made_in_a_test_is_undone_after_it(capsys: pytest.CaptureFixture[str]) -> None:
    """What the harness (tests/conftest.py) does after every test: a `main()` that set up logging
    leaves no console handler, level or propagation behind for the tests after it."""
    hpf = logging.getLogger("hpf")
    before = (list(hpf.handlers), hpf.level, hpf.propagate)
    with hpf_logging_kept():
        setup_logging("WARNING", to_file=False)
        console = [h for h in hpf.handlers if isinstance(h, ConsoleHandler)]
        assert console and hpf.level == logging.WARNING and not hpf.propagate
    assert (list(hpf.handlers), hpf.level, hpf.propagate) == before
    assert not any(isinstance(h, logging.StreamHandler) and h not in before[0] for h in hpf.handlers)
