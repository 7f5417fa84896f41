"""Exchange rates over time from a list, as a scenario file declares them.

:class:`RateTable` satisfies :class:`~hostbill_core.ports.ExchangeRates`: on a date, the rate
of a pair is the latest one dated on or before it, listed either way round (the other
direction is the :meth:`~hostbill_core.money.ExchangeRate.inverse`, dated as the rate it
inverts). Of two rates of a pair on the same date, the one listed last applies. There are
no cross rates: USD/EUR and GBP/USD do not give GBP/EUR.

Examples:
    >>> from datetime import date
    >>> from hostbill_core.money import ExchangeRate
    >>> table = RateTable([ExchangeRate("USD", "EUR", "0.92", date(2026, 3, 1)),
    ...                    ExchangeRate("USD", "EUR", "0.90", date(2026, 4, 1))])
    >>> table.rate("USD", "EUR", date(2026, 3, 31)).rate
    Decimal('0.92')
    >>> table.rate("EUR", "USD", date(2026, 4, 2)).rate
    Decimal('1.111111111111111111111111111')
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date

from hostbill_core.errors import NotFoundError
from hostbill_core.money import ExchangeRate

__all__ = ["RateTable"]


class RateTable:
    """Exchange rates from a list: on a date, the latest rate of the pair on or before it.

    Args:
        rates: the rates, in any order; of two of a pair on one date the last listed wins.
    """

    def __init__(self, rates: Iterable[ExchangeRate]) -> None:
        by_pair: dict[tuple[str, str], list[ExchangeRate]] = {}
        for rate in sorted(rates, key=lambda r: r.as_of):  # stable: listed order within a day
            by_pair.setdefault(_pair(rate.base, rate.quote), []).append(rate)
        self._rates = by_pair
        self._days = {pair: [r.as_of for r in listed] for pair, listed in by_pair.items()}

    def rate(self, base: str, quote: str, on: date) -> ExchangeRate:
        """The rate from ``base`` to ``quote`` in force on ``on``.

        Raises:
            NotFoundError: no rate of the pair, either way round, on or before ``on``.
        """
        pair = _pair(base, quote)
        count = bisect_right(self._days.get(pair, []), on)
        if count == 0:
            raise NotFoundError("exchange rate", f"{base}/{quote} on {on.isoformat()}")
        found = self._rates[pair][count - 1]
        return found if found.base == base else found.inverse()


def _pair(base: str, quote: str) -> tuple[str, str]:
    """The pair's key either way round."""
    return (base, quote) if base <= quote else (quote, base)
