"""films: the home page's index holds is_published, published_on and id

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('films', schema=None) as batch_op:
        batch_op.create_index('ix_films_newest', ['is_published', 'published_on', 'id'], unique=False)
        batch_op.drop_index(batch_op.f('ix_films_published_on'))


def downgrade():
    with op.batch_alter_table('films', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_films_published_on'), ['published_on'], unique=False)
        batch_op.drop_index('ix_films_newest')
