"""with_status (a service copied at a new status) equals attrs.evolve(service, status=…)."""

import attrs
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.model import Service, ServiceStatus
from hostbill_core.model.services import with_status
from hostbill_core.testing.billing_strategies import services
from hostbill_core.testing.contract import sample_service


@given(services(), st.sampled_from(ServiceStatus))
def test_with_status_equals_attrs_evolve(service: Service, status: ServiceStatus) -> None:
    copy = with_status(service, status)
    assert copy == attrs.evolve(service, status=status)
    assert repr(copy) == repr(attrs.evolve(service, status=status))
    assert copy is not service


def test_the_copy_needs_no_check_again() -> None:
    # It holds only while no field is checked against another and the status has no check.
    fields = attrs.fields(Service)
    assert not hasattr(Service, "__attrs_post_init__")
    assert (fields.status.validator, fields.status.converter) == (None, None)


def test_a_subclass_goes_through_attrs_evolve() -> None:
    @attrs.frozen
    class Hosted(Service):
        pass

    service = Hosted(**attrs.asdict(sample_service(), recurse=False))
    moved = with_status(service, ServiceStatus.SUSPENDED)
    assert type(moved) is Hosted
    assert moved.status is ServiceStatus.SUSPENDED
