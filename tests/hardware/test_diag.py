"""hpf-diag: every command in-process through main(), and once as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import qrcode

from hardware.diag import main
from hardware.idcard.emulator import Fault, SamReaderEmulator
from hardware.idcard.samples import RESIDENT_PERMANENT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the reader emulator needs a pseudo-terminal")

READER_ONLY = """
[devices.id_reader]
kind = "{kind}"
uri = "{uri}"
[devices.scanner]
kind = "none"
[devices.printer]
kind = "none"
[devices.camera]
kind = "none"
"""


def _config(tmp_path: Path, kind: str = "simulator", uri: str = "") -> str:
    path = tmp_path / "terminal.toml"
    path.write_text(READER_ONLY.format(kind=kind, uri=uri), encoding="utf-8")
    return str(path)


@pytest.fixture
def emulator() -> Iterator[SamReaderEmulator]:
    with SamReaderEmulator(RESIDENT_PERMANENT, present=True) as emu:
        yield emu


def test_read_id_json_has_exactly_the_documented_keys(emulator: SamReaderEmulator,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["read-id", "--port", emulator.port, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "name": "李四娘", "sex": "女", "ethnicity": "回", "birth_date": "1985-06-15",
        "address": "山西省太原市小店区样板街2号3单元401室", "id_number": "1401**********2023",
        "issuer": "太原市公安局小店分局", "valid_from": "2010-01-20", "valid_to": "长期",
    }


def test_read_id_unmasked_and_as_text(emulator: SamReaderEmulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["read-id", "--port", emulator.port, "--unmasked"]) == 0
    out = capsys.readouterr().out
    assert "公民身份号码: 140105198506152023" in out and "有效期止: 长期" in out


def test_read_id_survives_a_damaged_answer(emulator: SamReaderEmulator, capsys: pytest.CaptureFixture[str]) -> None:
    emulator.inject(Fault.CHECKSUM)
    assert main(["read-id", "--port", emulator.port, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["valid_to"] == "长期"


def test_read_id_without_a_card_fails_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with SamReaderEmulator() as emu:
        assert main(["read-id", "--port", emu.port, "--timeout", "0.1", "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"ok": False, "code": "NO_CARD",
                                        "reason": "未检测到身份证 / no card on the reader within 0.1 s"}
    assert captured.err.count("\n") == 1 and captured.err.startswith("hpf-diag read-id: ")


def test_read_id_on_a_missing_port(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["read-id", "--port", "/dev/no-such-reader"]) == 1
    err = capsys.readouterr().err
    assert "找不到身份证阅读器" in err and err.count("\n") == 1


def test_list_and_check_a_healthy_configuration(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path)
    assert main(["--config", config, "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [d["name"] for d in listed["devices"] if d["class"]] == ["id_reader"]
    assert listed["devices"][0]["driver"] == "sam-emulator"
    assert main(["--config", config, "check", "id_reader", "--level", "external", "--json"]) == 0
    [result] = json.loads(capsys.readouterr().out)
    assert (result["ok"], result["code"], result["level"]) == (True, "OK", "external")


def test_check_and_list_an_unhealthy_configuration(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path, kind="serial", uri="/dev/no-such-reader")
    assert main(["--config", config, "check"]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("FAIL  id_reader: NO_DEVICE")
    assert captured.err.startswith("hpf-diag check: id_reader: NO_DEVICE") and captured.err.count("\n") == 1
    assert main(["--config", _config(tmp_path, kind="serial", uri=""), "list"]) == 1
    assert "cannot drive - sam-serial: uri is empty" in capsys.readouterr().out
    assert main(["--config", config, "check", "printer"]) == 1
    assert "no device named 'printer'" in capsys.readouterr().err


def test_a_bad_configuration_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[devices.id_reader]\nkind = "telepathy"\n', encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        main(["--config", str(bad), "list"])
    assert caught.value.code == 2
    assert "devices.id_reader.kind" in capsys.readouterr().err


def test_scan_an_image(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    image = tmp_path / "code.png"
    qrcode.make("HPF-2026-000123").save(image)
    assert main(["scan", "--image", str(image), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"format": "QR_CODE", "text": "HPF-2026-000123"}]
    assert main(["scan", "--image", str(tmp_path / "missing.png")]) == 1
    assert "no such image file" in capsys.readouterr().err
    garbage = tmp_path / "garbage.png"
    garbage.write_bytes(b"\x89PNG not really")
    assert main(["scan", "--image", str(garbage)]) == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_print_test_on_the_simulated_printer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["print-test", "--printer", "simulator://", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and data["command_id"].startswith("diag-print-test-")


def test_print_test_on_a_printer_that_is_not_there(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["print-test", "--printer", "file:///no/such/dir/lp0", "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["ok"] is False and captured.err.count("\n") == 1


def test_emulate_idcard_as_a_subprocess_then_read_from_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "hardware.diag", "emulate-idcard", "--card", "hk", "--present",
               "--seconds", "60", "--json"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                          text=True, env=env) as proc:
        try:
            assert proc.stdout is not None
            text = ""
            while not text.startswith("{") or not text.rstrip().endswith("}"):
                line = proc.stdout.readline()
                assert line, "the emulator exited before printing its port"
                text += line
            started = json.loads(text)
            assert started["card"] == "hk" and started["port"].startswith("/dev/")
            assert main(["read-id", "--port", started["port"], "--json"]) == 0
            assert json.loads(capsys.readouterr().out)["id_number"] == "8100**********1230"
        finally:
            proc.terminate()
            proc.wait(timeout=10)
