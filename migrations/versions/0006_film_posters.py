"""films: the poster's digest and the size of its largest rendition

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('films', schema=None) as batch_op:
        batch_op.add_column(sa.Column('poster', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('poster_width', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('poster_height', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('films', schema=None) as batch_op:
        batch_op.drop_column('poster_height')
        batch_op.drop_column('poster_width')
        batch_op.drop_column('poster')
