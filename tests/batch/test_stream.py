from datetime import date
from pathlib import Path

import pytest

from hostbill_core.adapters.memory import MemoryStore
from hostbill_core.adapters.sqlite import SqliteStore
from hostbill_core.batch import ServiceFrame, forecast, run_rate, stream_frames
from hostbill_core.calendar import ANNUALLY, MONTHLY
from hostbill_core.errors import ValidationError
from hostbill_core.model import Client, ContactDetails, Service
from hostbill_core.money import Money, to_money

from .builders import service


def _price_of(service: Service) -> Money:
    return to_money("49.90" if service.cycle == ANNUALLY else "4.99", "USD")


def _seed(store: MemoryStore | SqliteStore) -> list[Service]:
    # 7 clients; client k holds k + 1 services; every third has its own EUR price.
    svcs = []
    with store.unit_of_work() as uow:
        for k in range(7):
            uow.clients.add(
                Client(
                    f"c{k}", ContactDetails(f"C{k}", f"c{k}@example.com"), "USD", date(2025, 1, 1)
                )
            )
            for _ in range(k + 1):
                i = len(svcs)
                svcs.append(
                    uow.services.add(
                        service(
                            to_money("3.00", "EUR") if i % 3 == 0 else None,
                            sid=f"s{i:02}",
                            client=f"c{k}",
                            cycle=ANNUALLY if i % 2 else MONTHLY,
                            anchor=date(2025, 1 + i % 12, 1 + i % 28),
                            due=date(2026, 1 + i % 12, 1),
                        )
                    )
                )
        uow.commit()
    return svcs


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> MemoryStore | SqliteStore:
    return MemoryStore() if request.param == "memory" else SqliteStore(tmp_path / "s.db")


def test_streamed_chunks_hold_every_service_once_in_client_order(
    store: MemoryStore | SqliteStore,
) -> None:
    svcs = _seed(store)
    with store.unit_of_work() as uow:
        frames = list(stream_frames(uow, chunk_size=5, price_of=_price_of))
    # Chunks close at the first client boundary at or past 5 services: 1+2+3, 4+5, 6, 7.
    assert [len(f) for f in frames] == [6, 9, 6, 7]
    streamed = [s for f in frames for s in f.to_services()]
    assert sorted(streamed, key=lambda s: s.id) == sorted(svcs, key=lambda s: s.id)


def test_a_streamed_forecast_equals_the_forecast_of_all_services(
    store: MemoryStore | SqliteStore,
) -> None:
    svcs = _seed(store)
    whole = ServiceFrame.from_services(svcs, _price_of)
    with store.unit_of_work() as uow:
        streamed = forecast(
            stream_frames(uow, chunk_size=4, price_of=_price_of), date(2026, 1, 1), 12
        )
        rate = run_rate(stream_frames(uow, chunk_size=4, price_of=_price_of))
    expected = forecast(whole, date(2026, 1, 1), 12)
    assert streamed.currencies == expected.currencies == ("EUR", "USD")
    assert streamed.totals.tolist() == expected.totals.tolist()
    assert rate == run_rate(whole)


def test_only_the_given_clients_and_due_services_are_read() -> None:
    store = MemoryStore()
    _seed(store)
    with store.unit_of_work() as uow:
        frames = list(
            stream_frames(uow, price_of=_price_of, client_ids=["c2"], due_by=date(2026, 4, 30))
        )
    # c2 holds s03 (due 1 Apr), s04 (1 May), s05 (1 Jun): only s03 is due by 30 April.
    assert [s.id for f in frames for s in f.to_services()] == ["s03"]


def test_a_chunk_size_below_one_is_refused() -> None:
    with MemoryStore().unit_of_work() as uow, pytest.raises(ValidationError) as raised:
        next(stream_frames(uow, chunk_size=0))
    assert raised.value.field == "chunk_size"
