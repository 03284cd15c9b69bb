"""Persistence of sessions, cases and classes (SQLAlchemy Core, Alembic migrations)."""
