"""moving in from WordPress: films.wp_post_id (the post a film was imported from), films.year
nullable (a post has none), tallies.imported_count/imported_sum (Rate My Post's totals), and a
pages table (the About page)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04

"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


@contextmanager
def foreign_keys_off():
    """As in 0010 (a migration cannot import another): SQLite rebuilds the films table to make
    year nullable, and with foreign keys on, dropping the old one would first delete every row
    that cascades from a film (credits, votes, comments)."""
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        yield
        return
    bind.exec_driver_sql('COMMIT')
    bind.exec_driver_sql('PRAGMA foreign_keys=OFF')
    bind.exec_driver_sql('BEGIN IMMEDIATE')
    yield
    broken = bind.exec_driver_sql('PRAGMA foreign_key_check').all()
    if broken:
        raise RuntimeError(f'rows name rows that do not exist: {broken[:5]}')
    bind.exec_driver_sql('COMMIT')
    bind.exec_driver_sql('PRAGMA foreign_keys=ON')
    bind.exec_driver_sql('BEGIN IMMEDIATE')


def upgrade():
    op.create_table('pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pages')),
    sa.UniqueConstraint('slug', name=op.f('uq_pages_slug'))
    )
    with op.batch_alter_table('tallies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('imported_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('imported_sum', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_tallies_imported_range'), 'imported_sum BETWEEN imported_count AND 5 * imported_count')
    with foreign_keys_off():
        with op.batch_alter_table('films', schema=None) as batch_op:
            batch_op.add_column(sa.Column('wp_post_id', sa.Integer(), nullable=True))
            batch_op.alter_column('year', existing_type=sa.Integer(), nullable=True)
            batch_op.create_unique_constraint(batch_op.f('uq_films_wp_post_id'), ['wp_post_id'])


def downgrade():
    with foreign_keys_off():
        # A film without a year cannot go back: the downgrade refuses rather than invent one.
        missing = op.get_bind().execute(sa.text('SELECT count(*) FROM films WHERE year IS NULL')).scalar()
        if missing:
            raise RuntimeError(f'{missing} films have no year: give them one before downgrading')
        with op.batch_alter_table('films', schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f('uq_films_wp_post_id'), type_='unique')
            batch_op.alter_column('year', existing_type=sa.Integer(), nullable=False)
            batch_op.drop_column('wp_post_id')
    with op.batch_alter_table('tallies', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_tallies_imported_range'), type_='check')
        batch_op.drop_column('imported_sum')
        batch_op.drop_column('imported_count')
    op.drop_table('pages')
