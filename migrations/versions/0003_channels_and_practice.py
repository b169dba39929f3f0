"""channels and practice

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 17:04:02.101767
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('channels',
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('post_time', sa.String(length=5), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('days', sa.String(length=64), nullable=False),
    sa.Column('reveal_after_minutes', sa.Integer(), nullable=False),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('tags', sa.String(length=500), nullable=False),
    sa.Column('updated_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'channel_id', name=op.f('pk_channels'))
    )
    op.create_table('practice',
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('question_id', sa.String(length=64), nullable=False),
    sa.Column('box', sa.Integer(), nullable=False),
    sa.Column('due_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('seen', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'user_id', 'question_id', name=op.f('pk_practice'))
    )
    with op.batch_alter_table('quiz_posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('skipped_at', storage.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_quiz_posts_team_id_channel_id_quiz_date'), type_='unique')
        batch_op.create_index('uq_quiz_posts_day', ['team_id', 'channel_id', 'quiz_date'], unique=True, sqlite_where=sa.text('skipped_at IS NULL'), postgresql_where=sa.text('skipped_at IS NULL'))



def downgrade() -> None:
    with op.batch_alter_table('quiz_posts', schema=None) as batch_op:
        batch_op.drop_index('uq_quiz_posts_day', sqlite_where=sa.text('skipped_at IS NULL'), postgresql_where=sa.text('skipped_at IS NULL'))
        batch_op.create_unique_constraint(batch_op.f('uq_quiz_posts_team_id_channel_id_quiz_date'), ['team_id', 'channel_id', 'quiz_date'])
        batch_op.drop_column('skipped_at')

    op.drop_table('practice')
    op.drop_table('channels')
