"""page geometry: how each page was prepared for OCR (turn, tilt, flattening, map back)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rotation', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('skew_degrees', sa.Double(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('perspective', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('to_original', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.drop_column('to_original')
        batch_op.drop_column('perspective')
        batch_op.drop_column('skew_degrees')
        batch_op.drop_column('rotation')
