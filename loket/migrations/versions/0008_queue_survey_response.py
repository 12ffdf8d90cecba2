"""queue_survey_response (SKM, PermenPANRB 14/2017)

Revision ID: 0008
Revises: 0005
Create Date: 2026-11-30

One survey response per served ticket: the nine unsur answers, the respondent profile and an
optional comment (see queue_service/domain/skm.py).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import loket.db

revision: str = '0008'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'queue_survey_response',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('service_day', sa.Date(), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('age', sa.Integer(), nullable=True),
        sa.Column('gender', sa.String(length=1), nullable=True),
        sa.Column('education', sa.String(length=8), nullable=True),
        sa.Column('occupation', sa.String(length=12), nullable=True),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('created_at', loket.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['service_id'], ['queue_service.id'],
                                name=op.f('fk_queue_survey_response_service_id_queue_service')),
        sa.ForeignKeyConstraint(['ticket_id'], ['queue_ticket.id'], ondelete='CASCADE',
                                name=op.f('fk_queue_survey_response_ticket_id_queue_ticket')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_survey_response')),
        sa.UniqueConstraint('ticket_id', name=op.f('uq_queue_survey_response_ticket_id')),
    )
    op.create_index('ix_queue_survey_day_service', 'queue_survey_response',
                    ['service_day', 'service_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_queue_survey_day_service', table_name='queue_survey_response')
    op.drop_table('queue_survey_response')
