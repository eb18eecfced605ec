"""The four tutorials of ../shared/tutorials, as their code printed them and by the exact rule.

The app was made from four tutorials. A learner often has one open beside the
app, so every worked example and experiment of them can be computed here,
number for number, and where a tutorial's code differs from its own maths
both are offered ("as-printed" and "exact") with the reason. Each module
says, at its top, what its tutorial did and where it differs:

    t000.py   MNIST from scratch (784-90-10 sigmoid, one image at a time), then Keras
    t001.py   activations, OR by hand, the perceptron on two blobs (Adam)
    t002.py   dot products, one sigmoid neuron's numbers, the 8-point training
    t003.py   the OR neuron (learning rate 0.05, its derivative applied twice)

EXPERIMENTS maps each experiment's name to an Experiment (experiment.py);
`python -m engine reproduce` runs them and prints one JSON line each.
"""

from . import t000, t001, t002, t003
from .experiment import Experiment, registry

EXPERIMENTS = registry(*(e for module in (t000, t001, t002, t003)
                         for e in module.EXPERIMENTS.values()))

__all__ = ["EXPERIMENTS", "Experiment"]
