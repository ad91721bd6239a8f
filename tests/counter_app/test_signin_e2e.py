"""Sign-in and lockout on the real window; roles decide which screens the menu offers."""

from __future__ import annotations

from tests.counter_app.conftest import Counter


def menu_keys(counter: Counter) -> list[str]:
    m = counter.window.menu
    return [m.item(row).data(256) for row in range(m.count())]


def test_clerk_signs_in_and_sees_the_clerk_screens(counter: Counter) -> None:
    assert counter.window.current == "signin" and not counter.window.menu.isVisible()
    counter.sign_in("clerk-01")
    assert counter.window.current == "queue"
    assert menu_keys(counter) == ["queue", "intake", "worklist", "review", "refused", "bundle",
                                  "report", "loan_application"]  # no staff, no devices
    assert "王柜员" in counter.window.who.text()
    counter.sign_out()
    assert counter.window.current == "signin" and counter.desk.account is None
    actions = [(e.staff_id, e.action, e.outcome) for e in counter.desk.staff.audit_trail(staff_id="clerk-01")]
    assert ("clerk-01", "sign_in", "ok") in actions and ("clerk-01", "sign_out", "ok") in actions


def test_five_wrong_passwords_lock_the_account(counter: Counter) -> None:
    """The lockout is the ledger's (central accounts); the counter's audit queue records each attempt."""
    clerk = counter.ledger.add_staff("clerk")
    screen = counter.screen("signin")
    for n in range(4):
        counter.sign_in(clerk, "wrong-password")
        assert f"还可尝试{4 - n}次" in screen.banner.text()
    counter.sign_in(clerk, "wrong-password")
    assert "已锁定" in screen.banner.text()
    counter.sign_in(clerk)  # the right password no longer opens it
    assert "已锁定" in screen.banner.text() and counter.desk.account is None
    assert counter.window.current == "signin"
    outcomes = [e.outcome for e in counter.desk.staff.audit_trail(staff_id=clerk) if e.action == "sign_in"]
    assert outcomes == ["bad_password"] * 4 + ["locked", "locked"]
    queued = [i for i in counter.runtime.outbox.items() if i.kind == "staff.audit"]
    assert len(queued) >= 6, "every attempt, denials included, is queued for the centre's audit chain"
    counter.sign_in("supervisor-01")  # other accounts are not affected
    assert counter.window.current == "worklist"


def test_a_technician_gets_devices_only(counter: Counter) -> None:
    """The technician checks the real simulated printer (ESC/POS to the network emulator) and prints a test page."""
    from hardware.model import DeviceClass, DeviceSpec
    from hardware.registry import build_device, load_builtin_drivers

    load_builtin_drivers()
    printer = build_device(DeviceSpec(DeviceClass.PRINTER, "printer", "simulator")).start()
    counter.app.ctx.services.printer = printer
    try:
        counter.sign_in("tech-01")
        assert menu_keys(counter) == ["devices"] and counter.window.current == "devices"
        devices = counter.screen("devices")
        assert devices.table.item(1, 2).text() == "正常" and devices.table.item(0, 2).text() == "未配置"
        assert devices.voice.text().startswith("叫号语音：引擎 mock")  # which engine and voice the hall hears
        counter.click(devices.check_btn)
        counter.qtbot.wait_until(lambda: "printer" in devices.health, timeout=10_000)
        assert devices.health["printer"].ok and devices.table.item(1, 4).text().startswith("OK")
        counter.click(devices.print_btn)
        counter.qtbot.wait_until(lambda: "已打印" in devices.banner.text(), timeout=10_000)
        assert len(printer.emulator.paper.receipts) == 1
    finally:
        printer.close()
    actions = [e.action for e in counter.desk.staff.audit_trail(staff_id="tech-01")]
    assert actions[-2:] == ["devices.check", "devices.test_print"]


def test_a_supervisor_unlocks_a_locked_clerk(counter: Counter) -> None:
    """A counter without central staff (no ledger sign-in): its local accounts and their unlock."""
    counter.desk.remote = None
    for _ in range(5):
        counter.sign_in("clerk-01", "wrong-password")
    counter.sign_in("supervisor-01")
    assert "staff" in menu_keys(counter)
    counter.window.show_screen("staff")
    staff = counter.screen("staff")
    row = next(r for r in range(staff.table.rowCount()) if staff.table.item(r, 0).text() == "clerk-01")
    assert "已锁定" in staff.table.item(row, 3).text()
    staff.table.selectRow(row)
    counter.click(staff.unlock_btn)
    assert staff.table.item(row, 3).text() == "正常"
    counter.sign_out()
    counter.sign_in("clerk-01")
    assert counter.desk.account is not None and counter.desk.account.staff_id == "clerk-01"
    unlocks = [e for e in counter.desk.staff.audit_trail(staff_id="supervisor-01") if e.action == "staff.unlock"]
    assert unlocks and unlocks[-1].detail == "clerk-01"


def test_an_idle_counter_signs_its_clerk_out(counter: Counter) -> None:
    counter.sign_in("clerk-01")
    assert counter.window.idle.armed
    counter.window.idle.expire_now()  # ten quiet minutes
    assert counter.desk.account is None and counter.window.current == "signin"
    assert "无操作" in counter.screen("signin").banner.text()
    assert counter.desk.staff.audit_trail(staff_id="clerk-01")[-1].action == "sign_out"


def test_offline_sign_in_works_only_for_staff_seen_online_here(counter: Counter) -> None:
    counter.sign_in("clerk-01")  # online: the counter keeps a verifier
    counter.sign_out()
    online_url = counter.runtime.client.base_url
    counter.go_offline()
    try:
        counter.sign_in("supervisor-01")  # never signed in at this counter
        screen = counter.screen("signin")
        assert counter.desk.account is None and "近期在本柜台联机登录" in screen.banner.text()
        assert "72" in screen.offline_note.text()
        counter.sign_in("clerk-01")
        assert counter.desk.account is not None and counter.desk.signed_in_offline
        assert "离线登录" in counter.window.who.text()
    finally:
        counter.runtime.client.base_url = online_url


def test_a_supervisor_unlocks_a_centrally_locked_clerk(counter: Counter) -> None:
    clerk = counter.ledger.add_staff("clerk")
    for _ in range(5):
        counter.sign_in(clerk, "wrong-password")
    counter.sign_in("supervisor-01")
    counter.window.show_screen("staff")
    staff = counter.screen("staff")
    counter.qtbot.wait_until(lambda: staff.table.rowCount() > 0, timeout=10_000)
    assert not staff.add_btn.isEnabled(), "accounts are added at the centre"
    row = next(r for r in range(staff.table.rowCount()) if staff.table.item(r, 0).text() == clerk)
    assert "已锁定" in staff.table.item(row, 3).text()
    staff.table.selectRow(row)
    counter.click(staff.unlock_btn)
    counter.qtbot.wait_until(lambda: any(staff.table.item(r, 0).text() == clerk and staff.table.item(r, 3).text()
                                         == "正常" for r in range(staff.table.rowCount())), timeout=10_000)
    counter.sign_out()
    counter.sign_in(clerk)
    assert counter.desk.account is not None and counter.desk.account.staff_id == clerk
