"""What the app offers, in one place: its pages, and a label for every engine name.

The engine's registries (engine.activations.ACTIVATIONS, engine.losses.LOSSES,
engine.optimizers.OPTIMIZERS, engine.datasets.PLANE_DATASETS,
engine.features.FEATURES) say what exists; this module only says how each
name is shown to a learner, and which names fit which choice. Pages build
their choices from the functions below, never from their own lists, so a name
added to an engine registry reaches every page that offers that kind of
choice (tests/ui/test_catalog.py checks that each registered name has a label
here and is offered on every such page).

    >>> hidden_activations()[:3]
    ['sigmoid', 'tanh', 'relu']
    >>> label("optimizer", "momentum")
    'SGD + momentum 0.9'
"""

from dataclasses import dataclass

from engine import activations, datasets, features, losses, optimizers


# ----------------------------------------------------------------------------
# Pages: the learning path, in order. app.py, the home page and the tests read it.
# ----------------------------------------------------------------------------

@dataclass(frozen=True)
class PageInfo:
    file: str  # relative to the repo root
    title: str
    icon: str
    url_path: str  # "" for home; links and tests use these, so they stay stable
    summary: str = ""  # one sentence for the home page


PAGES = (
    PageInfo("app_pages/home.py", "Home", ":material/home:", ""),
    PageInfo("app_pages/activations.py", "Activation functions", ":material/show_chart:",
             "activations",
             "A neuron adds up its inputs, then squashes the sum. "
             "Meet the functions that do the squashing, and their slopes."),
    PageInfo("app_pages/perceptron.py", "One neuron & the perceptron", ":material/scatter_plot:",
             "perceptron",
             "One neuron draws one straight line. Train it on logic gates "
             "(AND, OR, XOR) and on clouds of points: where is one line not enough?"),
    PageInfo("app_pages/backprop.py", "Backpropagation, step by step",
             ":material/account_tree:", "backprop",
             "Follow every number of a tiny network through one forward pass, the loss, "
             "the backward pass and the update, and check a gradient by nudging a weight."),
    PageInfo("app_pages/from_scratch.py", "MNIST from scratch",
             ":material/calculate:", "from-scratch",
             "Build the tutorial's 784-90-10 network with NumPy alone, step by step, and "
             "check each of its printed results against ours."),
    PageInfo("app_pages/mnist.py", "Train on MNIST", ":material/model_training:", "mnist",
             "Stack neurons in layers and teach them to read handwritten digits. "
             "Watch the loss fall and the accuracy rise."),
    PageInfo("app_pages/draw.py", "Draw a digit", ":material/draw:", "draw",
             "Draw a number yourself and see what your trained network thinks it is."),
    PageInfo("app_pages/playground.py", "Network playground", ":material/hub:", "playground",
             "Build your own network and watch it learn."),
)
LEARNING_PATH = tuple(p for p in PAGES if p.url_path not in ("", "playground"))
FREE_PLAY = next(p for p in PAGES if p.url_path == "playground")


def page(url_path):
    """The PageInfo with this url path ("" is home)."""
    return next(p for p in PAGES if p.url_path == url_path)


# ----------------------------------------------------------------------------
# Labels of engine names
# ----------------------------------------------------------------------------

ACTIVATION_LABELS = {
    "step": "step",
    "linear": "linear (identity)",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "rrelu": "randomized ReLU",
    "elu": "ELU",
    "softplus": "softplus",
    "silu": "SiLU (swish)",
    "gelu": "GELU",
    "softmax": "softmax",
}

