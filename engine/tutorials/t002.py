"""Tutorial 002: dot products, one sigmoid neuron by hand, then eight points (see __init__.py).

What the tutorial did, in order:

1. Dot products. input_vector = [1.72, 1.23] with weights_1 = [1.26, 0] gives
   2.1672 and with weights_2 = [2.17, 0.32] "4.1259" (exactly 3.7324 + 0.3936
   = 4.126; in float64 4.1259999999999994, which Python prints in full: the
   tutorial's 4.1259 is that print cut after four decimals); "4.1259 is greater
   than 2.1672, so input_vector is more similar to weights_2". The dot product
   also grows with the vectors' lengths (|a||b| cos angle), so the fair measure
   of direction is the cosine similarity, `cosine_similarity` below. Here it
   agrees (0.890 for weights_2 against 0.813 for weights_1), but ten times
   weights_1 = [12.6, 0] has the dot product 21.672, "more similar" by the
   tutorial's rule, in the very same direction (cosine still 0.813).
2. One neuron, prediction = sigmoid(input . weights + bias), with weights
   [1.45, -0.66] and bias 0: 0.7985731 for [1.66, 1.56] (target 1) and
   0.87101915 for [2, 1.5] (target 0); squared error (prediction - target)^2 =
   0.7586743596667225 as printed (the square of the rounded 0.87101915; the
   unrounded prediction squares to 0.75867435593) and the derivative
   dE/dprediction = 2 (prediction - target) = 1.7420383.
3. One update, `weights_1 = weights_1 - derivative`, after which [2, 1.5]
   gives 0.01496248 with error 0.00022388.

Where its code differs from its maths (step 3): it subtracts dE/dprediction,
one number, from both weights. There is no learning rate, no sigmoid slope
p (1 - p) and no input x in it, so it is not a gradient step. The exact
gradient is dE/dw = 2 (p - t) p (1 - p) x; a step of it with learning rate 1
(the size of the tutorial's step) moves the weights by (0.391, 0.294) and
gives 0.66526, error 0.44257: less dramatic, because the tutorial's "step"
is 1.742 off each weight, 5 times longer than the gradient and in another
direction; but the exact step keeps [1.66, 1.56] right (0.567 for target 1),
which the printed step turns wrong (0.0143).
The bias is left alone in both, as in the tutorial.

4. Eight points. Its NeuralNetwork class then computes the exact gradient
   (derror_dprediction * sigmoid_deriv(layer_1) * input) and trains with
   lr 0.1 for 10,000 iterations, each on ONE instance drawn with
   np.random.randint (with replacement: some points are drawn more often than
   others), starting from weights and bias drawn with np.random.randn, and
   every 100 iterations sums the squared error over all 8 points. It printed
   only a chart of those 100 sums (and one prediction, 0.79412963, from
   random weights that cannot be reproduced). That step is exactly the
   engine's SigmoidNeuron update with the mean squared error on one point,
   so `train_eight_points` uses it; the loop around it is the tutorial's.

Experiments: t002-dot-products, t002-neuron (variants "as-printed" and
"exact"), t002-eight-points (random: the first and last summed error of each
start).
"""

import math

import numpy as np

from ..losses import get as get_loss
from ..units import SigmoidNeuron, total_squared_error
from .experiment import Experiment, registry, result

# --- 1. Dot products ---------------------------------------------------------
INPUT_VECTOR = (1.72, 1.23)
WEIGHTS_1 = (1.26, 0.0)
WEIGHTS_2 = (2.17, 0.32)
PRINTED_DOT_PRODUCTS = {"dot_product_1": 2.1672, "dot_product_2": 4.1259}

# --- 2.-3. One neuron ----------------------------------------------------------
NEURON_WEIGHTS = (1.45, -0.66)
NEURON_BIAS = 0.0
NEURON_INPUT_1, NEURON_TARGET_1 = (1.66, 1.56), 1.0
NEURON_INPUT_2, NEURON_TARGET_2 = (2.0, 1.5), 0.0  # the point the update is made on
PRINTED_NEURON = {
    "prediction_1": 0.7985731,  # [1.66, 1.56] with the starting weights
    "prediction_2": 0.87101915,  # [2, 1.5]
    "mse": 0.7586743596667225,  # (prediction_2 - 0)^2
    "derivative": 1.7420383,  # 2 (prediction_2 - 0)
    "after_update": 0.01496248,  # [2, 1.5] after weights - derivative
    "error_after": 0.00022388,
}
RULES = ("as-printed", "exact")

