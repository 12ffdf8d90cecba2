"""queue_office.rooms (where each section or official sits; the guest is shown the way)

Revision ID: 0009_I
Revises: 0009_E
Create Date: 2026-11-30

Issue #19, "Penerimaan tamu": the office profile's rooms map (queue_service/validation_rooms.py).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_I'
down_revision: str | None = '0009_E'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('queue_office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rooms', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('queue_office', schema=None) as batch_op:
        batch_op.drop_column('rooms')
