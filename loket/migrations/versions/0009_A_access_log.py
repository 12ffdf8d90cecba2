"""access_log: every full read of a visitor's NIK or phone number (issue #17)

Revision ID: 0009_A
Revises: 0008
Create Date: 2026-11-30

Who read which record (a queue ticket or a workflow case), when and why; written by the queue
and the workflow, reviewed by the administrator (loket/access_log.py).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import loket.db

revision: str = '0009_A'
down_revision: str | None = '0009_F'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'access_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', loket.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('staff', sa.String(length=60), nullable=False),
        sa.Column('service', sa.String(length=20), nullable=False),
        sa.Column('record_kind', sa.String(length=16), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('fields', sa.String(length=60), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log')),
    )
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_log_staff'), ['staff'], unique=False)
        batch_op.create_index('ix_access_log_record', ['record_kind', 'record_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_index('ix_access_log_record')
        batch_op.drop_index(batch_op.f('ix_access_log_staff'))
        batch_op.drop_index(batch_op.f('ix_access_log_at'))
    op.drop_table('access_log')
