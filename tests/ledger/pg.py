"""A throwaway PostgreSQL cluster for tests: initdb + pg_ctl on a free loopback port.

PostgreSQL refuses to run as root, so under root the cluster runs as the `postgres` system
user through `runuser -u postgres --`; its data directory sits in a fresh folder under the
system temp directory (pytest's own temp tree is private to root) chowned to that user.
`PostgresCluster.database(name)` creates a database and returns its SQLAlchemy URL;
`seeded_databases(cluster, prefix, members)` makes fresh demo-seeded ones (the benchmarks' baselines).
Everything is stopped and removed at exit.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ledger.testing import free_port

PG_USER = "postgres"


def find_bindir() -> Path | None:
    """The newest /usr/lib/postgresql/<major>/bin that has initdb and pg_ctl, or $HPF_PG_BINDIR."""
    override = os.environ.get("HPF_PG_BINDIR")
    candidates = [override] if override else sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                                    key=lambda p: int(Path(p).parent.name), reverse=True)
    for cand in candidates:
        path = Path(cand)
        if (path / "initdb").exists() and (path / "pg_ctl").exists():
            return path
    return None


def unavailable_reason() -> str | None:
    """Why no cluster can start here, or None when one can."""
    if find_bindir() is None:
        return "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin; install the postgresql package)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(PG_USER)
        except KeyError:
            return "running as root but there is no 'postgres' system user to run the server"
        if shutil.which("runuser") is None:
            return "running as root but runuser is missing"
    return None


class PostgresCluster:
    def __init__(self, bindir: Path, root: Path, port: int, *, durable: bool = False) -> None:
        self.bindir, self.root, self.port = bindir, root, port
        self.durable = durable  # PostgreSQL's default durability (fsync, synchronous_commit): for benchmarks
        self.datadir, self.logfile = root / "data", root / "server.log"
        self.superuser = PG_USER if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", PG_USER, "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120, cwd=self.root)

    def start(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.datadir), "-A", "trust", "-U", self.superuser,
                  "-E", "UTF8", "--locale=C.UTF-8" if _has_c_utf8() else "--locale=C")
        # fsync off: a test cluster need not survive power loss, and it is much faster on CI disks. A durable
        # cluster (benchmarks) keeps PostgreSQL's defaults: fsync, synchronous_commit and full_page_writes on.
        relaxed = "" if self.durable else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 {relaxed}"
                   "-c max_connections=100")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-o", options, "-l", str(self.logfile),
                  "-w", "-t", "60", "start")

    def stop(self) -> None:
        if (self.datadir / "postmaster.pid").exists():
            try:
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "-w", "stop")
            except subprocess.SubprocessError:
                pass

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.superuser}@127.0.0.1:{self.port}/{dbname}"

    def database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={self.superuser} dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def seeded_databases(cluster: PostgresCluster, prefix: str, members: int) -> Callable[[], str]:
    """A maker of fresh databases on `cluster` (`<prefix>0`, `<prefix>1`, ...), each with the ledger's tables
    and the demo data of `members` members: each call returns a new one's URL."""
    names = itertools.count()

    def fresh() -> str:
        from ledger.db import make_engine
        from ledger.seed import seed_demo

        url = cluster.database(f"{prefix}{next(names)}")
        engine = make_engine(url)
        try:
            seed_demo(engine, members=members)
        finally:
            engine.dispose()
        return url

    return fresh


def _has_c_utf8() -> bool:
    result = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)
    return any(line.lower() in ("c.utf8", "c.utf-8") for line in result.stdout.split())


PREFIX = "hpf-pg-"
OWNER_FILE = "owner.pid"  # the process that made the cluster; when it is gone, the cluster is an orphan


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_orphans(bindir: Path) -> int:
    """Stop and remove clusters whose owning test session died without its teardown (e.g. SIGKILL)."""
    reaped = 0
    for root in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            owner = int((root / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue  # not ours to judge
        if _alive(owner):
            continue
        cluster = PostgresCluster(bindir, root, 0)
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
        reaped += 1
    return reaped


@contextmanager
def throwaway_postgres(*, durable: bool = False) -> Iterator[PostgresCluster]:
    bindir = find_bindir()
    assert bindir is not None, unavailable_reason()
    reap_orphans(bindir)
    root = Path(tempfile.mkdtemp(prefix=PREFIX))
    (root / OWNER_FILE).write_text(str(os.getpid()))
    if os.geteuid() == 0:
        entry = pwd.getpwnam(PG_USER)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    cluster = PostgresCluster(bindir, root, free_port(), durable=durable)
    try:
        try:
            cluster.start()
        except subprocess.CalledProcessError as exc:
            log = cluster.logfile.read_text(errors="replace")[-2000:] if cluster.logfile.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {exc.cmd}\n{exc.stderr}\n{log}") from None
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
