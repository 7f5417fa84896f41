import subprocess
import sys
from datetime import date

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hostbill_core.batch import (
    NO_DAY,
    ServiceFrame,
    day_numbers,
    synthetic_frame,
    synthetic_frames,
    to_dates,
)
from hostbill_core.batch.frame import STATUSES, UNITS
from hostbill_core.batch.synthetic import BLOCK
from hostbill_core.calendar import MONTHLY, BillingCycle
from hostbill_core.errors import ValidationError
from hostbill_core.model import Service, ServiceStatus
from hostbill_core.money import Money, to_money
from hostbill_core.testing.strategies import services as any_services

from .builders import service


def _plan_price(service: Service) -> Money:
    # The caller's price lookup: 4.99 USD a month, 49.90 USD otherwise.
    return to_money("4.99" if service.cycle == MONTHLY else "49.90", "USD")


@settings(max_examples=300)
@given(st.lists(any_services(), max_size=8, unique_by=lambda s: s.id))
def test_models_round_trip_through_the_frame(svcs: list[Service]) -> None:
    frame = ServiceFrame.from_services(svcs, _plan_price)
    assert frame.to_services() == tuple(svcs)
    assert len(frame) == len(svcs)


def test_columns_of_a_worked_example() -> None:
    # Anchor 29 Feb 2024 → month index 2024 × 12 + 1 = 24289, day 29; annual → unit 3,
    # length 12 months; no override → the plan price 49.90 USD = 4990 cents; suspended = 2.
    svc = service(
        sid="s1",
        client="c9",
        cycle=BillingCycle.years(1),
        anchor=date(2024, 2, 29),
        due=date(2025, 2, 28),
        status=ServiceStatus.SUSPENDED,
        billing_day=15,
        expires_on=date(2030, 1, 1),
    )
    frame = ServiceFrame.from_services([svc], _plan_price)
    row = {
        name: int(getattr(frame, name)[0])
        for name in (
            "client",
            "anchor_month",
            "anchor_day",
            "cycle_unit",
            "cycle_length",
            "billing_day",
            "price",
            "currency",
            "status",
        )
    }
    assert row == {
        "client": 0,
        "anchor_month": 24289,
        "anchor_day": 29,
        "cycle_unit": 3,
        "cycle_length": 12,
        "billing_day": 15,
        "price": 4990,
        "currency": 0,
        "status": 2,
    }
    assert to_dates(frame.next_due) == [date(2025, 2, 28)]
    assert to_dates(frame.anchor) == [date(2024, 2, 29)]
    assert frame.labels is not None
    assert frame.labels.override.tolist() == [0]
    assert frame.to_services() == (svc,)
    assert UNITS[3].value == "Y"
    assert STATUSES[2] is ServiceStatus.SUSPENDED


def test_select_keeps_rows_and_their_labels() -> None:
    svcs = [
        service(to_money(i, "JPY"), sid=f"s{i}", client=f"c{i % 2}", anchor=date(2026, 1, i + 1))
        for i in range(4)
    ]
    frame = ServiceFrame.from_services(svcs)
    assert frame.select(np.array([3, 1])).to_services() == (svcs[3], svcs[1])
    assert frame.select(frame.price >= 2).to_services() == (svcs[2], svcs[3])


def test_synthetic_frames_are_reproducible_and_due_from_start() -> None:
    a, b = synthetic_frame(5000, seed=3), synthetic_frame(5000, seed=3)
    assert a.price.tolist() == b.price.tolist()
    assert a.next_due.tolist() == b.next_due.tolist()
    assert int(a.next_due.min()) >= int(day_numbers([date(2026, 1, 1)])[0])
    assert set(a.cycle_unit.tolist()) == {0, 1, 2, 3}
    assert a.labels is None


def test_a_synthetic_frame_is_its_blocks_end_to_end() -> None:
    n = 2 * BLOCK + 100
    blocks = list(synthetic_frames(n, seed=5))
    assert [len(b) for b in blocks] == [BLOCK, BLOCK, 100]
    whole = synthetic_frame(n, seed=5)
    for name in ("client", "anchor_day", "cycle_length", "price", "status", "next_due"):
        joined = np.concatenate([getattr(b, name) for b in blocks])
        assert np.array_equal(joined, getattr(whole, name)), name
    # clients numbered across blocks, row i to client i × 2 // 3: 8192 × 2 // 3 = 5461,
    # 8193 × 2 // 3 = 16386 // 3 = 5462, 8194 × 2 // 3 = 16388 // 3 = 5462
    assert blocks[1].client[:3].tolist() == [5461, 5462, 5462]
    assert int(whole.client[-1]) == (n - 1) * 2 // 3


