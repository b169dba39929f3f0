"""display names and replay guard

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 17:13:04.264140
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('seen_requests',
    sa.Column('signature', sa.String(length=80), nullable=False),
    sa.Column('seen_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('signature', name=op.f('pk_seen_requests'))
    )
    with op.batch_alter_table('seen_requests', schema=None) as batch_op:
        batch_op.create_index('ix_seen_requests_at', ['seen_at'], unique=False)

    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('display_name', sa.String(length=200), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_column('display_name')

    with op.batch_alter_table('seen_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_seen_requests_at')

    op.drop_table('seen_requests')
