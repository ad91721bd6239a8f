"""The fleet page `/fleet`, alert evaluation on heartbeats, and `/metrics` (issue 12).

    GET  /fleet                       halls and their terminals, a colour per state, last seen, devices,
                                      outbox age, open alerts (technicians only)
    GET  /fleet/t/{terminal_id}       one terminal: devices, recent heartbeats, alerts
    POST /fleet/alerts/{id}/ack       acknowledge an alert (form, with the page's CSRF token)
    GET  /fleet/login, POST /fleet/login, POST /fleet/logout
    GET  /metrics                     Prometheus text format, names hpf_*

`install(app)` adds the routes; `after_heartbeat(app, ...)` is called by the heartbeat route after
it stored the heartbeat: it re-evaluates that terminal's alert rules (ledger.fleet_alerts) and,
at most every SWEEP_EVERY_S, every terminal's (a terminal that went silent sends nothing).

Sign-in: `app.state.fleet_verify(session, username, password)` returns the technician's name or
None. The default checks a central staff account (`ledger.staff.verify_staff`, its lockout kept)
that holds the technician or admin role. Acknowledgements go into the audit chain (ledger.audit).
Sessions are an HMAC-signed cookie with a per-process key,
so a restart signs technicians out; several ledger processes behind one address need a shared
`app.state.fleet_secret`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from infra.logs import get_logger
from ledger import metrics
from ledger.fleet_alerts import AlertRule, WebhookJob, load_rules, reconcile, send_webhooks, webhook_jobs
from ledger.models import Heartbeat, Terminal
from ledger.models_fleet import FleetAlert

log = get_logger("ledger")

SWEEP_EVERY_S = 30.0
SESSION_HOURS = 12
COOKIE = "hpf_fleet"
STATES = ("ok", "alert", "silent", "never")
STATE_TEXT = {"ok": ("正常", "OK"), "alert": ("有告警", "Alert"), "silent": ("失联", "Silent"),
              "never": ("未上线", "Never seen")}

Verifier = Callable[[Session, str, str], str | None]


# ---- state of the fleet -------------------------------------------------------------------------


def _silent_minutes(rules: Sequence[AlertRule]) -> float:
    return next((r.minutes for r in rules if r.kind == "silent"), 5.0)


def terminal_state(last_seen: datetime | None, open_alerts: int, now: datetime, silent_min: float) -> str:
    if last_seen is None:
        return "never"
    if now - last_seen > timedelta(minutes=silent_min):
        return "silent"
    return "alert" if open_alerts else "ok"


def on_heartbeat(session: Session, app: FastAPI, terminal_id: str, status: dict[str, Any],
                 now: datetime) -> list[WebhookJob]:
    """In the heartbeat's own transaction: open and clear this terminal's alerts."""
    return webhook_jobs(reconcile(session, terminal_id, app.state.fleet_rules, status, now, now))


def after_heartbeat(app: FastAPI, changed: Sequence[WebhookJob], started: float | None = None) -> None:
    """After the heartbeat's commit: webhooks, ingest metrics, and the silent-terminal sweep when due."""
    send_webhooks(app.state.sessions, changed)
    metrics.HEARTBEATS.inc()
    if started is not None:
        metrics.INGEST_SECONDS.observe(time.perf_counter() - started)
    sweep(app)


def batching(app: FastAPI) -> bool:
    return app.state.fleet_buffer is not None