def test_an_empty_synthetic_shop_is_one_empty_frame() -> None:
    assert [len(b) for b in synthetic_frames(0)] == [0]
    assert synthetic_frame(0).currencies == ("USD", "EUR", "JPY", "KWD")


# Error paths.


def _frame() -> ServiceFrame:
    return ServiceFrame.from_services([service(to_money(1, "USD"))])


def test_a_float_column_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(_frame(), price=np.array([1.5]))
    assert raised.value.field == "price"


def test_columns_of_unequal_length_are_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(_frame(), status=np.array([1, 1]))
    assert raised.value.field == "status"


def test_labels_of_another_length_are_refused() -> None:
    frame = _frame()
    assert frame.labels is not None
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(frame, labels=attrs.evolve(frame.labels, service_ids=("a", "b")))
    assert raised.value.field == "labels"


def test_a_service_without_any_price_is_refused() -> None:
    svc = service()
    with pytest.raises(ValidationError) as raised:
        ServiceFrame.from_services([svc])
    assert raised.value.field == "services[0].price_override"


def test_a_price_lookup_that_returns_no_money_is_refused() -> None:
    svc = service()
    with pytest.raises(ValidationError) as raised:
        ServiceFrame.from_services([svc], lambda s: "4.99")  # type: ignore[arg-type,return-value]
    assert raised.value.field == "services[0].price"


def test_a_price_finer_than_the_minor_unit_is_refused() -> None:
    svc = service()
    with pytest.raises(ValidationError, match="minor unit"):
        ServiceFrame.from_services([svc], lambda s: to_money("0.5", "JPY"))


def test_a_frame_without_labels_makes_no_models() -> None:
    with pytest.raises(ValidationError) as raised:
        synthetic_frame(3).to_services()
    assert raised.value.field == "labels"


def test_a_date_outside_years_1_to_9999_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        to_dates(np.array([NO_DAY], dtype=np.int64))
    assert raised.value.field == "days"


def test_a_datetime_among_dates_is_refused() -> None:
    from datetime import datetime

    with pytest.raises(ValidationError) as raised:
        day_numbers([date(2026, 1, 1), datetime(2026, 1, 2)])
    assert raised.value.field == "days[1]"


def test_a_negative_synthetic_size_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        synthetic_frame(-1)
    assert raised.value.field == "n"


def test_a_negative_size_of_blocks_is_refused_before_any_is_drawn() -> None:
    with pytest.raises(ValidationError) as raised:
        synthetic_frames(-1)  # the call itself raises, not the first block
    assert raised.value.field == "n"


_WITHOUT_NUMPY = """
import sys
sys.modules["numpy"] = None  # as if numpy were not installed
import hostbill_core
assert "numpy" not in [m for m in sys.modules if sys.modules[m] is not None]
try:
    import hostbill_core.batch
except hostbill_core.ConfigurationError as error:
    print(error)
"""


def test_the_package_imports_without_numpy_and_batch_says_how_to_install_it() -> None:
    run = subprocess.run(
        [sys.executable, "-c", _WITHOUT_NUMPY], capture_output=True, text=True, check=True
    )
    assert 'pip install "hostbill-core[batch]"' in run.stdout


@pytest.mark.parametrize(
    ("column", "value", "field"),
    [
        ("anchor_day", 0, "anchor_day"),
        ("cycle_unit", 4, "cycle_unit"),
        ("cycle_length", 0, "cycle_length"),
        ("billing_day", 32, "billing_day"),
        ("currency", 1, "currency"),
        ("status", 6, "status"),
        ("client", -1, "client"),
        ("anchor_month", 11, "anchor_month"),
        ("next_due", 3_000_000, "next_due"),
    ],
)
def test_a_value_outside_its_column_range_is_refused(column: str, value: int, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(_frame(), **{column: np.array([value], dtype=np.int64)})
    assert (raised.value.field, raised.value.value) == (field, value)


def test_an_anchor_day_past_its_month_end_is_refused() -> None:
    # Month index 24289 is February 2024: 29 days, so day 30 does not exist.
    frame = attrs.evolve(_frame(), anchor_month=np.array([24289]))
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(frame, anchor_day=np.array([30]))
    assert (raised.value.field, raised.value.value) == ("anchor_day[0]", 30)


def test_a_week_cycle_of_other_than_whole_weeks_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(_frame(), cycle_unit=np.array([1]), cycle_length=np.array([10]))
    assert (raised.value.field, raised.value.value) == ("cycle_length[0]", 10)


def test_a_price_beyond_int64_minor_units_is_refused() -> None:
    svc = service(to_money(2**63, "JPY"))
    with pytest.raises(ValidationError) as raised:
        ServiceFrame.from_services([svc])
    assert raised.value.field == "services[0].price"
