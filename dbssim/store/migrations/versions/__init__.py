"""Schema revisions of the session store, oldest first (Alembic skips this file)."""
