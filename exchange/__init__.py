"""`hpf-exchange`: a simulator of the provincial data-sharing exchange (政务数据共享交换平台) for the demo and tests.

It answers the contract of `domain.exchange_contract` about the same fictitious people the ledger's
`seed-demo` invents (`domain.demo_people`), signs every answer with a DEMO key, and can be slow,
time out, be down or know nobody (`--mode`, or POST /admin/mode). Never a real centre's exchange.
"""
