"""What a film's rating is: its per-star counts, the average as the site prints it, and the
visitor's own vote. The block, the cards, the JSON-LD and the CLI all read numbers from here."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
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
    """What the rating block shows: the film's tallies and this visitor's own vote."""

    per_star: tuple[int, int, int, int, int]
    mine: int | None = None

    @classmethod
    def of(cls, row, mine: int | None = None) -> "Summary":
        """The summary of a row that holds the tally's star columns by name."""
        return cls(per_star=per_star_of(row), mine=mine)

    @property
    def count(self) -> int:
        return sum(self.per_star)

    @property
    def average(self) -> Decimal | None:
        total = sum(stars * n for stars, n in zip(STARS, self.per_star, strict=True))
        return rounded_average(total, self.count)

    def share(self, star: int) -> int:
        """The percentage of votes that gave `star` stars."""
        return round(100 * self.per_star[star - 1] / self.count) if self.count else 0
