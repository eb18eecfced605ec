"""The app frame (app.py) opens on the home page, which shows the learning path."""

import pytest
from streamlit.testing.v1 import AppTest

# AppTest.from_file resolves a relative path against this file.
APP = "../../app.py"

# The learning path, in order: (url path, step title).
LEARNING_PATH = [
    ("activations", "Activation functions"),
    ("perceptron", "One neuron & the perceptron"),
    ("mnist", "Train on MNIST"),
    ("draw", "Draw a digit"),
]


@pytest.fixture(scope="module")
def home():
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    return app


def test_home_runs_without_exception(home):
    assert not home.exception
    assert [title.value for title in home.title] == ["Neural Network Playground"]


def test_home_shows_the_steps_in_order(home):
    steps = [subheader.value for subheader in home.subheader]
    assert steps == [f"{number}. {title}" for number, (_, title) in enumerate(LEARNING_PATH, start=1)]


def test_home_links_every_step_then_the_playground(home):
    targets = [link.proto.page for link in home.get("page_link")]
    assert targets == [path for path, _ in LEARNING_PATH] + ["playground"]


def test_sidebar_says_where_the_numbers_come_from(home):
    sidebar_text = " ".join(caption.value for caption in home.sidebar.caption)
    assert "NumPy engine" in sidebar_text
    assert "`engine/`" in sidebar_text
