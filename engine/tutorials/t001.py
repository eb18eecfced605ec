"""Tutorial 001: activation functions, OR by hand, and one sigmoid unit on two blobs (Keras, Adam).

What the tutorial did:

1. Activation functions: step g(x) = 1 if x >= 0 else 0, ReLU max(0, x),
   sigmoid 1 / (1 + e^-x) (engine/activations.py has them all).
2. The OR function by hand: weights 1 and 1, bias -1, the step function:
   g(-1 + x1 + x2) is 0 for (0, 0) and 1 for the three other inputs. Its
   table has a typo in the last row: it writes g(-1 + 1 + 1) = g(-1) = 1,
   where -1 + 1 + 1 = 1 and g(1) = 1 (OR_ROWS below has the right sums).
3. Gradient descent, stochastic gradient descent and mini-batches, in words.
4. The perceptron on two blobs, with Keras:

       data = np.random.randn(200, 3)
       data[:100, :2] += (10, 10)          # the first 100 points move to (10, 10) ...
       data[:100, 2] = 0                   # ... and are class 0
       data[100:, 2] = 1                   # the other 100 stay at (0, 0): class 1
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25,
                                                           random_state=42)
       model = Sequential(); model.add(Dense(1, input_dim=2, activation='sigmoid'))
       model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
       model.fit(X_train, y_train, epochs=1000, batch_size=32, verbose=0)
       model.evaluate(X_test, y_test)      # "Which should give 1.000 (100%) accuracy."

How this module does the same with the engine (`blobs_experiment`):

- the points: engine.datasets.blobs(200, 10.0, 1.0, seed, shifted_class=0), the
  same layout and distribution as the tutorial's randn (whose data were not
  seeded, so no run can have its exact points);
- the split: scikit-learn's train_test_split(test_size=0.25, random_state=42)
  is ShuffleSplit's `np.random.RandomState(42).permutation(200)`, the first
  ceil(0.25 * 200) = 50 indices for testing and the next 150 for training, in
  that order (`sklearn_split`, which draws exactly that permutation);
- the unit: engine.units.SigmoidNeuron with binary cross-entropy, started as
  Keras starts a Dense layer (Glorot uniform weights, limit sqrt(6 / (2 + 1)),
  bias 0), trained by engine.optimizers.Adam with Keras's defaults (lr 0.001,
  beta1 0.9, beta2 0.999, epsilon 1e-7) on mini-batches of 32 of the 150
  training points, shuffled each epoch as Keras's fit does (5 updates an epoch,
  the last of 22 points), 1000 epochs: 5000 updates;
- the accuracy: the share of the 50 test points on the right side of the line
  (output >= 0.5).

Where it differs from Keras, by a hair: Keras adds its epsilon to sqrt(v)
after the bias correction is folded into the step size, the engine's Adam
(PyTorch's form) adds it to the bias-corrected sqrt(v); Keras clips the
probabilities by 1e-7 in the cross-entropy. Neither changes the accuracy here.

EXPERIMENTS: "t001-blobs", random (new points, a new start and new shuffles
for each start): tutorial 1.0, ours one test accuracy per start.
"""

import math

import numpy as np

from ..datasets import blobs
from ..optimizers import Adam
from ..units import SigmoidNeuron, UnitTrainer
from .experiment import Experiment, registry, result

PRINTED_ACCURACY = 1.0  # "Which should give 1.000 (100%) accuracy."

# The tutorial's settings, as printed (and Keras's defaults where it printed none).
N_POINTS = 200
SEPARATION = 10.0
NOISE = 1.0  # randn: standard deviation 1
SHIFTED_CLASS = 0  # data[:100, :2] += (10, 10); data[:100, 2] = 0
TEST_SIZE = 0.25
RANDOM_STATE = 42
LOSS = "bce"
LR = 0.001  # Keras's Adam defaults
BETAS = (0.9, 0.999)
EPS = 1e-7
EPOCHS = 1000
BATCH_SIZE = 32