MSE = get_loss("mse")  # on one point: (p - t)^2, and dE/dp = 2 (p - t)

# --- 4. Eight points -------------------------------------------------------------
EIGHT_INPUTS = ((3, 1.5), (2, 1), (4, 1.5), (3, 4), (3.5, 0.5), (2, 0.5), (5.5, 1), (1, 1))
EIGHT_TARGETS = (0, 1, 0, 1, 0, 1, 1, 0)
EIGHT_LEARNING_RATE = 0.1
EIGHT_ITERATIONS = 10_000
EIGHT_EVERY = 100  # the summed error is recorded every 100 iterations


def _vector(name, values, size=2):
    vector = np.array(values, dtype=np.float64)
    if vector.shape != (size,) or not np.all(np.isfinite(vector)):
        raise ValueError(f"{name} must be {size} finite numbers; got {values!r}")
    return vector


def _finite(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    return float(value)


def dot_products(input_vector=INPUT_VECTOR, weights_1=WEIGHTS_1, weights_2=WEIGHTS_2):
    """{"dot_product_1": input . weights_1, "dot_product_2": input . weights_2}, as np.dot gives.

    >>> dot_products()   # the tutorial's vectors
    {'dot_product_1': 2.1672, 'dot_product_2': 4.1259999999999994}   (4.126; printed "4.1259")
    """
    x = _vector("input_vector", input_vector)
    return {"dot_product_1": float(np.dot(x, _vector("weights_1", weights_1))),
            "dot_product_2": float(np.dot(x, _vector("weights_2", weights_2)))}


def cosine_similarity(a, b):
    """a . b / (|a| |b|): the cosine of the angle between a and b, in [-1, 1].

    The dot product is |a| |b| cos(angle): it grows with the lengths, so a long
    vector in a worse direction can beat a short one in the same direction.
    The cosine compares directions only. None if either vector is zero (no
    direction). Computed on the vectors scaled by their largest entry, so
    huge entries do not overflow.
    """
    a, b = _vector("a", a), _vector("b", b)
    scale_a, scale_b = np.max(np.abs(a)), np.max(np.abs(b))
    if scale_a == 0.0 or scale_b == 0.0:
        return None
    a, b = a / scale_a, b / scale_b
    cosine = float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))
    return min(1.0, max(-1.0, cosine))


def neuron(weights=NEURON_WEIGHTS, bias=NEURON_BIAS):
    """The engine's SigmoidNeuron with these weights and bias (prediction = sigmoid(x . w + b))."""
    unit = SigmoidNeuron(n_inputs=2, lr=1.0, loss="mse", init="zeros")
    unit.w = _vector("weights", weights)
    unit.b = _finite("bias", bias)
    return unit


def worked_neuron(weights=NEURON_WEIGHTS, bias=NEURON_BIAS, rule="as-printed", learning_rate=1.0,
                  input_1=NEURON_INPUT_1, input_2=NEURON_INPUT_2, target=NEURON_TARGET_2):
    """The tutorial's steps 2-3 for any weights: predictions, error, derivative, one update.

    rule "as-printed": weights - derivative (the tutorial's line; learning_rate is
    not used, as the tutorial has none); "exact": weights - learning_rate * dE/dw
    with dE/dw = 2 (p - t) p (1 - p) x (the engine's SigmoidNeuron gradient for
    the squared error of one point). The bias is not changed by either.

    Returns a dict with PRINTED_NEURON's keys (prediction_1, prediction_2, mse,
    derivative, after_update, error_after) and also:
        gradient          dE/dw at the starting weights (the exact rule's direction)
        step              what was subtracted from the weights (2 numbers)
        weights_after     the weights after the update
        prediction_1_after  input_1's prediction with weights_after
    """
    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(map(repr, RULES))}; got {rule!r}")
    x1, x2 = _vector("input_1", input_1), _vector("input_2", input_2)
    target = _finite("target", target)
    unit = neuron(weights, bias)
    prediction_1 = float(unit.output(x1))
    prediction_2 = float(unit.output(x2))
    p, t = np.array([prediction_2]), np.array([target])
    mse = MSE.fn(p, t)  # (p - t)^2
    derivative = float(MSE.grad(p, t)[0])  # dE/dp = 2 (p - t)
    gradient, _ = unit.gradients(x2, target)  # dE/dw = 2 (p - t) p (1 - p) x
    if rule == "as-printed":
        step = np.array([derivative, derivative])  # weights_1 - derivative: the same number off each
    else:
        step = _finite("learning_rate", learning_rate) * gradient
    weights_after = unit.w - step
    after = neuron(weights_after, unit.b)
    after_update = float(after.output(x2))
    return {
        "prediction_1": prediction_1,
        "prediction_2": prediction_2,
        "mse": mse,
        "derivative": derivative,
        "after_update": after_update,
        "error_after": MSE.fn(np.array([after_update]), t),
        "gradient": gradient.tolist(),
        "step": step.tolist(),
        "weights_after": weights_after.tolist(),
        "prediction_1_after": float(after.output(x1)),
    }


