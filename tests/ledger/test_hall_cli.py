"""Issue 11 CLI: `hpf-ledger catalogue --json` (67 items) and `hpf-ledger ratings export --csv` (好差评)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from domain.masking import mask_name
from ledger.cli import main
from tests.ledger.conftest import SignedTestClient
from tests.ledger.items import clean_members, item


def test_catalogue_json_lists_67_items(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalogue", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 67
    assert sum(r["channel"] == "online" for r in rows) == 51 and sum(r["channel"] == "one_trip" for r in rows) == 16
    assert {r["audience"] for r in rows} == {"member", "employer"}
    for r in rows:
        assert {"code", "name_zh", "name_en", "audience", "channel", "materials", "time_limit_workdays"} <= r.keys()
    assert main(["catalogue", "--city", "atlantis"]) == 2
    assert "atlantis" in capsys.readouterr().err


def test_ratings_export_csv(kiosk: SignedTestClient, counter: SignedTestClient, sessions: sessionmaker[Session],
                            db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    member = clean_members(sessions, limit=1)[0]
    kiosk.batch([item("rating", {"score": 5, "service_item": "退休提取", "channel": "kiosk"},
                      created_at="2026-12-01T02:00:00+00:00")])
    counter.batch([item("rating", {"score": 2, "service_item": "withdraw_rent", "channel": "counter", "window": "3",
                                   "staff": "clerk-01", "serial_no": "CT-1", "text": "等太久"}, member.member_id,
                        created_at="2026-12-02T08:30:00+00:00")])
    assert main(["ratings", "export", "--csv", "--db", db_url]) == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    header, first, second = table[0], table[1], table[2]
    assert header[:8] == ["评价编号", "办件编号", "事项编码", "事项名称", "评价渠道", "评价等级", "评价等级名称",
                          "评价时间"]
    assert first[2:8] == ["withdraw_retirement", "退休提取", "自助终端", "5", "非常满意", "2026-12-01 10:00:00"]
    assert first[8] == "匿名"
    assert second[1:8] == ["CT-1", "withdraw_rent", "租赁住房提取", "政务服务窗口", "2", "不满意",
                           "2026-12-02 16:30:00"]
    assert second[8] == mask_name(member.name) != member.name and "*" in second[8]  # masked
    assert second[9:] == ["等太久", "3", "clerk-01"]
    out = tmp_path / "ratings.csv"
    assert main(["ratings", "export", "--csv", "--db", db_url, "--since", "2026-12-02", "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 and "CT-1" in lines[1]
