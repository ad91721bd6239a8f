"""The counter's receipts go through the real ESC/POS path (simulated network printer) completely."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from counter_app.casework import DeskResult, ResultKind
from counter_app.receipts import bundle_receipt, case_receipt, notice_receipt
from domain.catalogue import load_catalogue
from domain.notice import notice_for_checklist
from hardware.model import DeviceClass, DeviceSpec
from hardware.registry import build_device, load_builtin_drivers


def test_case_receipt_and_notice_print_whole(tmp_path: Path) -> None:
    load_builtin_drivers()
    printer = build_device(DeviceSpec(DeviceClass.PRINTER, "printer", "simulator",
                                      options={"png_dir": str(tmp_path)})).start()
    try:
        result = DeskResult(ResultKind.ROUTED, "已转主管审批", "Sent to a supervisor for approval",
                            "主管审批后短信通知结果，办理时限3个工作日。",
                            "A supervisor decides; time limit 3 working days.")
        receipt = case_receipt("太原市住房公积金管理中心", "12329", "CT-20261127-ABCDEF12", "退休提取",
                               "Withdrawal on retirement", "张三丰", "140107196809196529", result, "3", "clerk-01",
                               datetime(2026, 11, 27, 2, 0, tzinfo=UTC))
        done = printer.print_receipt(receipt, command_id="case-1")
        assert done.detail.startswith("22/22")
        catalogue = load_catalogue()
        notice = notice_for_checklist(catalogue.item("withdraw_illness"), catalogue, ["id_card"], member_name="张三丰",
                                      member_id_number="140107196809196529", notice_no="CT-20261127-ABCDEF12",
                                      issued_by="clerk-01")
        assert printer.print_receipt(notice_receipt("太原市住房公积金管理中心", notice),
                                     command_id="notice-1").detail.endswith("elements printed")
        steps = [("不动产转移登记", "property transfer registration", True), ("契税缴纳", "deed tax", False)]
        assert printer.print_receipt(bundle_receipt("太原市住房公积金管理中心", "12329", "YC-20261127-1", "1401-0001",
                                                    "张三丰", "140107196809196529", steps,
                                                    ("办理中（1/2）：契税缴纳", "In progress (1/2): deed tax"),
                                                    datetime(2026, 11, 27, 2, 0, tzinfo=UTC)),
                                     command_id="bundle-1").detail.endswith("elements printed")
        assert len(printer.emulator.paper.receipts) == 3
        assert (tmp_path / "case-1.png").exists() and (tmp_path / "notice-1.png").exists()
    finally:
        printer.close()
