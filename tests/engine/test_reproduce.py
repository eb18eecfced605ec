"""`python -m engine reproduce`: one JSON line per experiment and variant, a progress bar on stderr.

The plumbing is tested with a small experiment of the test's own (so it does not
depend on how long the tutorials' experiments take); the real experiments' numbers
are tested in test_t000.py ... test_t003.py, and here through the command line for
the deterministic ones.
"""

import io
import json
import math
from pathlib import Path

import numpy as np
import pytest

import engine.__main__ as cli
from engine import tutorials
from engine.tutorials.experiment import Experiment, registry, result


def coin_flips(starts, progress):
    """A random 'experiment': the share of heads in 100 flips, one per start (seed = start)."""
    shares = []
    for start in range(starts):
        shares.append(float(np.random.default_rng(start).integers(0, 2, 100).mean()))
        if progress:
            progress((start + 1) / starts)
    return [result("as-printed", 0.5, shares, flips=100),
            result("exact", {"share": 0.5}, {"share": shares}, flips=100)]


@pytest.fixture
def fake_registry(monkeypatch):
    table = registry(Experiment("t999-coins", "999", "Coin flips", coin_flips, random=True))
    monkeypatch.setattr(tutorials, "EXPERIMENTS", table)
    return table


def test_one_json_line_per_variant_with_the_contracts_keys(fake_registry, capsys):
    assert cli.main(["reproduce", "t999-coins", "--starts", "3"]) == cli.OK
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert [line["variant"] for line in lines] == ["as-printed", "exact"]
    expected = [float(np.random.default_rng(k).integers(0, 2, 100).mean()) for k in range(3)]
    first, second = lines
    assert set(first) == {"experiment", "variant", "tutorial", "ours", "settings", "seconds"}
    assert first["experiment"] == "t999-coins" and first["tutorial"] == 0.5
    assert first["ours"] == expected and second["ours"] == {"share": expected}
    assert first["settings"] == {"flips": 100} and first["seconds"] >= 0
    # the progress bar is on stderr, ending full
    assert "t999-coins" in captured.err and "100%" in captured.err.splitlines()[-1]


def test_no_names_runs_every_experiment(fake_registry, capsys):
    assert cli.main(["reproduce", "--starts", "1"]) == cli.OK
    assert len(capsys.readouterr().out.splitlines()) == 2


@pytest.mark.parametrize("argv, message", [
    (["reproduce", "t999-nope"], "unknown experiment 't999-nope'; known: t999-coins"),
    (["reproduce", "--starts", "0"], "--starts"),
    (["reproduce", "--starts", str(cli.MAX_STARTS + 1)], "--starts"),
])
def test_bad_arguments_are_one_line_and_exit_2(fake_registry, capsys, argv, message):
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    assert exit_.value.code == cli.ERROR
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_numpy_values_become_plain_json():
    value = {"a": np.float32(0.5), "b": np.arange(3), "c": (np.int64(2), np.nan), 1: np.bool_(1)}
    assert cli.plain(value) == {"a": 0.5, "b": [0, 1, 2], "c": [2, None], "1": True}
    json.dumps(cli.plain(value), allow_nan=False)


def test_progress_bar_draws_at_most_every_interval_and_ends_full():
    stream = io.StringIO()
    bar = cli.ProgressBar("x", stream=stream, every=math.inf)
    bar(0.0)
    bar(0.5)  # within the interval: not drawn
    bar.close()
    frames = stream.getvalue().split("\r")[1:]
    assert len(frames) == 2 and "0%" in frames[0] and frames[1].endswith("100%\n")


def test_every_registered_experiment_is_named_after_its_tutorial():
    assert tutorials.EXPERIMENTS, "no experiments registered"
    for name, experiment in tutorials.EXPERIMENTS.items():
        assert name == experiment.name and name.startswith(f"t{experiment.tutorial}-")
        assert experiment.title and callable(experiment.run)


def test_markdown_prints_the_readme_table(fake_registry, capsys):
    assert cli.main(["reproduce", "--starts", "2", "--markdown"]) == cli.OK
    shares = [float(np.random.default_rng(k).integers(0, 2, 100).mean()) for k in range(2)]
    low, high = sorted(shares)
    rows = capsys.readouterr().out.strip().splitlines()
    assert rows[0] == "| experiment | variant | tutorial printed | ours |"
    assert rows[2] == f"| `t999-coins` | as-printed | 0.5 | {low:.4g}–{high:.4g} (2 starts) |"
    assert rows[3] == (f"| `t999-coins` | exact | share: 0.5 | share: {low:.4g}–{high:.4g} "
                       "(2 starts) |")


def test_table_cells():
    # per start of a per-epoch list: each epoch's spread; deterministic lists as they are
    assert cli._cell([1.0, 2.0], [[1.0, 2.5], [1.5, 2.0]], True) == ("[1, 2]", "[1–1.5, 2–2.5]")
    assert cli._cell([7.20642565, -3.2], [7.20642565, -3.2], False) == ("[7.20643, -3.2]",
                                                                        "[7.20643, -3.2]")
    assert cli._cell(list(range(11)), None, False) == ("11 values", "–")
    assert cli._cell(None, 0.25, False) == ("–", "0.25")
    # one side an object, the other a sentence (t002-eight-points: the tutorial printed a chart)
    assert cli._cell("a chart", {"last": [1.0, 2.0]}, True) == ("a chart", "last: 1–2")


# ---------------------------------------------------------------------------
# README's table is what `reproduce --markdown` prints
# ---------------------------------------------------------------------------
README = Path(__file__).resolve().parents[2] / "README.md"
QUICK = ["t000-shapes", "t002-dot-products", "t002-neuron", "t003-or-neuron"]  # deterministic


def readme_rows():
    return [line for line in README.read_text().splitlines() if line.startswith("| `t0")]


def test_readme_has_a_row_for_every_experiment_and_variant():
    named = [row.split("`")[1] for row in readme_rows()]
    assert sorted(set(named)) == sorted(tutorials.EXPERIMENTS)


def test_readme_rows_of_the_deterministic_experiments_are_todays(capsys):
    assert cli.main(["reproduce", *QUICK, "--markdown"]) == cli.OK
    rows = capsys.readouterr().out.strip().splitlines()[2:]
    readme = readme_rows()
    assert rows and all(row in readme for row in rows), [r for r in rows if r not in readme]


def test_readme_rows_of_random_experiments_quote_the_tutorial_as_the_experiment_does(capsys):
    # what the tutorial printed is fixed: a 1-start run gives each row's first three cells
    assert cli.main(["reproduce", "t001-blobs", "t002-eight-points", "--starts", "1",
                     "--markdown"]) == cli.OK
    for row in capsys.readouterr().out.strip().splitlines()[2:]:
        prefix = row.rsplit(" | ", 1)[0] + " | "
        assert any(r.startswith(prefix) for r in readme_rows()), prefix
