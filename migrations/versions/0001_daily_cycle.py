"""daily cycle

Revision ID: 0001
Revises:
Create Date: 2026-11-25 16:34:07.370669
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('dedup_key', sa.String(length=200), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('done_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('dedup_key', name=op.f('uq_outbox_dedup_key'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_pending', ['done_at', 'claimed_until'], unique=False)

    op.create_table('quiz_posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('quiz_date', sa.Date(), nullable=False),
    sa.Column('question_id', sa.String(length=64), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reveal_due_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('post_claimed_until', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('post_attempts', sa.Integer(), nullable=False),
    sa.Column('message_ts', sa.String(length=32), nullable=True),
    sa.Column('posted_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reveal_claimed_until', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reveal_attempts', sa.Integer(), nullable=False),
    sa.Column('revealed_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_posts')),
    sa.UniqueConstraint('team_id', 'channel_id', 'quiz_date', name=op.f('uq_quiz_posts_team_id_channel_id_quiz_date'))
    )
    with op.batch_alter_table('quiz_posts', schema=None) as batch_op:
        batch_op.create_index('ix_quiz_posts_reveal_due', ['revealed_at', 'reveal_due_at'], unique=False)
        batch_op.create_index('ix_quiz_posts_thread', ['team_id', 'channel_id', 'message_ts'], unique=False)

    op.create_table('answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('message_ts', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['quiz_posts.id'], name=op.f('fk_answers_post_id_quiz_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answers')),
    sa.UniqueConstraint('post_id', 'message_ts', name=op.f('uq_answers_post_id_message_ts'))
    )
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index('ix_answers_post_user', ['post_id', 'user_id'], unique=False)

    op.create_table('scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('breakdown', sa.Text(), nullable=False),
    sa.Column('scored_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['quiz_posts.id'], name=op.f('fk_scores_post_id_quiz_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scores')),
    sa.UniqueConstraint('post_id', 'user_id', name=op.f('uq_scores_post_id_user_id'))
    )
    with op.batch_alter_table('scores', schema=None) as batch_op:
        batch_op.create_index('ix_scores_board', ['team_id', 'channel_id', 'scored_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('scores', schema=None) as batch_op:
        batch_op.drop_index('ix_scores_board')

    op.drop_table('scores')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index('ix_answers_post_user')

    op.drop_table('answers')
    with op.batch_alter_table('quiz_posts', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_posts_thread')
        batch_op.drop_index('ix_quiz_posts_reveal_due')

    op.drop_table('quiz_posts')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_pending')

    op.drop_table('outbox')