class HeartbeatBuffer:
    """Heartbeats written in one transaction every `batch_s` seconds, on one thread.

    The heartbeat route answers at once; the terminal's latest status, its history row and its
    alerts are written with the others in the next batch (a crash loses at most `batch_s` of
    heartbeat history, never a transaction)."""

    def __init__(self, app: FastAPI, batch_s: float) -> None:
        self.app, self.batch_s = app, batch_s
        self._items: list[tuple[str, str, dict[str, Any], datetime, float]] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def put(self, key_id: str, terminal_id: str, status: dict[str, Any], now: datetime, started: float) -> None:
        with self._lock:
            self._items.append((key_id, terminal_id, status, now, started))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="fleet-heartbeats", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            time.sleep(self.batch_s)
            try:
                self.flush()
            except Exception:  # the next batch tries again; a broken one is logged, not fatal
                log.exception("heartbeat batch not written")

    def flush(self) -> int:
        with self._lock:
            items, self._items = self._items, []
        if not items:
            return 0
        sessions: sessionmaker[Session] = self.app.state.sessions
        jobs: list[WebhookJob] = []
        with sessions.begin() as session:
            for key_id, terminal_id, status, now, _started in items:
                terminal = session.get(Terminal, key_id)
                if terminal is not None:
                    terminal.last_heartbeat_at, terminal.last_status = now, status
                session.add(Heartbeat(terminal_id=terminal_id, at=now, status=status))
                session.flush()
                jobs += on_heartbeat(session, self.app, terminal_id, status, now)
        send_webhooks(sessions, jobs)
        done = time.perf_counter()
        for *_rest, started in items:
            metrics.HEARTBEATS.inc()
            metrics.INGEST_SECONDS.observe(done - started)
        sweep(self.app)
        return len(items)


def enqueue_heartbeat(app: FastAPI, key_id: str, terminal_id: str, status: dict[str, Any], now: datetime,
                      started: float) -> None:
    app.state.fleet_buffer.put(key_id, terminal_id, status, now, started)


def sweep(app: FastAPI, *, force: bool = False) -> None:
    """Re-evaluate terminals whose heartbeats stopped (the silent rule), at most every SWEEP_EVERY_S."""
    state = app.state
    if not force and time.monotonic() - state.fleet_swept_at < SWEEP_EVERY_S:
        return
    state.fleet_swept_at = time.monotonic()
    now = datetime.now(UTC)
    cutoff = now - timedelta(minutes=_silent_minutes(state.fleet_rules))
    sessions: sessionmaker[Session] = state.sessions
    jobs: list[WebhookJob] = []
    with sessions.begin() as session:
        stale = session.scalars(select(Terminal).where(Terminal.last_heartbeat_at.is_not(None),
                                                       Terminal.last_heartbeat_at < cutoff)).all()
        for t in stale:
            jobs += webhook_jobs(reconcile(session, t.terminal_id, state.fleet_rules, t.last_status or {},
                                           t.last_heartbeat_at, now))
    send_webhooks(sessions, jobs)


# ---- sign-in ------------------------------------------------------------------------------------


def default_verifier(session: Session, username: str, password: str) -> str | None:
    """A central staff account (ledger.staff) that holds the technician or admin role, under its lockout."""
    from ledger.staff import StaffAuthError, verify_staff

    try:
        account = verify_staff(session, username, password)
    except StaffAuthError:
        return None  # the failure count is kept: the caller commits
    return username if account.has("technician", "admin") else None


def _sign(secret: bytes, text: str) -> str:
    return hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()


def _session_cookie(secret: bytes, user: str, now: float) -> str:
    body = f"{user}|{int(now + SESSION_HOURS * 3600)}"
    return base64.urlsafe_b64encode(f"{body}|{_sign(secret, body)}".encode()).decode()


def signed_in(request: Request) -> str | None:
    raw = request.cookies.get(COOKIE, "")
    try:
        user, expires, mac = base64.urlsafe_b64decode(raw.encode()).decode().rsplit("|", 2)
    except (ValueError, UnicodeDecodeError):
        return None
    secret: bytes = request.app.state.fleet_secret
    if not hmac.compare_digest(mac, _sign(secret, f"{user}|{expires}")) or int(expires) < time.time():
        return None
    return user


def _csrf(request: Request, user: str) -> str:
    return _sign(request.app.state.fleet_secret, f"csrf|{user}")[:32]


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body())[:4096].decode("utf-8", errors="replace")
    return {k: v[-1] for k, v in parse_qs(body).items()}


# ---- HTML ---------------------------------------------------------------------------------------

