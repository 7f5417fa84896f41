"""RenewalSequence: defaults, step checks and the refusals the issue names."""

import pytest

from hostbill_core.errors import ValidationError
from hostbill_core.model import ProductType
from hostbill_core.renewal import MAX_EXPIRY_DAY, ExpiryAction, ExpiryStep, RenewalSequence

A = ExpiryAction


def test_defaults_two_reminders_and_three_steps() -> None:
    seq = RenewalSequence()
    assert seq.reminder_days == (14, 7)
    assert not seq.invoice_with_reminder
    assert [(s.day, s.actions) for s in seq.steps] == [
        (0, (A.SEND_TEMPLATE,)),
        (7, (A.DISABLE, A.SEND_TEMPLATE)),
        (30, (A.CANCEL, A.SEND_TEMPLATE)),
    ]


def test_reminders_and_steps_are_kept_in_order() -> None:
    seq = RenewalSequence(
        reminder_days=[3, 10, 1],  # type: ignore[arg-type]
        steps=(ExpiryStep(20, (A.CANCEL,)), ExpiryStep(5, (A.DISABLE,))),
    )
    assert seq.reminder_days == (10, 3, 1)
    assert [s.step for s in seq.steps] == ["expiry-5", "expiry-20"]


def test_day_60_is_the_last_allowed() -> None:
    assert ExpiryStep(MAX_EXPIRY_DAY, (A.LOCKOUT,)).day == 60
    with pytest.raises(ValidationError) as info:
        ExpiryStep(61, (A.LOCKOUT,))
    assert (info.value.field, info.value.value) == ("day", 61)


def test_negative_day_is_refused() -> None:
    with pytest.raises(ValidationError):
        ExpiryStep(-1, (A.LOCKOUT,))


def test_duplicate_steps_for_the_same_type_are_refused() -> None:
    with pytest.raises(ValidationError) as info:
        RenewalSequence(steps=(ExpiryStep(7, (A.DISABLE,)), ExpiryStep(7, (A.LOCKOUT,))))
    assert "two steps on day 7" in info.value.reason


def test_same_day_for_an_overlapping_type_is_a_duplicate() -> None:
    # An untyped step applies to domains too.
    with pytest.raises(ValidationError) as info:
        RenewalSequence(
            steps=(
                ExpiryStep(7, (A.DISABLE,)),
                ExpiryStep(7, (A.LOCKOUT,), product_types=frozenset({ProductType.DOMAIN})),
            )
        )
    assert "domain" in info.value.reason


def test_same_day_for_disjoint_types_is_allowed() -> None:
    seq = RenewalSequence(
        steps=(
            ExpiryStep(7, (A.DISABLE,), product_types=frozenset({ProductType.HOSTING})),
            ExpiryStep(7, (A.LOCKOUT,), product_types=frozenset({ProductType.DOMAIN})),
        )
    )
    assert [s.day for s in seq.steps_for(ProductType.DOMAIN)] == [7]
    assert seq.steps_for(None) == ()


def test_cancel_before_disable_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        RenewalSequence(steps=(ExpiryStep(5, (A.CANCEL,)), ExpiryStep(9, (A.DISABLE,))))
    assert "cancel on day 5 comes before disable on day 9" in info.value.reason


def test_cancel_before_disable_on_another_type_is_allowed() -> None:
    seq = RenewalSequence(
        steps=(
            ExpiryStep(5, (A.CANCEL,), product_types=frozenset({ProductType.SSL})),
            ExpiryStep(9, (A.DISABLE,), product_types=frozenset({ProductType.VPS})),
        )
    )
    assert len(seq.steps) == 2


def test_cancel_and_disable_in_one_step_is_allowed() -> None:
    assert RenewalSequence(steps=(ExpiryStep(5, (A.DISABLE, A.CANCEL)),)).steps[0].day == 5


def test_step_without_actions_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        ExpiryStep(3, ())
    assert info.value.field == "actions"


def test_repeated_action_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        ExpiryStep(3, (A.LOCKOUT, A.LOCKOUT))
    assert info.value.field == "actions"


def test_send_template_needs_templates() -> None:
    with pytest.raises(ValidationError) as info:
        ExpiryStep(3, (A.SEND_TEMPLATE,))
    assert info.value.field == "templates"


def test_templates_need_send_template() -> None:
    with pytest.raises(ValidationError) as info:
        ExpiryStep(3, (A.LOCKOUT,), ("overdue",))
    assert info.value.field == "templates"


def test_product_types_must_be_product_types() -> None:
    with pytest.raises(ValidationError) as info:
        ExpiryStep(3, (A.LOCKOUT,), product_types=frozenset({"domain"}))  # type: ignore[arg-type]
    assert info.value.field == "product_types"


@pytest.mark.parametrize("days", [(0,), (367,), (7, 7), (True,), 7])
def test_bad_reminder_days_are_refused(days: object) -> None:
    with pytest.raises(ValidationError) as info:
        RenewalSequence(reminder_days=days)  # type: ignore[arg-type]
    assert info.value.field == "reminder_days"


def test_steps_must_be_expiry_steps() -> None:
    with pytest.raises(ValidationError) as info:
        RenewalSequence(steps=("day 7",))  # type: ignore[arg-type]
    assert info.value.field == "steps"
