"""Alembic's entry point: migrate the connection that ``Store.open`` passes.

The store opens a transaction (holding a lock on PostgreSQL, ``BEGIN IMMEDIATE`` on
SQLite) and hands its connection over in ``config.attributes["connection"]``, so two
processes opening one database at once migrate it one after the other.
Importing this module outside Alembic (as the layering test does) does nothing.
"""

from __future__ import annotations

from alembic import context

from dbssim.store.sql_tables import metadata


def run_migrations() -> None:
    """Upgrade the connection given by the store; there is no offline (SQL script) mode."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "dbssim migrations run through dbssim.store.service.Store.open(url),"
            " which passes a connection"
        )
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if hasattr(context, "config"):  # only while Alembic runs this file
    run_migrations()
