import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hostbill_core.cli import main

SMALL = str(Path(__file__).parent / "simulation" / "small.toml")


def run(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), out=out) == 0
    return out.getvalue()


def fail(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv), out=io.StringIO()) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1  # one line
    return err


def test_simulate_prints_the_summary_table() -> None:
    text = run("simulate", SMALL, "--db", ":memory:")
    lines = text.splitlines()
    assert lines[0] == "Small, 2026-01-01 to 2026-03-31 (in memory): 23 records added."
    assert "2026-02  USD             10.00         5.00" in lines  # 5.00 of credit applied
    assert "USD             10.00        10.00" in lines  # run rate, outstanding
    assert "clients: 3; invoices issued: 7; services: 2 active, 1 cancelled" in lines


def test_simulate_twice_on_a_file_adds_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "shop.sqlite")
    first = run("simulate", SMALL, "--db", db)
    second = run("simulate", SMALL, "--db", db)
    assert "23 records added" in first
    assert "0 records added" in second
    assert first.splitlines()[1:] == second.splitlines()[1:]


def test_until_shortens_the_run() -> None:
    text = run("simulate", SMALL, "--db", ":memory:", "--until", "2026-01-31")
    assert text.startswith("Small, 2026-01-01 to 2026-01-31")
    assert "2026-02" not in text


def test_json_and_csv_outputs(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    run("simulate", SMALL, "--db", ":memory:", "--json", str(out), "--csv", str(tmp_path / "c"))
    data = json.loads(out.read_text("utf-8"))
    assert data["summary"]["invoices_issued"] == 7
    assert data["summary"]["run_rate"] == {"EUR": "9.00", "USD": "10.00"}
    first = data["timeline"][0]
    assert first == {
        "on": "2026-01-03",
        "kind": "invoice.issued",
        "client_id": "cleo",
        "subject": "INV-1",
        "amount": "9.00",
        "currency": "EUR",
        "detail": "1 line(s), due 2026-01-10",
    }
    with (tmp_path / "c" / "revenue.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[1] == {
        "month": "2026-01",
        "currency": "USD",
        "invoiced": "20.00",
        "collected": "10.00",
    }
    timeline = (tmp_path / "c" / "timeline.csv").read_text("utf-8").splitlines()
    assert len(timeline) == 1 + len(data["timeline"])
    summary = (tmp_path / "c" / "summary.csv").read_text("utf-8")
    assert "outstanding,USD,10.00" in summary


def test_json_to_stdout_replaces_the_table() -> None:
    data = json.loads(run("simulate", SMALL, "--db", ":memory:", "--json", "-"))
    assert data["name"] == "Small"
    assert data["added"] == 23


def test_default_scenario_is_the_bundled_example() -> None:
    text = run("simulate", "--db", ":memory:", "--until", "2026-01-31")
    assert text.startswith("Example shop, 2026-01-01 to 2026-01-31 (in memory):")


def test_explain_invoice_shows_each_line_and_totals(tmp_path: Path) -> None:
    db = str(tmp_path / "shop.sqlite")
    run("simulate", SMALL, "--db", db)
    text = run("explain", "invoice", "INV-5", "--db", db)
    lines = text.splitlines()
    assert lines[0].startswith("Invoice INV-5 (")
    assert lines[0].endswith(
        "client ann, USD, issued 2026-02-08, due 2026-02-15, paid on 2026-02-15"
    )
    assert "  1. " in lines[1]
    assert lines[1] == "  1. web (2026-02-15 – 2026-03-15)  10.00"
    assert lines[2].startswith(
        "     renewal, service ann-web, period [2026-02-15, 2026-03-15), key "
    )
    assert "price 10.00" in lines[3]  # the line's derivation
    assert "  credit applied         5.00" in lines
    assert "  paid                   5.00" in lines
    assert "  balance due            0.00" in lines


def test_calendar_of_a_service(tmp_path: Path) -> None:
    db = str(tmp_path / "shop.sqlite")
    run("simulate", SMALL, "--db", db)
    text = run("calendar", "ann-web", "--db", db, "--scenario", SMALL)
    lines = text.splitlines()
    assert lines[0] == ("Service ann-web: client ann, plan web-1, P1M, active, next due 2026-04-15")
    # small.toml: invoice 7 days ahead, a reminder 3 days ahead, the default expiry steps
    assert [line.split()[:2] for line in lines[1:]] == [
        ["2026-04-08", "invoice"],
        ["2026-04-12", "reminder-3"],
        ["2026-04-15", "due"],
        ["2026-04-15", "expiry-0"],
        ["2026-04-22", "expiry-7"],
        ["2026-05-15", "expiry-30"],
    ]
    short = run("calendar", "ann-web", "--db", db, "--scenario", SMALL, "--until", "2026-04-12")
    assert len(short.splitlines()) == 3


def test_bad_scenario_exits_2_with_table_key_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nstart = 2026-01-01\nseed = "x"\n', encoding="utf-8")
    err = fail(capsys, "simulate", str(bad), "--db", ":memory:")
    reason = "expected a whole number, 0 or more"
    assert err == f"hostbill-core: {bad}, line 3: [scenario] seed = 'x': {reason}\n"


def test_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "shop.sqlite")
    run("simulate", SMALL, "--db", db)
    assert "no invoice with key 'INV-99'" in fail(
        capsys, "explain", "invoice", "INV-99", "--db", db
    )
    assert "no service" in fail(capsys, "calendar", "nope", "--db", db)
    missing = str(tmp_path / "missing.sqlite")
    assert "no database with key" in fail(capsys, "explain", "invoice", "INV-1", "--db", missing)
    assert not Path(missing).exists()  # explain never creates a database
    assert "cannot read" in fail(capsys, "simulate", str(tmp_path / "none.toml"))
    assert "on or after the scenario's start" in fail(
        capsys, "simulate", SMALL, "--db", ":memory:", "--until", "2025-01-01"
    )
    not_db = tmp_path / "text.sqlite"
    not_db.write_text("hello, not a database" * 100, encoding="utf-8")
    assert "hostbill-core:" in fail(capsys, "simulate", SMALL, "--db", str(not_db))
    assert "hostbill-core:" in fail(
        capsys, "simulate", SMALL, "--db", ":memory:", "--json", str(tmp_path / "no" / "x.json")
    )


def test_bad_options_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--until", "tomorrow"]) == 2
    assert "invalid fromisoformat value" in capsys.readouterr().err
    assert main(["explain", "quote", "Q-1"]) == 2


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == "hostbill-core 0.1.0"


def _console(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    return subprocess.run(
        [sys.executable, "-m", "hostbill_core.cli", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_process_exit_codes_and_default_database(tmp_path: Path) -> None:
    done = _console("simulate", SMALL, "--until", "2026-01-10", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert (tmp_path / "hostbill.sqlite").is_file()  # the default database, in the directory run
    bad = _console("explain", "invoice", "INV-404", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr == "hostbill-core: no invoice with key 'INV-404'\n"
    assert _console("simulate", "--until", "soon", cwd=tmp_path).returncode == 2
    assert "[" not in done.stderr  # no progress bar when standard error is not a terminal
