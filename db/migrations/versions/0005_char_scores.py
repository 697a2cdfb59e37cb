"""OCR lines keep each character's recognition probability (the confidence model reads it)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ocr_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('char_scores', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ocr_lines', schema=None) as batch_op:
        batch_op.drop_column('char_scores')