CSS = """
*{box-sizing:border-box}body{margin:0;font-family:"Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif;
background:#f4f6f8;color:#1d2329;font-size:16px}header{background:#0b5394;color:#fff;padding:10px 16px;display:flex;
flex-wrap:wrap;gap:8px;align-items:center;justify-content:space-between}header h1{font-size:20px;margin:0}
header form{margin:0}main{padding:12px 16px;max-width:1200px;margin:auto}a{color:#0b5394}
.hall h2{font-size:18px;margin:18px 0 8px}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));
gap:10px}.card{background:#fff;border-radius:8px;padding:10px 12px;border-left:8px solid
#888;box-shadow:0 1px 2px #0002}
.card h3{margin:0 0 4px;font-size:17px}.card p{margin:2px 0;font-size:14px}.st-ok{border-color:#1b7f3b}
.st-alert{border-color:#c77700}.st-silent{border-color:#b3261e}.st-never{border-color:#6b6b6b}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:13px}
.b-ok{background:#1b7f3b}.b-alert{background:#c77700}.b-silent{background:#b3261e}.b-never{background:#6b6b6b}
table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}th,td{padding:6px
8px;border-bottom:1px solid #e3e6ea;
text-align:left;vertical-align:top}.scroll{overflow-x:auto}button,input{font-size:16px;padding:8px 12px;min-height:44px}
.filter{width:100%;max-width:360px;margin:4px 0 8px}.err{color:#b3261e}.muted{color:#5b6670}
.login{max-width:360px;margin:40px auto;background:#fff;padding:20px;border-radius:8px}.login
input{width:100%;margin:6px 0}
@media (max-width:600px){main{padding:8px}.grid{grid-template-columns:1fr}th,td{padding:5px}}
"""

JS = """
const f=document.getElementById('filter');if(f){f.addEventListener('input',()=>{const q=f.value.toLowerCase();
document.querySelectorAll('.card').forEach(c=>{c.style.display=c.textContent.toLowerCase().includes(q)?'':'none'})})}
let
idle=0;document.addEventListener('input',()=>idle=0);setInterval(()=>{idle+=5;if(idle>=30&&!(f&&f.value))location.reload()},5000);
"""


