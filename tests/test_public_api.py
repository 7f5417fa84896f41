import hostbill_core


def test_all_is_exactly_the_public_names() -> None:
    public = {
        name
        for name, value in vars(hostbill_core).items()
        if not name.startswith("_") and not isinstance(value, type(hostbill_core))
    }
    assert set(hostbill_core.__all__) == public
    assert len(set(hostbill_core.__all__)) == len(hostbill_core.__all__)


def test_version() -> None:
    assert hostbill_core.__version__ == "0.1.0"


def test_every_public_name_has_a_docstring() -> None:
    for name in hostbill_core.__all__:
        value = getattr(hostbill_core, name)
        if callable(value) and not isinstance(value, hostbill_core.BillingCycle):
            assert (value.__doc__ or "").strip(), name
