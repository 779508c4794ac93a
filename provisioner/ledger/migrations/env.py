"""Alembic environment: migrations run on the connection govcloud hands over (ledger.db.migrate)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from provisioner.ledger.schema import metadata

config = context.config


def _run(connection) -> None:  # noqa: ANN001 - a SQLAlchemy Connection
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:   # `alembic -x url=...` by hand
    engine = create_engine(context.get_x_argument(as_dictionary=True)["url"])
    with engine.connect() as conn:
        _run(conn)
