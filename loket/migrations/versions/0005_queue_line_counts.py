"""queue_line: waiting tickets per line, kept by triggers

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-30

Issuing reads who is ahead of a new regular ticket from these counts instead of counting the
line (queue_service/line_state.py holds the trigger SQL for both databases).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from queue_service.line_state import BACKFILL, statements

    op.create_table(
        'queue_line',
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('service_day', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=1), nullable=False),
        sa.Column('waiting', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('service_id', 'service_day', 'kind'),
    )
    op.execute(BACKFILL)
    for statement in statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for name in ('queue_line_insert', 'queue_line_update', 'queue_line_delete'):
        if op.get_bind().dialect.name == 'postgresql':
            op.execute(f'DROP TRIGGER IF EXISTS {name} ON queue_ticket')
        else:
            op.execute(f'DROP TRIGGER IF EXISTS {name}')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS queue_line_track()')
    op.drop_table('queue_line')
