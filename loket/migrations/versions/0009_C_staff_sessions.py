"""queue_staff.token_version (staff sessions that end everywhere within seconds)

Revision ID: 0009_C
Revises: 0008
Create Date: 2026-11-30

Tokens issued below an account's version are refused (loket/staff_sessions.py).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_C'
down_revision: str | None = '0009_B'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('queue_staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_version', sa.BigInteger(), server_default='0',
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('queue_staff', schema=None) as batch_op:
        batch_op.drop_column('token_version')
