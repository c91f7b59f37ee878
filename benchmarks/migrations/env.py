"""Alembic environment for the benchmark store, driven from code (no alembic.ini).

`tillit.benchmarks.migrations.upgrade(connection)` passes an open connection in
``config.attributes["connection"]``; the migrations run inside that connection's
transaction. Running `alembic` by hand works too: point ``sqlalchemy.url`` at the database.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from tillit.benchmarks.schema import VERSION_TABLE, metadata

config = context.config


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, version_table=VERSION_TABLE,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # pragma: no cover - only for running `alembic` by hand
    engine = engine_from_config(config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.",
                                poolclass=pool.NullPool)
    with engine.begin() as conn:
        _run(conn)
