from hostbill_core.fraud import assess
from hostbill_core.fraud.synthetic import (
    example_context,
    synthetic_cases,
    synthetic_labelled_orders,
)


def test_the_same_seed_gives_the_same_orders():
    assert synthetic_cases(300, seed=3) == synthetic_cases(300, seed=3)
    assert synthetic_cases(300, seed=3) != synthetic_cases(300, seed=4)


def test_cases_are_in_time_order_and_about_the_asked_share_is_fraud():
    cases = synthetic_cases(2000, seed=1, fraud_percent=10)
    instants = [c.request.order.placed_at for c in cases]
    assert instants == sorted(instants)
    frauds = sum(c.is_fraud for c in cases)
    assert 150 <= frauds <= 250  # 10 % of 2000 = 200, drawn at random


def test_labelled_orders_see_only_earlier_orders():
    labelled = synthetic_labelled_orders(200, seed=2)
    for item in labelled:
        placed = item.context.order.placed_at
        assert all(p.placed_at < placed for p in item.context.earlier.distinct())


def test_fraud_scores_higher_on_average():
    labelled = synthetic_labelled_orders(400, seed=5)
    fraud = [assess(x.context).score for x in labelled if x.is_fraud]
    genuine = [assess(x.context).score for x in labelled if not x.is_fraud]
    # mean(fraud) > 2 × mean(genuine), in integers
    assert sum(fraud) * len(genuine) > 2 * sum(genuine) * len(fraud)


def test_the_example_context_is_a_first_vps_order_from_a_throwaway_address():
    context = example_context()
    assert context.client.details.email == "ann@mailinator.com"
    assert assess(context).score == 40
