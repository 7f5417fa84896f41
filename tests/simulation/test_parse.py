import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from hostbill_core.calendar import ANNUALLY, MONTHLY, BillingCycle
from hostbill_core.model import AccountType, PaymentType, ProductType
from hostbill_core.money import to_money
from hostbill_core.pricing import CurrencyChangeMode
from hostbill_core.renewal import ExpiryAction
from hostbill_core.simulation.parse import load_scenario, parse_scenario
from hostbill_core.simulation.reader import ScenarioError
from hostbill_core.simulation.scenario import (
    CancelService,
    ChangeCurrency,
    ChangePlan,
    ManualCredit,
    ManualPayment,
    PayerProfile,
    PlaceOrder,
    ReviewDecision,
    ReviewOrder,
)

from .builders import ANN_VPS, event, order_event, plan

BASE = """\
[scenario]
name = "Tiny"
start = 2026-01-01
until = 2026-03-31
seed = 3

[[products]]
id = "web"
type = "hosting"

[[products]]
id = "vps"
type = "vps"

[[plans]]
id = "web-1"
product = "web"
prices.USD = { monthly = "5.00", annually = "50" }
prices.EUR = { monthly = "4.50" }

[[plans]]
id = "web-2"
product = "web"
prices.USD = { monthly = "9.00" }
prices.EUR = { monthly = "8.00" }

[[plans]]
id = "vps-1"
product = "vps"
prices.USD = { monthly = "20.00" }
setup = { USD = "10.00" }

[[rates]]
on = 2026-01-01
base = "USD"
quote = "EUR"
rate = "0.92"

[payers]
late = { days_late = [3, 9] }

[[clients]]
id = "ann"
name = "Ann"
email = "ann@example.com"
currency = "USD"
since = 2025-06-01
payer = "late"

[[clients.services]]
id = "ann-web"
plan = "web-1"
cycle = "monthly"
anchor = 2025-06-15
"""


def test_worked_example_catalogue_clients_and_payers() -> None:
    s = parse_scenario(BASE, "tiny.toml")
    assert (s.name, s.start, s.until, s.seed, s.source) == (
        "Tiny",
        date(2026, 1, 1),
        date(2026, 3, 31),
        3,
        "tiny.toml",
    )
    assert [(p.id, p.type) for p in s.products] == [
        ("web", ProductType.HOSTING),
        ("vps", ProductType.VPS),
    ]
    web = s.plans[0]
    assert web.payment_type is PaymentType.RECURRING
    assert web.entry(MONTHLY, "USD").price == to_money("5.00", "USD")  # type: ignore[union-attr]
    assert web.entry(ANNUALLY, "USD").price == to_money("50", "USD")  # type: ignore[union-attr]
    assert web.entry(MONTHLY, "EUR").setup_fee == to_money("0", "EUR")  # type: ignore[union-attr]
    assert s.plans[2].entry(MONTHLY, "USD").setup_fee == to_money("10.00", "USD")  # type: ignore[union-attr]
    assert s.rates[0].rate == Decimal("0.92")
    assert s.payers["late"] == PayerProfile("late", (3, 9))
    assert set(s.payers) == {"on-time", "never", "late"}
    (ann,) = s.clients
    assert (ann.currency, ann.payer, ann.account_type) == ("USD", "late", AccountType.PRIVATE)
    assert ann.services[0].cycle == MONTHLY
    assert ann.services[0].anchor == date(2025, 6, 15)
    assert s.events == ()
    assert s.generator is None


def test_defaults_until_one_year_and_name_from_file() -> None:
    s = parse_scenario("[scenario]\nstart = 2026-02-01\n", "dir/my-shop.toml")
    assert (s.name, s.until, s.seed) == ("my-shop", date(2027, 1, 31), 0)
    assert s.settings.billing.renewal.invoice_lead_days == 14
    assert s.settings.billing.series == "INV"


EVENTS = "".join(
    (
        event("2026-02-01", "upgrade", service="o1-1", plan="vps-1"),
        order_event("2026-01-10", "o1", "ann", ANN_VPS),
        event("2026-01-11", "review", order="o1", decision="reject"),
        event("2026-01-20", "downgrade", service="ann-web", plan="web-1", cycle="annually"),
        event("2026-02-02", "cancel", service="o1-1", when="immediately"),
        event("2026-02-03", "credit", client="ann", amount="-2.50", note="correction"),
        event("2026-02-04", "payment", client="ann", amount=12),
        event("2026-02-05", "currency", client="ann", currency="EUR", mode="code_only"),
    )
)