def train_eight_points(rng, input_vectors=EIGHT_INPUTS, targets=EIGHT_TARGETS,
                       learning_rate=EIGHT_LEARNING_RATE, iterations=EIGHT_ITERATIONS):
    """The tutorial's NeuralNetwork.train, as printed, with `rng` (a np.random.Generator).

    Returns the list of summed squared errors over all points, one every 100
    iterations (taken after that iteration's update, as the tutorial does):
    iterations // 100 numbers (100 for 10,000 iterations).
    """
    input_vectors = np.array(input_vectors, dtype=np.float64)
    targets = np.array(targets, dtype=np.float64)
    network = SigmoidNeuron(n_inputs=2, lr=learning_rate, loss="mse", init="zeros")
    network.w = np.array([rng.standard_normal(), rng.standard_normal()])  # np.random.randn() twice
    network.b = rng.standard_normal()
    cumulative_errors = []
    for current_iteration in range(iterations):
        # Pick a data instance at random (with replacement: np.random.randint)
        random_data_index = rng.integers(len(input_vectors))
        input_vector = input_vectors[random_data_index]
        target = targets[random_data_index]
        # Compute the gradients and update the weights: 2 (p - t) p (1 - p) x, as _compute_gradients
        network.update(input_vector, target)
        # Measure the cumulative error for all the instances
        if current_iteration % EIGHT_EVERY == 0:
            cumulative_errors.append(total_squared_error(network, input_vectors, targets))
    return cumulative_errors


# --- The experiments ---------------------------------------------------------------


def _run_dot_products(starts=None, progress=None):
    ours = dot_products()
    if progress:
        progress(1.0)
    return [result(None, dict(PRINTED_DOT_PRODUCTS), ours, input_vector=list(INPUT_VECTOR),
                   weights_1=list(WEIGHTS_1), weights_2=list(WEIGHTS_2))]


def _run_neuron(starts=None, progress=None):
    results = []
    for rule in RULES:
        worked = worked_neuron(rule=rule)
        ours = {key: worked[key] for key in PRINTED_NEURON}
        settings = {"weights": list(NEURON_WEIGHTS), "bias": NEURON_BIAS,
                    "input_1": list(NEURON_INPUT_1), "input_2": list(NEURON_INPUT_2),
                    "target": NEURON_TARGET_2}
        if rule == "as-printed":
            settings["update"] = "weights - 2 (p - t), the same number off both weights"
        else:
            settings["update"] = "weights - lr * 2 (p - t) p (1 - p) x"
            settings["learning_rate"] = 1.0
        results.append(result(rule, dict(PRINTED_NEURON), ours, **settings))
        if progress:
            progress(len(results) / len(RULES))
    return results


def _run_eight_points(starts=5, progress=None):
    starts = max(1, int(starts or 1))
    first, last = [], []
    for seed in range(starts):
        errors = train_eight_points(np.random.default_rng(seed))
        first.append(errors[0])
        last.append(errors[-1])
        if progress:
            progress((seed + 1) / starts)
    tutorial = ("a chart only: the error summed over the 8 points every 100 iterations, "
                "falling overall, then rising and falling from one point to the next")
    return [result(None, tutorial, {"first_error": first, "last_error": last},
                   learning_rate=EIGHT_LEARNING_RATE, iterations=EIGHT_ITERATIONS,
                   error_every=EIGHT_EVERY, sampling="one instance per iteration, with replacement",
                   seeds=list(range(starts)))]


EXPERIMENTS = registry(
    Experiment("t002-dot-products", "002", "Dot products of [1.72, 1.23] with two weight vectors",
               _run_dot_products),
    Experiment("t002-neuron", "002", "One sigmoid neuron: predictions, squared error, one update",
               _run_neuron),
    Experiment("t002-eight-points", "002",
               "Eight points: 10,000 single-instance updates (lr 0.1), summed error every 100",
               _run_eight_points, random=True),
)
