"""Authored cases in the database, and each class's own copy of its case.

Several app servers share one database (DESIGN §8), so a case an educator writes must live
there, not in one server's files; a class keeps the case as it was when the class was made.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("scenario_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
    )
    with op.batch_alter_table("classes") as batch:
        batch.add_column(sa.Column("scenario_json", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("classes") as batch:
        batch.drop_column("scenario_json")
    op.drop_table("cases")
