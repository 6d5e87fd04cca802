"""What a film's rating is: its per-star counts, the average as the site prints it, and the
visitor's own vote. The block, the cards, the JSON-LD and the CLI all read numbers from here."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from operator import attrgetter

from ..models import Tally

STARS = Tally.STARS
# A row that names the tally's columns (a query that selected them) -> its five counts.
per_star_of = attrgetter(*Tally.STAR_COLUMNS)


def rounded_average(total: int, count: int) -> Decimal | None:
    """The average to one decimal, halves rounded up; a whole number loses its decimal."""
    if not count:
        return None
    value = (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


@dataclass(frozen=True)
class Summary:
    """What the rating block shows: the film's tallies and this visitor's own vote.

    `imported` is (count, sum of stars) of votes a blog's rating plugin counted before the film
    came here (app/wordpress/), known only as totals: they count in the count and the average,
    and never in the per-star shares, which would have to be made up."""

    per_star: tuple[int, int, int, int, int]
    mine: int | None = None
    imported: tuple[int, int] = (0, 0)

    @classmethod
    def of(cls, row, mine: int | None = None) -> "Summary":
        """The summary of a row that holds the tally's star columns by name (and the imported
        totals, when it selected them: Tally.rating_columns())."""
        imported = (getattr(row, "imported_count", 0), getattr(row, "imported_sum", 0))
        return cls(per_star=per_star_of(row), mine=mine, imported=imported)

    @classmethod
    def of_values(cls, values, mine: int | None = None) -> "Summary":
        """The summary of Tally.rating_columns()' values, in their order (a driver's row)."""
        return cls(per_star=tuple(values[:5]), mine=mine, imported=tuple(values[5:7]))

    @property
    def numbers(self) -> tuple:
        """Everything the counts and the average are made of: what kept renderings follow."""
        return (*self.per_star, *self.imported)

    @cached_property
    def counted(self) -> int:
        """The votes cast here (or brought in one by one), which the per-star shares divide."""
        return sum(self.per_star)

    @cached_property
    def count(self) -> int:
        return self.counted + self.imported[0]

    @cached_property
    def average(self) -> Decimal | None:
        total = sum(stars * n for stars, n in zip(STARS, self.per_star, strict=True))
        return rounded_average(total + self.imported[1], self.count)

    def histogram(self) -> list[tuple[int, int, int]]:
        """Per star, 5 down to 1: the stars, their votes counted and their share in percent."""
        return [(star, self.per_star[star - 1], self.share(star)) for star in (5, 4, 3, 2, 1)]

    def share(self, star: int) -> int:
        """The percentage of the votes counted per star that gave `star` stars."""
        return round(100 * self.per_star[star - 1] / self.counted) if self.counted else 0
