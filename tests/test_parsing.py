"""Whole numbers from people and URLs (app/core/parsing.py): ASCII digits within bounds, and a
clear 4xx for anything else, never an error page; each place a number is read uses it."""

import pytest

from app.core.parsing import ID_MAX, NotAWholeNumber, whole_number
from tests.admin.test_films_admin import NEW

TWENTY_DIGITS = "9" * 20


@pytest.mark.parametrize("text,number", [("0", 0), ("7", 7), ("0042", 42), ("2200", 2200)])
def test_ascii_digits_within_bounds_are_numbers(text, number):
    assert whole_number(text, lo=0, hi=2200) == number


@pytest.mark.parametrize(
    "text",
    ["", " 7", "7 ", "-1", "+1", "1.0", "1e3", "²", "¹²⁰", "١٢", "１２", "2201", TWENTY_DIGITS],
)
def test_anything_else_is_refused_with_the_bounds(text):
    with pytest.raises(NotAWholeNumber, match="enter a whole number from 0 to 2200"):
        whole_number(text, lo=0, hi=2200)


@pytest.mark.parametrize("comment_id", [TWENTY_DIGITS, str(ID_MAX + 1), "²", "¹²⁰", "١", "0"])
@pytest.mark.parametrize("action", ["approve", "delete"])
def test_a_comment_id_that_is_no_id_is_404(owner, comment_id, action):
    assert owner.post(f"/admin/comments/{comment_id}/{action}").status_code == 404


@pytest.mark.parametrize("ids", [["²"], [TWENTY_DIGITS], ["1", "¹²⁰"], [str(ID_MAX + 1)]])
def test_bulk_ids_that_are_no_ids_are_422_with_the_message(owner, ids):
    response = owner.post("/admin/comments/bulk", {"action": "approve", "ids": ids})
    assert response.status_code == 422
    assert "Check one or more comments" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "field,value,words",
    [
        ("year", "²⁰¹⁰", "Enter a year such as 2010."),
        ("year", "٢٠١٠", "Enter a year such as 2010."),
        ("year", TWENTY_DIGITS, "Enter a year such as 2010."),
        ("running_time", "¹²⁰", "Enter a number of minutes."),
        ("running_time", TWENTY_DIGITS, "Enter a number of minutes."),
    ],
)
def test_a_year_or_running_time_in_other_digits_is_refused_by_its_field(owner, field, value, words):
    response = owner.post("/admin/new-film", {**NEW, field: value}, htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="f-{field}-error">' in html and words in html


@pytest.mark.parametrize("page", ["²", TWENTY_DIGITS, "-3", "١"])
def test_a_page_number_that_is_no_number_is_the_first_page(owner, client, page):
    assert owner.get(f"/admin/films?page={page}").status_code == 200
    assert client.get(f"/films/the-way-back?comments_page={page}").status_code == 200


def test_the_cli_refuses_an_id_past_any_column(runner):
    result = runner.invoke(args=["comments", "approve", TWENTY_DIGITS])
    assert result.exit_code == 2 and "is not in the range" in result.output
