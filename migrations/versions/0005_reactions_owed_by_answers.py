"""reactions owed by answers

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 17:33:13.700051
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reacted_at', storage.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_answers_unreacted', ['id'], unique=False, sqlite_where=sa.text('reacted_at IS NULL'), postgresql_where=sa.text('reacted_at IS NULL'))
    # Answers stored before this got their reactions through the outbox already.
    op.execute("UPDATE answers SET reacted_at = created_at")



def downgrade() -> None:
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index('ix_answers_unreacted', sqlite_where=sa.text('reacted_at IS NULL'), postgresql_where=sa.text('reacted_at IS NULL'))
        batch_op.drop_column('reacted_at')

