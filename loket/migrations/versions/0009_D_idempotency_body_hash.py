"""queue_idempotency.body_hash: an Idempotency-Key is bound to its request

Revision ID: 0009_D
Revises: 0008
Create Date: 2026-11-30

The keyed hash of the request a kiosk first sent with a key: the same key with another request
is refused (422 ``idempotency_mismatch``) instead of answered with the first ticket. Rows from
before this revision have none and expire with their service day (see
queue_service/usecases/idempotency.py).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_D'
down_revision: str | None = '0009_A'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('queue_idempotency',
                  sa.Column('body_hash', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('queue_idempotency') as batch:
        batch.drop_column('body_hash')