def test_events_sorted_by_date_file_order_within_a_day() -> None:
    s = parse_scenario(BASE + EVENTS)
    kinds = [type(e) for e in s.events]
    assert kinds == [
        PlaceOrder,
        ReviewOrder,
        ChangePlan,
        ChangePlan,
        CancelService,
        ManualCredit,
        ManualPayment,
        ChangeCurrency,
    ]
    order, review, down, up, cancel, credit, payment, currency = s.events
    assert order.id == "o1"
    assert order.service_id(0) == "o1-1"  # type: ignore[union-attr]
    assert order.items[0].name == "vps.ann.example"  # type: ignore[union-attr]
    assert review.decision is ReviewDecision.REJECT  # type: ignore[union-attr]
    assert (down.upgrade, down.cycle, down.immediately) == (False, ANNUALLY, False)  # type: ignore[union-attr]
    assert (up.id, up.upgrade, up.cycle, up.immediately) == ("event-1", True, None, True)  # type: ignore[union-attr]
    assert cancel.immediately  # type: ignore[union-attr]
    assert credit.amount == to_money("-2.50", "USD")  # type: ignore[union-attr]
    assert payment.amount == to_money("12", "USD")  # type: ignore[union-attr]
    assert currency.mode is CurrencyChangeMode.CODE_ONLY  # type: ignore[union-attr]


SETTINGS = """
[settings]
invoice_lead_days = 10
lead_days = { domain = 30 }
continue_invoicing_when_unpaid = true
reminder_days = [3, 10]
invoice_series = "SIM"

[[settings.expiry]]
day = 5
actions = ["disable"]

[[settings.expiry]]
day = 20
actions = ["cancel", "send_template"]
templates = ["bye"]
product_types = ["hosting"]

[fraud]
thresholds = { review = 20, reject = 90 }
"""


def test_settings_sequence_and_fraud() -> None:
    scenario_settings = parse_scenario(BASE + SETTINGS).settings
    settings = scenario_settings.billing
    assert settings.renewal.invoice_lead_days == 10
    assert settings.renewal.lead_days(ProductType.DOMAIN) == 30
    assert settings.renewal.continue_invoicing_when_unpaid
    assert settings.sequence.reminder_days == (10, 3)
    assert [(s.day, s.actions) for s in settings.sequence.steps] == [
        (5, (ExpiryAction.DISABLE,)),
        (20, (ExpiryAction.CANCEL, ExpiryAction.SEND_TEMPLATE)),
    ]
    assert settings.sequence.steps[1].product_types == frozenset({ProductType.HOSTING})
    thresholds = scenario_settings.fraud.thresholds
    assert (thresholds.review, thresholds.reject) == (20, 90)
    assert settings.series == "SIM"


GENERATOR = """
[generator]
clients = 12
since = [2025-01-01, 2025-12-31]
currencies = { USD = 2, EUR = 1 }
payers = { on-time = 3, late = 1 }
prefix = "g"

[[generator.services]]
plan = "web-1"
share = "0.5"
cycles = { monthly = 1 }
"""


def test_generator_section() -> None:
    spec = parse_scenario(BASE + GENERATOR).generator
    assert spec is not None
    assert (spec.clients, spec.prefix) == (12, "g")
    assert spec.currencies == (("USD", 2), ("EUR", 1))
    assert spec.services[0].share == Decimal("0.5")
    assert spec.services[0].cycles == ((MONTHLY, 1),)


def test_events_may_name_generated_clients() -> None:
    extra = '[[events]]\non = 2026-01-05\ntype = "credit"\nclient = "g-0003"\namount = "1"\n'
    (event,) = parse_scenario(BASE + GENERATOR + extra).events
    assert event.client == "g-0003"  # type: ignore[union-attr]


SETUP_HELP = plan("setup-help", "web", payment="one_time", prices={"USD": "30"})


def test_one_time_plan_and_iso_cycles() -> None:
    weekly = plan("weekly", "web", prices={"USD": {"P2W": "3.00"}})
    s = parse_scenario(BASE + SETUP_HELP + weekly)
    assert s.plans[3].prices[0].cycle is None
    assert s.plans[4].prices[0].cycle == BillingCycle.weeks(2)


