"""votes: the visitor's id is called visitor, as everywhere else

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_constraint('uq_votes_film_voter', type_='unique')
        batch_op.alter_column('voter', new_column_name='visitor')
    # A second batch: SQLite's copy of the table must have the new name before it is used.
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_votes_film_visitor', ['film_id', 'visitor'])


def downgrade():
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_constraint('uq_votes_film_visitor', type_='unique')
        batch_op.alter_column('visitor', new_column_name='voter')
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_votes_film_voter', ['film_id', 'voter'])
