"""Other owner input that gave an error page: a burst window at the calendar's very edge with an
offset (out of range once converted to UTC), and a film file that would seed a billion votes."""

import pytest

from app.core import sizes
from tests.helpers import MINIMAL

BURST = "/admin/films/the-way-back/votes/burst"


@pytest.mark.parametrize(
    "start,end",
    [
        ("0001-01-01T00:00:00+01:00", "0001-01-02T00:00:00"),
        ("2020-01-01T00:00:00", "9999-12-31T23:00:00-05:00"),
    ],
)
def test_a_window_out_of_the_calendar_in_utc_is_refused_by_its_field(owner, start, end):
    preview = owner.get(BURST, query_string={"start": start, "end": end})
    removal = owner.post(BURST, {"start": start, "end": end, "votes": "0" * 16})
    for response in (preview, removal):
        assert response.status_code == 422
        assert "Enter a date and time such as 2026-12-02T17:30:00." in response.get_data(
            as_text=True
        )


@pytest.mark.parametrize("count", [sizes.SEED_VOTES + 1, 10**9, 10**30, True])
def test_a_film_file_seeding_too_many_votes_is_refused(runner, tmp_path, count):
    text = MINIMAL.format(slug="seeded", title="Seeded")
    path = tmp_path / "seeded.toml"
    path.write_text(f'votes = {{ "5" = {str(count).lower()} }}\n' + text, encoding="utf-8")
    result = runner.invoke(args=["films", "import", str(path)])
    assert result.exit_code != 0
    assert "field 'votes.5': give a whole count up to 1,000 for a star from 1 to 5" in result.output
