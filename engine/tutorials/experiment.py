"""What one reproducible experiment of a tutorial is, for `python -m engine reproduce`.

An experiment is a function `run(starts, progress)` that returns a list of
results, one per variant, each a dict:

    {"variant": "as-printed" | "exact" | None,
     "tutorial": what the tutorial printed (a number, a list, or a dict),
     "ours": what this engine computes (the same shape as "tutorial", or a
             list with one number per random start where the tutorial printed
             one figure from one random start),
     "settings": {...}}                     # the settings that were used

`starts` is how many random starting points to try (ignored by experiments
with no randomness); `progress`, if given, is called with a fraction 0..1 as
the work goes on. Nothing is printed: the caller decides.
"""

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Experiment:
    name: str  # e.g. "t002-neuron": the tutorial's number, then what it does
    tutorial: str  # "000", "001", "002" or "003"
    title: str  # one line, for a table: "One sigmoid neuron: prediction, error, one update"
    run: Callable  # run(starts, progress) -> list of result dicts (see above)
    random: bool = False  # True if the result depends on random starting weights or data


def result(variant, tutorial, ours, **settings):
    """One result dict, in the shape described above."""
    return {"variant": variant, "tutorial": tutorial, "ours": ours, "settings": settings}


def registry(*experiments):
    """{name: experiment}, refusing a name given twice."""
    table = {}
    for experiment in experiments:
        if experiment.name in table:
            raise ValueError(f"experiment {experiment.name!r} given twice")
        table[experiment.name] = experiment
    return table
