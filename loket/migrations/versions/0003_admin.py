"""administration: office profile, service settings, staff NIP and first-login password,
device place and revocation, offices on every row, the audit log

Revision ID: 0003
Revises: 0006 (on the branch; the lead re-chains at merge)
Create Date: 2026-11-30

Issue #15: an office is set up and run from the admin API and pages, not from the demo seed.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

def _office_id(batch_op, table: str) -> None:
    batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))
    batch_op.create_foreign_key(op.f(f'fk_{table}_office_id_queue_office'), 'queue_office',
                                ['office_id'], ['id'])


def upgrade() -> None:
    with op.batch_alter_table('queue_office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kabupaten', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('address', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('officials', sa.JSON(), nullable=True))
    with op.batch_alter_table('queue_service', schema=None) as batch_op:
        _office_id(batch_op, 'queue_service')
        batch_op.add_column(sa.Column('bring', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('fee', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('product', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('daily_quota', sa.Integer(), nullable=True))
    with op.batch_alter_table('queue_counter', schema=None) as batch_op:
        _office_id(batch_op, 'queue_counter')
        batch_op.add_column(sa.Column('tv_order', sa.Integer(), server_default='0',
                                      nullable=False))
    with op.batch_alter_table('queue_staff', schema=None) as batch_op:
        _office_id(batch_op, 'queue_staff')
        batch_op.add_column(sa.Column('nip', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
    with op.batch_alter_table('queue_device', schema=None) as batch_op:
        _office_id(batch_op, 'queue_device')
        batch_op.add_column(sa.Column('place', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'queue_audit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor', sa.String(length=60), nullable=False),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('entity', sa.String(length=20), nullable=False),
        sa.Column('entity_id', sa.String(length=40), nullable=True),
        sa.Column('before', sa.JSON(), nullable=True),
        sa.Column('after', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['office_id'], ['queue_office.id'],
                                name=op.f('fk_queue_audit_office_id_queue_office')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_audit')),
    )
    with op.batch_alter_table('queue_audit', schema=None) as batch_op:
        batch_op.create_index('ix_queue_audit_at', ['at'], unique=False)
        batch_op.create_index('ix_queue_audit_actor', ['actor'], unique=False)
        batch_op.create_index('ix_queue_audit_entity', ['entity'], unique=False)


def downgrade() -> None:
    op.drop_table('queue_audit')
    with op.batch_alter_table('queue_device', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_queue_device_office_id_queue_office'),
                                 type_='foreignkey')
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('place')
        batch_op.drop_column('office_id')
    with op.batch_alter_table('queue_staff', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_queue_staff_office_id_queue_office'),
                                 type_='foreignkey')
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('nip')
        batch_op.drop_column('office_id')
    with op.batch_alter_table('queue_counter', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_queue_counter_office_id_queue_office'),
                                 type_='foreignkey')
        batch_op.drop_column('tv_order')
        batch_op.drop_column('office_id')
    with op.batch_alter_table('queue_service', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_queue_service_office_id_queue_office'),
                                 type_='foreignkey')
        batch_op.drop_column('daily_quota')
        batch_op.drop_column('product')
        batch_op.drop_column('fee')
        batch_op.drop_column('bring')
        batch_op.drop_column('office_id')
    with op.batch_alter_table('queue_office', schema=None) as batch_op:
        batch_op.drop_column('officials')
        batch_op.drop_column('phone')
        batch_op.drop_column('address')
        batch_op.drop_column('kabupaten')