def _page(title: str, body: str, user: str | None = None, csrf: str = "") -> HTMLResponse:
    who = (f'<span>{html.escape(user)}</span> <form method="post" action="/fleet/logout">'
           f'<input type="hidden" name="csrf" value="{csrf}"><button id="logout">退出 Sign out</button></form>'
           if user else "")
    doc = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{html.escape(title)}</title>'
           f'<style>{CSS}</style></head><body><header><h1><a href="/fleet" style="color:#fff;text-decoration:none">'
           f'终端运维 · Fleet</a></h1><div>{who}</div></header><main>{body}</main><script>{JS}</script></body></html>')
    return HTMLResponse(doc, headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"})


def _ago(t: datetime | None, now: datetime) -> str:
    if t is None:
        return "—"
    s = int((now - t).total_seconds())
    return f"{s} 秒前 / {s}s ago" if s < 120 else f"{s // 60} 分钟前 / {s // 60} min ago"


def _age_min(status: dict[str, Any]) -> str:
    age = status.get("oldest_unsent_age_s")
    return "—" if not isinstance(age, int | float) else f"{age / 60:.0f} min"


def _devices_line(status: dict[str, Any]) -> str:
    devices = status.get("devices")
    if not isinstance(devices, dict) or not devices:
        return "—"
    parts = []
    for name, d in devices.items():
        if isinstance(d, dict):
            extra = "".join(f" {k}:{d[k]}" for k in ("paper", "cover") if d.get(k) not in (None, "ok", "closed",
                                                                                         "not_supported", "unknown"))
            avail = html.escape(str(d.get("availability", "?")))
            parts.append(f"{html.escape(str(name))}: {avail}{html.escape(extra)}")
    return " · ".join(parts)


def _load_open(session: Session) -> dict[str, list[FleetAlert]]:
    out: dict[str, list[FleetAlert]] = {}
    for a in session.scalars(select(FleetAlert).where(FleetAlert.cleared_at.is_(None)).order_by(FleetAlert.raised_at)):
        out.setdefault(a.terminal_id, []).append(a)
    return out


def overview_html(session: Session, rules: Sequence[AlertRule], now: datetime) -> str:
    silent = _silent_minutes(rules)
    open_by = _load_open(session)
    halls: dict[str, list[str]] = {}
    counts = dict.fromkeys(STATES, 0)
    for t in session.scalars(select(Terminal).order_by(Terminal.outlet, Terminal.terminal_id)):
        alerts = open_by.get(t.terminal_id, [])
        st = terminal_state(t.last_heartbeat_at, len(alerts), now, silent)
        counts[st] += 1
        status = t.last_status or {}
        zh, en = STATE_TEXT[st]
        alert_text = "".join(f'<p class="err">⚠ {html.escape(a.message_zh)}</p>' for a in alerts[:3])
        halls.setdefault(t.outlet or "（未指定大厅）", []).append(
            f'<div class="card st-{st}" data-state="{st}" id="t-{html.escape(t.terminal_id)}"><h3>'
            f'<a href="/fleet/t/{quote(t.terminal_id)}">{html.escape(t.terminal_id)}</a> '
            f'<span class="badge b-{st}">{zh} {en}</span></h3>'
            f'<p class="muted">{html.escape(t.role)} · 最后心跳 {_ago(t.last_heartbeat_at, now)}</p>'
            f'<p>{_devices_line(status)}</p><p>未发送最早 oldest unsent: {_age_min(status)} · '
            f'告警 alerts: {len(alerts)}</p>{alert_text}</div>')
    summary = " ".join(f'<span class="badge b-{s}">{STATE_TEXT[s][0]} {counts[s]}</span>' for s in STATES)
    body = "".join(f'<section class="hall"><h2>{html.escape(hall)}</h2><div '
                   f'class="grid">{"".join(cards)}</div></section>'
                   for hall, cards in halls.items())
    return (f'<p id="summary">{summary}</p>'
            '<input id="filter" class="filter" placeholder="筛选 终端/大厅/设备 · filter">'
            f'{body or "<p>尚无终端 · no terminals</p>"}')


def terminal_html(session: Session, terminal: Terminal, rules: Sequence[AlertRule], now: datetime, csrf: str) -> str:
    alerts = session.scalars(select(FleetAlert).where(FleetAlert.terminal_id == terminal.terminal_id)
                             .order_by(FleetAlert.raised_at.desc()).limit(30)).all()
    open_count = sum(1 for a in alerts if a.cleared_at is None)
    st = terminal_state(terminal.last_heartbeat_at, open_count, now, _silent_minutes(rules))
    status = terminal.last_status or {}
    rows = []
    devices = status.get("devices") if isinstance(status.get("devices"), dict) else {}
    for name, d in (devices or {}).items():
        if not isinstance(d, dict):
            continue
        err = d.get("last_error") or {}
        health = d.get("health") or {}
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in (
            name, d.get("availability", ""), d.get("paper", ""), d.get("cover", ""), d.get("detail", ""),
            f"{err.get('code', '')} {err.get('message', '')}" if isinstance(err, dict) else "",
            f"{health.get('level', '')} {health.get('code', '')}" if isinstance(health, dict) else "")) + "</tr>")
    beats = session.scalars(select(Heartbeat).where(Heartbeat.terminal_id == terminal.terminal_id)
                            .order_by(Heartbeat.at.desc()).limit(20)).all()
    beat_rows = "".join(
        f"<tr><td>{b.at:%m-%d %H:%M:%S}</td><td>{html.escape(str((b.status or {}).get('state', '')))}</td>"
        f"<td>{html.escape(str((b.status or {}).get('unsent', '')))}</td><td>{_age_min(b.status or {})}</td>"
        f"<td>{_devices_line(b.status or {})}</td></tr>" for b in beats)
    alert_rows = []
    for a in alerts:
        if a.cleared_at is not None:
            state = f"已恢复 cleared {a.cleared_at:%m-%d %H:%M}"
        elif a.acked_at is not None:
            state = f"已确认 acknowledged by {html.escape(a.acked_by)}"
        else:
            state = (f'<form method="post" action="/fleet/alerts/{a.id}/ack"><input type="hidden" name="csrf" '
                     f'value="{csrf}"><button class="ack" id="ack-{a.id}">确认 Acknowledge</button></form>')
        alert_rows.append(f"<tr><td>{a.raised_at:%m-%d %H:%M}</td><td>{html.escape(a.rule)}</td>"
                          f"<td>{html.escape(a.message_zh)}<br><span "
                          f"class='muted'>{html.escape(a.message_en)}</span></td>"
                          f"<td>{state}</td></tr>")
    facts = (f"大厅 hall: {html.escape(terminal.outlet)}"
             f" · 版本 version: {html.escape(str(status.get('app_version', '—')))}"
             f" · 未发送 unsent: {html.escape(str(status.get('unsent', '—')))} · 最早 oldest: {_age_min(status)}"
             f" · 时钟偏差 clock: {html.escape(str(status.get('clock_offset_s', '—')))} s"
             f" · 磁盘剩余 disk free: {html.escape(str(status.get('disk_free_ratio', '—')))}")
    zh, en = STATE_TEXT[st]
    return (f'<p><a href="/fleet">← 全部终端 All terminals</a></p>'
            f'<h2 id="terminal">{html.escape(terminal.terminal_id)} '
            f'<span class="badge b-{st}">{zh} {en}</span></h2><p class="muted">最后心跳 last seen: '
            f'{_ago(terminal.last_heartbeat_at, now)}</p><p>{facts}</p>'
            f'<h3>设备 Devices</h3><div class="scroll"><table id="devices"><tr><th>设备</th><th>状态</th><th>纸</th>'
            f'<th>盖</th><th>详情</th><th>最近错误</th><th>检查</th></tr>{"".join(rows)}</table></div>'
            f'<h3>告警 Alerts</h3><div class="scroll"><table id="alerts"><tr><th>时间</th><th>规则</th><th>内容</th>'
            f'<th>处理</th></tr>{"".join(alert_rows)}</table></div>'
            f'<h3>最近心跳 Recent heartbeats</h3><div class="scroll"><table id="heartbeats"><tr><th>时间</th>'
            f'<th>同步</th><th>未发送</th><th>最早</th><th>设备</th></tr>{beat_rows}</table></div>')


