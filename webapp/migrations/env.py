"""Alembic environment: run with the connection the app hands over (``Database.upgrade``), or
with ``DATABASE_URL`` from the command line (``alembic -c webapp/migrations/alembic.ini ...``)."""
from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from webapp.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = os.environ.get("DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set DATABASE_URL to the database to migrate")
    with create_engine(url).connect() as conn:
        _run(conn)
        conn.commit()
