"""A4 documents — one-time notice, deposit certificate, case summary, day-end report — as HTML laid
out by Qt, written to PDF with QPdfWriter or printed through QtPrintSupport's QPrinter.

The HTML is built here from domain values and escaped; Qt's text engine lays out CJK with the
system's Noto CJK font, so the PDF carries real text (searchable, copyable), not pictures.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from domain.account import AccountSnapshot
from domain.masking import mask_id_number, mask_name
from domain.money import format_yuan
from domain.notice import OneTimeNotice, notice_rows

BEIJING = timezone(timedelta(hours=8))
STYLE = ("<style>body{font-family:'Noto Sans CJK SC','Noto Sans CJK',sans-serif;font-size:11pt}"
         "h1{font-size:18pt;text-align:center}h2{font-size:13pt}td,th{padding:4px;border:1px solid #888}"
         "table{border-collapse:collapse;width:100%}.small{font-size:9pt;color:#444}</style>")


def _e(text: object) -> str:
    return html.escape(str(text))


def page(title: str, centre: str, body: str, footer: str = "") -> str:
    return (f"<html><head>{STYLE}</head><body><p class='small'>{_e(centre)}</p><h1>{_e(title)}</h1>{body}"
            f"<p class='small'>{_e(footer)}</p></body></html>")


def notice_html(centre: str, notice: OneTimeNotice) -> str:
    rows = "".join(  # the same rows as the screen and the checklist (domain.notice.notice_rows)
        f"<tr><td>{m.number}</td><td>{_e(m.name)}<br/><span class='small'>{_e(m.name_en)}</span></td>"
        f"<td>{_e(m.why)}<br/><span class='small'>{_e(m.why_en)}</span></td>"
        f"<td>{_e(m.alternative)}<br/><span class='small'>{_e(m.alternative_en)}</span></td></tr>"
        for m in notice_rows(notice))
    local = notice.issued_at.astimezone(BEIJING)
    limit = "当场办结" if notice.time_limit == 0 else f"材料齐全后{notice.time_limit}个工作日内办结"
    body = (f"<p>编号 No.: {_e(notice.notice_no)}　事项 Item: {_e(notice.item_name)} / {_e(notice.item_name_en)}</p>"
            f"<p>申请人 Applicant: {_e(notice.member_name)}　{_e(notice.member_id_number)}</p>"
            f"<h2>尚需补充的材料 Still needed ({len(notice.missing)})</h2>"
            "<table><tr><th>#</th><th>材料 Material</th><th>原因 Why</th><th>可替代 Alternative</th></tr>"
            f"{rows}</table>"
            f"<p>办理时限 Time limit: {_e(limit)}</p>"
            "<p>本告知书一次性告知全部所需材料，补齐后凭本告知书编号续办，无需重新取号。<br/>"
            "This notice lists everything required, once. Come back with its number; no new ticket needed.</p>")
    footer = (f"规则版本 Rule version {notice.policy_version} · 经办 {notice.issued_by} · "
              f"{local:%Y-%m-%d %H:%M} 北京时间")
    return page("一次性告知书 One-time notice", centre, body, footer)


def qr_img(data: str, size_pt: int = 110) -> str:
    """An <img> of a QR code as a data URL (Qt's text engine draws it into the PDF)."""
    import base64
    import io

    from hardware.printer.symbols import qr_image

    buf = io.BytesIO()
    qr_image(data.encode("utf-8"), "M", 4).save(buf, "PNG")
    return (f"<img src='data:image/png;base64,{base64.b64encode(buf.getvalue()).decode('ascii')}' "
            f"width='{size_pt}' height='{size_pt}'/>")


def verification_html(code: str, verify_url: str) -> str:
    """The verification block every printed certificate carries: the code, its QR, how to check it."""
    if not code:
        return ""
    return (f"<table style='border:none'><tr><td style='border:none'>{qr_img(verify_url + code)}</td>"
            f"<td style='border:none'>验证码 Verification code<br/><b>{_e(code)}</b><br/>"
            "<span class='small'>扫码或凭验证码向本中心核验本证明真伪；终端与中心同步后即可核验。<br/>"
            "Scan or enter the code to check this document with the centre; it can be checked once this "
            "terminal has synced with the centre.</span></td></tr></table>")


def certificate_html(centre: str, snapshot: AccountSnapshot, issued: datetime, code: str = "",
                     verify_url: str = "") -> str:
    m, a = snapshot.member, snapshot.account
    rows = [("姓名 Name", mask_name(m.name)), ("证件号码 ID No.", mask_id_number(m.id_number)),
            ("个人账号 Account", m.member_id), ("单位 Employer", a.employer_name),
            ("账户余额 Balance", format_yuan(a.balance)), ("缴至年月 Paid up to", a.paid_up_to)]
    table = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    stale = "" if snapshot.source == "ledger" else "（本机缓存数据 / cached data）"
    body = (f"<p>兹证明下列职工在本中心缴存住房公积金。This certifies the member's housing provident fund account.</p>"
            f"<table>{table}</table><p class='small'>数据截至 As of {snapshot.as_of.astimezone(BEIJING):%Y-%m-%d %H:%M}"
            f"{stale}</p>{verification_html(code, verify_url)}")
    return page("住房公积金缴存证明 Deposit certificate", centre, body, f"{issued.astimezone(BEIJING):%Y-%m-%d}")


def table_html(title: str, centre: str, headers: Sequence[str], rows: Sequence[Sequence[object]],
               footer: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>" for r in rows)
    return page(title, centre, f"<table><tr>{head}</tr>{body}</table>", footer)


def _document(html_text: str, width_pt: float, height_pt: float) -> QTextDocument:
    doc = QTextDocument()
    doc.setHtml(html_text)
    doc.setPageSize(QSizeF(width_pt, height_pt))
    return doc


def write_pdf(html_text: str, path: Path, title: str = "") -> Path:
    """Lay out `html_text` on A4 with 15 mm margins and write it to `path` (replaced atomically)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.pdf")
    writer = QPdfWriter(str(tmp))
    writer.setTitle(title)
    writer.setCreator("HPF Terminal counter")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setResolution(300)
    # Laid out in points (1/72 in): QTextDocument.print_ scales that to the writer's resolution.
    rect = writer.pageLayout().paintRect(QPageLayout.Unit.Point)
    doc = _document(html_text, rect.width(), rect.height())
    doc.print_(writer)
    del writer  # flushes and closes the file
    tmp.replace(path)
    return path


def print_a4(html_text: str, printer_name: str = "") -> bool:
    """Send to a system printer (the default one when no name is given); False when none exists."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if printer_name:
        printer.setPrinterName(printer_name)
    if not printer.isValid() or printer.outputFormat() != QPrinter.OutputFormat.NativeFormat:
        return False
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    rect = printer.pageLayout().paintRect(QPageLayout.Unit.Point)
    _document(html_text, rect.width(), rect.height()).print_(printer)
    return True
