"""Classroom integrity and educator tools (issue 12).

Classes get a status (open, closed, archived) and a number of attempts per pseudonym;
sessions get a kind (a trainee's, or an educator's demonstration that no code opens) and
an educator's comment; cases can be archived. Existing rows get the defaults: classes
open with one attempt, sessions of trainees, cases not archived.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("classes") as batch:
        batch.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="open"))
        batch.add_column(
            sa.Column("max_attempts", sa.Integer(), nullable=False, server_default="1")
        )
    with op.batch_alter_table("cases") as batch:
        batch.add_column(
            sa.Column("archived", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="trainee"))
        batch.add_column(sa.Column("comment", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("comment")
        batch.drop_column("kind")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("archived")
    with op.batch_alter_table("classes") as batch:
        batch.drop_column("max_attempts")
        batch.drop_column("status")
