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
    assert menu_keys(counter) == ["queue", "intake", "worklist", "review", "bundle", "report"]
    assert "王柜员" in counter.window.who.text()
    counter.sign_out()
    assert counter.window.current == "signin" and counter.desk.account is None
    actions = [(e.staff_id, e.action, e.outcome) for e in counter.desk.staff.audit_trail(staff_id="clerk-01")]
    assert ("clerk-01", "sign_in", "ok") in actions and ("clerk-01", "sign_out", "ok") in actions


def test_five_wrong_passwords_lock_the_account(counter: Counter) -> None:
    screen = counter.screen("signin")
    for n in range(4):
        counter.sign_in("clerk-01", "wrong-password")
        assert f"还可尝试{4 - n}次" in screen.banner.text()
    counter.sign_in("clerk-01", "wrong-password")
    assert "已锁定" in screen.banner.text()
    counter.sign_in("clerk-01")  # the right password no longer opens it
    assert "已锁定" in screen.banner.text() and counter.desk.account is None
    assert counter.window.current == "signin"
    outcomes = [e.outcome for e in counter.desk.staff.audit_trail(staff_id="clerk-01") if e.action == "sign_in"]
    assert outcomes == ["bad_password"] * 4 + ["locked", "locked"]
    counter.sign_in("supervisor-01")  # other accounts are not affected
    assert counter.window.current == "worklist"


def test_a_technician_gets_no_case_or_queue_screen(counter: Counter) -> None:
    counter.sign_in("tech-01")
    assert menu_keys(counter) == []
