"""grading and standings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 16:51:18.495360
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('standings',
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.Column('made', sa.Integer(), nullable=False),
    sa.Column('possible', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'channel_id', 'period', 'user_id', name=op.f('pk_standings'))
    )
    with op.batch_alter_table('standings', schema=None) as batch_op:
        batch_op.create_index('ix_standings_board', ['team_id', 'channel_id', 'period', 'points'], unique=False)

    op.create_table('disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('key_point', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.String(length=32), nullable=True),
    sa.Column('decided_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['quiz_posts.id'], name=op.f('fk_disputes_post_id_quiz_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disputes')),
    sa.UniqueConstraint('post_id', 'user_id', 'key_point', name=op.f('uq_disputes_post_id_user_id_key_point'))
    )
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.create_index('ix_disputes_open', ['team_id', 'status'], unique=False)

    op.create_table('overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('dedup_key', sa.String(length=200), nullable=False),
    sa.Column('message_ts', sa.String(length=32), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.String(length=32), nullable=True),
    sa.Column('key_point', sa.Integer(), nullable=True),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('by_user', sa.String(length=32), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['quiz_posts.id'], name=op.f('fk_overrides_post_id_quiz_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_overrides')),
    sa.UniqueConstraint('dedup_key', name=op.f('uq_overrides_dedup_key'))
    )
    with op.batch_alter_table('overrides', schema=None) as batch_op:
        batch_op.create_index('ix_overrides_post_user', ['post_id', 'user_id'], unique=False)
        batch_op.create_index('ix_overrides_recent', ['team_id', 'created_at'], unique=False)

    with op.batch_alter_table('scores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quiz_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('made', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('possible', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index('ix_scores_user', ['team_id', 'user_id', 'quiz_date'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('scores', schema=None) as batch_op:
        batch_op.drop_index('ix_scores_user')
        batch_op.drop_column('possible')
        batch_op.drop_column('made')
        batch_op.drop_column('quiz_date')

    with op.batch_alter_table('overrides', schema=None) as batch_op:
        batch_op.drop_index('ix_overrides_recent')
        batch_op.drop_index('ix_overrides_post_user')

    op.drop_table('overrides')
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.drop_index('ix_disputes_open')

    op.drop_table('disputes')
    with op.batch_alter_table('standings', schema=None) as batch_op:
        batch_op.drop_index('ix_standings_board')

    op.drop_table('standings')