# ---- metrics ------------------------------------------------------------------------------------


class FleetCollector:
    """Gauges computed from the database at scrape time."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def collect(self) -> Any:
        state = self.app.state
        now = datetime.now(UTC)
        by_state = GaugeMetricFamily("hpf_terminals", "Terminals by fleet state", labels=["state"])
        alerts = GaugeMetricFamily("hpf_open_alerts", "Open alerts by kind", labels=["kind"])
        backlog = GaugeMetricFamily("hpf_outbox_backlog", "Unsent transactions on the terminals, per hall",
                                    labels=["hall"])
        oldest = GaugeMetricFamily("hpf_outbox_oldest_unsent_seconds", "Oldest unsent transaction per hall",
                                   labels=["hall"])
        sessions: sessionmaker[Session] = state.sessions
        with sessions() as session:
            open_by = _load_open(session)
            counts = dict.fromkeys(STATES, 0)
            halls: dict[str, list[float]] = {}
            for t in session.scalars(select(Terminal)):
                counts[terminal_state(t.last_heartbeat_at, len(open_by.get(t.terminal_id, [])), now,
                                      _silent_minutes(state.fleet_rules))] += 1
                status = t.last_status or {}
                unsent = status.get("unsent")
                age = status.get("oldest_unsent_age_s")
                entry = halls.setdefault(t.outlet or "", [0.0, 0.0])
                entry[0] += float(unsent) if isinstance(unsent, int | float) else 0.0
                entry[1] = max(entry[1], float(age) if isinstance(age, int | float) else 0.0)
            kinds: dict[str, int] = {str(k): int(n) for k, n in session.execute(
                select(FleetAlert.kind, func.count()).where(FleetAlert.cleared_at.is_(None)).group_by(FleetAlert.kind))}
        for s in STATES:
            by_state.add_metric([s], counts[s])
        for kind, n in sorted(kinds.items()):
            alerts.add_metric([kind], n)
        for hall, (unsent_total, age) in sorted(halls.items()):
            backlog.add_metric([hall], unsent_total)
            oldest.add_metric([hall], age)
        yield from (by_state, alerts, backlog, oldest)


# ---- routes -------------------------------------------------------------------------------------


def install(app: FastAPI, *, rules: Sequence[AlertRule] | None = None, verifier: Verifier | None = None) -> None:
    state = app.state
    state.fleet_rules = list(rules) if rules is not None else load_rules()
    state.fleet_verify = verifier or default_verifier
    state.fleet_secret = secrets.token_bytes(32)
    state.fleet_swept_at = 0.0
    batch_s = float(getattr(state.settings, "heartbeat_batch_s", 0.0) or 0.0)
    state.fleet_buffer = HeartbeatBuffer(app, batch_s) if batch_s > 0 else None
    registry = CollectorRegistry(auto_describe=True)
    registry.register(FleetCollector(app))
    state.fleet_registry = registry
    router = APIRouter(include_in_schema=False)

    def sessions() -> sessionmaker[Session]:
        made: sessionmaker[Session] = state.sessions
        return made

    @router.get("/fleet/login")
    def login_page(request: Request, error: str = "") -> HTMLResponse:
        msg = ('<p class="err" id="login-error">用户名或密码错误，或该账号不是技术员 · Wrong user name or password, '
               'or not a technician account</p>' if error else "")
        return _page("登录 Sign in", f'<form class="login" method="post" action="/fleet/login"><h2>技术员登录 '
                                     f'Technician sign-in</h2>{msg}<label>用户名 User'
                                     f'<input name="username" id="username" '
                                     f'autocomplete="username" required></label><label>密码 Password<input '
                                     f'name="password" '
                                     f'id="password" type="password" autocomplete="current-password" required></label>'
                                     f'<button id="sign-in">登录 Sign in</button></form>')

    @router.post("/fleet/login")
    async def login(request: Request) -> Response:
        form = await _form(request)
        username, password = form.get("username", "")[:64], form.get("password", "")[:256]
        with sessions()() as session, session.begin():  # commits the lockout count of a failed attempt
            user = await run_in_threadpool(state.fleet_verify, session, username, password) \
                if username and password else None
        if user is None:
            log.info("fleet sign-in refused for %r", username)
            return RedirectResponse("/fleet/login?error=1", status_code=303)
        response = RedirectResponse("/fleet", status_code=303)
        response.set_cookie(COOKIE, _session_cookie(state.fleet_secret, user, time.time()), httponly=True,
                            samesite="strict", max_age=SESSION_HOURS * 3600)
        return response

    @router.post("/fleet/logout")
    async def logout(request: Request) -> Response:
        response = RedirectResponse("/fleet/login", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    @router.get("/fleet")
    def overview(request: Request) -> Response:
        user = signed_in(request)
        if user is None:
            return RedirectResponse("/fleet/login", status_code=303)
        sweep(app)
        with sessions()() as session:
            body = overview_html(session, state.fleet_rules, datetime.now(UTC))
        return _page("终端运维 Fleet", body, user, _csrf(request, user))

    @router.get("/fleet/t/{terminal_id}")
    def terminal(request: Request, terminal_id: str) -> Response:
        user = signed_in(request)
        if user is None:
            return RedirectResponse("/fleet/login", status_code=303)
        with sessions()() as session:
            row = session.scalar(select(Terminal).where(Terminal.terminal_id == terminal_id[:64]))
            if row is None:
                return _page("未找到 Not found", "<p class='err'>没有这个终端 · No such terminal</p>"
                                                 "<p><a href='/fleet'>← 返回 Back</a></p>", user, _csrf(request, user))
            body = terminal_html(session, row, state.fleet_rules, datetime.now(UTC), _csrf(request, user))
        return _page(terminal_id, body, user, _csrf(request, user))

    @router.post("/fleet/alerts/{alert_id}/ack")
    async def acknowledge(request: Request, alert_id: int) -> Response:
        user = signed_in(request)
        if user is None:
            return RedirectResponse("/fleet/login", status_code=303)
        form = await _form(request)
        if not hmac.compare_digest(form.get("csrf", ""), _csrf(request, user)):
            return _page("拒绝 Refused", "<p class='err'>页面已过期，请刷新后重试 · The page expired; reload and "
                                         "try again</p>", user, _csrf(request, user))
        with sessions().begin() as session:
            alert = session.get(FleetAlert, alert_id)
            if alert is None:
                return RedirectResponse("/fleet", status_code=303)
            if alert.acked_at is None:
                from ledger import audit

                alert.acked_at, alert.acked_by = datetime.now(UTC), user
                audit.append(session, audit.current_key(), action="fleet.alert_ack", staff_id=user, role="technician",
                             terminal_id=alert.terminal_id, obj=f"alert {alert_id}", details={"kind": alert.kind})
                log.info("alert %s acknowledged by %s", alert_id, user)
            target = f"/fleet/t/{quote(alert.terminal_id)}"
        return RedirectResponse(target, status_code=303)

    @router.get("/metrics")
    def prometheus() -> Response:
        sweep(app)
        data = generate_latest(registry) + generate_latest(metrics.REGISTRY)
        return Response(data, media_type=CONTENT_TYPE_LATEST)

    app.include_router(router)


# ---- demo data ----------------------------------------------------------------------------------


def seed_demo_fleet(sessions: sessionmaker[Session], rules: Sequence[AlertRule] | None = None,
                    now: datetime | None = None) -> int:
    """A few demo terminals in two halls with heartbeats, so /fleet has something to show."""
    now = now or datetime.now(UTC)
    rules = list(rules) if rules is not None else load_rules()

    def dev(avail: str = "online", paper: str = "ok", cover: str = "closed", detail: str = "") -> dict[str, Any]:
        return {"availability": avail, "paper": paper, "cover": cover, "card": "not_supported", "detail": detail}

    ok = {"id_reader": dev(paper="not_supported", cover="not_supported"), "printer": dev(),
          "scanner": dev(paper="not_supported", cover="not_supported")}
    demo = [
        ("TY-K-01", "kiosk", "总部服务大厅", 0.5, ok, 0, None),
        ("TY-K-02", "kiosk", "总部服务大厅", 0.3, {**ok, "printer": dev(paper="low")}, 0, None),
        ("TY-K-03", "kiosk", "小店区服务大厅", 0.8, {**ok, "id_reader": dev("offline", "not_supported", "not_supported",
                                                                       "reconnecting: port lost")}, 3, 1260.0),
        ("TY-C-01", "counter", "小店区服务大厅", 25.0, {"printer": dev(), "camera": dev("online", "not_supported",
                                                                                     "not_supported")}, 0, None),
    ]
    with sessions.begin() as session:
        for tid, role, hall, minutes_ago, devices, unsent, age in demo:
            seen = now - timedelta(minutes=minutes_ago)
            status = {"state": "online", "unsent": unsent, "oldest_unsent_age_s": age, "clock_offset_s": 0.4,
                      "devices": devices, "disk_free_ratio": 0.62, "app_version": "0.1.0", "role": role,
                      "outlet": hall}
            row = session.get(Terminal, tid)
            if row is None:
                row = Terminal(key_id=tid, terminal_id=tid, role=role, outlet=hall)  # shown only: no key enrolled
                session.add(row)
            row.last_heartbeat_at, row.last_status = seen, status
            for k in range(5):
                session.add(Heartbeat(terminal_id=tid, at=seen - timedelta(minutes=k), status=status))
            session.flush()
            reconcile(session, tid, rules, status, seen, now)
    return len(demo)
