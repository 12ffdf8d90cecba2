"""wf_ready_notice: "berkas siap diambil" to the citizen (issue #20)

Revision ID: 0009_E
Revises: 0008
Create Date: 2026-11-30

An outbox of messages to the citizen when a case reaches its hand-over step, one per case and
route (e-mail, WhatsApp/SMS gateway); see workflow_service/usecases/ready_notice.py.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import loket.db

revision: str = '0009_E'
down_revision: str | None = '0009_H'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'wf_ready_notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('step_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', loket.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_at', loket.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', loket.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['wf_case.id'],
                                name=op.f('fk_wf_ready_notice_case_id_wf_case')),
        sa.ForeignKeyConstraint(['step_id'], ['wf_step.id'],
                                name=op.f('fk_wf_ready_notice_step_id_wf_step')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_wf_ready_notice')),
        sa.UniqueConstraint('case_id', 'channel', name='uq_wf_ready_notice_case_channel'),
    )
    with op.batch_alter_table('wf_ready_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wf_ready_notice_case_id'), ['case_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_wf_ready_notice_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('wf_ready_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wf_ready_notice_status'))
        batch_op.drop_index(batch_op.f('ix_wf_ready_notice_case_id'))
    op.drop_table('wf_ready_notice')