# f(x) and f'(x) in LaTeX, for each name in the engine's activation registry.
ACTIVATION_FORMULAS = {
    "step": (r"f(x) = \begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases}",
             r"f'(x) = 0 \quad (x \ne 0)"),
    "linear": (r"f(x) = x", r"f'(x) = 1"),
    "sigmoid": (r"\sigma(x) = \frac{1}{1 + e^{-x}}", r"\sigma'(x) = \sigma(x)\,(1 - \sigma(x))"),
    "tanh": (r"f(x) = \tanh x = \frac{e^x - e^{-x}}{e^x + e^{-x}}", r"f'(x) = 1 - \tanh^2 x"),
    "relu": (r"f(x) = \max(0, x)",
             r"f'(x) = \begin{cases} 1 & x > 0 \\ 0 & x < 0 \end{cases}"),
    "leaky_relu": (r"f(x) = \begin{cases} x & x \ge 0 \\ a\,x & x < 0 \end{cases}",
                   r"f'(x) = \begin{cases} 1 & x \ge 0 \\ a & x < 0 \end{cases}"),
    "rrelu": (r"f(x) = \begin{cases} x & x \ge 0 \\ a\,x & x < 0 \end{cases}",
              r"f'(x) = \begin{cases} 1 & x \ge 0 \\ a & x < 0 \end{cases}"),
    "elu": (r"f(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^x - 1) & x \le 0 \end{cases}",
            r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha\,e^x & x \le 0 \end{cases}"),
    "softplus": (r"f(x) = \ln(1 + e^x)", r"f'(x) = \sigma(x)"),
    "silu": (r"f(x) = x\,\sigma(x)", r"f'(x) = \sigma(x)\,\big(1 + x\,(1 - \sigma(x))\big)"),
    "gelu": (r"f(x) = \tfrac{x}{2}\,(1 + t),"
             r"\ \ t = \tanh\big(\sqrt{2/\pi}\,(x + 0.044715\,x^3)\big)",
             r"f'(x) = \tfrac{1 + t}{2} + \tfrac{x}{2}(1 - t^2)\sqrt{2/\pi}\,(1 + 0.134145\,x^2)"),
    "softmax": (r"\mathrm{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}",
                r"\frac{\partial\,\mathrm{softmax}(z)_i}{\partial z_j} = y_i\,(\delta_{ij} - y_j)"),
}

# Activations that cannot be a hidden layer's, and why (shown where it helps).
NOT_HIDDEN = {
    "step": "its slope is 0 everywhere, so gradient descent cannot train a layer of steps",
    "softmax": "it turns a whole layer into probabilities: an output layer's activation",
}
# The order hidden activations are offered in: the common ones first, then any other
# name the engine registers, in the registry's order.
HIDDEN_ORDER = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "silu", "gelu", "softplus",
                "linear", "rrelu")

LOSS_LABELS = {
    "mse": "mean squared error",
    "sse": "squared error (summed)",
    "binary_cross_entropy": "binary cross-entropy",
    "cross_entropy": "cross-entropy",
}

OPTIMIZER_LABELS = {
    "sgd": "SGD",
    "momentum": "SGD + momentum 0.9",
    "rmsprop": "RMSprop",
    "adam": "Adam",
}

DATASET_LABELS = {
    "circle": "Circle",
    "xor": "Exclusive or (XOR)",
    "gaussian": "Two Gaussians",
    "spiral": "Spiral, 2 classes",
    "spiral3": "Spiral, 3 classes",
    "moons": "Moons",
    "gate_and": "Logic gate AND",
    "gate_or": "Logic gate OR",
    "gate_nand": "Logic gate NAND",
    "gate_xor": "Logic gate XOR",
}

FEATURE_LABELS = {
    "x1": "x₁",
    "x2": "x₂",
    "x1sq": "x₁²",
    "x2sq": "x₂²",
    "x1x2": "x₁x₂",
    "sinx1": "sin(x₁)",
    "sinx2": "sin(x₂)",
}

_LABELS = {
    "activation": ACTIVATION_LABELS,
    "loss": LOSS_LABELS,
    "optimizer": OPTIMIZER_LABELS,
    "dataset": DATASET_LABELS,
    "feature": FEATURE_LABELS,
}


def registry(kind):
    """The engine's registry of one kind: name -> what the engine builds from it."""
    return {
        "activation": activations.ACTIVATIONS,
        "loss": losses.LOSSES,
        "optimizer": optimizers.OPTIMIZERS,
        "dataset": datasets.PLANE_DATASETS,
        "feature": features.FEATURES,
    }[kind]


def label(kind, name):
    """How a learner sees an engine name, e.g. label("activation", "relu") -> 'ReLU'.

    A name without a label (a test catches that) is shown as it is written in code.
    """
    return _LABELS[kind].get(name, name)


def labeller(kind):
    """label() for one kind, ready for a widget's format_func."""
    return lambda name: label(kind, name)


def formula(name):
    """(f(x), f'(x)) of an activation in LaTeX, or None for a name without formulas yet."""
    return ACTIVATION_FORMULAS.get(name)


def activation_names():
    """Every registered activation, in the registry's order."""
    return list(activations.ACTIVATIONS)


def hidden_activations():
    """Every registered activation a hidden layer can use, the common ones first."""
    names = [n for n in activations.ACTIVATIONS if n not in NOT_HIDDEN]
    return sorted(names, key=lambda n: (HIDDEN_ORDER.index(n) if n in HIDDEN_ORDER
                                        else len(HIDDEN_ORDER)))


def optimizer_names():
    """Every registered optimizer, in the registry's order."""
    return list(optimizers.OPTIMIZERS)


def plane_datasets(max_classes=None):
    """Every registered 2-D data set (with at most max_classes classes, if given)."""
    return [name for name, spec in datasets.PLANE_DATASETS.items()
            if max_classes is None or spec.classes <= max_classes]


def feature_names():
    """Every registered input feature of the 2-D playground, in the registry's order."""
    return list(features.FEATURES)
