"""Per-user state: each page's state as one typed object under one session key.

A page asks for its state object and reads or changes its fields; Streamlit
keeps it in `st.session_state` for that browser tab only, so one learner's
runs never touch another's.

    from ui import state
    page = state.get(state.PerceptronState)   # created on first use
    page.playing = True

Widgets still keep their values under their own keys (Streamlit needs a
key per widget); the objects here hold everything else a page remembers.
`Shelf` is the one cross-page contract: the models this session trained or
uploaded on the MNIST page, offered on the draw page.
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import ClassVar

import streamlit as st


def get(cls):
    """The session's one instance of the state class `cls` (stored under cls.KEY)."""
    value = st.session_state.get(cls.KEY)
    if not isinstance(value, cls):
        value = st.session_state[cls.KEY] = cls()
    return value


def reset(cls):
    """Forget the session's `cls` state: the next get(cls) starts afresh."""
    st.session_state.pop(cls.KEY, None)


@dataclass
class Shelf:
    """The models of this session, by label, oldest first (the MNIST page fills it)."""

    KEY: ClassVar[str] = "shelf"
    models: "OrderedDict[str, object]" = field(default_factory=OrderedDict)

    def put(self, label, model):
        self.models[label] = model

    def keep_only(self, labels):
        """Drop every model whose label is not in `labels` (runs the page no longer keeps)."""
        for name in [name for name in self.models if name not in labels]:
            del self.models[name]

    def newest(self):
        """The label of the model put last, or None."""
        return next(reversed(self.models), None)


# Each page's own state class follows, one section per page (its KEY names the
# page). Keep the fields plain data or engine objects of this session.

# --- MNIST page ---------------------------------------------------------------

# --- Draw page ----------------------------------------------------------------

# --- Perceptron page ----------------------------------------------------------

# --- Playground -----------------------------------------------------------------

# --- Activations page -----------------------------------------------------------