# The OR table of step 2: (x1, x2, the sum -1 + x1 + x2, g(sum)). The tutorial prints the
# last sum as -1: a typo, -1 + 1 + 1 = 1 (and g(1) = 1, as it says).
OR_ROWS = ((0, 0, -1, 0), (1, 0, 0, 1), (0, 1, 0, 1), (1, 1, 1, 1))
OR_TYPO = "g(−1 + 1 + 1) = g(−1) = 1"  # as printed; the right sum is g(1) = 1


def sklearn_split(X, y, test_size=TEST_SIZE, random_state=RANDOM_STATE):
    """scikit-learn's train_test_split(X, y, test_size, random_state), without scikit-learn.

    Its ShuffleSplit draws `np.random.RandomState(random_state).permutation(n)` and holds
    out the first ceil(test_size * n) indices for testing; the rest, in that order, train.

    Returns (X_train, X_test, y_train, y_test), as scikit-learn orders them. Raises
    ValueError, as scikit-learn does, if a side would be left with no sample.
    """
    n = len(X)
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be a fraction between 0 and 1 (exclusive), "
                         f"got {test_size!r}")
    n_test = math.ceil(round(test_size * n, 9))  # round first: 0.3 * 300 is 90.00000000000001
    if not 0 < n_test < n:
        raise ValueError(f"test_size={test_size} of {n} samples leaves no training sample; "
                         f"use a smaller test_size or more samples")
    order = np.random.RandomState(random_state).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def tutorial_data(seed):
    """The tutorial's 200 points (engine.datasets.blobs, shifted class 0), split as it splits.

    Returns a dict of float64 arrays: X_train (150, 2), y_train, X_test (50, 2), y_test.
    """
    X, y = blobs(N_POINTS, SEPARATION, NOISE, seed, shifted_class=SHIFTED_CLASS)
    X_train, X_test, y_train, y_test = sklearn_split(X.astype(np.float64), y.astype(np.float64))
    return {"X_train": X_train, "y_train": y_train, "X_test": X_test, "y_test": y_test}


def keras_start(rng, n_inputs=2, n_outputs=1):
    """Keras's start for a Dense layer: Glorot uniform weights, zero bias -> (w, b)."""
    limit = math.sqrt(6.0 / (n_inputs + n_outputs))
    return rng.uniform(-limit, limit, size=n_inputs), 0.0


def train_blobs(seed, epochs=EPOCHS):
    """One start of the tutorial's experiment: (test accuracy, the trained unit, its data).

    seed: the points, the start and the shuffles of this start.
    """
    data = tutorial_data(seed)
    rng = np.random.default_rng(seed)
    unit = SigmoidNeuron(n_inputs=2, loss=LOSS, optimizer=Adam(lr=LR, betas=BETAS, eps=EPS))
    unit.w, unit.b = keras_start(rng)
    trainer = UnitTrainer(unit, data["X_train"], data["y_train"], batch_size=BATCH_SIZE,
                          order="shuffle", seed=rng)
    trainer.step(epochs * trainer.updates_per_epoch)
    wrong = unit.errors(data["X_test"], data["y_test"])
    return 1.0 - wrong / len(data["y_test"]), unit, data


def run(starts=5, progress=None):
    """The test accuracy of `starts` random starts (seeds 0 .. starts-1) beside the printed 1.000."""
    accuracies = []
    for seed in range(starts):
        accuracies.append(train_blobs(seed)[0])
        if progress is not None:
            progress((seed + 1) / starts)
    return [result(None, PRINTED_ACCURACY, accuracies, n_points=N_POINTS, separation=SEPARATION,
                   noise=NOISE, shifted_class=SHIFTED_CLASS, test_size=TEST_SIZE,
                   random_state=RANDOM_STATE, loss="binary_cross_entropy", optimizer="adam",
                   lr=LR, betas=list(BETAS), eps=EPS, epochs=EPOCHS, batch_size=BATCH_SIZE,
                   starts=starts)]


EXPERIMENTS = registry(Experiment(
    "t001-blobs", "001", "One sigmoid unit, Adam, on two blobs: test accuracy", run, random=True))
