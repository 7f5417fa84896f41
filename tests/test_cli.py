import io
from pathlib import Path

import pytest

from hostbill_core.cli import main


def run(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), out=out) == 0
    return out.getvalue()


def test_simulate_in_memory_prints_twelve_due_dates_per_service() -> None:
    text = run("simulate", "--db", ":memory:", "--as-of", "2026-02-01")
    assert "14 records added" in text
    block = text.split("acme-web")[1].split("\n\n")[0].splitlines()[1:]
    assert len(block) == 12
    assert block[0].split() == ["2026-02-28", "USD", "4.99"]
    assert block[1].split()[0] == "2026-03-31"


def test_simulate_twice_on_a_file_adds_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "shop.sqlite")
    first = run("simulate", "--db", db, "--as-of", "2026-02-01")
    second = run("simulate", "--db", db, "--as-of", "2026-02-01")
    assert "0 records added, 14 already there" in second
    assert first.split(":\n", 1)[1] == second.split(":\n", 1)[1]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == "hostbill-core 0.1.0"


def test_bad_timezone_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--db", ":memory:", "--timezone", "Mars/Olympus"]) == 2
    assert "unknown timezone" in capsys.readouterr().err
