"""The debrief of a finished session, stored with its finish.

The expert program, both outcomes, the scores and the true review are computed once when
a session finishes and saved in the same transaction as the finish action, so the Debrief
page, the Results page and reports read them back instead of searching again (issues 12
and 13). Sessions finished before this revision get theirs when next opened.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("debrief", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("debrief")