CASES = tomllib.loads((Path(__file__).parent / "scenario_errors.toml").read_text("utf-8"))["case"]


def _apply(case: dict[str, str]) -> str:
    if "event" in case:
        return f"{BASE}\n[[events]]\n{case['event']}"
    if "append" in case:
        return BASE + case["append"]
    assert case["replace"] in BASE, case["replace"]
    return BASE.replace(case["replace"], case["with"], 1)


def _expected_line(text: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.endswith("# <-"))


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_error_names_table_key_and_line(case: dict[str, str]) -> None:
    text = _apply(case)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "shop.toml")
    error = caught.value
    assert (error.line, error.table, error.key) == (
        _expected_line(text),
        case["table"],
        case["key"],
    )
    assert case["reason"] in str(error)
    assert str(error).startswith(f"shop.toml, line {error.line}: [{case['table']}]")
    assert "\n" not in str(error)
    assert isinstance(error, ValueError)


def test_cancelled_service_cannot_change_later() -> None:
    cancel = 'on = 2026-01-02\ntype = "cancel"\nservice = "ann-web"\n'
    upgrade = 'on = 2026-01-03\ntype = "upgrade"\nservice = "ann-web" # <-\nplan = "web-2"\n'
    text = f"{BASE}\n[[events]]\n{cancel}\n[[events]]\n{upgrade}"
    with pytest.raises(ScenarioError, match="cancelled by an earlier event") as caught:
        parse_scenario(text)
    assert caught.value.line == _expected_line(text)


def test_duplicate_event_and_client_ids() -> None:
    credit = 'on = 2026-01-02\ntype = "credit"\nclient = "ann"\namount = "1"\n'
    text = f'{BASE}\n[[events]]\nid = "x"\n{credit}\n[[events]]\nid = "x" # <-\n{credit}'
    with pytest.raises(ScenarioError, match="event id appears once") as caught:
        parse_scenario(text)
    assert caught.value.line == _expected_line(text)
    client = 'name = "G"\nemail = "g@example.com"\ncurrency = "USD"\nsince = 2025-01-01\n'
    clash = f'{BASE}{GENERATOR}\n[[clients]]\nid = "g-0001" # <-\n{client}'
    with pytest.raises(ScenarioError, match="generated ids included") as caught:
        parse_scenario(clash)
    assert caught.value.line == _expected_line(clash)


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        (
            "since = [2025-01-01, 2025-12-31]",
            "since = [2025-01-01, 2026-02-01]",
            "since",
            "on or before",
        ),
        (
            "payers = { on-time = 3, late = 1 }",
            "payers = { on-time = 3, slow = 1 }",
            "slow",
            "no payer",
        ),
        (
            "cycles = { monthly = 1 }",
            "cycles = { annually = 1 }",
            "annually",
            "no annually price in EUR",
        ),
        ("currencies = { USD = 2, EUR = 1 }", "currencies = {}", "currencies", "at least one"),
        ("clients = 12", "clients = 0", "clients", "1 or more"),
    ],
)
def test_generator_errors(old: str, new: str, key: str, reason: str) -> None:
    text = BASE + GENERATOR.replace(old, new + " # <-")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text)
    assert caught.value.key == key
    assert caught.value.line == _expected_line(text)
    assert reason in str(caught.value)


def test_load_scenario_reads_a_file_and_names_it(tmp_path: Path) -> None:
    path = tmp_path / "shop.toml"
    path.write_text(BASE, encoding="utf-8")
    assert load_scenario(path).source == str(path)
    path.write_text(BASE.replace("seed = 3", "seed = -1"), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"shop.toml, line 5: \[scenario\] seed = -1"):
        load_scenario(path)


def test_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "nope.toml")


def test_orders_of_one_time_and_free_plans() -> None:
    starter = plan("starter", "web", payment="free")
    order_them = order_event(
        "2026-01-02",
        "o1",
        "ann",
        {"plan": "setup-help"},
        {"plan": "starter"},
        {"plan": "starter", "cycle": "monthly"},
    )
    (order,) = parse_scenario(BASE + SETUP_HELP + starter + order_them).events
    assert [(i.plan_id, i.cycle) for i in order.items] == [  # type: ignore[union-attr]
        ("setup-help", None),
        ("starter", None),
        ("starter", MONTHLY),
    ]
