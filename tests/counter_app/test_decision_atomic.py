"""A counter decision is one unit of work: SIGKILL the terminal between any two of its writes and
the store holds either the whole decision (case record, case actions, the withdrawal) or none of it."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTANT_WRITES = 6  # withdrawal.apply, submit, accept, approve, the case record, the draft dropped


def _run(db: Path, kill_after: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tests.counter_app.decision_child", str(db), str(kill_after)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def _footprint(db: Path, case_id: str) -> tuple[list[str], int, str]:
    """The case's queued actions, queued withdrawals and the status of its local record."""
    with sqlite3.connect(db) as raw:
        actions = [json.loads(p)["action"] for (p,) in raw.execute(
            "SELECT payload FROM outbox WHERE kind='case.action' ORDER BY seq")]
        withdrawals = raw.execute("SELECT count(*) FROM outbox WHERE kind='withdrawal.apply'").fetchone()[0]
        (body,) = raw.execute("SELECT body FROM counter_cases WHERE case_id=?", (case_id,)).fetchone()
    return actions, withdrawals, json.loads(body)["status"]


NOTHING = (["open"], 0, "open")
EVERYTHING = (["open", "submit", "accept", "approve"], 1, "approved")


def test_the_decision_completes_with_every_write(tmp_path: Path) -> None:
    done = _run(tmp_path / "t.db", 0)
    assert done.returncode == 0, done.stderr
    case_id, outcome = done.stdout.split("\n")[:2]
    assert outcome == f"instant {INSTANT_WRITES}"  # the path this test kills at each step
    assert _footprint(tmp_path / "t.db", case_id) == EVERYTHING


@pytest.mark.parametrize("kill_after", range(1, INSTANT_WRITES + 1))
def test_a_kill_between_the_steps_leaves_all_or_nothing(tmp_path: Path, kill_after: int) -> None:
    killed = _run(tmp_path / "t.db", kill_after)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    case_id = killed.stdout.split("\n")[0]
    # The kill lands before the unit's one COMMIT: nothing of the decision may be on disk.
    assert _footprint(tmp_path / "t.db", case_id) == NOTHING
