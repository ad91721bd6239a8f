"""`hpf-counter`: the counter clerk's "最多跑一次" case desk (issue 7).

Qt-free core: `desk` (who is signed in, role checks, audit), `queueing` (叫号), `casework` (intake,
checklist, decision, supervisor review), `bundle` (second-hand house + loan in one window),
`deadlines`, `worklist`, `report`. Qt side: `window` with one module per screen in `screens/`,
`hall_display`, `customer_screen` (好差评), `a4` (QtPrintSupport / PDF), `receipts`, `app` (entry
point), `demo`, `screenshots`.
"""
