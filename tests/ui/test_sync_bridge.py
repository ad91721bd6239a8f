from __future__ import annotations

from pytestqt.qtbot import QtBot

from sync.status import StatusBoard, SyncStatus
from ui.sync_bridge import SyncBridge, describe_sync


def test_the_header_line_says_online_or_offline_with_the_queue() -> None:
    assert describe_sync(SyncStatus(state="online", unsent=0), True) == "● 在线"
    assert describe_sync(SyncStatus(state="offline", unsent=3), True) == "○ 离线 · 待上传 3 笔"
    assert describe_sync(SyncStatus(state="offline", unsent=3), False) == "○ Offline · 3 queued"
    assert describe_sync(None, False) == "Central system: not connected"


class _Engine:
    def __init__(self) -> None:
        self.board = StatusBoard()

    @property
    def status(self) -> SyncStatus:
        return self.board.current


def test_engine_updates_arrive_as_a_signal(qtbot: QtBot) -> None:
    engine = _Engine()
    bridge = SyncBridge()
    bridge.attach(engine)
    assert not bridge.online
    with qtbot.wait_signal(bridge.changed, timeout=2_000):
        engine.board.update(state="online")
    assert bridge.online
    bridge.detach()
