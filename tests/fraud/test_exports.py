import inspect

from hostbill_core import fraud
from hostbill_core.fraud import Contribution


def test_all_is_exactly_the_public_names_sorted():
    public = {
        name
        for name, value in vars(fraud).items()
        if not name.startswith("_") and not isinstance(value, type(fraud))
    }
    assert set(fraud.__all__) == public
    assert fraud.__all__ == sorted(fraud.__all__, key=lambda n: (not n.isupper(), n))


def test_every_public_class_and_function_has_a_docstring():
    for name in fraud.__all__:
        value = getattr(fraud, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert (value.__doc__ or "").strip(), name


def test_a_contribution_names_its_signal():
    assert Contribution("velocity.ip", 15, "").signal == "velocity"
    assert Contribution("country_mismatch", 15, "").signal == "country_mismatch"
