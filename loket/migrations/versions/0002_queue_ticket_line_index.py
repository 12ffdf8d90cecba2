"""queue_ticket line index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

One service's waiting line of one day, for the people-ahead COUNT at issuing, the head of the
line at call-next and the recent service times (see queue_service/usecases/queries.py).
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('queue_ticket', schema=None) as batch_op:
        batch_op.create_index('ix_queue_ticket_line', ['service_id', 'service_day', 'status'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('queue_ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_queue_ticket_line')
