"""The 2-4-1 network that solves XOR, trained once per server and shared as plain numbers.

The Activations page trains it with each hidden activation, the perceptron
page with tanh; both show a session's own copy built from the cached weights.

    network, losses = xor_network("tanh", seed=0, epochs=500)
"""

import streamlit as st

from engine import build_mlp, datasets, optimizers

SIZES = [2, 4, 1]  # 2 inputs -> 4 hidden units -> 1 sigmoid output
LEARNING_RATE = 0.05  # Adam, on binary cross-entropy, all four rows in one batch


@st.cache_data(show_spinner="Training on XOR ...", max_entries=100)
def _trained(hidden, seed, epochs, shuffle):
    """Trained weights and per-epoch losses (the same for every user: fixed seeds)."""
    X, y = datasets.logic_gate("xor")
    network = build_mlp(SIZES, hidden, "sigmoid", seed=seed)
    history = network.fit(X, y, epochs=epochs, batch_size=len(X),
                          optimizer=optimizers.get("adam", lr=LEARNING_RATE),
                          loss="binary_cross_entropy", shuffle=shuffle, seed=seed)
    return {"params": network.params.copy(), "loss": [float(h["loss"]) for h in history]}


def xor_network(hidden="tanh", seed=0, epochs=500, shuffle=True):
    """(network, losses): this session's copy of the trained network, and its loss per epoch.

    Raises ValueError or engine.TrainingDiverged if training fails.
    """
    trained = _trained(hidden, seed, epochs, shuffle)
    network = build_mlp(SIZES, hidden, "sigmoid", seed=seed)
    network.params[...] = trained["params"]
    return network, trained["loss"]
