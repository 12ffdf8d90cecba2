"""queue_line: waiting tickets per line, kept by triggers

Revision ID: 0005
Revises: 0007
Create Date: 2026-11-30

Issuing reads who is ahead of a new regular ticket from these counts instead of counting the
line (the trigger SQL for both databases is queue_service/line_state.py's, copied below).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The SQL of queue_service/line_state.py as of this revision (a migration keeps its own copy).
BACKFILL = "INSERT INTO queue_line (service_id, service_day, kind, waiting) SELECT t.service_id, t.service_day, CASE WHEN t.is_returning THEN 'R' WHEN t.priority IS NOT NULL THEN 'P' ELSE 'N' END, count(*) FROM queue_ticket t WHERE t.status = 'waiting' GROUP BY t.service_id, t.service_day, CASE WHEN t.is_returning THEN 'R' WHEN t.priority IS NOT NULL THEN 'P' ELSE 'N' END"
SQLITE = [
    "CREATE TRIGGER queue_line_insert AFTER INSERT ON queue_ticket WHEN NEW.status = 'waiting' BEGIN INSERT INTO queue_line (service_id, service_day, kind, waiting) VALUES (NEW.service_id, NEW.service_day, CASE WHEN NEW.is_returning THEN 'R' WHEN NEW.priority IS NOT NULL THEN 'P' ELSE 'N' END, 1) ON CONFLICT (service_id, service_day, kind) DO UPDATE SET waiting = queue_line.waiting + 1; END",
    "CREATE TRIGGER queue_line_update AFTER UPDATE ON queue_ticket WHEN (OLD.status IS NOT NEW.status OR OLD.service_id IS NOT NEW.service_id OR OLD.service_day IS NOT NEW.service_day OR OLD.is_returning IS NOT NEW.is_returning OR OLD.priority IS NOT NEW.priority) AND (OLD.status = 'waiting' OR NEW.status = 'waiting') BEGIN UPDATE queue_line SET waiting = waiting - 1 WHERE service_id = OLD.service_id AND service_day = OLD.service_day AND kind = CASE WHEN OLD.is_returning THEN 'R' WHEN OLD.priority IS NOT NULL THEN 'P' ELSE 'N' END AND OLD.status = 'waiting'; INSERT INTO queue_line (service_id, service_day, kind, waiting) SELECT NEW.service_id, NEW.service_day, CASE WHEN NEW.is_returning THEN 'R' WHEN NEW.priority IS NOT NULL THEN 'P' ELSE 'N' END, 1 WHERE NEW.status = 'waiting' ON CONFLICT (service_id, service_day, kind) DO UPDATE SET waiting = queue_line.waiting + 1; END",
    "CREATE TRIGGER queue_line_delete AFTER DELETE ON queue_ticket WHEN OLD.status = 'waiting' BEGIN UPDATE queue_line SET waiting = waiting - 1 WHERE service_id = OLD.service_id AND service_day = OLD.service_day AND kind = CASE WHEN OLD.is_returning THEN 'R' WHEN OLD.priority IS NOT NULL THEN 'P' ELSE 'N' END; END",
]
POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION queue_line_track() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP <> 'INSERT' AND OLD.status = 'waiting' THEN UPDATE queue_line SET waiting = waiting - 1 WHERE service_id = OLD.service_id AND service_day = OLD.service_day AND kind = CASE WHEN OLD.is_returning THEN 'R' WHEN OLD.priority IS NOT NULL THEN 'P' ELSE 'N' END; END IF; IF TG_OP <> 'DELETE' AND NEW.status = 'waiting' THEN INSERT INTO queue_line (service_id, service_day, kind, waiting) VALUES (NEW.service_id, NEW.service_day, CASE WHEN NEW.is_returning THEN 'R' WHEN NEW.priority IS NOT NULL THEN 'P' ELSE 'N' END, 1) ON CONFLICT (service_id, service_day, kind) DO UPDATE SET waiting = queue_line.waiting + 1; END IF; RETURN NULL; END $$",
    "CREATE TRIGGER queue_line_insert AFTER INSERT ON queue_ticket FOR EACH ROW WHEN (NEW.status = 'waiting') EXECUTE FUNCTION queue_line_track()",
    "CREATE TRIGGER queue_line_update AFTER UPDATE ON queue_ticket FOR EACH ROW WHEN ((OLD.status IS DISTINCT FROM NEW.status OR OLD.service_id IS DISTINCT FROM NEW.service_id OR OLD.service_day IS DISTINCT FROM NEW.service_day OR OLD.is_returning IS DISTINCT FROM NEW.is_returning OR OLD.priority IS DISTINCT FROM NEW.priority) AND (OLD.status = 'waiting' OR NEW.status = 'waiting')) EXECUTE FUNCTION queue_line_track()",
    "CREATE TRIGGER queue_line_delete AFTER DELETE ON queue_ticket FOR EACH ROW WHEN (OLD.status = 'waiting') EXECUTE FUNCTION queue_line_track()",
]


def upgrade() -> None:
    op.create_table(
        'queue_line',
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('service_day', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=1), nullable=False),
        sa.Column('waiting', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('service_id', 'service_day', 'kind'),
    )
    op.execute(BACKFILL)
    for statement in POSTGRESQL if op.get_bind().dialect.name == 'postgresql' else SQLITE:
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
