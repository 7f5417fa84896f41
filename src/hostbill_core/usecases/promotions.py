"""Promotion codes through storage: each redemption stored, its limits held, its cycles kept.

Redeeming (:func:`redeem_on_order`, inside ``place_order``'s unit of work):

1. the code must fit at least one line of the order (its products and billing cycles; a code
   limited to some cycles does not fit a one-time line);
2. it takes the next free use number of the code after the promotion's own ``uses`` (the uses
   counted before redemptions were stored): storage holds each number once, so two orders
   racing for the last use cannot both have it; :func:`~hostbill_core.pricing.redeem` then
   refuses an expired code, or one whose number would pass ``max_uses``;
3. a code limited to one use per client (``Promotion.once_per_client``, or the order's
   ``once_per_client`` flag: either one is enough) is refused when the client (or a client
   merged into it) holds a redemption of it; storage holds one such key per client, against
   races.

The :class:`~hostbill_core.model.PromotionRedemption` records the terms, so renewals are
discounted as promised (:func:`renewal_promotion`): a promotion for N cycles discounts the
service's first N billed cycles, the order's first invoice being cycle 1 (the pricing
engine's count), so N − 1 renewals; a promotion for ever discounts every renewal; one for
once, none. Cycles are counted in the service's current cycle from the order day, so a change
of cycle does not restart the count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

import attrs

from hostbill_core.calendar import due_date
from hostbill_core.errors import ValidationError
from hostbill_core.model import (
    ClientId,
    OrderId,
    PromotionRedemption,
    Service,
    ServiceId,
)
from hostbill_core.ports import UnitOfWork
from hostbill_core.pricing import AmountOff, PercentOff, Promotion, PromotionTerm, redeem
from hostbill_core.renewal import due_index
from hostbill_core.usecases.one_time import NOMINAL_CYCLE
from hostbill_core.usecases.order_pricing import OrderLine, promotion_misfit

__all__ = ["Redeemed", "redeem_on_order", "renewal_promotion"]


@attrs.frozen
class Redeemed:
    """A code redeemed on an order: the promotion with this use counted, and its record."""

    promotion: Promotion
    record: PromotionRedemption


def _first_free(taken: Callable[[int], bool], after: int) -> int:
    # The smallest free number above ``after`` when the taken ones run on from it: gallop,
    # then halve; a few key look-ups for any number of uses.
    low, step = after, 1
    while taken(low + step):
        low, step = low + step, step * 2
    high = low + step
    while high - low > 1:
        middle = (low + high) // 2
        if taken(middle):
            low = middle
        else:
            high = middle
    return high


def _terms(promotion: Promotion) -> int | None:
    if promotion.term is PromotionTerm.FOREVER:
        return None
    return 1 if promotion.term is PromotionTerm.ONCE else promotion.cycles


def _check_once_per_client(uow: UnitOfWork, code: str, client_id: ClientId) -> None:
    held = [r for r in uow.promotion_redemptions.list(client_id=client_id) if r.code == code]
    owner = uow.promotion_redemptions.owner_of_key(PromotionRedemption.client_key(code, client_id))
    if held or owner is not None:
        order = held[0].order_id if held else owner
        raise ValidationError(
            "promotion", code, f"once per client: client {client_id} used it on order {order}"
        )


def redeem_on_order(
    uow: UnitOfWork,
    promotion: Promotion,
    *,
    order_id: OrderId,
    client_id: ClientId,
    on: date,
    lines: Sequence[OrderLine],
    once_per_client: bool = False,
) -> Redeemed:
    """Check and count one use of ``promotion`` on an order; the caller stores the record.

    Args:
        uow: the order's unit of work (redemptions are read through it).
        promotion: the code entered, as the host holds it.
        order_id: the order; the record and the services it fits are named after it.
        client_id: the client ordering.
        on: the order's day (expiry is checked against it).
        lines: the order's lines; the code must fit one.
        once_per_client: limit the code to one use per client on this order even when
            ``promotion.once_per_client`` is False (the order request's flag, kept for
            callers that set it there); either flag limits it.

    Raises:
        ValidationError: the code fits no line, expired, is used up, or was used by the
            client already (once per client).
    """
    fitting = [i for i, line in enumerate(lines) if promotion_misfit(promotion, line) is None]
    if not fitting:
        reason = promotion_misfit(promotion, lines[0])
        raise ValidationError("promotion", promotion.code, f"not valid here: {reason}")
    repository = uow.promotion_redemptions
    use = _first_free(
        lambda n: (
            repository.owner_of_key(PromotionRedemption.use_key(promotion.code, n)) is not None
        ),
        promotion.uses,
    )
    line = lines[fitting[0]]
    counted = redeem(
        attrs.evolve(promotion, uses=use - 1), line.product_id, line.cycle or NOMINAL_CYCLE, on
    )
    once = once_per_client or promotion.once_per_client
    if once:
        _check_once_per_client(uow, promotion.code, client_id)
    off = promotion.off
    record = PromotionRedemption(
        order_id, promotion.code, client_id, order_id, on, use,
        service_ids=tuple(ServiceId(f"{order_id}-{i + 1}") for i in fitting),
        percent_off=off.percent if isinstance(off, PercentOff) else None,
        amount_off=off.amount if isinstance(off, AmountOff) else None,
        cycles=_terms(promotion), product_ids=promotion.product_ids,
        billing_cycles=promotion.billing_cycles, once_per_client=once,
    )  # fmt: skip
    return Redeemed(counted, record)


def _promotion(record: PromotionRedemption) -> Promotion:
    amount = record.amount_off  # the model holds an amount or a percentage, never both
    off = AmountOff(amount) if amount is not None else PercentOff(record.percent_off)
    if record.cycles is None:
        term, cycles = PromotionTerm.FOREVER, None
    elif record.cycles == 1:
        term, cycles = PromotionTerm.ONCE, None
    else:
        term, cycles = PromotionTerm.CYCLES, record.cycles
    return Promotion(
        record.code, off, term, cycles, record.product_ids, record.billing_cycles,
        uses=record.use, once_per_client=record.once_per_client,
    )  # fmt: skip


def _cycle_number(record: PromotionRedemption, service: Service, due: date) -> int:
    if record.cycles is None:  # for ever: any number applies; the service's own count
        return due_index(service, due) + 1
    for k in range(1, record.cycles + 1):
        if due_date(record.redeemed_on, service.cycle, k) > due:
            return k
    return record.cycles + 1


def renewal_promotion(
    records: Iterable[PromotionRedemption], service: Service, due: date, currency: str
) -> tuple[Promotion, int] | None:
    """The promotion discounting the renewal of ``service`` due on ``due``, and its cycle.

    Args:
        records: the client's redemptions.
        service: the service renewed.
        due: the due date renewed.
        currency: the renewal's currency: a fixed amount off in another one (the client
            changed currency since) no longer applies.

    Returns:
        The promotion as redeemed and the renewal's cycle number counted from the order day
        (for :class:`~hostbill_core.pricing.DiscountRequest`, which skips a cycle the
        promotion does not cover), or None when no redemption covers the service.
    """
    for record in records:
        if service.id not in record.service_ids:
            continue
        amount = record.amount_off
        if amount is not None and amount.currency.code != currency:
            return None
        return _promotion(record), _cycle_number(record, service, due)
    return None
