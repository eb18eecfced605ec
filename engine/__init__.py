"""A small neural-network engine in pure NumPy, written to be read.

Where to start reading:

    activations.py   f(x) and f'(x) for each activation function
    layers.py        Dense: a = f(x @ W + b), forward and backward
    losses.py        mse, sse, binary and categorical cross-entropy
    optimizers.py    SGD, momentum, RMSprop, Adam by name (PyTorch's rules;
                     RMSprop with Keras's defaults, as tutorial 000 used it)
    model.py         Sequential and the Trainer that fits it in chunks;
                     layer_outputs and forward_trace show inside a network
    build.py         parse_hidden("256,128") and build_mlp: a model from settings
    units.py         the tutorials' perceptron and sigmoid neuron
    datasets.py      logic gates, blobs, spirals, moons ...; PLANE_DATASETS
    features.py      x1, x2, x1², x1·x2, sin(x1) ...: inputs made from 2-D points
    mnist.py         the MNIST digits, input scalings, one-hot targets
    augment.py       random turns, stretches, shears and shifts of digits
    metrics.py       accuracy, confusion matrix
    diagnostics.py   inside a layer: saturated and dead units
    saving.py        save_model / load_model (.npz + JSON, checked on load)
    preprocess.py    a drawing on a canvas -> a 28x28 MNIST-style image
    tutorials/       the four tutorials' worked examples and experiments, as their
                     code printed them and by the exact rule, and why they differ
    __main__.py      the command line: python -m engine train / evaluate / predict /
                     reproduce

The engine uses NumPy only (Pillow to resize images) and never prints.
Predicting never changes a model, so one model can serve many threads.
"""

from . import activations, datasets, features, losses, optimizers, units
from .build import build_mlp, parse_hidden
from .layers import Dense
from .losses import get as get_loss
from .metrics import accuracy, confusion_matrix, per_class_accuracy
from .mnist import load_mnist, one_hot, scale_pixels
from .model import Callback, LambdaCallback, Sequential, Trainer, TrainingDiverged, unstable
from .optimizers import SGD, Adam, Momentum, RMSprop
from .saving import load_model, save_model

__all__ = [
    "activations", "datasets", "features", "losses", "optimizers", "units", "Dense",
    "Sequential", "Trainer", "Callback", "LambdaCallback", "TrainingDiverged", "unstable",
    "parse_hidden", "build_mlp", "SGD", "Momentum", "RMSprop", "Adam", "get_loss",
    "save_model", "load_model", "load_mnist", "one_hot", "scale_pixels",
    "accuracy", "confusion_matrix", "per_class_accuracy",
]
