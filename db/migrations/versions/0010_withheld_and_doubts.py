"""What a document's values were judged on besides its fields: the optional fields withheld as
too unsure to give and the doubts about readings still standing (a correction judges on them)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withheld', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('doubts', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('doubts')
        batch_op.drop_column('withheld')
