"""Opening the ledger database and bringing its schema up to date (Alembic).

One code path for SQLite (the default, a file under the cache directory) and
PostgreSQL (production: `postgresql+psycopg://...`). Every transaction is a write
transaction: on SQLite it starts with BEGIN IMMEDIATE so two processes serialize
instead of failing half-way with "database is locked"; on PostgreSQL rows are
locked with SELECT ... FOR UPDATE where it matters (leases, the audit chain head)
and systems rows are updated under an optimistic version check.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import re
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from provisioner.errors import ConfigError, InfraError
from provisioner.ledger.messages import WORDS

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_S = 30


class LedgerError(InfraError):
    """The ledger database failed or cannot be reached (exit 2)."""


def _sqlite_engine(url: str, page_cache_kib: int | None = None) -> Engine:
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None     # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        if page_cache_kib is not None:      # SQLite's default: up to 2 MiB of pages per connection
            cursor.execute(f"PRAGMA cache_size=-{int(page_cache_kib)}")     # negative: KiB
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_engine(url: str, *, page_cache_kib: int | None = None) -> Engine:
    """`page_cache_kib`: SQLite's page cache per connection (PostgreSQL caches on the server)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return _sqlite_engine(url, page_cache_kib)
    if url.startswith("postgresql"):
        return create_engine(url, pool_pre_ping=True)
    raise ConfigError(WORDS("ledger-url-scheme", scheme=url.split(":")[0]))


def alembic_config(connection: Connection, location: Path = MIGRATIONS) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(location))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head", location: Path = MIGRATIONS,
            version_table: str = "alembic_version") -> None:
    """Bring the schema to `revision`. A database already at the chain's head is told by one query:
    Alembic (with Mako and Pygments, ~10 MB resident and ~0.1 s) is imported only when there is work
    to do, so a long-running exporter does not carry it for months."""
    with engine.begin() as conn:
        if revision == "head" and at_head(conn, location, version_table):
            return
        from alembic import command

        command.upgrade(alembic_config(conn, location), revision)


_REVISION = re.compile(r"""^(down_revision|revision)\s*(?::[^=]+)?=\s*(?:None|['"]([^'"]+)['"])\s*$""", re.M)


def chain_head(location: Path) -> str | None:
    """The head of a linear migration chain, read from its files' `revision`/`down_revision` lines; None
    when the files say anything else (a merge, a file without them): then Alembic decides."""
    revisions, parents = set(), set()
    for path in sorted((location / "versions").glob("*.py")):
        if path.name == "__init__.py":
            continue
        found = {name: value for name, value in _REVISION.findall(path.read_text(encoding="utf-8"))}
        if set(found) != {"revision", "down_revision"} or not found["revision"]:
            return None
        revisions.add(found["revision"])
        if found["down_revision"]:
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def at_head(conn: Connection, location: Path, version_table: str) -> bool:
    head = chain_head(location)
    if head is None:
        return False
    try:
        with conn.begin_nested():
            rows = conn.execute(text(f"SELECT version_num FROM {version_table}")).scalars().all()
    except SQLAlchemyError:         # no version table yet: a new database
        return False
    return rows == [head]


class Ledger:
    """The ledger database. `transaction()` is the one way to read or write it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, *, upgrade: bool = True, page_cache_kib: int | None = None) -> Ledger:
        engine = make_engine(url, page_cache_kib=page_cache_kib)
        try:
            if upgrade:
                migrate(engine)
            elif "systems" not in inspect(engine).get_table_names():
                raise ConfigError(WORDS("ledger-no-schema"))
        except OperationalError as exc:
            raise LedgerError(WORDS("ledger-unreachable", reason=exc.orig)) from exc
        return cls(engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise LedgerError(WORDS("ledger-failed", reason=exc.orig)) from exc

    def close(self) -> None:
        self.engine.dispose()


__all__ = ["Ledger", "LedgerError", "SQLAlchemyError", "at_head", "chain_head", "make_engine", "migrate"]
