from hostbill_core import errors
from hostbill_core.errors import (
    ConfigurationError,
    ConflictError,
    CurrencyMismatchError,
    HostbillError,
    InvalidTransitionError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)


def test_each_error_is_also_the_fitting_builtin() -> None:
    assert issubclass(ValidationError, ValueError)
    assert issubclass(CurrencyMismatchError, ValueError)
    assert issubclass(NotFoundError, LookupError)
    assert issubclass(ConflictError, RuntimeError)
    assert issubclass(InvalidTransitionError, ValueError)
    assert issubclass(PermissionDeniedError, PermissionError)
    assert issubclass(ConfigurationError, ValueError)


def test_codes_are_stable_and_unique() -> None:
    classes = [getattr(errors, name) for name in errors.__all__]
    assert all(issubclass(c, HostbillError) for c in classes)
    codes = {c.code for c in classes}
    assert len(codes) == len(classes)
    assert ValidationError.code == "validation"


def test_messages_name_field_value_and_remedy() -> None:
    error = ValidationError("amount", 0.1, "floats are inexact: pass a Decimal")
    assert (error.field, error.value) == ("amount", 0.1)
    assert str(error) == "amount=0.1: floats are inexact: pass a Decimal"
    assert str(CurrencyMismatchError("EUR", "USD", "invoice line")) == (
        "currency USD in invoice line does not match EUR: use EUR"
    )
    assert str(NotFoundError("client", "c-9")) == "no client with key 'c-9'"
    transition = InvalidTransitionError("service", "terminated", "active", ("pending",))
    assert "allowed from terminated: pending" in str(transition)
    denied = PermissionDeniedError({"allowed": False}, "contact lacks pay_invoices")
    assert denied.decision == {"allowed": False}
    assert str(ConflictError("invoice", "i-1", "stale")) == "invoice 'i-1': stale"
    assert "setting lead_days=-1" in str(ConfigurationError("lead_days", -1, "0 or more"))


def test_the_tree_is_drawn_in_the_module_docstring() -> None:
    assert errors.__doc__ is not None
    for name in errors.__all__:
        assert name in errors.__doc__
