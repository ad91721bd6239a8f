"""Staff sign-in on the wire: the header that carries a staff session token, and the routes.

A counter signs a staff member in with `POST STAFF_SIGN_IN_PATH` (a request signed by the counter's
own credential, body {"username", "password"}); the ledger answers with a session token bound to that
terminal and a short lifetime. Later requests of that staff member send the token in
`STAFF_SESSION_HEADER`. Actions queued offline carry no token: they name the staff id and the time,
and the ledger checks that account's role history at that time.
"""

from __future__ import annotations

STAFF_SESSION_HEADER = "X-HPF-Staff-Session"
STAFF_SIGN_IN_PATH = "/v1/staff/sign-in"
STAFF_SIGN_OUT_PATH = "/v1/staff/sign-out"
STAFF_ME_PATH = "/v1/staff/me"
STAFF_ACCOUNTS_PATH = "/v1/staff/accounts"  # GET: accounts and lock state (supervisor/admin session)
STAFF_UNLOCK_PATH = "/v1/staff/unlock"  # POST {"username"}: end a lockout (supervisor/admin session)
